"""How a public page is served (村务公开栏): ``public_page(handler)`` makes a starlette endpoint
for anyone, signed in or not, that never looks for a session, never reads a form and never sets
a cookie. Its handler gets a ``PublicWeb``: the request and the one way public pages read,
GraphQL run in process as the public principal (``PUBLIC_PRINCIPAL``, role ``public``), so what
the public may see (published disclosures only, personal data masked) is the API's rule, not the
page's.

Whatever goes wrong, the reader gets a page in Chinese with the error's code: an unknown
object is a 404, a value the API refuses a 400, never a traceback. Every other page keeps the
sign-in redirect of ``page()`` (api/web/pages.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.auth.middleware import FORBIDDEN
from api.auth.principal import Principal
from api.auth.public import PUBLIC_PRINCIPAL
from api.responses import is_database_unavailable
from api.web.graphql import Answer, GraphQLFailed, execute
from api.web.pages import PageError, status_of
from api.web.templating import render_page
from qianwan.bootstrap import Registry

log = logging.getLogger("qianwan.web.public")

MAX_PATH_VALUE = 100  # a path value longer than any id or code: refused before GraphQL


@dataclass
class PublicWeb:
    """One request of a public page."""

    request: Request
    registry: Registry

    @property
    def principal(self) -> Principal:
        return PUBLIC_PRINCIPAL

    async def graphql(self, document: str, variables: dict[str, Any] | None = None) -> Answer:
        schema = self.request.app.state.schema
        return await execute(self.registry, schema, PUBLIC_PRINCIPAL, document, variables)

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> Any:
        """The data of a query; an error of the API becomes the page's error. A refusal of the
        public's role (``forbidden``) is a 404: the public is not told what exists."""
        answer = await self.graphql(document, variables)
        if answer.errors:
            code = answer.errors[0].code
            if code == FORBIDDEN:
                raise PageError(404, "not_found")
            raise PageError(status_of(code, answer.status), code)
        return answer.data

    def path_value(self, name: str) -> str:
        """A path parameter, refused (404) when no id or code could be that long or hold a
        control character."""
        value = str(self.request.path_params.get(name, ""))
        if not value or len(value) > MAX_PATH_VALUE or any(ord(c) < 32 for c in value):
            raise PageError(404, "not_found")
        return value

    def render(
        self, template: str, context: dict[str, Any] | None = None, status: int = 200
    ) -> Response:
        values = {"path": self.request.url.path, "zone": self.registry.clock.zone}
        values.update(context or {})
        return HTMLResponse(render_page(template, values), status_code=status)


PublicHandler = Callable[[PublicWeb], Awaitable[Response]]


def public_error(request: Request, status: int, code: str, detail: str | None = None) -> Response:
    context = {"status": status, "code": code, "detail": detail, "path": request.url.path}
    return HTMLResponse(render_page("public/error.html", context), status_code=status)


def public_page(handler: PublicHandler) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint serving ``handler`` to anyone: no session looked for, no cookie set."""

    async def endpoint(request: Request) -> Response:
        registry: Registry = request.app.state.registry
        try:
            return await handler(PublicWeb(request, registry))
        except PageError as refused:
            return public_error(request, refused.status, refused.code, refused.detail)
        except GraphQLFailed as failed:
            return public_error(request, failed.status, failed.code)
        except Exception as error:
            if is_database_unavailable(error):
                log.warning("database unavailable while serving %s", request.url.path)
                return public_error(request, 503, "database_unavailable")
            log.exception("public page %s failed", request.url.path)
            return public_error(request, 500, "internal_error")

    return endpoint
