"""PostgreSQL going away while the server runs: every request gets a JSON answer with the code
`database_unavailable` and `Retry-After` (503), never a plain-text 500, and nothing is told as
done. The server reaches PostgreSQL through a TCP proxy of the test's own, which the test cuts
(the machine's PostgreSQL itself keeps running for the other tests)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from api.app import create_app
from api.auth.authenticate import authenticate
from api.responses import RETRY_AFTER
from qianwan.bootstrap import Registry, bootstrap
from tests.conftest import POSTGRES_ON, POSTGRES_URL, drop_schema, signed_settings
from tests.e2e.conftest import Api
from tests.e2e.test_http import assert_no_traceback
from tests.support import seed_places

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_ON, reason="QIANWAN_TEST_POSTGRES=off"),
]
POSTGRES_ADDRESS = ("127.0.0.1", 5432)
CHUNK_BYTES = 65536


class Proxy:
    """Forwards connections on a port of its own to PostgreSQL, until ``cut`` closes them all
    and refuses new ones, as a server that went down would."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.down = False
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # cut
            with self.lock:
                if self.down:
                    client.close()
                    return
                server = socket.create_connection(POSTGRES_ADDRESS)
                self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=pump, args=(source, target), daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            self.down = True
            for s in (self.listener, *self.sockets):  # (shutdown wakes a blocked accept)
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()


def pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while chunk := source.recv(CHUNK_BYTES):
            target.sendall(chunk)
    except OSError:
        pass


@pytest.fixture
def proxied() -> Iterator[tuple[Registry, Proxy]]:
    """A registry on a fresh PostgreSQL schema, reached through a proxy."""
    proxy = Proxy()
    schema = f"t_{uuid4().hex[:16]}"
    address = POSTGRES_URL.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    registry = bootstrap(signed_settings(f"{address}?schema={schema}"))
    seed_places(registry.places, registry.policies)
    yield registry, proxy
    proxy.cut()
    try:
        registry.close()
    finally:
        drop_schema(schema)


REVOKE = """mutation { revokeApiToken(tokenId: "6f1c1a52-55a5-4d0e-9a43-7a1b8a2f0c31",
  reason: "lost") { errors { code } } }"""


def assert_retryable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == RETRY_AFTER
    assert {e["extensions"]["code"] for e in response.json()["errors"]} == {"database_unavailable"}
    assert_no_traceback(response.text)


def test_requests_while_postgresql_is_down_get_a_retryable_coded_answer(
    proxied: tuple[Registry, Proxy],
) -> None:
    # given a server that answered while PostgreSQL was up
    registry, proxy = proxied
    api = Api(create_app(registry), registry, role="platform")
    admin = api.as_role("admin")
    assert api.data("{ towns { totalCount } }") == {"towns": {"totalCount": 1}}
    assert admin.token

    # when PostgreSQL goes away
    proxy.cut()

    # then a query, a write and the health check each get a 503 with a code and Retry-After
    assert_retryable(api.post("{ towns { totalCount } }"))
    assert_retryable(admin.post(REVOKE))
    health = api.request("GET", "/healthz")
    assert (health.status_code, health.headers["retry-after"]) == (503, RETRY_AFTER)


def test_a_resolver_that_cannot_reach_postgresql_answers_a_retryable_code(
    proxied: tuple[Registry, Proxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a caller known already (authentication does not need the database again)
    registry, proxy = proxied
    api = Api(create_app(registry), registry, role="platform")
    principal = authenticate(registry, f"Bearer {api.token}")
    monkeypatch.setattr("api.app.authenticate", lambda registry, header: principal)

    # when PostgreSQL goes away, then the query's resolver fails retryably
    proxy.cut()
    assert_retryable(api.post("{ towns { totalCount } }"))
