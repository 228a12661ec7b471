"""The change feed against a live server, on SQLite and PostgreSQL: the backlog then live
events in the log's order; a subscriber that drops and reconnects from its last position gets
every event once while events are being recorded; the kinds and place filters; the scope of a
token limited to villages; and a platform token never receiving a name or an ID number."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from gql import Client, gql

from domain.assets.application import AssetApplication
from projections.feed import FEED_TOPICS, feed_aggregates, feed_events
from qianwan.bootstrap import Registry
from tests.feed_support import (
    EVENTS,
    WAIT_SECONDS,
    LiveServer,
    close_code,
    collected,
    connect,
    error_codes,
    first_reply,
    initialised,
    raw_events,
    receive,
    send,
    serving,
    subscribe_message,
    token,
    transport,
)
from tests.support import (
    ACCOUNTANT,
    OTHER_VILLAGE,
    TOWN,
    VILLAGE,
    contracted_building,
    enrol_elder,
    lease_contract,
    leased_building,
    make_id_number,
    meals_registry,
    register_canteen,
    seed_places,
    stored_notifications,
)

WRITES_WHILE_RECONNECTING = 12
PER_CONNECTION = 4  # events a subscriber takes before it drops


def building(assets: AssetApplication, village: str, code: str) -> UUID:
    return assets.register_asset(
        village,
        code,
        "村部旧楼",
        "collective_building",
        "320.5",
        "村12号",
        date(2024, 1, 10),
        ACCOUNTANT,
        book_value_yuan="120000",
    )


def feed_ids(registry: Registry, aggregates: set[UUID] | None = None) -> list[int]:
    """The notification ids of the feed's events in the log (of ``aggregates`` only)."""
    return [
        n.id
        for n in stored_notifications(registry.store)
        if n.topic in FEED_TOPICS and (aggregates is None or n.originator_id in aggregates)
    ]


def ids(events: list[dict[str, Any]]) -> list[int]:
    return [e["notificationId"] for e in events]


def test_the_backlog_then_live_events_arrive_in_the_logs_order(registry: Registry) -> None:
    seed_places(registry.places, registry.policies)
    leased_building(registry.assets)
    backlog = feed_ids(registry)
    with serving(registry) as server:
        secret = token(registry, "platform")

        async def scenario() -> list[int]:
            got: list[int] = []
            async with Client(transport=transport(server, secret)) as session:
                async for result in session.subscribe(gql(EVENTS), variable_values={"after": 0}):
                    got.append(result["events"]["notificationId"])
                    if len(got) == len(backlog):  # caught up: record two more, live
                        await asyncio.to_thread(building, registry.assets, VILLAGE, "ZC-101")
                        await asyncio.to_thread(building, registry.assets, OTHER_VILLAGE, "ZC-102")
                    if len(got) == len(backlog) + 2:
                        break
            return got

        got = asyncio.run(asyncio.wait_for(scenario(), WAIT_SECONDS))
    assert got == feed_ids(registry)
    assert got[: len(backlog)] == backlog
    assert len(got) == len(backlog) + 2


async def take(server: LiveServer, secret: str, after: int, count: int) -> list[int]:
    """Up to ``count`` events after ``after`` through gql, then the connection is closed."""
    got: list[int] = []
    async with Client(transport=transport(server, secret)) as session:
        async for result in session.subscribe(gql(EVENTS), variable_values={"after": after}):
            got.append(result["events"]["notificationId"])
            if len(got) >= count:
                break
    return got


async def take_and_drop(server: LiveServer, secret: str, after: int, count: int) -> list[int]:
    """As ``take``, but the socket is cut without a word (no complete, no close frame)."""
    ws = await initialised(server, secret)
    got: list[int] = []
    await send(ws, subscribe_message("1", {"after": after}))
    while len(got) < count:
        message = await receive(ws)
        got.append(message["payload"]["data"]["events"]["notificationId"])
    ws.transport.abort()
    return got


