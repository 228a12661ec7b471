"""Signing in and out. A sign-in, and every failed one, is an event (domain/access/users.py);
a wrong password and an unknown user get the same answer; five failures in a row lock the
account for fifteen minutes. The form is protected by a double-submitted CSRF cookie."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.responses import is_database_unavailable
from api.web.messages import message_zh
from api.web.pages import PageError, error_page, local_path, read_form
from api.web.session import (
    CSRF_FIELD,
    clear_session_cookie,
    csrf_token_of,
    principal_of_request,
    same_token,
    session_secret,
    set_session_cookie,
    set_signin_cookie,
    signin_token,
)
from api.web.templating import render_page
from api.web.throttle import SignInThrottle
from domain.shared.errors import DomainError
from qianwan.bootstrap import Registry

log = logging.getLogger("qianwan.web")
MAX_CLIENT_CHARS = 100
TOO_MANY_SIGN_INS = "too_many_sign_ins"


def client_of(request: Request) -> str:
    host = request.client.host if request.client else "unknown"
    return host[:MAX_CLIENT_CHARS]


def signin_form(
    request: Request,
    token: str,
    new: bool,
    *,
    error: str | None = None,
    username: str = "",
    status: int = 200,
) -> Response:
    context: dict[str, object] = {
        "user": None,
        "menu": [],
        "path": "/signin",
        "csrf": token,
        "csrf_field": CSRF_FIELD,
        "notice": None,
        "error": error,
        "username": username,
        "next": local_path(request.query_params.get("next")),
    }
    response = HTMLResponse(render_page("signin.html", context), status_code=status)
    if new:
        set_signin_cookie(response, request, token)
    return response


async def signin(request: Request) -> Response:
    registry: Registry = request.app.state.registry
    token, new = signin_token(request)
    try:
        if request.method == "GET":
            if await run_in_threadpool(principal_of_request, registry, request) is not None:
                return RedirectResponse(local_path(request.query_params.get("next")), 303)
            return signin_form(request, token, new)
        form = await read_form(request)
        username = form.get("username")
        password = form.get("password")
        if new or not same_token(form.get(CSRF_FIELD), token):
            error = message_zh("csrf_token_invalid")
            return signin_form(request, token, True, error=error, status=403)
        if not isinstance(username, str) or not isinstance(password, str):
            return signin_form(request, token, new, error=message_zh("sign_in_failed"), status=400)
        throttle: SignInThrottle = request.app.state.sign_in_throttle
        client = client_of(request)
        if not throttle.allowed(client):  # refused without a look: nothing recorded
            error = message_zh(TOO_MANY_SIGN_INS)
            return signin_form(request, token, new, error=error, status=429)
        try:
            started = await run_in_threadpool(
                registry.users.sign_in,
                username,
                password,
                client,
            )
        except DomainError as refused:
            throttle.failed(client)
            shown = username if len(username) <= 64 and username.isprintable() else ""
            return signin_form(
                request, token, new, error=message_zh(refused.code), username=shown, status=400
            )
        response = RedirectResponse(local_path(request.query_params.get("next")), 303)
        set_session_cookie(response, request, started.secret)
        return response
    except PageError as refused:
        return error_page(request, refused.status, refused.code)
    except Exception as error:
        if is_database_unavailable(error):
            return error_page(request, 503, "database_unavailable")
        log.exception("sign-in failed")
        return error_page(request, 500, "internal_error")


async def signout(request: Request) -> Response:
    """POST only, with the session's CSRF token: a link elsewhere cannot sign anyone out."""
    registry: Registry = request.app.state.registry
    secret = session_secret(request)
    try:
        form = await read_form(request)
        if secret is None:
            return RedirectResponse("/signin", 303)
        if not same_token(form.get(CSRF_FIELD), csrf_token_of(secret)):
            return error_page(request, 403, "csrf_token_invalid")
        await run_in_threadpool(registry.users.sign_out, secret)
    except PageError as refused:
        return error_page(request, refused.status, refused.code)
    except Exception as error:
        if is_database_unavailable(error):
            return error_page(request, 503, "database_unavailable")
        log.exception("sign-out failed")
        return error_page(request, 500, "internal_error")
    response = RedirectResponse("/signin?done=signed_out", 303)
    clear_session_cookie(response, request)
    return response
