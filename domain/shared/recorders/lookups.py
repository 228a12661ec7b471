"""What the event store asks a recorder directly, in one query where eventsourcing would make
one per aggregate: the current versions of many aggregates, and whether given events were kept.
Works on the SQLite, PostgreSQL and in-memory recorders alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

from domain.shared.mapper import uuid_from_hex

MAX_IDS_PER_QUERY = 500


def select_versions(recorder: Any, ids: Sequence[UUID]) -> dict[UUID, int]:
    """originator id → highest version, for the ids that have events."""
    if not ids:
        return {}
    if isinstance(recorder, SQLiteAggregateRecorder):
        statement = (
            f"SELECT originator_id, MAX(originator_version) FROM {recorder.events_table_name} "
            f"WHERE originator_id IN ({','.join('?' * len(ids))}) GROUP BY originator_id"
        )
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(statement, [i.hex for i in ids])
            return {uuid_from_hex(row[0]): row[1] for row in c.fetchall()}
    if isinstance(recorder, PostgresAggregateRecorder):
        # One backward index probe per id: with "= ANY(…) GROUP BY" the planner trusts the
        # table's statistics, and before the first ANALYZE of a growing log it scans it all.
        query = SQL(
            "SELECT i.id AS originator_id, ("
            "SELECT e.originator_version FROM {schema}.{table} e WHERE e.originator_id = i.id "
            "ORDER BY e.originator_version DESC LIMIT 1) AS version "
            "FROM unnest(%b::{id_type}[]) AS i(id)"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
            id_type=SQL("uuid" if recorder.datastore.originator_id_type == "uuid" else "text"),
        )
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query, [list(ids)])
            return {
                row["originator_id"]: row["version"]
                for row in curs.fetchall()
                if row["version"] is not None
            }
    found: dict[UUID, int] = {}
    for i in ids:  # the in-memory recorder: a lookup costs nothing there
        last = recorder.select_events(i, desc=True, limit=1)
        if last:
            found[i] = last[0].originator_version
    return found


def select_recorded(
    recorder: Any, keys: Sequence[tuple[UUID, int]]
) -> dict[tuple[UUID, int], tuple[int, str, bytes]]:
    """(originator id, version) → (notification id, topic, state) of those stored."""
    found: dict[tuple[UUID, int], tuple[int, str, bytes]] = {}
    if isinstance(recorder, SQLiteAggregateRecorder):
        statement = (
            f"SELECT notification_id, topic, state FROM {recorder.events_table_name} "
            "WHERE originator_id = ? AND originator_version = ?"
        )
        with recorder.datastore.transaction(commit=False) as c:
            for key in keys:
                c.execute(statement, (key[0].hex, key[1]))
                row = c.fetchone()
                if row is not None:
                    found[key] = (int(row[0]), str(row[1]), bytes(row[2]))
        return found
    if isinstance(recorder, PostgresAggregateRecorder):
        query = SQL(
            "SELECT notification_id, topic, state FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version = %s"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
        )
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            for key in keys:
                curs.execute(query, key)
                row = curs.fetchone()
                if row is not None:
                    found[key] = (int(row["notification_id"]), row["topic"], bytes(row["state"]))
        return found
    for key in keys:  # the in-memory recorder never fails halfway
        for stored in recorder.select_events(key[0], gt=key[1] - 1, lte=key[1]):
            found[key] = (0, stored.topic, stored.state)
    return found
