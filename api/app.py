"""The HTTP face of the registry: POST /graphql, GraphiQL on GET /graphql, the change feed
(GraphQL subscriptions over WebSocket at /graphql, api/feed), GET /healthz, and
the workbench's pages for people (api/web/: sign-in, forms, books, audit; static files at
/static).
Every other answer is a JSON error with a code (api/responses.py), whatever went wrong.

Nothing is wired at import time: ``create_app(registry)`` builds the app around a bootstrapped
registry, e.g. ``uvicorn.run(create_app(bootstrap()), host=..., port=...)``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from api.answers import CACHED_ANSWERS_ENV, AnswerCache
from api.auth.authenticate import authenticate
from api.auth.middleware import UNAUTHENTICATED
from api.auth.personal import record_reads
from api.auth.sessions import authenticate_session
from api.common import RequestContext
from api.execution import GraphQLRequest, Reply, parse_request, request_error, run
from api.feed.hub import FeedHub
from api.feed.protocol import FeedEndpoint
from api.graphiql import graphiql_page
from api.responses import RETRY_AFTER, Guard, JSONAnswer, http_error
from api.schema import build_schema
from api.web.paths import STATIC_DIR, STATIC_PREFIX
from api.web.policy import WEB_CSP
from api.web.routes import web_routes
from api.web.session import CSRF_HEADER, csrf_token_of, same_token, session_secret
from api.web.throttle import SignInThrottle
from qianwan.bootstrap import INLINE, WORKER_WAIT_SECONDS, Registry, bootstrap
from qianwan.heap import freeze_startup_heap
from qianwan.keys import check_ready_to_serve
from qianwan.settings import Settings

MAX_BODY_BYTES = 1_000_000

log = logging.getLogger("qianwan.api")


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request) -> bytes:
    """The body, refused as soon as it passes MAX_BODY_BYTES (whatever Content-Length says)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def reply(r: Reply) -> Response:
    content = r.content if r.content is not None else r.body
    return JSONAnswer(content, status_code=r.status, headers=r.headers)


def unauthenticated() -> Response:
    """401 for a request without a valid API token; nothing else about the API is told."""
    message = "send a valid API token: Authorization: Bearer <token> (qianwan token create)"
    refused = request_error(message, UNAUTHENTICATED, 401)
    return JSONAnswer(refused.body, status_code=401, headers={"WWW-Authenticate": "Bearer"})


