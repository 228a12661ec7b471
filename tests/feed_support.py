"""The change feed's tests: a registry served by uvicorn in a thread (as tests/browser does),
tokens of each role, and a graphql-transport-ws client (gql's WebsocketsTransport) or a raw
socket (the websockets library) for the protocol's misuse."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport
from websockets.legacy.client import connect as ws_connect
from websockets.typing import Subprotocol

from api.app import create_app
from api.feed.protocol import SUBPROTOCOL
from api.serving import WS_PROTOCOL
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry

HOST = "127.0.0.1"
SERVER_START_SECONDS = 20.0
ISSUER = Provenance("admin:feed-tests")
WAIT_SECONDS = 30.0  # at most, for an event that is due: a failure, never a timing assertion

EVENTS = """
subscription Feed($after: Int, $kinds: [String!], $placeCode: String) {
  events(after: $after, kinds: $kinds, placeCode: $placeCode) {
    notificationId type aggregateId version recordedAt villageCode actor payload
  }
}
"""


@dataclass(frozen=True)
class LiveServer:
    registry: Registry
    port: int

    @property
    def url(self) -> str:
        return f"ws://{HOST}:{self.port}/graphql"


@contextmanager
def serving(registry: Registry) -> Iterator[LiveServer]:
    """``registry``'s app served by uvicorn in a background thread until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    config = uvicorn.Config(
        create_app(registry),
        host=HOST,
        port=sock.getsockname()[1],
        log_level="warning",
        access_log=False,
        ws=WS_PROTOCOL,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="feed-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(registry, sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def token(registry: Registry, role: str, villages: Sequence[str] | None = None) -> str:
    issued = registry.access.issue_token(role, list(villages or []), f"feed {role}", ISSUER)
    return issued.secret


def transport(server: LiveServer, secret: str) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=server.url,
        init_payload={"Authorization": f"Bearer {secret}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )


async def collect(
    server: LiveServer,
    secret: str,
    count: int,
    variables: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The first ``count`` events of a subscription (a test that waits longer fails)."""
    found: list[dict[str, Any]] = []
    async with Client(transport=transport(server, secret)) as session:

        async def read() -> None:
            async for result in session.subscribe(gql(EVENTS), variable_values=variables or {}):
                found.append(result["events"])
                if len(found) >= count:
                    return

        await asyncio.wait_for(read(), WAIT_SECONDS)
    assert len(found) == count, f"{len(found)} events came, not {count}"
    return found


def collected(
    server: LiveServer, secret: str, count: int, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    return asyncio.run(collect(server, secret, count, variables))


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- the raw protocol (websockets), for what gql hides: close codes, error codes, raw text ---


async def connect(server: LiveServer, subprotocols: Sequence[str] = (SUBPROTOCOL,)) -> Any:
    return await ws_connect(
        server.url, subprotocols=[Subprotocol(p) for p in subprotocols], open_timeout=WAIT_SECONDS
    )


async def initialised(server: LiveServer, secret: str) -> Any:
    """A socket past connection_ack."""
    ws = await connect(server)
    await send(ws, {"type": "connection_init", "payload": {"Authorization": f"Bearer {secret}"}})
    assert await receive(ws) == {"type": "connection_ack"}
    return ws


async def send(ws: Any, message: dict[str, Any]) -> None:
    await ws.send(json.dumps(message))


async def receive(ws: Any) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), WAIT_SECONDS))
    return found


async def close_code(ws: Any) -> int:
    """The code the server closed the socket with (it must close it)."""
    await asyncio.wait_for(ws.wait_closed(), WAIT_SECONDS)
    code: int = ws.close_code
    return code


def subscribe_message(sid: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": sid,
        "type": "subscribe",
        "payload": {"query": EVENTS, "variables": variables or {}},
    }


async def first_reply(server: LiveServer, secret: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The first message answering a subscription (an ``error`` or a ``next``)."""
    ws = await initialised(server, secret)
    try:
        await send(ws, subscribe_message("1", variables))
        return await receive(ws)
    finally:
        await ws.close()


def error_codes(message: dict[str, Any]) -> list[str]:
    assert message["type"] == "error", message
    return [e["extensions"]["code"] for e in message["payload"]]


async def raw_events(
    server: LiveServer, secret: str, count: int, variables: dict[str, Any] | None = None
) -> list[str]:
    """The raw text of the first ``count`` next messages of a subscription."""
    ws = await initialised(server, secret)
    texts: list[str] = []
    try:
        await send(ws, subscribe_message("1", variables))
        while len(texts) < count:
            text = await asyncio.wait_for(ws.recv(), WAIT_SECONDS)
            assert json.loads(text)["type"] == "next", text
            texts.append(text)
    finally:
        await ws.close()
    return texts


# -- one server for a module of protocol tests ----------------------------------------------


async def first_event(server: LiveServer, secret: str) -> dict[str, Any]:
    """What a new client is sent first: the server still serves after whatever came before."""
    ws = await initialised(server, secret)
    await send(ws, subscribe_message("check"))
    try:
        return await receive(ws)
    finally:
        await ws.close()


def run(scenario: Any) -> Any:
    return asyncio.run(scenario)


async def closed_after(server: LiveServer, *messages: dict[str, Any] | str | bytes) -> int:
    """Open a socket, send ``messages`` (dicts as JSON), return the code the server closed
    it with."""
    ws = await connect(server)
    for message in messages:
        await ws.send(json.dumps(message) if isinstance(message, dict) else message)
    return await close_code(ws)


def init(secret: str) -> dict[str, Any]:
    return {"type": "connection_init", "payload": {"Authorization": f"Bearer {secret}"}}
