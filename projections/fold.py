"""The fold of one batch: each notification to the handlers of the projections that have not
seen it, in the batch's transaction (projections/runner.py reads the batch and moves the
positions).

The stored topic names the event's class (``domain.assets.model:Asset.Registered``), resolved
once per topic; each projection's handler is a dict lookup by that class, and the event is
decoded once, only when some projection has a handler for it. An exception in a handler is never
swallowed: it becomes ``ProjectionFailed`` naming the projection and the notification, and the
whole batch rolls back. Handlers may defer their inserts to the end of the batch
(projections/batching.py), so that a batch writes each table in one statement; the deferred rows
belong to the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic
from sqlalchemy import Connection

from domain.shared.eventstore import EventStore
from projections.batching import BatchWrites, is_batched, reset, running
from projections.projection import EventClass, Projection, ProjectionFailed, Source

Decoded = dict[int, tuple[Any, Source]]  # notification id → (event, source)
SQLITE_FOLD_CACHE_KIB = 65_536  # SQLite page cache of a folding connection (default: 2 MiB)


def tune_for_folding(conn: Connection) -> None:
    """A larger page cache for the connections that fold, once per connection: a fold
    inserts rows with random keys (UUIDs) all over the tables' indexes, and with SQLite's
    default 2 MiB cache it reads the same pages from the OS again and again."""
    if conn.dialect.name == "sqlite" and not conn.info.get("qianwan_fold_cache"):
        conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_FOLD_CACHE_KIB}")
        conn.info["qianwan_fold_cache"] = True


class Fold:
    """Folds batches of notifications into projections, decoding each event once."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._event_classes: dict[str, EventClass] = {}  # topic → event class

    def __call__(
        self,
        conn: Connection,
        notifications: Sequence[Notification],
        at: dict[str, int],
        active: Sequence[Projection],
        decoded: Decoded | None = None,
    ) -> None:
        """Every notification to the handlers, then the writes they deferred (batching.py),
        then the raw notifications to the projections that take them. ``decoded``: events
        decoded already (``decode``)."""
        writes = BatchWrites()
        token = running(writes)
        found = decoded or {}
        try:
            for notification in notifications:
                writes.notification_id = notification.id
                self._apply(conn, notification, at, writes, active, found.get(notification.id))
            for p in active:
                self._write_deferred(conn, p, writes)
        finally:
            reset(token)
        self._hand_over(conn, notifications, at, active)

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

    def decode(
        self,
        notifications: Sequence[Notification],
        at: dict[str, int],
        active: Sequence[Projection],
    ) -> Decoded:
        """The events some projection will fold decoded, with their sources, by notification id
        (before the batch takes its lock). One that cannot be decoded is left out: the fold
        decodes it again and names the projection that fails on it."""
        found: Decoded = {}
        for notification in notifications:
            try:
                event_class = self._event_class(notification.topic)
                wanted = any(
                    at[p.name] < notification.id and event_class in p.handlers for p in active
                )
                if wanted:
                    found[notification.id] = self._decoded(notification, event_class)
            except Exception:  # the fold meets it again, and reports it there
                continue
        return found

    def _decoded(self, notification: Notification, event_class: EventClass) -> tuple[Any, Source]:
        event = self.store.decode(notification)
        return event, Source(
            notification_id=notification.id,
            aggregate_id=event.originator_id,
            version=event.originator_version,
            event_class=event_class,
            actor=getattr(event, "actor", ""),
            authority=getattr(event, "authority", None),
            recorded_at=event.timestamp,
        )

    def _event_class(self, topic: str) -> EventClass:
        """The class of a stored topic, resolved once per topic: a dict lookup per event."""
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
        decoded: tuple[Any, Source] | None = None,
    ) -> None:
        event: Any = None
        source: Any = None
        if decoded is not None:
            event, source = decoded
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
                    event, source = self._decoded(notification, event_class)
                except Exception as error:
                    raise ProjectionFailed(p.name, notification.id, error) from error
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
