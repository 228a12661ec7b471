"""Folds the event log into the read models, exactly once, resumably, in batches.

Each batch reads up to ``batch_size`` notifications after the lowest position, applies each event
to every projection that has not seen it, and advances each projection's position, all in ONE
database transaction: a crash anywhere in a batch rolls the whole batch back, and the next run
starts again from the last committed position. Nothing is lost and nothing is counted twice.

An exception in a handler is never swallowed: the batch rolls back and the error propagates with
the notification id that caused it; the next catch-up resumes from the last good position.

Handlers may defer their inserts to the end of the batch (projections/batching.py), so that a
batch writes each table in one statement; the deferred rows belong to the same transaction.
A batch also stops at ``MAX_BATCH_BYTES`` of stored events (at least one event), and the next
reads fewer until the events are small again: memory follows the batch, never the log, even
where a batch would be all 100 KB settlement drafts. A rebuild folds in larger batches
(``rebuild_batch_size``); a projection worker applies the
notifications its subscription delivers (``apply``), and a command behind such a worker waits for
its positions (``wait_for_worker``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic
from sqlalchemy import Connection, Index, Table, insert, select, update
from sqlalchemy.engine import Engine

from domain.shared.eventstore import EventStore
from projections.batching import BatchWrites, is_batched, reset, running
from projections.db import metadata, positions

REBUILD_BATCH_SIZE = 10_000  # events per transaction when refolding the whole log
MAX_BATCH_BYTES = 8 * 1024 * 1024  # stored event bytes per batch (10,000 meals are ~7 MB)
WORKER_POLL_FIRST_SECONDS = 0.002  # read-your-writes behind a worker: first pause, doubling …
WORKER_POLL_MAX_SECONDS = 0.02  # … up to this


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
    """A read model: its tables and, per event type (``Aggregate.Event`` qualname), a handler.

    A projection that needs the log itself rather than decoded events (the audit seal hashes
    the stored bytes) overrides ``handle_notifications``; one whose tables are a record made as
    the events arrived sets ``kept_on_rebuild``, so that ``rebuild`` cannot overwrite it with a
    fold of a log that may have been tampered with since."""

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    handlers: ClassVar[Mapping[str, Handler]]
    kept_on_rebuild: ClassVar[bool] = False
    # Indexes no handler reads: a rebuild creates them after the fold, from sorted data,
    # instead of maintaining them row by row.
    indexes_after_rebuild: ClassVar[frozenset[str]] = frozenset()

    def handle_notifications(self, conn: Connection, notifications: Sequence[Notification]) -> None:
        """Called once per batch, in the batch's transaction, with the raw notifications this
        projection has not applied yet, in notification order. Most projections need only
        ``handlers``: the default does nothing."""


class ProjectionFailed(RuntimeError):
    def __init__(self, projection: str, notification_id: int, cause: BaseException) -> None:
        super().__init__(
            f"projection {projection} failed on notification {notification_id}: {cause!r}"
        )
        self.projection = projection
        self.notification_id = notification_id


def event_type_name(event: DomainEventProtocol[Any]) -> str:
    return type(event).__qualname__


SQLITE_FOLD_CACHE_KIB = 65_536  # SQLite page cache of a folding connection (default: 2 MiB)


def tune_for_folding(conn: Connection) -> None:
    """A larger page cache for the connections that fold, once per connection: a fold
    inserts rows with random keys (UUIDs) all over the tables' indexes, and with SQLite's
    default 2 MiB cache it reads the same pages from the OS again and again."""
    if conn.dialect.name == "sqlite" and not conn.info.get("qianwan_fold_cache"):
        conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_FOLD_CACHE_KIB}")
        conn.info["qianwan_fold_cache"] = True


class ProjectionRunner:
    def __init__(
        self,
        store: EventStore,
        engine: Engine,
        projections: Iterable[Projection],
        batch_size: int = 1000,
        rebuild_batch_size: int = REBUILD_BATCH_SIZE,
    ) -> None:
        self.store = store
        self.engine = engine
        self.projections = tuple(projections)
        self.batch_size = batch_size
        self.rebuild_batch_size = max(batch_size, rebuild_batch_size)
        self.max_batch_bytes = MAX_BATCH_BYTES
        self._read_limit: int | None = None  # after a batch cut by bytes: read this many
        self._lock = threading.RLock()
        self._event_types: dict[str, str] = {}  # topic → event type name
        names = [p.name for p in self.projections]
        assert len(set(names)) == len(names), f"projection names repeat: {names}"

    # -- schema -------------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        return [t for p in self.projections for t in p.tables]

    def create_tables(self) -> None:
        with self.engine.begin() as conn:
            metadata.create_all(conn, tables=[positions, *self.tables()])
            for index in self._indexes_after_rebuild(self.projections):
                index.create(conn, checkfirst=True)  # a rebuild that was cut short
            known = set(conn.scalars(select(positions.c.name)))
            for p in self.projections:
                if p.name not in known:
                    conn.execute(insert(positions).values(name=p.name, position=0))

    def drop_tables(self, projections: Sequence[Projection] | None = None) -> None:
        """Drop the tables and positions of ``projections`` (default: all of them)."""
        dropped = self.projections if projections is None else tuple(projections)
        with self.engine.begin() as conn:
            metadata.drop_all(conn, tables=[t for p in dropped for t in p.tables])
            conn.execute(positions.delete().where(positions.c.name.in_([p.name for p in dropped])))

    def rebuilt_projections(self) -> tuple[Projection, ...]:
        """Those ``rebuild`` drops and folds again: all but the ones kept on rebuild."""
        return tuple(p for p in self.projections if not p.kept_on_rebuild)

    # -- running ------------------------------------------------------------------------------

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return self._positions(conn)

    def _positions(self, conn: Connection) -> dict[str, int]:
        rows = conn.execute(select(positions.c.name, positions.c.position)).all()
        return {name: pos for name, pos in rows if name in {p.name for p in self.projections}}

    def catch_up(
        self,
        until: int | None = None,
        progress: Callable[[int], None] | None = None,
        batch_size: int | None = None,
    ) -> int:
        """Apply every event up to ``until`` (default: the end of the log). Returns how many
        notifications were applied. Safe to call from many threads; one runs at a time."""
        applied = 0
        with self._lock:
            while True:
                done = self._run_batch(until, batch_size or self.batch_size)
                if done == 0:
                    return applied
                applied += done
                if progress is not None:
                    progress(done)

    def apply(self, notifications: Sequence[Notification]) -> int:
        """Apply notifications read already (by a subscription to the log), in batches, with
        the same exactly-once guarantee as ``catch_up``: those the positions show applied are
        skipped. When they do not continue from the positions (a rebuild meanwhile, a gap),
        the log itself is read instead. Returns how many notifications were applied."""
        applied = 0
        with self._lock:
            for start in range(0, len(notifications), self.batch_size):
                chunk = notifications[start : start + self.batch_size]
                done = self._run_batch(chunk[-1].id, self.batch_size, given=chunk)
                if done < 0:  # not a continuation: fold from the log
                    return applied + self.catch_up()
                applied += done
        return applied

    def wait_for(self, notification_id: int) -> None:
        """Read-your-writes: return once every projection has applied ``notification_id``."""
        if min(self.positions().values(), default=0) < notification_id:
            self.catch_up()

    def wait_for_worker(self, notification_id: int, timeout_seconds: float) -> bool:
        """Read-your-writes when a projection worker folds: wait until its positions reach
        ``notification_id``; after ``timeout_seconds`` fold here instead (the position lock
        keeps that exactly-once). True when the worker was in time."""
        deadline = time.monotonic() + timeout_seconds
        pause = WORKER_POLL_FIRST_SECONDS
        while min(self.positions().values(), default=0) < notification_id:
            if time.monotonic() >= deadline:
                self.catch_up(until=notification_id)
                return False
            time.sleep(pause)
            pause = min(pause * 2, WORKER_POLL_MAX_SECONDS)
        return True

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Drop every projection table (but those kept on rebuild) and fold the whole log
        again, in batches of ``rebuild_batch_size``."""
        with self._lock:
            rebuilt = self.rebuilt_projections()
            self.drop_tables(rebuilt)
            self.create_tables()
            later = self._indexes_after_rebuild(rebuilt)
            with self.engine.begin() as conn:
                for index in later:
                    index.drop(conn)
            try:
                return self.catch_up(progress=progress, batch_size=self.rebuild_batch_size)
            finally:
                with self.engine.begin() as conn:
                    for index in later:
                        index.create(conn, checkfirst=True)

    @staticmethod
    def _indexes_after_rebuild(projections: Iterable[Projection]) -> list[Index]:
        return [
            index
            for p in projections
            for table in p.tables
            for index in sorted(table.indexes, key=lambda i: str(i.name))
            if index.name in p.indexes_after_rebuild
        ]

    def _run_batch(
        self, until: int | None, limit: int, given: Sequence[Notification] | None = None
    ) -> int:
        with self.engine.begin() as conn:
            tune_for_folding(conn)
            # First statement a write to every position row: it takes the write lock (SQLite)
            # or the row locks (PostgreSQL), so runners in other threads or processes wait here
            # and then read the positions the last of them committed. Nothing is applied twice.
            conn.execute(update(positions).values(position=positions.c.position))
            start_positions = self._positions(conn)
            low = min(start_positions.values(), default=0)
            if until is not None and low >= until:
                return 0
            if given is None:
                notifications = self.store.recorder.select_notifications(
                    start=low + 1, limit=min(limit, self._read_limit or limit), stop=until
                )
            else:
                notifications = [n for n in given if n.id > low]
                if notifications and notifications[0].id != low + 1:
                    return -1
            notifications = self._within_budget(notifications, limit)
            if not notifications:
                return 0
            self._fold(conn, notifications, start_positions)
            self._hand_over(conn, notifications, start_positions)
            last = notifications[-1].id
            for p in self.projections:
                if start_positions[p.name] < last:
                    conn.execute(
                        update(positions).where(positions.c.name == p.name).values(position=last)
                    )
        return len(notifications)

    def _within_budget(
        self, notifications: Sequence[Notification], limit: int
    ) -> Sequence[Notification]:
        """The first notifications up to ``max_batch_bytes`` of stored state (at least one).
        When it cuts, the next batch reads about twice what fitted; when it does not, the
        next reads twice as many as this one, back up to ``limit``."""
        total = 0
        for n, notification in enumerate(notifications):
            total += len(notification.state)
            if total > self.max_batch_bytes and n > 0:
                self._read_limit = max(1, 2 * n)
                return notifications[:n]
        if self._read_limit is not None:
            grown = 2 * self._read_limit
            self._read_limit = None if grown >= limit else grown
        return notifications

    def _fold(
        self, conn: Connection, notifications: Sequence[Notification], at: dict[str, int]
    ) -> None:
        """Every notification to the handlers, then the writes they deferred (batching.py)."""
        writes = BatchWrites()
        token = running(writes)
        try:
            for notification in notifications:
                writes.notification_id = notification.id
                self._apply(conn, notification, at, writes)
            for p in self.projections:
                self._write_deferred(conn, p, writes)
        finally:
            reset(token)

    def _write_deferred(self, conn: Connection, p: Projection, writes: BatchWrites) -> None:
        deferred = writes.by_projection.get(p.name)
        if not deferred:
            return
        first = deferred.first_notification_id or writes.notification_id
        try:
            deferred.write(conn)
        except Exception as error:
            raise ProjectionFailed(p.name, first, error) from error

    def _hand_over(
        self, conn: Connection, notifications: Sequence[Notification], at: dict[str, int]
    ) -> None:
        """The batch's raw notifications, to the projections that take them."""
        for p in self.projections:
            if type(p).handle_notifications is Projection.handle_notifications:
                continue
            unseen = [n for n in notifications if n.id > at[p.name]]
            if not unseen:
                continue
            try:
                p.handle_notifications(conn, unseen)
            except Exception as error:
                raise ProjectionFailed(p.name, unseen[0].id, error) from error

    def _event_type(self, topic: str) -> str:
        name = self._event_types.get(topic)
        if name is None:
            name = self._event_types[topic] = resolve_topic(topic).__qualname__
        return name

    def _apply(
        self,
        conn: Connection,
        notification: Notification,
        at: dict[str, int],
        writes: BatchWrites,
    ) -> None:
        event: Any = None
        source: Any = None
        event_type = self._event_type(notification.topic)
        for p in self.projections:
            if at[p.name] >= notification.id:
                continue
            handler = p.handlers.get(event_type)
            if handler is None:
                continue
            if event is None:
                event = self.store.decode(notification)
                source = Source(
                    notification_id=notification.id,
                    aggregate_id=event.originator_id,
                    version=event.originator_version,
                    event_type=event_type,
                    actor=getattr(event, "actor", ""),
                    authority=getattr(event, "authority", None),
                    recorded_at=event.timestamp,
                )
            deferred = writes.of(p.name)
            if deferred and not is_batched(handler):
                self._write_deferred(conn, p, writes)
            writes.current = deferred
            try:
                handler(conn, event, source)
            except Exception as error:
                raise ProjectionFailed(p.name, notification.id, error) from error
            finally:
                writes.current = None
