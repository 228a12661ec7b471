"""The PostgreSQL recorder: a save's events inserted from four plain arrays, and the signature
of each write transaction written with them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

from domain.audit.signing import EventSignature
from domain.shared.recorders.signing import (
    SIGNATURE_COLUMNS,
    SIGNATURES_TABLE,
    SigningRecorder,
    to_signature,
)

POSTGRES_RECORDER_TOPIC = "domain.shared.recorders.postgres:ArraysPostgresApplicationRecorder"


class ArraysPostgresApplicationRecorder(SigningRecorder, PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, inserting a save's events from four arrays (ids,
    versions, topics, states) instead of one array of a composite type: psycopg dumps a
    composite value in Python, text by text, which cost more than encoding the events. Same
    table, same lock, same notification. Each id is matched to its event by (originator id,
    version), and the transaction's signature is written after them, before the commit."""

    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        id_type = "uuid" if datastore.originator_id_type == "uuid" else "text"
        schema = Identifier(datastore.schema)
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id, originator_id, originator_version"
        ).format(schema=schema, table=Identifier(self.events_table_name), id_type=SQL(id_type))
        signatures = Identifier(SIGNATURES_TABLE)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{table} ("
                "first_notification_id bigint PRIMARY KEY, "
                "last_notification_id bigint NOT NULL, "
                "event_count integer NOT NULL, "
                "key_id text NOT NULL, "
                "signature bytea NOT NULL)"
            ).format(schema=schema, table=signatures)
        )
        columns = SQL(SIGNATURE_COLUMNS)
        self.insert_signature_statement = SQL(
            "INSERT INTO {schema}.{table} ({columns}) VALUES (%s, %s, %s, %s, %s)"
        ).format(schema=schema, table=signatures, columns=columns)
        self.signatures_from_statement = SQL(
            "SELECT {columns} FROM {schema}.{table} WHERE first_notification_id >= %s "
            "ORDER BY first_notification_id LIMIT %s"
        ).format(schema=schema, table=signatures, columns=columns)
        self.signatures_covering_statement = SQL(
            "(SELECT {columns} FROM {schema}.{table} WHERE first_notification_id < %s "
            "ORDER BY first_notification_id DESC LIMIT 1) UNION ALL "
            "(SELECT {columns} FROM {schema}.{table} "
            "WHERE first_notification_id BETWEEN %s AND %s ORDER BY first_notification_id)"
        ).format(schema=schema, table=signatures, columns=columns)
        self.first_signed_statement = SQL(
            "SELECT MIN(first_notification_id) AS first FROM {schema}.{table}"
        ).format(schema=schema, table=signatures)
        self.notifications_of_statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE originator_id = %s ORDER BY originator_version"
        ).format(schema=schema, table=Identifier(self.events_table_name))

    def _insert_stored_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self.insert_events_statement,
            (
                [s.originator_id for s in stored_events],
                [s.originator_version for s in stored_events],
                [s.topic for s in stored_events],
                [s.state for s in stored_events],
            ),
        )

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        by_event = {
            (row["originator_id"], row["originator_version"]): row["notification_id"]
            for row in curs.fetchall()
        }
        ids = [by_event[(s.originator_id, s.originator_version)] for s in stored_events]
        signed = self.signature_of(ids, stored_events)
        curs.execute(
            self.insert_signature_statement,
            (
                signed.first_notification_id,
                signed.last_notification_id,
                signed.event_count,
                signed.key_id,
                signed.signature,
            ),
        )
        return ids

    def _rows(self, statement: Any, params: Sequence[Any]) -> list[Any]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params)
            return list(curs.fetchall())

    def signatures_from(self, start: int, limit: int) -> list[EventSignature]:
        """The stored signatures whose first notification id is ``start`` or later, in order."""
        rows = self._rows(self.signatures_from_statement, (start, limit))
        return [to_signature(list(row.values())) for row in rows]

    def signatures_covering(self, lo: int, hi: int) -> list[EventSignature]:
        """The stored signatures that may cover notifications ``lo..hi``: those starting in
        it and the last one starting before it (two index probes, however long the log)."""
        rows = self._rows(self.signatures_covering_statement, (lo, lo, hi))
        found = [to_signature(list(row.values())) for row in rows]
        return sorted(found, key=lambda sig: sig.first_notification_id)

    def first_signed_notification_id(self) -> int | None:
        found = self._rows(self.first_signed_statement, ())[0]["first"]
        return None if found is None else int(found)

    def notifications_of(self, originator_id: UUID) -> list[Notification]:
        """Every stored event of one aggregate, as notifications (with their ids)."""
        return [
            Notification(
                id=row["notification_id"],
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in self._rows(self.notifications_of_statement, (originator_id,))
        ]
