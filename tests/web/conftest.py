"""Workbench fixtures: the real app (routing, sessions, CSRF, pages, GraphQL in process) over the
``seeded`` registry (SQLite and PostgreSQL), driven through httpx's ASGI transport like a browser
without JavaScript: cookies kept, forms posted with their CSRF token.

``web`` is signed in as an accountant of the seeded villages (a real web user, signed in through
``registry.users``: its session is in the signed log); ``web.as_role("auditor")`` and friends
give a client signed in as a user of another role. Passwords are hashed with cheap argon2
parameters (tests/users_support.py)."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.web.session import SESSION_COOKIE, csrf_token_of
from domain.access.roles import Role
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry
from tests.support import OTHER_VILLAGE, VILLAGE
from tests.users_support import CHEAP, PASSWORD

BASE_URL = "http://qianwan.test"
SEEDED_VILLAGES = (VILLAGE, OTHER_VILLAGE)
ISSUER = Provenance("admin:test-fixtures", "workbench tests")
_CSRF_INPUT = re.compile(r'name="csrf" value="([^"]*)"')


class WebClient:
    """A browser of one signed-in user: ``get``, ``post`` (the CSRF token added), ``form_of``."""

    def __init__(
        self,
        app: Starlette,
        registry: Registry,
        role: str = "accountant",
        villages: Sequence[str] | None = None,
        name: str | None = None,
        signed_in: bool = True,
    ) -> None:
        self.app = app
        self.registry = registry
        self.role = Role(role)
        self.villages = tuple(villages) if villages is not None else default_villages(role)
        self.name = name or f"测试{role}"
        self.cookies: dict[str, str] = {}
        self.secret: str | None = None
        self.username = f"u{secrets.token_hex(6)}"
        if signed_in:
            users = registry.users
            users.create_user(self.username, self.name, PASSWORD, role, list(self.villages), ISSUER)
            self.secret = users.sign_in(self.username, PASSWORD, "tests").secret
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
            self._others[key] = WebClient(self.app, self.registry, role, chosen)
        return self._others[key]

    def anonymous(self) -> WebClient:
        return WebClient(self.app, self.registry, signed_in=False)

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


def csrf_in(html: str) -> str | None:
    found = _CSRF_INPUT.search(html)
    return found.group(1) if found else None


@pytest.fixture
def web(seeded: Registry) -> WebClient:
    seeded.users.hasher = CHEAP
    return WebClient(create_app(seeded), seeded)
