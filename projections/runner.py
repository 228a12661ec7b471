"""Folds the event log into the read models, exactly once, resumably, in batches.

Each batch reads up to ``batch_size`` notifications after the lowest position, applies each event
to every projection that has not seen it, and advances each projection's position, all in ONE
database transaction: a crash anywhere in a batch rolls the whole batch back, and the next run
starts again from the last committed position. Nothing is lost and nothing is counted twice.

An exception in a handler is never swallowed. The batch rolls back; if the failure is one that
trying again can cure (the database is locked, unreachable, restarting) it propagates, and the
next catch-up resumes from the last good position. Otherwise the event is one that projection
cannot fold (a bug, or data it cannot store): the runner finds the exact event by folding one
event at a time, **halts** that projection there (a row in ``projection_halts``, an ERROR in the
log, ``/healthz`` and ``qianwan check`` report it) and folds on with the others, so that one bad
event does not stop every read model, nor every command waiting for them. A halted projection
stays at the position before the event until an operator resumes it (``qianwan project
--resume NAME`` after fixing the cause) or rebuilds.

Reading is not writing: a batch first looks, without writing, whether any projection is behind,
and only then takes the position lock. Catching up an up-to-date database writes nothing, so the
read paths work on a read-only database and do not contend for SQLite's write lock.

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

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

import psycopg
import sqlalchemy.exc
from eventsourcing import persistence
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic
from sqlalchemy import Connection, Index, Table, delete, insert, select, update
from sqlalchemy.engine import Engine

from domain.shared.errors import ReadModelHalted
from domain.shared.eventstore import EventStore
from projections.batching import BatchWrites, is_batched, reset, running
from projections.db import halts, metadata, positions

REBUILD_BATCH_SIZE = 10_000  # events per transaction when refolding the whole log
MAX_BATCH_BYTES = 8 * 1024 * 1024  # stored event bytes per batch (10,000 meals are ~7 MB)
WORKER_POLL_FIRST_SECONDS = 0.002  # read-your-writes behind a worker: first pause, doubling …
WORKER_POLL_MAX_SECONDS = 0.02  # … up to this
HALTS_FRESH_SECONDS = 1.0  # how long ``halted()`` may answer from what it read last
MAX_HALT_ERROR_CHARS = 2000  # of the error kept in projection_halts (the log has the traceback)

log = logging.getLogger("qianwan.projections")

# Failures that trying again can cure: the batch rolls back and the error propagates; nothing
# is halted. Anything else a projection raises means it cannot fold that event.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    sqlalchemy.exc.DisconnectionError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    persistence.OperationalError,
    persistence.InterfaceError,
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
    TimeoutError,
    ConnectionError,
)


# An event class as eventsourcing makes it from an aggregate's ``@event`` method
# (``Asset.Registered``): at runtime, where mypy cannot see it, hence the
# ``# type: ignore[attr-defined]`` wherever one is named.
EventClass = type[DomainEventProtocol[Any]]


@dataclass(frozen=True)
class Source:
    """Where a projected row comes from: the event's place in the log and its provenance."""

    notification_id: int
    aggregate_id: UUID
    version: int
    event_class: EventClass
    actor: str
    authority: str | None
    recorded_at: datetime

    @property
    def event_type(self) -> str:
        """The event's type as the read models keep it: ``Asset.Registered``."""
        return self.event_class.__qualname__


# A handler gets the decoded event: typed Any, since mypy cannot see its fields either.
Handler = Callable[[Connection, Any, Source], None]
Handlers = Mapping[EventClass, Handler]


class Projection:
    """A read model: its tables and, per event class (``Asset.Registered``), a handler.

    A projection that needs the log itself rather than decoded events (the audit seal hashes
    the stored bytes) overrides ``handle_notifications``; one whose tables are a record made as
    the events arrived sets ``kept_on_rebuild``, so that ``rebuild`` cannot overwrite it with a
    fold of a log that may have been tampered with since."""

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    handlers: ClassVar[Handlers]
    kept_on_rebuild: ClassVar[bool] = False
    # A projection that vouches for the events themselves (the seal checks their signatures):
    # an event it refuses is folded by no projection at all (halted everywhere, "Halting").
    guards_the_log: ClassVar[bool] = False
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
        self.cause = cause
        self.batch_last = notification_id  # the last notification of the batch it failed in
        self.batch_size = 1

    @property
    def transient(self) -> bool:
        """Would trying again cure it (a lock, a lost connection), rather than a fix?"""
        cause: BaseException | None = self.cause
        while cause is not None:
            if isinstance(cause, TRANSIENT_ERRORS):
                return True
            cause = cause.__cause__
        return False


