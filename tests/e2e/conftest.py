"""E2E fixtures: the GraphQL API over HTTP, on the ``seeded`` registry (SQLite and PostgreSQL).

Requests go through httpx's ASGI transport, so each test drives the real starlette app: routing,
body limits, the worker thread with its own event loop, and the JSON the server sends."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from qianwan.bootstrap import Registry

BASE_URL = "http://qianwan.test"


class Api:
    """A synchronous client for one app: each call runs one HTTP exchange."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def exchange() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
                return await client.request(method, path, **kwargs)

        return asyncio.run(exchange())

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        actor: str | None = None,
    ) -> httpx.Response:
        headers = {"X-Qianwan-Actor": actor} if actor is not None else {}
        body = {"query": query, "variables": variables or {}}
        return self.request("POST", "/graphql", json=body, headers=headers)

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


@pytest.fixture
def api(seeded: Registry) -> Api:
    return Api(create_app(seeded))
