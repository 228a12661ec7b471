"""What every answer of the app looks like, whatever happened: JSON with ``errors[].extensions.
code`` for every refusal and failure (an unknown path, a method not allowed, a database that is
down, a bug), never a plain-text page or a traceback; and the same protective headers on every
answer (``Guard``, the outermost middleware of the app, api/app.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any

import orjson
from psycopg import OperationalError
from psycopg_pool import PoolTimeout
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

INTERNAL_ERROR = "internal error: the request could not be completed; the server log has details"
DATABASE_UNAVAILABLE = "database_unavailable"
RETRY_AFTER = "5"  # seconds a client waits before it tries again when the database is down
EXCEPTION_CHAIN_MAX = 10  # causes followed when deciding what an exception means

# On every answer: no content sniffing, no caching (answers hold personal data and books).
COMMON_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
STATIC_CACHE = "public, max-age=3600"  # the package's scripts and styles only (Guard)
# Answers that are not HTML load nothing and may not be framed, whatever renders them.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"

log = logging.getLogger("qianwan.api")


def encode_json(body: Any) -> bytes:
    """The body as UTF-8 JSON. orjson refuses strings with lone surrogates (an error message
    can quote the bad input): those are escaped by the standard library instead."""
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, ensure_ascii=True, default=str).encode("ascii")


class JSONAnswer(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else encode_json(content)


def coded_error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONAnswer(body, status_code=status, headers=dict(headers or {}))


def causes(error: BaseException) -> Iterator[BaseException]:
    """The exception, what it wraps (SQLAlchemy's ``orig``), and its causes."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending and len(seen) < EXCEPTION_CHAIN_MAX:
        current = pending.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        yield current
        wrapped = getattr(current, "orig", None)
        pending += [wrapped if isinstance(wrapped, BaseException) else None]
        pending += [current.__cause__, current.__context__]


def is_database_unavailable(error: BaseException) -> bool:
    """Whether PostgreSQL could not be reached, dropped the connection, or gave up waiting for
    a lock (psycopg's OperationalError and the pool's timeout: the statement's transaction did
    not commit), so that the client may try again. An SQLite file busy or locked is not this."""
    return any(isinstance(e, (OperationalError, PoolTimeout)) for e in causes(error))


def failure(error: Exception) -> Response:
    """The answer to an exception no handler turned into one."""
    if is_database_unavailable(error):
        log.warning("the database is unavailable: %s", error)
        message = "the database is unavailable or busy: try again shortly"
        return coded_error(503, DATABASE_UNAVAILABLE, message, {"Retry-After": RETRY_AFTER})
    log.error("request failed", exc_info=error)
    return coded_error(500, "internal_error", INTERNAL_ERROR)


HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's own refusals (an unknown path, a method a route does not take) as JSON."""
    assert isinstance(error, HTTPException)
    headers = dict(error.headers or {})
    if "Allow" in headers:  # (starlette joins a set: put it in a stable order)
        headers["Allow"] = ", ".join(sorted(m.strip() for m in headers["Allow"].split(",")))
    if error.status_code == 404:
        message = f"nothing is served at {request.url.path}: the API is POST /graphql"
    elif error.status_code == 405:
        message = f"{request.method} is not allowed here; allowed: {headers.get('Allow', '')}"
    else:
        message = str(error.detail)
    code = HTTP_CODES.get(error.status_code, "http_error")
    return coded_error(error.status_code, code, message, headers)


class Guard:
    """ASGI middleware around the whole app: the protective headers on every answer (and a
    content security policy: ``html_policy`` for HTML pages, none of anything for the rest),
    and any exception that escaped turned into a JSON answer with a code."""

    def __init__(self, app: ASGIApp, html_policy: str, static_prefix: str | None = None) -> None:
        """``static_prefix``: where the package's own files are served (scripts, styles): the
        one thing a browser may keep, for an hour, revalidated by their ETag after that."""
        self.app = app
        self.html_policy = html_policy
        self.static_prefix = static_prefix.rstrip("/") + "/" if static_prefix else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                self.protect(headers)
                path = scope.get("path", "")
                static = self.static_prefix is not None and path.startswith(self.static_prefix)
                if static and message.get("status") in (200, 304):
                    headers["Cache-Control"] = STATIC_CACHE
            await send(message)

        try:
            await self.app(scope, receive, guarded)
        except Exception as error:
            if started:  # too late for another answer: the server closes the connection
                raise
            await failure(error)(scope, receive, guarded)

    def protect(self, headers: MutableHeaders) -> None:
        for name, value in COMMON_HEADERS.items():
            headers[name] = value
        if headers.get("content-type", "").startswith("text/html"):
            headers["Content-Security-Policy"] = self.html_policy
            headers["X-Frame-Options"] = "DENY"
        else:
            headers["Content-Security-Policy"] = DATA_POLICY
