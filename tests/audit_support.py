"""Shared by the audit tests: a small but varied log, and an attacker with raw SQL access to the
event table (SQLite ``stored_events``, PostgreSQL ``<schema>.qianwan_events``)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import text

from domain.audit.authenticity import as_signed
from domain.shared.recorders.signing import SIGNATURES_TABLE
from domain.shared.values import Provenance
from projections.audit import stored_events
from projections.seal import StoredTree, seal
from qianwan.bootstrap import Registry
from tests.support import ACCOUNTANT, leased_building

# A sub-range of the log the tamper tests work on, away from both ends.
MIDDLE = 12


def lively_log(registry: Registry) -> UUID:
    """A leased building with three invoices and receipts: some 25 events in all."""
    a = registry.assets
    asset = leased_building(a)
    for n, year in enumerate((2024, 2025, 2026), start=1):
        a.invoice_rent(
            asset,
            f"FP-{n:03}",
            "30000",
            date(year, 4, 1),
            date(year, 4, 15),
            date(year, 4, 1),
            date(year + 1, 3, 31),
            ACCOUNTANT,
        )
        a.receive_rent(asset, f"SJ-{n:03}", f"FP-{n:03}", "30000", date(year, 4, 10), ACCOUNTANT)
    a.appraise(asset, "1500000", "南京某评估公司", "PG-2026-01", date(2026, 5, 1), ACCOUNTANT)
    return asset


def events_table(registry: Registry) -> str:
    return "qianwan_events" if registry.settings.is_postgres else "stored_events"


def attack(registry: Registry, sql: str, **params: Any) -> None:
    """Run raw SQL on the event table ({events} in ``sql``), as someone with database access."""
    with registry.engine.begin() as conn:
        conn.execute(text(sql.format(events=events_table(registry))), params)


def last_id(registry: Registry) -> int:
    return registry.store.last_notification_id()


def state_of(registry: Registry, notification_id: int) -> bytes:
    found = registry.store.recorder.select_notifications(
        start=notification_id, limit=1, stop=notification_id
    )
    return bytes(found[0].state)


def change_one_byte(registry: Registry, notification_id: int) -> None:
    state = bytearray(state_of(registry, notification_id))
    at = state.index(b'"actor"') + 2  # inside the JSON: still well-formed, just different
    state[at] ^= 0x01
    attack(
        registry,
        "UPDATE {events} SET state = :state WHERE notification_id = :nid",
        state=bytes(state),
        nid=notification_id,
    )


def delete(registry: Registry, *notification_ids: int) -> None:
    for nid in notification_ids:
        attack(registry, "DELETE FROM {events} WHERE notification_id = :nid", nid=nid)


def swap(registry: Registry, a: int, b: int) -> None:
    """Exchange the places of two events (their notification ids)."""
    move = "UPDATE {events} SET notification_id = :new WHERE notification_id = :old"
    attack(registry, move, old=a, new=-1)
    attack(registry, move, old=b, new=a)
    attack(registry, move, old=-1, new=b)


def insert_before(registry: Registry, notification_id: int) -> None:
    """Make room at ``notification_id`` (moving every later event one place on) and put a
    forged event there: a copy of the event before it under a new aggregate id."""
    shift = 1_000_000
    move = (
        "UPDATE {events} SET notification_id = notification_id + :by WHERE notification_id >= :at"
    )
    attack(registry, move, by=shift, at=notification_id)
    attack(registry, move, by=1 - shift, at=notification_id + shift)
    forged = uuid4()
    originator: Any = forged if registry.settings.is_postgres else forged.hex
    attack(
        registry,
        "INSERT INTO {events} (notification_id, originator_id, originator_version, topic, state) "
        "SELECT :nid, :originator, 1, topic, state FROM {events} WHERE notification_id = :copy",
        nid=notification_id,
        originator=originator,
        copy=notification_id - 1,
    )


def rewrite_seal(registry: Registry) -> None:
    """What a thorough attacker does after changing events: compute the seal again from
    scratch with code of their own (the registry's seal would refuse the unsigned events), so
    that the seal agrees with the changed log."""
    with registry.engine.begin() as conn:
        conn.execute(text("DELETE FROM seal_leaves"))
        conn.execute(text("DELETE FROM seal_nodes"))
        seal(conn, list(stored_events(registry.store)), 0, [])


def signatures_table(registry: Registry) -> str:
    return SIGNATURES_TABLE


def delete_signatures_from(registry: Registry, notification_id: int) -> None:
    """What a thorough attacker does after deleting events: their signatures go too."""
    with registry.engine.begin() as conn:
        conn.execute(
            text(f"DELETE FROM {SIGNATURES_TABLE} WHERE last_notification_id >= :nid"),
            {"nid": notification_id},
        )


def resign_with_stolen_key(registry: Registry) -> None:
    """An attacker who has stolen the event signing key: every event signed again, one
    signature each, so that the signatures agree with a changed log."""
    signer = registry.event_keys.signer
    assert signer is not None
    rows = []
    for n in stored_events(registry.store):
        signed = signer.sign([as_signed(n)])
        rows.append(
            {
                "first": signed.first_notification_id,
                "last": signed.last_notification_id,
                "count": signed.event_count,
                "key": signed.key_id,
                "signature": signed.signature,
            }
        )
    with registry.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {SIGNATURES_TABLE}"))
        conn.execute(
            text(
                f"INSERT INTO {SIGNATURES_TABLE} (first_notification_id, last_notification_id, "
                "event_count, key_id, signature) VALUES (:first, :last, :count, :key, :signature)"
            ),
            rows,
        )


def sealed_root(registry: Registry) -> tuple[int, bytes]:
    with registry.engine.connect() as conn:
        tree = StoredTree(conn)
        size = tree.size()
        return size, tree.root(size)


AUDITOR = Provenance("auditor:test", "审计通知〔2026〕1号")


def forge(
    registry: Registry,
    like: int,
    replace: dict[bytes, bytes],
    originator: UUID | None = None,
    version: int | None = None,
) -> int:
    """Append an event by raw SQL, as someone with write access to the event table: a copy of
    notification ``like`` with bytes of its stored state replaced, for ``originator`` (default:
    the same aggregate) at ``version`` (default: the aggregate's next). Returns its id."""
    (model,) = registry.store.recorder.select_notifications(start=like, limit=1, stop=like)
    state = bytes(model.state)
    for old, new in replace.items():
        assert old in state, old
        state = state.replace(old, new)
    aggregate = originator or UUID(str(model.originator_id))
    if version is None:
        version = registry.store.versions([aggregate]).get(aggregate, 0) + 1
    attack(
        registry,
        "INSERT INTO {events} (originator_id, originator_version, topic, state) "
        "VALUES (:originator, :version, :topic, :state)",
        originator=aggregate if registry.settings.is_postgres else aggregate.hex,
        version=version,
        topic=model.topic,
        state=state,
    )
    return last_id(registry)


def forge_receipt(registry: Registry) -> int:
    """Issue 11's attack on a lively log: a 99,999.00 receipt against FP-003 (paid in full
    already) appended at the tail of the log. Returns its notification id."""
    return forge(
        registry,
        receipt_sj_003(registry),
        {b'"SJ-003"': b'"SJ-999"', b'"_data_":"30000.00"': b'"_data_":"99999.00"'},
    )


def receipt_sj_003(registry: Registry) -> int:
    """The notification id of the lively log's last receipt (SJ-003, paying FP-003 in full)."""
    return next(
        n.id
        for n in stored_events(registry.store)
        if n.topic.endswith("Asset.RentReceived") and b'"SJ-003"' in bytes(n.state)
    )
