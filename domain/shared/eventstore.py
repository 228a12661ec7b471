"""The one event store every bounded context writes to.

All aggregates of all contexts are saved through one eventsourcing ``Application`` named
``qianwan``, so the registry has a single, totally ordered notification log: one sequence for
projections to follow, one sequence for the audit seal to hash, one place where uniqueness by
deterministic id holds across contexts. See docs/architecture.md ("One log").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    JSONTranscoder,
    Notification,
    Recording,
    StoredEvent,
    Transcoding,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

SaveListener = Callable[[int], None]


class DateAsISO(Transcoding):
    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class StableSQLiteApplicationRecorder(SQLiteApplicationRecorder):
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
            "UNIQUE (originator_id, originator_version))"
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        statement = (
            f"INSERT INTO {self.events_table_name} "
            "(originator_id, originator_version, topic, state) VALUES (?,?,?,?)"
        )
        returning: list[int] = []
        for s in stored_events:
            oid = s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id
            c.execute(statement, (oid, s.originator_version, s.topic, s.state))
            returning.append(c.lastrowid)
        return returning

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
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=self.convert_originator_id(row["originator_id"]),
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in c.fetchall()
            ]


class EventStore(Application[UUID]):
    """The registry's event store: all contexts, one log.

    After every save the listeners (the projection runner, in the running system) are told the
    highest notification id written, so that a query made next sees the command's effect.
    """

    name = "qianwan"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._listeners: list[SaveListener] = []
        self._listeners_lock = threading.Lock()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def add_save_listener(self, listener: SaveListener) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        recordings = super().save(*objs, **kwargs)
        if recordings:
            last = max(r.notification.id for r in recordings)
            for listener in list(self._listeners):
                listener(last)
        return recordings

    def last_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0
