"""E2E fixtures: the GraphQL API over HTTP, on the ``seeded`` registry (SQLite and PostgreSQL).

Requests go through httpx's ASGI transport, so each test drives the real starlette app: routing,
body limits, authentication, the worker thread with its own event loop, and the JSON the server
sends. Every request carries an API token: by default an accountant's for the seeded villages;
``api.as_role("auditor")`` and friends give a client with another role's token."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry, bootstrap
from scripts.demo import load_demo
from tests.conftest import make_settings
from tests.support import OTHER_VILLAGE, VILLAGE

BASE_URL = "http://qianwan.test"
ISSUER = Provenance("admin:test-fixtures")
SEEDED_VILLAGES = (VILLAGE, OTHER_VILLAGE)


def issue_token(
    registry: Registry, role: str, villages: Sequence[str] = (), name: str | None = None
) -> str:
    issued = registry.access.issue_token(role, list(villages), name or f"test {role}", ISSUER)
    return issued.secret


class Api:
    """A synchronous client for one app and one API token: each call runs one HTTP exchange.

    ``actor=`` on a call sends it with an accountant's token of that name instead (the name is
    what recorded facts carry as their actor)."""

    def __init__(
        self,
        app: Starlette,
        registry: Registry,
        role: str = "accountant",
        villages: Sequence[str] | None = None,
        name: str | None = None,
        token: str | None = None,
        anonymous: bool = False,
    ) -> None:
        self.app = app
        self.registry = registry
        self.role = role
        self.villages = tuple(villages) if villages is not None else self.default_villages(role)
        self.name = name
        self._token = token
        self._anonymous = anonymous
        self._clients: dict[tuple[str, tuple[str, ...], str | None], Api] = {}

    @staticmethod
    def default_villages(role: str) -> tuple[str, ...]:
        return SEEDED_VILLAGES if role == "accountant" else ()

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = issue_token(self.registry, self.role, self.villages, self.name)
        return self._token

    def as_role(
        self, role: str, villages: Sequence[str] | None = None, name: str | None = None
    ) -> Api:
        """A client of the same app with a token of ``role`` (one per role, villages, name)."""
        chosen = tuple(villages) if villages is not None else self.default_villages(role)
        key = (role, chosen, name)
        if key not in self._clients:
            self._clients[key] = Api(self.app, self.registry, role, chosen, name)
        return self._clients[key]

    def with_token(self, token: str | None) -> Api:
        """A client sending exactly this secret (None: no Authorization header at all)."""
        return Api(self.app, self.registry, token=token, anonymous=token is None)

    def named(self, actor: str) -> Api:
        return self.as_role(self.role, self.villages, actor)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def exchange() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
                return await client.request(method, path, **kwargs)

        return asyncio.run(exchange())

    def headers(self) -> dict[str, str]:
        return {} if self._anonymous else {"Authorization": f"Bearer {self.token}"}

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        actor: str | None = None,
        operation_name: str | None = None,
    ) -> httpx.Response:
        if actor is not None:
            return self.named(actor).post(query, variables, operation_name=operation_name)
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name is not None:
            body["operationName"] = operation_name
        return self.request("POST", "/graphql", json=body, headers=self.headers())

    def data(
        self, query: str, variables: dict[str, Any] | None = None, actor: str | None = None
    ) -> dict[str, Any]:
        """The response's ``data``; fails the test on any GraphQL error."""
        response = self.post(query, variables, actor)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    @property
    def auditor(self) -> Api:
        return self.as_role("auditor")

    @property
    def admin(self) -> Api:
        return self.as_role("admin")

    @property
    def platform(self) -> Api:
        return self.as_role("platform")


def nodes(connection: dict[str, Any]) -> list[Any]:
    """The nodes of a connection's page: ``edges { node { … } }``."""
    return [edge["node"] for edge in connection["edges"]]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """The whole demo district (with its elders) on SQLite, loaded once for the session: for
    the tests that read it as the district platform would (SQL counts, crawls, fuzzing)."""
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("demo"))
    registry = bootstrap(settings)
    load_demo(registry, progress=False)
    yield registry
    registry.close()


@pytest.fixture(scope="session")
def demo_api(demo: Registry) -> Api:
    return Api(create_app(demo), demo, role="platform")


@pytest.fixture
def api(seeded: Registry) -> Api:
    client = Api(create_app(seeded), seeded)
    assert client.token  # issued now, so that tests counting events count only their own
    return client