def test_a_subscriber_that_reconnects_from_its_last_position_gets_every_event_once(
    registry: Registry,
) -> None:
    seed_places(registry.places, registry.policies)
    with serving(registry) as server:
        secret = token(registry, "platform")
        expected_count = len(feed_ids(registry)) + WRITES_WHILE_RECONNECTING

        def record() -> None:
            for n in range(WRITES_WHILE_RECONNECTING):
                village = VILLAGE if n % 2 else OTHER_VILLAGE
                building(registry.assets, village, f"ZC-{n:03d}")

        writer = threading.Thread(target=record, name="feed-writer")

        async def scenario() -> list[int]:
            got = await take(server, secret, 0, PER_CONNECTION)
            writer.start()  # events are recorded while the subscriber comes and goes
            rounds = 0
            while len(got) < expected_count:
                count = min(PER_CONNECTION, expected_count - len(got))
                if rounds % 2:
                    got += await take_and_drop(server, secret, got[-1], count)
                else:
                    got += await take(server, secret, got[-1], count)
                rounds += 1
            return got

        try:
            got = asyncio.run(asyncio.wait_for(scenario(), WAIT_SECONDS * 2))
        finally:
            if writer.is_alive() or writer.ident is not None:
                writer.join(timeout=WAIT_SECONDS)
    assert got == feed_ids(registry)  # every event, in order, none twice
    assert len(set(got)) == len(got) == expected_count


def test_kinds_and_place_choose_the_events(registry: Registry) -> None:
    seed_places(registry.places, registry.policies)
    ours = leased_building(registry.assets)
    theirs = building(registry.assets, OTHER_VILLAGE, "ZC-201")
    village_ids = {registry.places.village(OTHER_VILLAGE).id}
    with serving(registry) as server:
        secret = token(registry, "platform")
        contracted = collected(server, secret, 1, {"kinds": ["Asset.Contracted"]})
        assert ids(contracted) == feed_ids(registry, {ours})[-1:]
        assert [e["type"] for e in contracted] == ["Asset.Contracted"]

        assets = feed_ids(registry, {ours, theirs})
        assert ids(collected(server, secret, len(assets), {"kinds": ["Asset"]})) == assets

        other = feed_ids(registry, {theirs, *village_ids})
        found = collected(server, secret, len(other), {"placeCode": OTHER_VILLAGE})
        assert ids(found) == other
        assert {e["villageCode"] for e in found} == {OTHER_VILLAGE}

        in_town = collected(server, secret, 2, {"placeCode": TOWN, "kinds": ["Village"]})
        assert {e["villageCode"] for e in in_town} == {VILLAGE, OTHER_VILLAGE}

        refused = asyncio.run(first_reply(server, secret, {"kinds": ["ApiToken"]}))
        assert error_codes(refused) == ["feed_kind_unknown"]


def test_a_token_limited_to_a_village_gets_that_village_only(registry: Registry) -> None:
    seed_places(registry.places, registry.policies)
    ours = leased_building(registry.assets)
    building(registry.assets, OTHER_VILLAGE, "ZC-301")
    with serving(registry) as server:
        accountant = token(registry, "accountant", [VILLAGE])
        expected = feed_ids(registry, {ours, registry.places.village(VILLAGE).id})
        found = collected(server, accountant, len(expected))
        assert ids(found) == expected
        assert {e["villageCode"] for e in found} == {VILLAGE}

        for place in (OTHER_VILLAGE, TOWN):
            reply = asyncio.run(first_reply(server, accountant, {"placeCode": place}))
            assert error_codes(reply) == ["FORBIDDEN"]
        admin = token(registry, "admin")  # no read_records: refused as a query would be
        assert error_codes(asyncio.run(first_reply(server, admin, {}))) == ["FORBIDDEN"]
        bad = asyncio.run(first_reply(server, accountant, {"placeCode": "32011710720"}))
        assert error_codes(bad) == ["village_code_invalid"]


def sealed_values(registry: Registry) -> list[str]:
    """The ciphertexts of the elders' names and ID numbers as the log stores them."""
    found: list[str] = []
    for notification in stored_notifications(registry.store):
        event = registry.store.decode(notification)
        found += [str(v) for k, v in vars(event).items() if k.endswith("_sealed") and v]
    return found


