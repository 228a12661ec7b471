"""graphql-transport-ws as the change feed speaks it, and every misuse of it: the right close
code or a coded error, and the server still serving the next client (SQLite: the protocol does
not depend on the storage, which tests/integration/test_feed.py runs on both)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import psycopg
import pytest
from websockets.exceptions import ConnectionClosed

from api.feed import protocol, subscriptions
from api.feed.subscriptions import MAX_FEED_KINDS
from tests.feed_support import (
    EVENTS,
    LiveServer,
    close_code,
    closed_after,
    connect,
    error_codes,
    init,
    initialised,
    receive,
    run,
    send,
    subscribe_message,
)


def test_a_client_that_speaks_another_subprotocol_is_refused(server: LiveServer) -> None:
    async def scenario() -> int:
        return await close_code(await connect(server, ("graphql-ws",)))

    assert run(scenario()) == 4406


def test_no_connection_init_in_time_closes_with_4408(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(protocol, "INIT_TIMEOUT_SECONDS", 0.2)
    assert run(closed_after(server)) == 4408


def test_pings_do_not_stop_the_clock_of_connection_init(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(protocol, "INIT_TIMEOUT_SECONDS", 0.3)

    async def scenario() -> int:
        ws = await connect(server)
        with contextlib.suppress(ConnectionClosed):
            while True:  # a ping after each pong, for as long as the server stays
                await send(ws, {"type": "ping"})
                assert await receive(ws) == {"type": "pong"}
        return await close_code(ws)

    assert run(scenario()) == 4408


@pytest.mark.parametrize(
    "payload",
    [
        {"Authorization": "Bearer qw_not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": 12},
        {},
        None,
    ],
)
def test_a_bad_token_closes_with_4403(server: LiveServer, payload: Any) -> None:
    message: dict[str, Any] = {"type": "connection_init"}
    if payload is not None:
        message["payload"] = payload
    assert run(closed_after(server, message)) == 4403


def test_a_payload_that_is_no_object_closes_with_4400(server: LiveServer) -> None:
    assert run(closed_after(server, {"type": "connection_init", "payload": [1]})) == 4400


def test_subscribing_before_the_ack_closes_with_4401(server: LiveServer) -> None:
    assert run(closed_after(server, subscribe_message("1"))) == 4401


def test_a_second_connection_init_closes_with_4429(server: LiveServer, secret: str) -> None:
    assert run(closed_after(server, init(secret), init(secret))) == 4429


@pytest.mark.parametrize(
    "garbage",
    [
        "{not json",
        "[]",
        '"connection_init"',
        '{"type": 1}',
        '{"type": "hello"}',
        '{"type": "' + "长" * 200 + '"}',
        '{"type": "\\ud800"}',
        '{"id": "1", "type": "subscribe", "payload": "subscription { events { type } }"}',
        '{"id": "", "type": "subscribe", "payload": {"query": "{ x }"}}',
        '{"type": "subscribe", "payload": {"query": "{ x }"}}',
        '{"id": "1", "type": "subscribe", "payload": {"query": ""}}',
        '{"id": "1", "type": "subscribe", "payload": {"query": "{ x }", "variables": [1]}}',
        '{"id": "1", "type": "complete"}\u0000',
        "[" * 200 + "]" * 200,
        b"\x00\x01binary",
    ],
)
def test_a_malformed_message_closes_with_4400(
    server: LiveServer, secret: str, garbage: str | bytes
) -> None:
    assert run(closed_after(server, init(secret), garbage)) == 4400


def test_a_huge_message_closes_with_1009(server: LiveServer, secret: str) -> None:
    huge = subscribe_message("1", {"kinds": ["Asset"] * (protocol.MAX_MESSAGE_BYTES // 8)})
    assert run(closed_after(server, init(secret), huge)) == 1009


def test_a_duplicate_id_closes_with_4409(server: LiveServer, secret: str) -> None:
    async def scenario() -> int:
        ws = await initialised(server, secret)
        await send(ws, subscribe_message("same"))
        assert (await receive(ws))["type"] == "next"  # running (and staying: live)
        await send(ws, subscribe_message("same"))
        return await close_code(ws)

    assert run(scenario()) == 4409


def test_ping_is_answered_with_pong_before_and_after_the_ack(
    server: LiveServer, secret: str
) -> None:
    async def scenario() -> None:
        ws = await connect(server)
        await send(ws, {"type": "ping"})
        assert await receive(ws) == {"type": "pong"}
        await send(ws, init(secret))
        assert await receive(ws) == {"type": "connection_ack"}
        await send(ws, {"type": "ping", "payload": {"at": 1}})
        assert await receive(ws) == {"type": "pong"}
        await send(ws, {"type": "pong"})  # unanswered, allowed
        await send(ws, {"type": "ping"})
        assert await receive(ws) == {"type": "pong"}
        await ws.close()

    run(scenario())


def test_complete_from_the_client_stops_the_subscription(server: LiveServer, secret: str) -> None:
    async def scenario() -> None:
        ws = await initialised(server, secret)
        await send(ws, subscribe_message("a", {"kinds": ["District"]}))
        first = await receive(ws)
        assert first["id"] == "a" and first["type"] == "next"
        await send(ws, {"id": "a", "type": "complete"})
        await send(ws, {"id": "a", "type": "complete"})  # an id no longer running: ignored
        # The id is free again: the same id subscribes anew (a running one would be 4409).
        await send(ws, subscribe_message("a", {"kinds": ["District"]}))
        again = await receive(ws)
        assert again["id"] == "a" and again["type"] == "next"
        assert again["payload"] == first["payload"]
        await ws.close()

    run(scenario())


async def refusal(server: LiveServer, secret: str, payload: dict[str, Any]) -> dict[str, Any]:
    ws = await initialised(server, secret)
    try:
        await send(ws, {"id": "r", "type": "subscribe", "payload": payload})
        reply = await receive(ws)
        await send(ws, {"type": "ping"})  # the connection is still open
        assert await receive(ws) == {"type": "pong"}
        return reply
    finally:
        await ws.close()


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"kinds": ["ApiToken"]}, "feed_kind_unknown"),
        ({"kinds": ["WebUser.Created"]}, "feed_kind_unknown"),
        ({"kinds": ["Asset.Nothing"]}, "feed_kind_unknown"),
        ({"kinds": ["\u0000"]}, "text_contains_forbidden_character"),
        ({"kinds": ["\ud800"]}, "text_contains_forbidden_character"),
        ({"placeCode": "\u202e320117"}, "text_contains_forbidden_character"),
        ({"kinds": ["Asset"] * (MAX_FEED_KINDS + 1)}, "feed_too_many_kinds"),
        ({"after": -1}, "feed_position_invalid"),
        ({"after": "x"}, "variables_invalid"),
        ({"after": 2**40}, "variables_invalid"),
        ({"placeCode": "3201"}, "village_code_invalid"),
        ({"placeCode": "32011710720X"}, "village_code_invalid"),
    ],
)
def test_bad_arguments_are_refused_with_a_code(
    server: LiveServer, secret: str, variables: dict[str, Any], code: str
) -> None:
    reply = run(refusal(server, secret, {"query": EVENTS, "variables": variables}))
    assert reply["id"] == "r"
    assert error_codes(reply) == [code]
    assert "Traceback" not in json.dumps(reply)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('{ town(code: "320117107") { code } }', "operation_not_subscription"),
        ("subscription {", "graphql_parse_failed"),
        ("subscription { nothing }", "graphql_validation_failed"),
        ("subscription { __typename }", "graphql_validation_failed"),
        ("subscription { a: events { type } b: events { type } }", "graphql_validation_failed"),
        ("subscription A { events { type } } subscription B { events { type } }", None),
    ],
)
def test_documents_that_are_no_subscription_are_refused(
    server: LiveServer, secret: str, query: str, code: str | None
) -> None:
    reply = run(refusal(server, secret, {"query": query}))
    assert error_codes(reply) == [code or "operation_not_found"]


def test_too_many_subscriptions_on_one_connection_are_refused(
    server: LiveServer, secret: str
) -> None:
    async def scenario() -> dict[str, Any]:
        ws = await initialised(server, secret)
        for n in range(protocol.MAX_SUBSCRIPTIONS):
            await send(ws, subscribe_message(f"s{n}", {"kinds": ["District"]}))
        for _ in range(protocol.MAX_SUBSCRIPTIONS):
            assert (await receive(ws))["type"] == "next"
        await send(ws, subscribe_message("one-too-many"))
        reply = await receive(ws)
        await ws.close()
        return reply

    reply = run(scenario())
    assert reply["id"] == "one-too-many"
    assert error_codes(reply) == [protocol.TOO_MANY_SUBSCRIPTIONS]


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (RuntimeError("a bug: Traceback, secret paths"), "internal_error"),
        (psycopg.OperationalError("the server closed the connection"), "database_unavailable"),
    ],
)
def test_a_failure_while_reading_is_a_coded_error_and_never_a_traceback(
    server: LiveServer,
    secret: str,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    code: str,
) -> None:
    def broken(*args: Any) -> Any:
        raise failure

    monkeypatch.setattr(subscriptions, "read_batch", broken)
    reply = run(refusal(server, secret, {"query": EVENTS}))
    assert error_codes(reply) == [code]
    assert "Traceback" not in json.dumps(reply) and "secret" not in json.dumps(reply)
