"""Who is at the browser: the session cookie, and the CSRF token of every form.

The cookie holds the session's secret (``qw_session``: HttpOnly, SameSite=Strict, Secure when
the page came over HTTPS); the registry keeps only its hash, in the signed log
(domain/access/users.py), and ``authenticate_session`` believes a session only as the log states
it. A form's CSRF token is derived from the session's secret (an HMAC), so it needs no storage
and changes with every sign-in; the sign-in form, sent before any session exists, is protected
by a double-submitted random cookie of its own (``qw_signin``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from api.auth.principal import Principal
from api.auth.sessions import authenticate_session
from qianwan.bootstrap import Registry

SESSION_COOKIE = "qw_session"
SIGNIN_COOKIE = "qw_signin"  # the sign-in form's double-submitted CSRF value
CSRF_FIELD = "csrf"  # the hidden field of every form
CSRF_HEADER = "x-csrf-token"  # the same token for GraphiQL's requests
MAX_COOKIE_CHARS = 200
SESSION_SECONDS = 12 * 3600  # the browser drops the cookie when the session ends anyway


def session_secret(request: Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE)
    if not value or len(value) > MAX_COOKIE_CHARS or not value.isascii():
        return None
    return value


def csrf_token_of(secret: str) -> str:
    """The CSRF token of the session whose secret this is."""
    return hmac.new(secret.encode("ascii"), b"qianwan-csrf", hashlib.sha256).hexdigest()


def same_token(given: object, expected: str | None) -> bool:
    if not isinstance(given, str) or expected is None or len(given) > MAX_COOKIE_CHARS:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("ascii"))


def principal_of_request(registry: Registry, request: Request) -> Principal | None:
    """The signed-in user of this request, or None (blocking: run it off the event loop)."""
    return authenticate_session(registry, session_secret(request))


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=secure(request)
    )


def signin_token(request: Request) -> tuple[str, bool]:
    """The sign-in form's CSRF value, and whether it is new (and must be set as a cookie)."""
    value = request.cookies.get(SIGNIN_COOKIE)
    if value and len(value) <= MAX_COOKIE_CHARS and value.isascii():
        return value, False
    return secrets.token_urlsafe(24), True


def set_signin_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        SIGNIN_COOKIE,
        value,
        max_age=3600,
        path="/signin",
        httponly=True,
        samesite="strict",
        secure=secure(request),
    )
