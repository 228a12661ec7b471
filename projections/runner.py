"""Folds the event log into the read models, exactly once, resumably, in batches.

Each batch reads up to ``batch_size`` notifications after the lowest position, applies each event
to every projection that has not seen it, and advances each projection's position, all in ONE
database transaction: a crash anywhere in a batch rolls the whole batch back, and the next run
starts again from the last committed position. Nothing is lost and nothing is counted twice.

An exception in a handler is never swallowed: the batch rolls back and the error propagates with
the notification id that caused it; the next catch-up resumes from the last good position.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.engine import Engine

from domain.shared.eventstore import EventStore
from projections.db import metadata, positions


@dataclass(frozen=True)
class Source:
    """Where a projected row comes from: the event's place in the log and its provenance."""

    notification_id: int
    aggregate_id: UUID
    version: int
    event_type: str
    actor: str
    authority: str | None
    recorded_at: datetime


Handler = Callable[[Connection, Any, Source], None]


class Projection:
    """A read model: its tables and, per event type (``Aggregate.Event`` qualname), a handler."""

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    handlers: ClassVar[Mapping[str, Handler]]


class ProjectionFailed(RuntimeError):
    def __init__(self, projection: str, notification_id: int, cause: BaseException) -> None:
        super().__init__(
            f"projection {projection} failed on notification {notification_id}: {cause!r}"
        )
        self.projection = projection
        self.notification_id = notification_id


def event_type_name(event: DomainEventProtocol[Any]) -> str:
    return type(event).__qualname__


class ProjectionRunner:
    def __init__(
        self,
        store: EventStore,
        engine: Engine,
        projections: Iterable[Projection],
        batch_size: int = 1000,
    ) -> None:
        self.store = store
        self.engine = engine
        self.projections = tuple(projections)
        self.batch_size = batch_size
        self._lock = threading.RLock()
        names = [p.name for p in self.projections]
        assert len(set(names)) == len(names), f"projection names repeat: {names}"

    # -- schema -------------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        return [t for p in self.projections for t in p.tables]

    def create_tables(self) -> None:
        with self.engine.begin() as conn:
            metadata.create_all(conn, tables=[positions, *self.tables()])
            known = set(conn.scalars(select(positions.c.name)))
            for p in self.projections:
                if p.name not in known:
                    conn.execute(insert(positions).values(name=p.name, position=0))

    def drop_tables(self) -> None:
        with self.engine.begin() as conn:
            metadata.drop_all(conn, tables=self.tables())
            conn.execute(
                positions.delete().where(positions.c.name.in_([p.name for p in self.projections]))
            )

    # -- running ------------------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return self._positions(conn)

    def _positions(self, conn: Connection) -> dict[str, int]:
        rows = conn.execute(select(positions.c.name, positions.c.position)).all()
        return {name: pos for name, pos in rows if name in {p.name for p in self.projections}}

    def catch_up(
        self, until: int | None = None, progress: Callable[[int], None] | None = None
    ) -> int:
        """Apply every event up to ``until`` (default: the end of the log). Returns how many
        notifications were applied. Safe to call from many threads; one runs at a time."""
        applied = 0
        with self._lock:
            while True:
                done = self._run_batch(until)
                if done == 0:
                    return applied
                applied += done
                if progress is not None:
                    progress(done)

    def wait_for(self, notification_id: int) -> None:
        """Read-your-writes: return once every projection has applied ``notification_id``."""
        if min(self.positions().values(), default=0) < notification_id:
            self.catch_up()

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Drop every projection table and fold the whole log again."""
        with self._lock:
            self.drop_tables()
            self.create_tables()
            return self.catch_up(progress=progress)

    def _run_batch(self, until: int | None) -> int:
        with self.engine.begin() as conn:
            # First statement a write to every position row: it takes the write lock (SQLite)
            # or the row locks (PostgreSQL), so runners in other threads or processes wait here
            # and then read the positions the last of them committed. Nothing is applied twice.
            conn.execute(update(positions).values(position=positions.c.position))
            start_positions = self._positions(conn)
            low = min(start_positions.values(), default=0)
            if until is not None and low >= until:
                return 0
            notifications = self.store.recorder.select_notifications(
                start=low + 1, limit=self.batch_size, stop=until
            )
            if not notifications:
                return 0
            for notification in notifications:
                self._apply(conn, notification, start_positions)
            last = notifications[-1].id
            for p in self.projections:
                if start_positions[p.name] < last:
                    conn.execute(
                        update(positions).where(positions.c.name == p.name).values(position=last)
                    )
        return len(notifications)

    def _apply(self, conn: Connection, notification: Notification, at: dict[str, int]) -> None:
        event: Any = None
        source: Source | None = None
        for p in self.projections:
            if at[p.name] >= notification.id:
                continue
            if event is None:
                event = self.store.mapper.to_domain_event(notification)
            handler = p.handlers.get(event_type_name(event))
            if handler is None:
                continue
            if source is None:
                source = Source(
                    notification_id=notification.id,
                    aggregate_id=event.originator_id,
                    version=event.originator_version,
                    event_type=event_type_name(event),
                    actor=getattr(event, "actor", ""),
                    authority=getattr(event, "authority", None),
                    recorded_at=event.timestamp,
                )
            try:
                handler(conn, event, source)
            except Exception as error:
                raise ProjectionFailed(p.name, notification.id, error) from error
