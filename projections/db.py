"""The projections' database: SQLAlchemy 2 Core tables in the same database as the event log."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    exc,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from qianwan.settings import POSTGRES_CONNECT_SECONDS, Settings

metadata = MetaData()

# Where each projection has got to in the event log (the last notification id it applied).
positions = Table(
    "projection_positions",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
)

# Projections that met an event they cannot fold (projections/halting.py): each stays
# at the position before that event, the others go on, until an operator resumes it.
halts = Table(
    "projection_halts",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
    Column("error", Text, nullable=False),
    Column("halted_at", DateTime(timezone=True), nullable=False),
)


def lowest_position(conn: Connection, names: Sequence[str]) -> int | None:
    """The lowest position of the projections named (None: none of them has one)."""
    found: list[int] = list(
        conn.scalars(select(positions.c.position).where(positions.c.name.in_(names)))
    )
    return min(found, default=None)


def read_positions(
    conn: Connection, names: Collection[str]
) -> tuple[tuple[tuple[str, int], ...], bool]:
    """The positions of the projections named, by name, and whether any of them is halted: in
    one statement, what a read kept by the positions costs (api/answers.py)."""
    query = select(positions.c.name, positions.c.position, halts.c.name).outerjoin(
        halts, halts.c.name == positions.c.name
    )
    found = [(name, pos, halted) for name, pos, halted in conn.execute(query) if name in names]
    return tuple(sorted((name, pos) for name, pos, _ in found)), any(h for *_, h in found)


def analyze(engine: Engine, tables: Iterable[Table]) -> None:
    """Refresh PostgreSQL's statistics of ``tables`` after a bulk fold (a rebuild): without them
    the planner takes a million-row register for a few rows and walks it where an index would
    do (the dashboard's meals after death: 2.8 s instead of 0.1 s). Autovacuum does the same in
    steady use. SQLite's plans do not lean on statistics here: nothing to do."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in tables:
            conn.execute(text(f'ANALYZE "{table.name}"'))


def lock_positions(conn: Connection, names: Sequence[str]) -> None:
    """Take the position rows of the projections named for the transaction, in the order of
    their names (so that runners of overlapping shares cannot deadlock). On SQLite any write
    takes the database's one write lock; on PostgreSQL the rows' locks, so that runners of
    other projections fold at the same time (projections/parallel.py)."""
    chosen = sorted(names)
    if conn.dialect.name == "postgresql":
        conn.execute(
            select(positions.c.name)
            .where(positions.c.name.in_(chosen))
            .order_by(positions.c.name)
            .with_for_update()
        )
    else:
        conn.execute(
            update(positions)
            .where(positions.c.name.in_(chosen))
            .values(position=positions.c.position)
        )


# Any fixed number: the PostgreSQL advisory lock every process takes while creating tables.
SCHEMA_LOCK_KEY = 7_221_117
# A pooled PostgreSQL connection idle longer than this is pinged before it is used again (the
# server may have restarted meanwhile); one in steady use is not: a ping is a round trip.
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "qianwan_idle_since"


@contextmanager
def schema_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    """Serialise table creation across processes. Two servers starting at once would otherwise
    race in CREATE TABLE / CREATE TYPE and one would fail ("tuple concurrently updated").
    SQLite serialises DDL by its file lock already."""
    if not settings.is_postgres:
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        conn.commit()
        try:
            schema = settings.postgres_schema
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            conn.commit()
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
            conn.commit()


def make_engine(settings: Settings) -> Engine:
    if settings.is_postgres:
        schema = settings.postgres_schema
        engine = create_engine(
            settings.sqlalchemy_url(),
            pool_size=5,
            max_overflow=5,
            pool_pre_ping=False,  # pinged when idle instead (ping_when_idle)
            connect_args={
                # jit off: the read models answer short queries (a statement, a page of a list),
                # where compiling a plan costs more than it saves — tens of milliseconds on a
                # statement that runs in tens of milliseconds (qianwan bench, statements phase).
                "options": f"-csearch_path={schema} -cjit=off",
                "connect_timeout": POSTGRES_CONNECT_SECONDS,
            },
        )
        ping_when_idle(engine)
        return engine
    engine = create_engine(
        settings.sqlalchemy_url(),
        connect_args={"timeout": 30, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def ping_when_idle(engine: Engine) -> None:
    """Ping a connection taken from the pool only when it has been idle for
    PING_AFTER_IDLE_SECONDS (SQLAlchemy's ``pool_pre_ping`` pings at every checkout: one more
    round trip for every read). A failed ping makes the pool open another connection; a
    connection that broke within the second fails its statement, which answers
    ``database_unavailable`` (api/responses.py) and drops the pool's connections."""

    @event.listens_for(engine, "checkin")
    def _idle(dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return  # a new connection, or one used a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:
            raise exc.DisconnectionError(str(error)) from error
