"""Loading many aggregates with one query per few hundred ids, instead of one query each.

A batch of 300 meals must not cost 300 round trips to see which meals exist already, nor 100
more to load the elders it names. eventsourcing reads one aggregate per query; this reads the
stored events of many ids at once from the same table the recorder writes (SQLite, PostgreSQL),
decodes them with the store's own mapper (so ciphers and compressors still apply) and replays
them exactly as ``repository.get`` does. Other recorders (the in-memory one) fall back to one
read per id, which costs nothing there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

from domain.shared.aggregate import QianwanAggregate
from domain.shared.eventstore import EventStore

A = TypeVar("A", bound=QianwanAggregate)

MAX_IDS_PER_QUERY = 500


def get_many(store: EventStore, ids: Iterable[UUID], cls: type[A]) -> dict[UUID, A]:
    """The current state of every aggregate among ``ids`` that exists (absent ones are left out).

    Asserts that each one found is a ``cls``: ids are deterministic per kind, so another type
    under the same id is a programmer error."""
    unique = list(dict.fromkeys(ids))
    stored: dict[UUID, list[StoredEvent]] = {}
    for start in range(0, len(unique), MAX_IDS_PER_QUERY):
        for s in select_events_of(store.recorder, unique[start : start + MAX_IDS_PER_QUERY]):
            key = s.originator_id if isinstance(s.originator_id, UUID) else UUID(s.originator_id)
            stored.setdefault(key, []).append(s)
    result: dict[UUID, A] = {}
    for aggregate_id, events in stored.items():
        events.sort(key=lambda s: s.originator_version)
        aggregate: Any = None
        for s in events:
            aggregate = store.mapper.to_domain_event(s).mutate(aggregate)  # type: ignore[attr-defined]
        assert isinstance(aggregate, cls), f"{aggregate_id} is a {type(aggregate)}, not {cls}"
        result[aggregate_id] = aggregate
    return result


def select_events_of(recorder: AggregateRecorder, ids: Sequence[UUID]) -> list[StoredEvent]:
    if not ids:
        return []
    if isinstance(recorder, SQLiteAggregateRecorder):
        return _sqlite(recorder, ids)
    if isinstance(recorder, PostgresAggregateRecorder):
        return _postgres(recorder, ids)
    return [s for i in ids for s in recorder.select_events(i)]


def _sqlite(recorder: SQLiteAggregateRecorder, ids: Sequence[UUID]) -> list[StoredEvent]:
    statement = (
        "SELECT originator_id, originator_version, topic, state "
        f"FROM {recorder.events_table_name} WHERE originator_id IN ({','.join('?' * len(ids))})"
    )
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(statement, [i.hex for i in ids])
        return [
            StoredEvent(
                originator_id=recorder.convert_originator_id(row["originator_id"]),
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=row["state"],
            )
            for row in c.fetchall()
        ]


def _postgres(recorder: PostgresAggregateRecorder, ids: Sequence[UUID]) -> list[StoredEvent]:
    statement = SQL(
        "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
        "WHERE originator_id = ANY(%s)"
    ).format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
    )
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(statement, [list(ids)])
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in curs.fetchall()
        ]


def get_one(store: EventStore, aggregate_id: UUID, cls: type[A]) -> A | None:
    """The aggregate, or None when there is none of that kind under this id (user input may
    name an id of another kind: that is 'not found', not a programmer error)."""
    found = get_many(store, [aggregate_id], QianwanAggregate)
    aggregate = found.get(aggregate_id)
    return aggregate if isinstance(aggregate, cls) else None
