"""Folds the event log into the read models, exactly once, resumably, in batches.

Each batch reads up to ``batch_size`` notifications after the lowest position, applies each event
to every projection that has not seen it, and advances each projection's position, all in ONE
database transaction: a crash anywhere in a batch rolls the whole batch back, and the next run
starts again from the last committed position. Nothing is lost and nothing is counted twice.

An exception in a handler is never swallowed (projections/fold.py folds a batch). The batch rolls
back; if the failure is one that trying again can cure (the database is locked, unreachable,
restarting) it propagates, and the next catch-up resumes from the last good position. Otherwise
the event is one that projection cannot fold: the runner finds the exact event by folding one
event at a time, halts that projection there (projections/halting.py) and folds on with the
others.

Reading is not writing: a batch first looks, without writing, whether any projection is behind,
and only then takes the position lock. Catching up an up-to-date database writes nothing, so the
read paths work on a read-only database and do not contend for SQLite's write lock.

A batch stops at ``MAX_BATCH_BYTES`` of stored events (at least one event), and the next
reads fewer until the events are small again: memory follows the batch, never the log, even
where a batch would be all 100 KB settlement drafts. A rebuild folds in larger batches
(``rebuild_batch_size``); a projection worker applies the notifications its subscription
delivers (``apply``), and a command behind such a worker waits for its positions
(``wait_for_worker``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Index, Table, insert, inspect, select, update
from sqlalchemy.engine import Engine

from domain.shared.eventstore import EventStore
from projections.db import analyze, halts, lock_positions, lowest_position, metadata, positions
from projections.fold import Fold, tune_for_folding
from projections.halting import Halt, Halts
from projections.projection import TRANSIENT_ERRORS, Projection, ProjectionFailed
from projections.reading import BatchReader, topics_of

logger = logging.getLogger(__name__)
REBUILD_BATCH_SIZE = 10_000  # events per transaction when refolding the whole log
MAX_BATCH_BYTES = 8 * 1024 * 1024  # stored event bytes per batch (10,000 meals are ~7 MB)
WORKER_POLL_FIRST_SECONDS = 0.002  # read-your-writes behind a worker: first pause, doubling …
WORKER_POLL_MAX_SECONDS = 0.02  # … up to this


class ParallelFolding(Protocol):
    """Folding in several processes (projections/parallel.py), as ``rebuild`` asks for it."""

    shares: list[tuple[str, ...]]  # the projections' names, a share per process
    seconds: dict[str, float]  # how long each share took the last time

    def catch_up(
        self, progress: Callable[[int], None] | None = None, batch_size: int = 0
    ) -> int: ...


class ProjectionRunner:
    def __init__(
        self,
        store: EventStore,
        engine: Engine,
        projections: Iterable[Projection],
        batch_size: int = 1000,
        rebuild_batch_size: int = REBUILD_BATCH_SIZE,
        guards: Sequence[str] = (),
        everyone: Sequence[str] = (),
    ) -> None:
        """``guards``: projections that guard the log (the seal) folded by another runner;
        this one folds no further than they have. ``everyone``: every projection's name, when
        this runner folds a share of them (projections/parallel.py): an event a guard refuses
        halts them all."""
        self.store = store
        self.engine = engine
        self.projections = tuple(projections)
        self.batch_size = batch_size
        self.rebuild_batch_size = max(batch_size, rebuild_batch_size)
        self._lock = threading.RLock()
        self.guards = tuple(guards)
        self.halts = Halts(engine, self.projections, everyone)
        self._fold = Fold(store)
        self.reader = BatchReader(store, topics_of(self.projections), MAX_BATCH_BYTES)
        self.parallel: ParallelFolding | None = None  # set by bootstrap: rebuild in processes
        names = [p.name for p in self.projections]
        assert len(set(names)) == len(names), f"projection names repeat: {names}"

    @property
    def max_batch_bytes(self) -> int:
        """A batch holds at most this many bytes of stored events (at least one event)."""
        return self.reader.max_batch_bytes

    @max_batch_bytes.setter
    def max_batch_bytes(self, value: int) -> None:
        self.reader.max_batch_bytes = value

    def share(self, names: Iterable[str]) -> ProjectionRunner:
        """A runner of the projections named, on the same store and engine, behind this one's
        guards of the log that it does not fold itself (projections/parallel.py)."""
        chosen = set(names)
        mine = [p for p in self.projections if p.name in chosen]
        guards = [
            *self.guards,
            *(p.name for p in self.projections if p.guards_the_log and p.name not in chosen),
        ]
        everyone = self.halts.everyone
        return ProjectionRunner(
            self.store,
            self.engine,
            mine,
            self.batch_size,
            self.rebuild_batch_size,
            guards=guards,
            everyone=everyone,
        )

    # -- schema -------------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        return [t for p in self.projections for t in p.tables]

    def create_tables(self) -> None:
        """Create what is missing. A projection whose tables exist in another shape (an upgrade
        added a column) is dropped here and so folded again from the start of the log."""
        stale = self.stale_projections()
        if stale:
            logger.warning("tables of another shape, folded again: %s", [p.name for p in stale])
            self.drop_tables(stale)
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

    def stale_projections(self) -> list[Projection]:
        """The projections with a table whose stored columns differ from the code's, or with
        stored tables and a table not stored yet (an upgrade added one). A projection kept on
        rebuild is never dropped: its changed shape is an error."""
        with self.engine.connect() as conn:
            inspector = inspect(conn)
            existing = set(inspector.get_table_names())
            ours = [t.name for t in self.tables() if t.name in existing]
            if not ours:
                return []
            stored = {
                name: {c["name"] for c in columns}
                for (_, name), columns in inspector.get_multi_columns(filter_names=ours).items()
            }
        stale = [
            p
            for p in self.projections
            if any(t.name in stored and stored[t.name] != set(t.columns.keys()) for t in p.tables)
            # an upgrade gave it a table more: folded again, or the new table stays empty
            or (
                any(t.name in existing for t in p.tables)
                and not p.kept_on_rebuild
                and any(t.name not in existing for t in p.tables)
            )
        ]
        kept = [p.name for p in stale if p.kept_on_rebuild]
        if kept:
            raise RuntimeError(f"the tables of {kept} have another shape and cannot be refolded")
        return stale

    def drop_tables(self, projections: Sequence[Projection] | None = None) -> None:
        """Drop the tables and positions of ``projections`` (default: all of them)."""
        dropped = self.projections if projections is None else tuple(projections)
        with self.engine.begin() as conn:
            metadata.drop_all(conn, tables=[t for p in dropped for t in p.tables])
            names = [p.name for p in dropped]
            conn.execute(positions.delete().where(positions.c.name.in_(names)))
            conn.execute(halts.delete().where(halts.c.name.in_(names)))
        self.halts.forget()

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

    def _guarded_until(self, conn: Connection, until: int | None) -> int | None:
        """``until``, or less: no further than the guards of the log folded elsewhere."""
        low = lowest_position(conn, self.guards) if self.guards else None
        return until if low is None else low if until is None else min(until, low)

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
                        self.halts.halt(failed)
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

    def active_positions(self) -> list[int]:
        """The positions of the projections that are not halted (read now)."""
        halted = self.halted(fresh=True)
        return [pos for name, pos in self.positions().items() if name not in halted]

    # -- halting (projections/halting.py) -----------------------------------------------------

    def halted(self, fresh: bool = False) -> dict[str, Halt]:
        """The halted projections by name (``Halts.current``)."""
        return self.halts.current(fresh)

    def require_folding(self, *names: str) -> None:
        """Refuse while any of ``names`` is halted (``Halts.require_folding``)."""
        self.halts.require_folding(*names)

    def resume(self, names: Iterable[str] | None = None) -> list[str]:
        """Let halted projections fold again, from where they stopped (``Halts.resume``)."""
        return self.halts.resume(names)

    # -- rebuilding -----------------------------------------------------------------------------

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
                if self.parallel is not None:
                    return self.parallel.catch_up(progress, self.rebuild_batch_size)
                return self.catch_up(progress=progress, batch_size=self.rebuild_batch_size)
            finally:
                with self.engine.begin() as conn:
                    for index in later:
                        index.create(conn, checkfirst=True)
                analyze(self.engine, [t for p in rebuilt for t in p.tables])

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
            active = [p for p in self.projections if p.name not in self.halts.read(conn)]
            if not active:
                return 0
            until = self._guarded_until(conn, until)
            # First a look, without writing: an up-to-date database is never written to.
            seen = self._positions(conn)
            batch = self.reader.unseen(seen, active, until, limit, given)
            if batch is None or not batch.count:
                return -1 if batch is None else 0
            # Decoded before the lock: on SQLite, whose one write lock every share of the
            # projections folded in parallel takes in turn, the others fold meanwhile.
            decoded = self._fold.decode(batch.notifications, seen, active)
            # Then the lock of this runner's positions: a runner in another thread or process
            # folding the same projections waits here, then reads the positions the last of
            # them committed. Nothing is applied twice.
            lock_positions(conn, [p.name for p in self.projections])
            at = self._positions(conn)
            if at != seen:  # another runner folded meanwhile
                batch = self.reader.unseen(at, active, until, limit, given)
                if batch is None or not batch.count:
                    return -1 if batch is None else 0
            notifications = batch.notifications
            try:
                self._fold(conn, notifications, at, active, decoded)
            except ProjectionFailed as failed:
                failed.batch_last, failed.batch_size = batch.last, len(notifications)
                raise
            for p in active:
                if at[p.name] < batch.last:
                    conn.execute(
                        update(positions)
                        .where(positions.c.name == p.name)
                        .values(position=batch.last)
                    )
        return batch.count
