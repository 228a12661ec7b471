"""Who connects to the change feed, and how: a signed-in browser with its session and CSRF
token, a token revoked while connected, the connections one token may hold, the subscription
in docs/api.md, and the client example of the docs run as a user runs it (SQLite)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.legacy.client import connect as ws_connect
from websockets.typing import Subprotocol

from api.execution import SUBSCRIPTION_NEEDS_WEBSOCKET
from api.feed import protocol
from api.feed.protocol import SUBPROTOCOL
from api.web.session import SESSION_COOKIE, csrf_token_of
from projections.feed import FEED_TOPICS
from scripts.api_docs import API_DOC
from tests.feed_support import (
    WAIT_SECONDS,
    LiveServer,
    close_code,
    closed_after,
    connect,
    init,
    initialised,
    receive,
    run,
    send,
    subscribe_message,
    token,
)
from tests.support import ADMIN, TOWN, VILLAGE, stored_notifications
from tests.users_support import ADMIN_BY, PASSWORD, cheap_users

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "feed_client.py"
FREED_TRIES = 100  # looks for the freed place of a closed connection, at most


@pytest.mark.parametrize("csrf", ["good", "wrong", None])
def test_a_signed_in_browser_subscribes_with_its_session_and_csrf_token(
    server: LiveServer, csrf: str | None
) -> None:
    registry = server.registry
    cheap_users(registry)
    username = f"feed{csrf or 'none'}"
    registry.users.create_user(username, "张会计", PASSWORD, "accountant", [VILLAGE], ADMIN_BY)
    started = registry.users.sign_in(username, PASSWORD, "feed test")
    payload = (
        {}
        if csrf is None
        else {"X-CSRF-Token": csrf_token_of(started.secret) + "x" * (csrf == "wrong")}
    )

    async def scenario() -> dict[str, Any] | int:
        ws = await ws_connect(
            server.url,
            subprotocols=[Subprotocol(SUBPROTOCOL)],
            extra_headers={"Cookie": f"{SESSION_COOKIE}={started.secret}"},
        )
        await send(ws, {"type": "connection_init", "payload": payload})
        try:
            reply = json.loads(await ws.recv())
        except ConnectionClosed:
            return await close_code(ws)
        assert reply == {"type": "connection_ack"}
        await send(ws, subscribe_message("1"))
        event = await receive(ws)
        await ws.close()
        return dict(event)

    found = run(scenario())
    if csrf == "good":
        assert isinstance(found, dict)
        assert found["payload"]["data"]["events"]["villageCode"] == VILLAGE  # the user's scope
    else:
        assert found == 4403


def test_the_subscription_in_the_docs_runs_over_the_socket_and_not_over_post(
    server: LiveServer, secret: str
) -> None:
    text = API_DOC.read_text(encoding="utf-8")
    (document,) = re.findall(r"```graphql subscription\n(.*?)```", text, re.DOTALL)
    variables = {"after": 1, "kinds": ["Town", "Village"], "placeCode": TOWN}

    async def first() -> dict[str, Any]:
        ws = await initialised(server, secret)
        payload = {"query": document, "variables": variables}
        await send(ws, {"id": "doc", "type": "subscribe", "payload": payload})
        reply = await receive(ws)
        await ws.close()
        return reply

    reply = run(first())
    assert reply["type"] == "next"
    assert reply["payload"]["data"]["events"]["type"] == "Village.Registered"
    posted = httpx.post(
        f"http://{server.url.split('//', 1)[1]}",
        json={"query": document},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=WAIT_SECONDS,
    )
    assert posted.status_code == 400
    assert posted.json()["errors"][0]["extensions"]["code"] == SUBSCRIPTION_NEEDS_WEBSOCKET


async def accepted(server: LiveServer, secret: str) -> bool:
    """Whether a new connection of ``secret`` is acknowledged (else it is closed)."""
    ws = await connect(server)
    await send(ws, init(secret))
    try:
        reply = json.loads(await ws.recv())
    except ConnectionClosed:
        return False
    await ws.close()
    return bool(reply == {"type": "connection_ack"})


def test_a_connection_whose_token_is_revoked_is_closed(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(protocol, "RECHECK_SECONDS", 0.05)
    registry = server.registry
    issued = registry.access.issue_token("platform", [], "feed revoked", ADMIN)

    async def scenario() -> int:
        ws = await initialised(server, issued.secret)
        await send(ws, subscribe_message("1"))
        assert (await receive(ws))["type"] == "next"
        await asyncio.to_thread(registry.access.revoke_token, issued.token_id, "left", ADMIN)
        with contextlib.suppress(ConnectionClosed):
            while True:  # the rest of the backlog, until the server closes the socket
                await receive(ws)
        return await close_code(ws)

    assert run(scenario()) == 4403


def test_too_many_connections_of_one_token_are_refused(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(protocol, "MAX_CONNECTIONS_PER_TOKEN", 2)
    own = token(server.registry, "auditor")

    async def scenario() -> tuple[int, bool]:
        first, second = await initialised(server, own), await initialised(server, own)
        refused = await closed_after(server, init(own))
        await first.close()  # its place is freed once the server has seen it close
        again = False
        for _ in range(FREED_TRIES):
            again = await accepted(server, own)
            if again:
                break
            await asyncio.sleep(0.05)
        await second.close()
        return refused, again

    refused, again = run(scenario())
    assert refused == protocol.CLOSE_TOO_MANY_CONNECTIONS == 1008
    assert again


def test_the_client_example_resumes_from_its_position_file(
    server: LiveServer, secret: str, tmp_path: Path
) -> None:
    """docs/examples/feed_client.py as a user runs it: three events, then (after more are
    recorded) the rest, starting right after the third, each printed once."""
    position = tmp_path / "feed.position"

    def client(count: int) -> list[dict[str, Any]]:
        done = subprocess.run(
            [
                sys.executable,
                str(EXAMPLE),
                "--url",
                server.url,
                "--position-file",
                str(position),
                "--max-events",
                str(count),
            ],
            env={**os.environ, "QIANWAN_TOKEN": secret},
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS * 2,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines()]

    first = client(3)
    assert [e["notificationId"] for e in first] == [1, 2, 3]
    assert position.read_text(encoding="utf-8").strip() == "3"
    registry = server.registry
    registry.policies.set_policy(
        "assets.public_bidding_threshold_yuan", TOWN, date(2025, 1, 1), "60000", "镇文件", ADMIN
    )
    expected = [
        n.id for n in stored_notifications(registry.store) if n.topic in FEED_TOPICS and n.id > 3
    ]
    rest = client(len(expected))
    assert [e["notificationId"] for e in rest] == expected
    assert rest[-1]["type"] == "PolicySetting.Adopted"
    assert position.read_text(encoding="utf-8").strip() == str(expected[-1])
