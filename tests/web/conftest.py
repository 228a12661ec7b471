"""Workbench fixtures: the real app (routing, CSRF, pages, GraphQL in process) over the
``seeded`` registry (SQLite and PostgreSQL), driven through httpx's ASGI transport like a browser
without JavaScript: cookies kept, forms posted with their CSRF token.

``web`` is signed in as an accountant of the seeded villages; ``web.as_role("auditor")`` and
friends give a client signed in with another role."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

import api.web.session as web_session
from api.app import create_app
from api.auth.principal import Principal
from api.web.session import SESSION_COOKIE, csrf_token_of
from domain.access.roles import Role
from qianwan.bootstrap import Registry
from tests.support import OTHER_VILLAGE, VILLAGE

BASE_URL = "http://qianwan.test"
SEEDED_VILLAGES = (VILLAGE, OTHER_VILLAGE)
_CSRF_INPUT = re.compile(r'name="csrf" value="([^"]*)"')


class Sessions:
    """The sessions the test clients hold (secret → principal)."""

    def __init__(self) -> None:
        self.principals: dict[str, Principal] = {}

    def authenticate(self, registry: Registry, secret: str | None) -> Principal | None:
        return self.principals.get(secret or "")


class WebClient:
    """A browser of one signed-in user: ``get``, ``post`` (the CSRF token added), ``form_of``."""

    def __init__(
        self,
        app: Starlette,
        registry: Registry,
        sessions: Sessions,
        role: str = "accountant",
        villages: Sequence[str] | None = None,
        name: str | None = None,
        signed_in: bool = True,
    ) -> None:
        self.app = app
        self.registry = registry
        self.sessions = sessions
        self.role = Role(role)
        self.villages = tuple(villages) if villages is not None else default_villages(role)
        self.name = name or f"测试{role}"
        self.cookies: dict[str, str] = {}
        self.secret: str | None = None
        if signed_in:
            self.secret = secrets.token_urlsafe(24)
            scope = frozenset(self.villages) if self.villages else None
            principal = Principal(str(_uuid()), self.role, self.name, scope)
            sessions.principals[self.secret] = principal
            self.cookies[SESSION_COOKIE] = self.secret
        self._others: dict[tuple[str, tuple[str, ...]], WebClient] = {}

    @property
    def csrf(self) -> str:
        assert self.secret is not None
        return csrf_token_of(self.secret)

    def as_role(self, role: str, villages: Sequence[str] | None = None) -> WebClient:
        chosen = tuple(villages) if villages is not None else default_villages(role)
        key = (role, chosen)
        if key not in self._others:
            self._others[key] = WebClient(self.app, self.registry, self.sessions, role, chosen)
        return self._others[key]

    def anonymous(self) -> WebClient:
        return WebClient(self.app, self.registry, self.sessions, signed_in=False)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def exchange() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url=BASE_URL, cookies=self.cookies
            ) as client:
                response = await client.request(method, path, **kwargs)
                self.cookies.update(dict(client.cookies))
                return response

        return asyncio.run(exchange())

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(
        self,
        path: str,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        csrf: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        """POST a form; the session's CSRF token is added unless ``csrf=False``."""
        fields = dict(data or {})
        if csrf and self.secret is not None:
            fields.setdefault("csrf", self.csrf)
        return self.request("POST", path, data=fields, files=files, **kwargs)


def default_villages(role: str) -> tuple[str, ...]:
    return SEEDED_VILLAGES if role == "accountant" else ()


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def csrf_in(html: str) -> str | None:
    found = _CSRF_INPUT.search(html)
    return found.group(1) if found else None


@pytest.fixture
def web(seeded: Registry, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebClient]:
    sessions = Sessions()
    monkeypatch.setattr(web_session, "authenticate_session", sessions.authenticate)
    yield WebClient(create_app(seeded), seeded, sessions)
