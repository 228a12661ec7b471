"""What counts as "the database is not there": the errors a projection worker waits out and
retries, and that the ``qianwan`` command reports as ``database_unavailable`` instead of a
traceback.

The same failure reaches us wrapped in up to three layers (psycopg or sqlite3, then SQLAlchemy
or eventsourcing), so the whole chain of causes is inspected, not only the outermost error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import psycopg
import sqlalchemy.exc
from eventsourcing import persistence

# A server restarted or a connection killed (psycopg: AdminShutdown, connection refused, lock
# or statement timeouts), a pool that could not connect, a SQLite file locked or unopenable.
OUTAGES: tuple[type[BaseException], ...] = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,  # no connection from SQLAlchemy's pool in time
    persistence.OperationalError,
    persistence.InterfaceError,
    sqlite3.OperationalError,
)
# Opening a database fails with these too: a path that is not a SQLite file, a refused login.
OPENING_FAILURES: tuple[type[BaseException], ...] = (
    *OUTAGES,
    psycopg.Error,
    sqlalchemy.exc.DBAPIError,
    persistence.PersistenceError,
    sqlite3.Error,
    OSError,  # the SQLite file's directory cannot be made or read
    ValueError,  # a database URL of no supported kind
)
MAX_CAUSES = 16  # a chain of causes longer than this is not followed further (cycles)


def causes(error: BaseException) -> Iterator[BaseException]:
    """``error``, then what it was raised from, then what that was raised from …"""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(seen) < MAX_CAUSES:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_outage(error: BaseException) -> bool:
    """The database went away or could not be reached: worth waiting and trying again."""
    return any(isinstance(cause, OUTAGES) for cause in causes(error))


def is_opening_failure(error: BaseException) -> bool:
    """Opening the database failed for a reason of the database's, not a bug of ours."""
    return any(isinstance(cause, OPENING_FAILURES) for cause in causes(error))


def one_line(error: BaseException) -> str:
    """The message of the innermost database error among the causes, on one line: psycopg's
    span several, SQLAlchemy's add a link to its manual. (An error of eventsourcing's pool may
    stand behind the real one, as the exception being handled when it occurred.)"""
    chain = list(causes(error))
    innermost = ([c for c in chain if isinstance(c, OPENING_FAILURES)] or chain)[-1]
    text = " ".join(str(innermost).split()) or type(innermost).__name__
    return text.split(" (Background on this error at:")[0]
