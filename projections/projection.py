"""What a read model is, to the runner that folds the log into it (projections/runner.py).

A projection names its tables and, per event class, a handler that applies one decoded event to
those tables, given where the event stands in the log (``Source``). A handler that cannot apply
its event raises; the runner wraps that in ``ProjectionFailed`` and either retries later (the
failure is transient) or halts that projection at the event (projections/halting.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

import psycopg
import sqlalchemy.exc
from eventsourcing import persistence
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Table

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