def test_a_platform_token_never_receives_a_name_or_an_id_number(registry: Registry) -> None:
    seed_places(registry.places, registry.policies)
    meals = meals_registry(registry)
    register_canteen(meals)
    enrol_elder(meals, name="张桂英", sequence="123")
    enrol_elder(meals, name="欧阳秀兰", sequence="456", village=VILLAGE)
    person = replace(
        lease_contract("HT-009"), counterparty_name="李四明", counterparty_kind="person"
    )
    contracted_building(registry.assets, person, "ZC-009")
    sealed = sealed_values(registry)
    assert len(sealed) == 4
    secrets = [
        "张桂英",
        "欧阳秀兰",
        "李四明",
        make_id_number(sequence="123"),
        make_id_number(sequence="456"),
        *sealed,
    ]
    count = len(feed_ids(registry))
    with serving(registry) as server:
        platform = token(registry, "platform")
        texts = asyncio.run(raw_events(server, platform, count))
        for text in texts:
            for secret in secrets:
                assert secret not in text
                assert json.dumps(secret) not in text  # nor escaped
        payloads = [json.loads(t)["payload"]["data"]["events"] for t in texts]
        assert all(p["actor"] is None for p in payloads)
        contract = next(p for p in payloads if p["type"] == "Asset.Contracted")
        assert contract["payload"]["counterparty_name"] == "李*"

        auditor = token(registry, "auditor")
        seen = asyncio.run(raw_events(server, auditor, count))
        assert any("李四明" in t for t in seen)  # an auditor may see a person's name …
        for text in seen:  # … but never an elder's, nor the sealed values
            for secret in secrets:
                if secret != "李四明":
                    assert secret not in text
        assert all(json.loads(t)["payload"]["data"]["events"]["actor"] for t in seen)


def test_a_disclosure_reaches_the_platform_with_its_members_and_lessee_masked(
    registry: Registry,
) -> None:
    seed_places(registry.places, registry.policies)
    person = replace(
        lease_contract("HT-010"), counterparty_name="李四明", counterparty_kind="person"
    )
    contracted_building(registry.assets, person, "ZC-010")
    app = registry.disclosure
    drafted = app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    app.review(drafted, date(2026, 4, 2), ["周理财", "吴理财", "郑理财"], True, None, ACCOUNTANT)
    assert "李四明" in json.dumps(app.disclosure(drafted).figures, ensure_ascii=False)
    count = len(feed_ids(registry))
    with serving(registry) as server:
        texts = asyncio.run(raw_events(server, token(registry, "platform"), count))
    events = [json.loads(t)["payload"]["data"]["events"] for t in texts]
    kinds = [e["type"] for e in events if e["type"].startswith("Disclosure.")]
    assert kinds == ["Disclosure.Drafted", "Disclosure.Reviewed"]
    for text in texts:
        for name in ("李四明", "周理财", "吴理财", "郑理财"):
            assert name not in text and json.dumps(name) not in text
    reviewed = next(e for e in events if e["type"] == "Disclosure.Reviewed")
    assert reviewed["payload"]["members"] == ["周*", "吴*", "郑*"]
    assert reviewed["villageCode"] == VILLAGE


def test_the_feeds_read_model_rebuilt_equals_the_live_one(registry: Registry) -> None:
    seed_places(registry.places, registry.policies)
    meals = meals_registry(registry)
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    meals.move_elder(elder, date(2024, 3, 1), ACCOUNTANT, OTHER_VILLAGE)
    leased_building(registry.assets)

    def rows() -> dict[str, list[tuple[Any, ...]]]:
        with registry.engine.connect() as conn:
            return {
                t.name: [tuple(r) for r in conn.execute(t.select().order_by(*t.primary_key))]
                for t in (feed_aggregates, feed_events)
            }

    live = rows()
    registry.runner.drop_tables([p for p in registry.runner.projections if p.name == "feed"])
    registry.runner.create_tables()
    registry.runner.catch_up()
    assert rows() == live
    villages = dict(live["feed_aggregates"][i][:2] for i in range(len(live["feed_aggregates"])))
    assert villages[str(point)] == VILLAGE
    assert villages[str(elder)] == OTHER_VILLAGE  # moved
    enrolled = next(n.id for n in stored_notifications(registry.store) if n.originator_id == elder)
    assert dict((i, v) for i, v in live["feed_events"])[enrolled] == VILLAGE  # where it was then


def test_wrong_subprotocol_is_refused_and_the_server_goes_on(registry: Registry) -> None:
    seed_places(registry.places, registry.policies)
    with serving(registry) as server:

        async def scenario() -> int:
            ws = await connect(server, ("graphql-ws",))
            return await close_code(ws)

        assert asyncio.run(scenario()) == 4406
        assert len(collected(server, token(registry, "platform"), 1)) == 1
