"""The SQLite recorder: stable notification ids, and the signature of each write transaction
written with its events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from domain.audit.signing import EventSignature
from domain.shared.mapper import uuid_from_hex
from domain.shared.recorders.signing import (
    SIGNATURE_COLUMNS,
    SIGNATURES_TABLE,
    SigningRecorder,
    to_signature,
)

SQLITE_RECORDER_TOPIC = "domain.shared.recorders.sqlite:StableSQLiteApplicationRecorder"


class StableSQLiteApplicationRecorder(SigningRecorder, SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder with an explicit AUTOINCREMENT notification id.

    The stock recorder uses the implicit ``rowid`` as the notification id. SQLite may reuse a
    deleted maximum rowid and may renumber implicit rowids on VACUUM: both would silently change
    the positions projections and the audit seal rely on. ``INTEGER PRIMARY KEY AUTOINCREMENT``
    aliases ``rowid`` (so every inherited query still works) and is never reused or renumbered.
    """

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.events_table_name} ("
            "notification_id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, "
            "topic TEXT NOT NULL, "
            "state BLOB NOT NULL, "
            "UNIQUE (originator_id, originator_version))",
            f"CREATE TABLE IF NOT EXISTS {SIGNATURES_TABLE} ("
            "first_notification_id INTEGER PRIMARY KEY, "
            "last_notification_id INTEGER NOT NULL, "
            "event_count INTEGER NOT NULL, "
            "key_id TEXT NOT NULL, "
            "signature BLOB NOT NULL)",
        ]

    def convert_originator_id(self, originator_id: str) -> UUID | str:
        if self.datastore.originator_id_type == "uuid":
            return uuid_from_hex(originator_id)
        return originator_id

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        statement = (
            f"INSERT INTO {self.events_table_name} "
            "(originator_id, originator_version, topic, state) VALUES (?,?,?,?)"
        )
        c.executemany(
            statement,
            [
                (
                    s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ],
        )
        # AUTOINCREMENT gives each row of this write transaction (SQLite has one writer at a
        # time) the next id: the batch's ids are the ones up to the last.
        c.execute("SELECT last_insert_rowid()")
        last = int(c.fetchone()[0])
        ids = list(range(last - len(stored_events) + 1, last + 1))
        if ids:
            signed = self.signature_of(ids, stored_events)
            c.execute(
                f"INSERT INTO {SIGNATURES_TABLE} ({SIGNATURE_COLUMNS}) VALUES (?,?,?,?,?)",
                (
                    signed.first_notification_id,
                    signed.last_notification_id,
                    signed.event_count,
                    signed.key_id,
                    signed.signature,
                ),
            )
        return ids

    def signatures_from(self, start: int, limit: int) -> list[EventSignature]:
        """The stored signatures whose first notification id is ``start`` or later, in order."""
        statement = (
            f"SELECT {SIGNATURE_COLUMNS} FROM {SIGNATURES_TABLE} "
            "WHERE first_notification_id >= ? ORDER BY first_notification_id LIMIT ?"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, (start, limit))
            return [to_signature(row) for row in c.fetchall()]

    def signatures_covering(self, lo: int, hi: int) -> list[EventSignature]:
        """The stored signatures that may cover notifications ``lo..hi``: those starting in
        it and the last one starting before it (two index probes, however long the log)."""
        statement = (
            f"SELECT {SIGNATURE_COLUMNS} FROM ("
            f"SELECT * FROM {SIGNATURES_TABLE} WHERE first_notification_id < ? "
            "ORDER BY first_notification_id DESC LIMIT 1) "
            f"UNION ALL SELECT {SIGNATURE_COLUMNS} FROM {SIGNATURES_TABLE} "
            "WHERE first_notification_id BETWEEN ? AND ? ORDER BY first_notification_id"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, (lo, lo, hi))
            found = [to_signature(row) for row in c.fetchall()]
        return sorted(found, key=lambda sig: sig.first_notification_id)

    def first_signed_notification_id(self) -> int | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT MIN(first_notification_id) FROM {SIGNATURES_TABLE}")
            found = c.fetchone()[0]
            return None if found is None else int(found)

    def _notification(self, row: Any) -> Notification:
        return Notification(
            id=row["notification_id"],
            originator_id=self.convert_originator_id(row["originator_id"]),
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=row["state"],
        )

    def notifications_of(self, originator_id: UUID) -> list[Notification]:
        """Every stored event of one aggregate, as notifications (with their ids)."""
        statement = (
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} WHERE originator_id = ? ORDER BY originator_version"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, (originator_id.hex,))
            return [self._notification(row) for row in c.fetchall()]

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        # Same as the inherited query, but reads the explicit id column by name.
        clauses: list[str] = []
        params: list[Any] = []
        if start is not None:
            clauses.append("notification_id>=?" if inclusive_of_start else "notification_id>?")
            params.append(start)
        if stop is not None:
            clauses.append("notification_id<=?")
            params.append(stop)
        if topics:
            clauses.append(f"topic IN ({','.join('?' * len(topics))})")
            params.extend(topics)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        statement = (
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} {where}ORDER BY notification_id LIMIT ?"
        )
        params.append(limit)
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return [self._notification(row) for row in c.fetchall()]
