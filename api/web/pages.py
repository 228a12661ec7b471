"""How a workbench page is served: ``page(handler, roles=...)`` makes a starlette endpoint that
finds the signed-in user (or sends the browser to sign in), refuses a role the page is not for,
checks the CSRF token of every POST before anything runs, and gives the handler a ``Web``: the
request, its user, and the one way pages read and write, GraphQL run in process with the user's
principal (api/web/graphql.py), so every rule, scope, mask and refusal is the API's own.

Whatever goes wrong, the browser gets a page in Chinese with the error's code, never a
traceback: a refusal of the API shows its code; a failure is logged and shown as
``internal_error``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.auth.middleware import FORBIDDEN, UNAUTHENTICATED
from api.auth.principal import Principal
from api.responses import is_database_unavailable
from api.web.graphql import Answer, GraphQLFailed, execute
from api.web.nav import menu
from api.web.session import (
    CSRF_FIELD,
    csrf_token_of,
    principal_of_request,
    same_token,
    session_secret,
)
from api.web.templating import render_page
from domain.access.roles import Role
from qianwan.bootstrap import Registry

log = logging.getLogger("qianwan.web")

MAX_FORM_FIELDS = 2_000
MAX_FORM_BYTES = 1_000_000  # a form's fields; uploads have their own limit (api/web/uploads.py)
MAX_UPLOAD_BYTES = 5_000_000

ROLE_NAMES = {
    Role.ACCOUNTANT: "村会计",
    Role.AUDITOR: "审计",
    Role.PLATFORM: "区平台",
    Role.ADMIN: "管理员",
    Role.PUBLIC: "公众",
}


class PageError(Exception):
    """A page that cannot be shown: its status, code and (optional) Chinese explanation."""

    def __init__(self, status: int, code: str, detail: str | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass
class Web:
    """One page request of a signed-in user."""

    request: Request
    registry: Registry
    principal: Principal
    csrf: str
    form: FormData | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def villages(self) -> list[str]:
        return sorted(self.principal.villages or ())

    async def graphql(self, document: str, variables: dict[str, Any] | None = None) -> Answer:
        """Run a query or mutation as this user; the whole answer, errors included."""
        schema = self.request.app.state.schema
        return await execute(self.registry, schema, self.principal, document, variables)

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> Any:
        """The data of a query; an error of the API becomes the page's error (PageError)."""
        answer = await self.graphql(document, variables)
        if answer.errors:
            first = answer.errors[0]
            raise PageError(status_of(first.code, answer.status), first.code)
        return answer.data

    def field(self, name: str, default: str = "") -> str:
        """A submitted form field as text ("" when absent; an upload is not text)."""
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else default

    def fields(self, name: str) -> list[str]:
        if self.form is None:
            return []
        return [v for v in self.form.getlist(name) if isinstance(v, str)]

    def render(
        self, template: str, context: dict[str, Any] | None = None, status: int = 200
    ) -> Response:
        values = {
            "user": self.principal,
            "role_name": ROLE_NAMES.get(self.principal.role, self.principal.role.value),
            "menu": menu(self.principal.role),
            "path": self.request.url.path,
            "csrf": self.csrf,
            "csrf_field": CSRF_FIELD,
            "notice": notice_of(self.request),
            "zone": self.registry.clock.zone,
            **(context or {}),
        }
        return HTMLResponse(render_page(template, values), status_code=status)


Handler = Callable[[Web], Awaitable[Response]]


def status_of(code: str, status: int) -> int:
    """The page's HTTP status for an API refusal: 403 for a scope or role refusal, 404 for an
    object that does not exist (``*_not_found``), else the API's own status (400 at least)."""
    if code in (FORBIDDEN, UNAUTHENTICATED):
        return 403
    if code.endswith("_not_found") or code == "not_found":
        return 404
    return status if status >= 400 else 400


# What a redirect after a recorded fact says on the next page (``?done=<key>``): fixed texts,
# so nothing a link carries is ever shown as it is.
NOTICES = {
    "recorded": "已记录。",
    "signed_out": "已退出登录。",
    "nothing_new": "这条记录以前已经记过，这次没有新增。",
}


def notice_of(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("done", ""))


def local_path(target: str | None, default: str = "/") -> str:
    """A redirect target on this site only: a path, never another host (``//x``, ``/\\x``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(c) < 33 or ord(c) == 127 for c in target) or len(target) > 500:
        return default
    return target


def see_other(path: str, done: str | None = None) -> Response:
    target = local_path(path)
    if done is not None:
        target += ("&" if "?" in target else "?") + f"done={done}"
    return RedirectResponse(target, status_code=303)


def error_page(
    request: Request,
    status: int,
    code: str,
    detail: str | None = None,
    principal: Principal | None = None,
) -> Response:
    context = {
        "status": status,
        "code": code,
        "detail": detail,
        "user": principal,
        "role_name": ROLE_NAMES.get(principal.role, "") if principal else "",
        "menu": menu(principal.role) if principal else [],
        "path": request.url.path,
        "csrf": csrf_token_of(session_secret(request) or "-") if principal else "",
        "csrf_field": CSRF_FIELD,
        "notice": None,
    }
    return HTMLResponse(render_page("error.html", context), status_code=status)


async def read_form(request: Request) -> FormData:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise PageError(413, "body_too_large")
    try:
        return await request.form(
            max_files=5, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_UPLOAD_BYTES
        )
    except HTTPException as refused:  # a malformed or oversized multipart body
        raise PageError(400, "form_invalid") from refused


def page(
    handler: Handler, roles: Iterable[Role] | None = None
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint serving ``handler`` to signed-in users of ``roles`` (all roles: None)."""
    allowed = frozenset(roles) if roles is not None else None

    async def endpoint(request: Request) -> Response:
        registry: Registry = request.app.state.registry
        principal: Principal | None = None
        try:
            principal = await run_in_threadpool(principal_of_request, registry, request)
            if principal is None:
                wanted = request.url.path
                if request.url.query:
                    wanted += "?" + request.url.query
                next_part = "" if wanted == "/" else "?next=" + quote(local_path(wanted), safe="/")
                return RedirectResponse("/signin" + next_part, status_code=303)
            if allowed is not None and principal.role not in allowed:
                raise PageError(403, FORBIDDEN)
            secret = session_secret(request)
            assert secret is not None
            csrf = csrf_token_of(secret)
            form = None
            if request.method == "POST":
                form = await read_form(request)
                if not same_token(form.get(CSRF_FIELD), csrf):
                    raise PageError(403, "csrf_token_invalid")
            web = Web(request, registry, principal, csrf, form)
            return await handler(web)
        except PageError as refused:
            return error_page(request, refused.status, refused.code, refused.detail, principal)
        except GraphQLFailed as failed:
            return error_page(request, failed.status, failed.code, None, principal)
        except Exception as error:
            if is_database_unavailable(error):
                log.warning("database unavailable while serving %s", request.url.path)
                return error_page(request, 503, "database_unavailable", None, principal)
            log.exception("page %s failed", request.url.path)
            return error_page(request, 500, "internal_error", None, principal)

    return endpoint