@dataclass(frozen=True)
class Halt:
    """A projection stopped at an event it cannot fold: it stays at ``notification_id - 1``."""

    projection: str
    notification_id: int
    error: str
    halted_at: datetime


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
        self._event_classes: dict[str, EventClass] = {}  # topic → event class
        self._halts: tuple[float, dict[str, Halt]] | None = None  # (read at, halts)
        names = [p.name for p in self.projections]
        assert len(set(names)) == len(names), f"projection names repeat: {names}"

    # -- schema -------------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        return [t for p in self.projections for t in p.tables]

    def create_tables(self) -> None:
        with self.engine.begin() as conn:
            metadata.create_all(conn, tables=[positions, halts, *self.tables()])
            for index in self._indexes_after_rebuild(self.projections):
                index.create(conn, checkfirst=True)  # a rebuild that was cut short
            known = set(conn.scalars(select(positions.c.name)))
            missing = [
                {"name": p.name, "position": 0} for p in self.projections if p.name not in known
            ]
            if missing:  # nothing written when every position exists: a read-only file opens
                conn.execute(insert(positions), missing)

    def drop_tables(self, projections: Sequence[Projection] | None = None) -> None:
        """Drop the tables and positions of ``projections`` (default: all of them)."""
        dropped = self.projections if projections is None else tuple(projections)
        with self.engine.begin() as conn:
            metadata.drop_all(conn, tables=[t for p in dropped for t in p.tables])
            names = [p.name for p in dropped]
            conn.execute(positions.delete().where(positions.c.name.in_(names)))
            conn.execute(halts.delete().where(halts.c.name.in_(names)))
        self._halts = None

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

    def active_low(self) -> int:
        """The lowest position among the projections that are not halted: every event up to
        it is shown by every read model that still folds (the end of the log if all halted)."""
        halted = self.halted()
        found = [pos for name, pos in self.positions().items() if name not in halted]
        return min(found) if found else self.store.last_notification_id()

    def catch_up(
        self,
        until: int | None = None,
        progress: Callable[[int], None] | None = None,
        batch_size: int | None = None,
    ) -> int:
        """Apply every event up to ``until`` (default: the end of the log). Returns how many
        notifications were applied. Safe to call from many threads; one runs at a time. A
        projection that cannot fold an event is halted there (``halted``); the others go on."""
        applied = 0
        one_by_one_until = 0  # after a failure: batches of one event, to find the event
        with self._lock:
            while True:
                size = batch_size or self.batch_size
                try:
                    done = self._run_batch(until, 1 if one_by_one_until else size)
                except ProjectionFailed as failed:
                    if failed.transient:
                        raise
                    if failed.batch_size > 1:
                        one_by_one_until = failed.batch_last
                    else:
                        self._halt(failed)
                    continue
                if done <= 0:
                    return applied
                applied += done
                if (
                    one_by_one_until
                    and min(self._active_positions(), default=one_by_one_until) >= one_by_one_until
                ):
                    one_by_one_until = 0
                if progress is not None:
                    progress(done)

    def catch_up_for_reading(self) -> str | None:
        """Catch up before a read if the database lets this process write; if it cannot (a
        read-only file or replica, a lock held too long), the read goes on over the read
        models as they stand. Returns why it could not catch up, or None."""
        try:
            self.catch_up()
        except ProjectionFailed as failed:
            if not failed.transient:
                raise
            return str(failed.cause)
        except TRANSIENT_ERRORS as error:
            return str(error)
        return None

    def apply(self, notifications: Sequence[Notification]) -> int:
        """Apply notifications read already (by a subscription to the log), in batches, with
        the same exactly-once guarantee as ``catch_up``: those the positions show applied are
        skipped. When they do not continue from the positions (a rebuild meanwhile, a gap), or
        a projection fails on one of them, the log itself is read instead (``catch_up``).
        Returns how many notifications were applied."""
        applied = 0
        with self._lock:
            for start in range(0, len(notifications), self.batch_size):
                chunk = notifications[start : start + self.batch_size]
                try:
                    done = self._run_batch(chunk[-1].id, self.batch_size, given=chunk)
                except ProjectionFailed as failed:
                    if failed.transient:
                        raise
                    return applied + self.catch_up()
                if done < 0:  # not a continuation: fold from the log
                    return applied + self.catch_up()
                applied += done
        return applied

    def wait_for(self, notification_id: int) -> None:
        """Read-your-writes: return once every projection that is not halted has applied
        ``notification_id``."""
        if min(self._active_positions(), default=notification_id) < notification_id:
            self.catch_up()

    def wait_for_worker(self, notification_id: int, timeout_seconds: float) -> bool:
        """Read-your-writes when a projection worker folds: wait until its positions reach
        ``notification_id``; after ``timeout_seconds`` fold here instead (the position lock
        keeps that exactly-once). True when the worker was in time."""
        deadline = time.monotonic() + timeout_seconds
        pause = WORKER_POLL_FIRST_SECONDS
        while min(self._active_positions(), default=notification_id) < notification_id:
            if time.monotonic() >= deadline:
                self.catch_up(until=notification_id)
                return False
            time.sleep(pause)
            pause = min(pause * 2, WORKER_POLL_MAX_SECONDS)
        return True

    def _active_positions(self) -> list[int]:
        halted = self.halted()
        return [pos for name, pos in self.positions().items() if name not in halted]

    # -- halting ------------------------------------------------------------------------------

    def halted(self, fresh: bool = False) -> dict[str, Halt]:
        """The halted projections by name, read at most HALTS_FRESH_SECONDS ago (``fresh``:
        read now). Another process (a projection worker) may have halted one."""
        cached = self._halts
        if not fresh and cached is not None and time.monotonic() - cached[0] < HALTS_FRESH_SECONDS:
            return cached[1]
        with self.engine.connect() as conn:
            found = self._read_halts(conn)
        self._halts = (time.monotonic(), found)
        return found

    def _read_halts(self, conn: Connection) -> dict[str, Halt]:
        names = {p.name for p in self.projections}
        return {
            row.name: Halt(
                row.name,
                int(row.notification_id),
                row.error,
                row.halted_at if row.halted_at.tzinfo else row.halted_at.replace(tzinfo=UTC),
            )
            for row in conn.execute(select(halts))
            if row.name in names
        }

    def require_folding(self, *names: str) -> None:
        """For a command that reads projections to decide: refuse while any of ``names`` is
        halted, since what it shows may lack events it never folded."""
        halted = self.halted(fresh=True)
        stopped = sorted(n for n in names if n in halted)
        if stopped:
            where = ", ".join(f"{n} (at notification {halted[n].notification_id})" for n in stopped)
            raise ReadModelHalted(
                f"the read model this needs is halted: {where}; nothing was recorded. An "
                "operator must fix the cause and resume it (qianwan project --resume)"
            )

    def resume(self, names: Iterable[str] | None = None) -> list[str]:
        """Let halted projections fold again (after the cause is fixed), from where they
        stopped; returns the names resumed. Default: every halted projection."""
        with self.engine.begin() as conn:
            halted = self._read_halts(conn)
            chosen = list(halted) if names is None else [n for n in names if n in halted]
            if chosen:
                conn.execute(delete(halts).where(halts.c.name.in_(chosen)))
        self._halts = None
        for name in chosen:
            log.warning(
                "projection %s resumed at notification %s", name, halted[name].notification_id
            )
        return chosen

    def _halt(self, failed: ProjectionFailed) -> None:
        """Record that ``failed.projection`` cannot fold ``failed.notification_id``; if it
        guards the log (the event itself is refused), that no projection may fold it."""
        error = f"{type(failed.cause).__name__}: {failed.cause}"[:MAX_HALT_ERROR_CHARS]
        names = [failed.projection]
        if any(p.guards_the_log for p in self.projections if p.name == failed.projection):
            with self.engine.connect() as conn:
                already = self._read_halts(conn)
            names += [p.name for p in self.projections if p.name not in {*already, *names}]
            error = f"{error} (refused by {failed.projection}: no read model folds it)"
        with self.engine.begin() as conn:
            conn.execute(delete(halts).where(halts.c.name.in_(names)))
            conn.execute(
                insert(halts),
                [
                    {
                        "name": name,
                        "notification_id": failed.notification_id,
                        "error": error[:MAX_HALT_ERROR_CHARS],
                        "halted_at": datetime.now(UTC),
                    }
                    for name in names
                ],
            )
        self._halts = None
        log.error(
            "projection %s HALTED at notification %s: it cannot fold that event; the other "
            "projections go on. Fix the cause, then `qianwan project --resume %s`.",
            failed.projection,
            failed.notification_id,
            failed.projection,
            exc_info=failed.cause,
        )

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
        """Fold one batch: the number of notifications applied, 0 when there was nothing to
        do, -1 when ``given`` does not continue from the positions."""
        with self.engine.begin() as conn:
            tune_for_folding(conn)
            active = [p for p in self.projections if p.name not in self._read_halts(conn)]
            if not active:
                return 0
            # First a look, without writing: an up-to-date database is never written to.
            seen = self._positions(conn)
            notifications = self._unseen(seen, active, until, limit, given)
            if not notifications:
                return -1 if notifications is None else 0
            # Then a write to every position row: it takes the write lock (SQLite) or the row
            # locks (PostgreSQL), so runners in other threads or processes wait here and then
            # read the positions the last of them committed. Nothing is applied twice.
            conn.execute(update(positions).values(position=positions.c.position))
            at = self._positions(conn)
            if at != seen:  # another runner folded meanwhile
                notifications = self._unseen(at, active, until, limit, given)
                if not notifications:
                    return -1 if notifications is None else 0
            try:
                self._fold(conn, notifications, at, active)
                self._hand_over(conn, notifications, at, active)
            except ProjectionFailed as failed:
                failed.batch_last, failed.batch_size = notifications[-1].id, len(notifications)
                raise
            last = notifications[-1].id
            for p in active:
                if at[p.name] < last:
                    conn.execute(
                        update(positions).where(positions.c.name == p.name).values(position=last)
                    )
        return len(notifications)

    def _unseen(
        self,
        at: dict[str, int],
        active: Sequence[Projection],
        until: int | None,
        limit: int,
        given: Sequence[Notification] | None,
    ) -> Sequence[Notification] | None:
        """The next notifications some active projection has not applied (within the batch's
        limits); None when ``given`` does not continue from the positions."""
        low = min(at[p.name] for p in active)
        if until is not None and low >= until:
            return []
        if given is None:
            found: Sequence[Notification] = self.store.recorder.select_notifications(
                start=low + 1, limit=min(limit, self._read_limit or limit), stop=until
            )
        else:
            found = [n for n in given if n.id > low]
            if found and found[0].id != low + 1:
                return None
        return self._within_budget(found, limit)

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
        self,
        conn: Connection,
        notifications: Sequence[Notification],
        at: dict[str, int],
        active: Sequence[Projection],
    ) -> None:
        """Every notification to the handlers, then the writes they deferred (batching.py)."""
        writes = BatchWrites()
        token = running(writes)
        try:
            for notification in notifications:
                writes.notification_id = notification.id
                self._apply(conn, notification, at, writes, active)
            for p in active:
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
        self,
        conn: Connection,
        notifications: Sequence[Notification],
        at: dict[str, int],
        active: Sequence[Projection],
    ) -> None:
        """The batch's raw notifications, to the projections that take them."""
        for p in active:
            if type(p).handle_notifications is Projection.handle_notifications:
                continue
            unseen = [n for n in notifications if n.id > at[p.name]]
            if not unseen:
                continue
            try:
                p.handle_notifications(conn, unseen)
            except Exception as error:
                raise ProjectionFailed(p.name, unseen[0].id, error) from error

    def _event_class(self, topic: str) -> EventClass:
        found = self._event_classes.get(topic)
        if found is None:
            found = self._event_classes[topic] = resolve_topic(topic)
        return found

    def _apply(
        self,
        conn: Connection,
        notification: Notification,
        at: dict[str, int],
        writes: BatchWrites,
        active: Sequence[Projection],
    ) -> None:
        event: Any = None
        source: Any = None
        try:
            event_class = self._event_class(notification.topic)
        except Exception as error:  # a topic no code knows: no projection that decodes can fold it
            decoding = [p for p in active if p.handlers and at[p.name] < notification.id]
            if not decoding:
                return
            raise ProjectionFailed(decoding[0].name, notification.id, error) from error
        for p in active:
            if at[p.name] >= notification.id:
                continue
            handler = p.handlers.get(event_class)
            if handler is None:
                continue
            if event is None:
                try:
                    event = self.store.decode(notification)
                except Exception as error:
                    raise ProjectionFailed(p.name, notification.id, error) from error
                source = Source(
                    notification_id=notification.id,
                    aggregate_id=event.originator_id,
                    version=event.originator_version,
                    event_class=event_class,
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