def run_recorded(
    schema: Any, request: GraphQLRequest, context: RequestContext, introspection: bool
) -> Reply:
    """Run the request, then record the personal data it returned in clear (if any)."""
    result = run(schema, request, context, introspection)
    record_reads(context, request.operation_name)
    return result


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def create_app(
    registry: Registry, *, graphiql: bool = True, introspection: bool | None = None
) -> Starlette:
    """The ASGI app serving ``registry``. ``graphiql=False`` leaves the browser IDE out;
    ``introspection`` defaults to the registry's settings (QIANWAN_GRAPHQL_INTROSPECTION)."""
    schema = build_schema(registry.clock)
    # this process's answers, by the projections' positions (off: every answer read again)
    answers = None if os.environ.get(CACHED_ANSWERS_ENV) == "off" else AnswerCache()
    if introspection is None:
        introspection = registry.settings.graphql_introspection

    async def graphql(request: Request) -> Response:
        if request.method == "GET":
            if graphiql and wants_html(request):
                # Signed in, the page's queries go with the session and its CSRF token;
                # otherwise the page asks for an API token before it fetches the schema.
                secret = session_secret(request)
                signed_in = (
                    secret is not None
                    and (await run_in_threadpool(authenticate_session, registry, secret))
                    is not None
                )
                csrf = csrf_token_of(secret) if signed_in and secret is not None else None
                return HTMLResponse(graphiql_page(csrf))
            refused = request_error("send GraphQL requests with POST", "method_not_allowed", 405)
            return JSONAnswer(refused.body, status_code=405, headers={"Allow": "POST"})
        header = request.headers.get("authorization")
        secret = session_secret(request) if header is None else None
        if secret is not None:  # the workbench's GraphiQL, signed in: its session, and CSRF
            if not same_token(request.headers.get(CSRF_HEADER), csrf_token_of(secret)):
                message = "a signed-in browser sends the page's X-CSRF-Token with its requests"
                return reply(request_error(message, "csrf_token_invalid", 403))
            principal = await run_in_threadpool(authenticate_session, registry, secret)
        else:
            principal = await run_in_threadpool(authenticate, registry, header)
        if principal is None:
            return unauthenticated()
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return reply(request_error("the body must be application/json", "not_json", 415))
        try:
            body = await read_body(request)
        except BodyTooLarge:
            message = f"the body is larger than {MAX_BODY_BYTES} bytes"
            return reply(request_error(message, "body_too_large", 413))
        parsed = parse_request(body)
        if isinstance(parsed, Reply):
            return reply(parsed)
        context = RequestContext(registry, principal.actor, principal=principal, answers=answers)
        return reply(await run_in_threadpool(run_recorded, schema, parsed, context, introspection))

    hub = FeedHub()
    registry.store.add_save_listener(hub.saved)  # wakes the live subscriptions
    feed = FeedEndpoint(registry, schema, introspection, hub)

    async def healthz(request: Request) -> Response:
        try:
            status = await run_in_threadpool(health, registry)
        except Exception:
            log.exception("health check failed")
            headers = {"Retry-After": RETRY_AFTER}
            return JSONAnswer({"status": "unavailable"}, status_code=503, headers=headers)
        return JSONAnswer(status, status_code=200 if status["status"] == "ok" else 503)

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", feed.serve),  # the change feed (api/feed)
            Route("/healthz", healthz, methods=["GET"]),
            *web_routes(),
            Mount(STATIC_PREFIX, app=StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=[Middleware(Guard, html_policy=WEB_CSP, static_prefix=STATIC_PREFIX)],
        exception_handlers={HTTPException: http_error},
    )
    app.state.registry = registry
    app.state.schema = schema
    app.state.sign_in_throttle = SignInThrottle()
    return app


def health(registry: Registry) -> dict[str, Any]:
    """``ok``; or ``degraded`` (answered with 503) while a projection is halted at an event it
    cannot fold: the registry still records and answers, but that read model is behind."""
    # One statement on the read models' pool first: it fails at once when the database is
    # down, where the event store's own pool waits and retries for minutes before it gives up.
    with registry.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    halted = registry.runner.halted(fresh=True)
    return {
        "status": "degraded" if halted else "ok",
        "lastNotificationId": registry.store.last_notification_id(),
        "projectionPositions": registry.runner.positions(),
        "haltedProjections": {
            name: {
                "notificationId": halt.notification_id,
                "error": halt.error,
                "haltedAt": halt.halted_at.isoformat(),
            }
            for name, halt in sorted(halted.items())
        },
    }


# How `qianwan serve --workers N --projections inline|worker` configures the server processes
# it starts (uvicorn imports ``app_from_env`` in each of them).
PROJECTIONS_ENV = "QIANWAN_PROJECTIONS"
WORKER_WAIT_ENV = "QIANWAN_WORKER_WAIT_SECONDS"


def app_from_env() -> Starlette:
    """The app of one server process: the registry of QIANWAN_DATABASE_URL, its projections
    folded inline or by a projection worker as QIANWAN_PROJECTIONS says (docs/scaling.md)."""
    folding = os.environ.get(PROJECTIONS_ENV) or INLINE
    wait = float(os.environ.get(WORKER_WAIT_ENV) or WORKER_WAIT_SECONDS)
    settings = Settings.from_env()
    check_ready_to_serve(settings)  # no real data on development secrets (qianwan/keys.py)
    registry = bootstrap(settings, folding=folding, worker_wait_seconds=wait)
    app = create_app(registry)
    freeze_startup_heap()  # qianwan/heap.py: the collector stops walking the startup heap
    return app
