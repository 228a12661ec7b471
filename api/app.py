"""The HTTP face of the registry: POST /graphql, GraphiQL on GET /graphql, and GET /healthz.

Nothing is wired at import time: ``create_app(registry)`` builds the app around a bootstrapped
registry, e.g. ``uvicorn.run(create_app(bootstrap()), host=..., port=...)``.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from api.common import ANONYMOUS_ACTOR, RequestContext
from api.execution import Reply, parse_request, request_error, run
from api.graphiql import GRAPHIQL_HTML
from api.schema import build_schema
from qianwan.bootstrap import Registry

MAX_BODY_BYTES = 1_000_000
ACTOR_HEADER = "X-Qianwan-Actor"  # who records a fact, until sign-in exists

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


def reply(r: Reply) -> JSONResponse:
    return JSONResponse(r.body, status_code=r.status)


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def create_app(registry: Registry, *, graphiql: bool = True) -> Starlette:
    """The ASGI app serving ``registry``. ``graphiql=False`` leaves the browser IDE out."""
    schema = build_schema()

    async def graphql(request: Request) -> Response:
        if request.method == "GET":
            if graphiql and wants_html(request):
                return HTMLResponse(GRAPHIQL_HTML)
            refused = request_error("send GraphQL requests with POST", "method_not_allowed", 405)
            return JSONResponse(refused.body, status_code=405, headers={"Allow": "POST"})
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
        actor = request.headers.get(ACTOR_HEADER, "").strip() or ANONYMOUS_ACTOR
        context = RequestContext(registry, actor)
        return reply(await run_in_threadpool(run, schema, parsed, context))

    async def healthz(request: Request) -> Response:
        try:
            status = await run_in_threadpool(health, registry)
        except Exception:
            log.exception("health check failed")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse(status)

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )
    app.state.registry = registry
    return app


def health(registry: Registry) -> dict[str, Any]:
    return {
        "status": "ok",
        "lastNotificationId": registry.store.last_notification_id(),
        "projectionPositions": registry.runner.positions(),
    }
