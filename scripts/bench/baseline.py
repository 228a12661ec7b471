"""The machine's own limit, measured in the same run on the same database: the rows the
application stored, inserted plainly, and the notifications it wrote, read and decoded without
projecting. The application's figures are reported as ratios of these.

Plain inserts go into a bare table shaped like the event table (an autoincrement id, the
aggregate id and version with their unique constraint, the topic and the stored bytes), one
transaction per batch exactly as the application batched them, with the database's default
durability (on SQLite the event store's own: WAL, synchronous FULL).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg import sql

from domain.shared.eventstore import EventStore
from qianwan.settings import Settings

BASELINE_TABLE = "bench_baseline"
READ_PAGE = 5000


def rate(count: int, seconds: float) -> float:
    """Things per second; 0 when nothing was timed (every figure of the bench report)."""
    return count / seconds if seconds else 0.0


@dataclass(frozen=True)
class Timing:
    count: int
    seconds: float

    @property
    def per_second(self) -> float:
        return rate(self.count, self.seconds)


def stored_batches(store: EventStore, first_id: int, last_id: int) -> Iterator[list[bytes]]:
    """The stored bytes of the events from ``first_id`` to ``last_id``, cut into the write
    transactions that stored them: every transaction is signed (one row of
    ``event_signatures`` naming its first and last event), so the cut is exact whatever the
    number of uploads per transaction. Read a page at a time."""
    recorder: Any = store.recorder
    ends = {
        s.last_notification_id
        for s in recorder.signatures_covering(first_id, last_id)
        if s.first_notification_id >= first_id
    }
    batch: list[bytes] = []
    start = first_id
    while start <= last_id:
        page = store.recorder.select_notifications(start, READ_PAGE, stop=last_id)
        if not page:
            break
        for n in page:
            batch.append(n.state)
            if n.id in ends:
                yield batch
                batch = []
        start = page[-1].id + 1
    if batch:
        yield batch


def plain_inserts(settings: Settings, batches: Iterable[Sequence[bytes]], topic: str) -> Timing:
    """Insert one row per stored event, batch by batch, each batch one transaction. Only the
    inserts and commits are timed, not reading the bytes back."""
    rows = ([(uuid4(), 1, topic, state) for state in batch] for batch in batches)
    if settings.is_postgres:
        return _postgres(settings, rows)
    return _sqlite(settings, rows)


def _sqlite(settings: Settings, batches: Iterable[list[tuple[UUID, int, str, bytes]]]) -> Timing:
    conn = sqlite3.connect(settings.sqlite_path, isolation_level=None)
    try:
        conn.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        conn.execute(
            f"CREATE TABLE {BASELINE_TABLE} (notification_id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, "
            "topic TEXT NOT NULL, state BLOB NOT NULL, "
            "UNIQUE (originator_id, originator_version))"
        )
        statement = (
            f"INSERT INTO {BASELINE_TABLE} (originator_id, originator_version, topic, state) "
            "VALUES (?,?,?,?)"
        )
        count, seconds = 0, 0.0
        for batch in batches:
            params = [(a.hex, v, t, s) for a, v, t, s in batch]
            started = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(statement, params)
            conn.execute("COMMIT")
            seconds += time.perf_counter() - started
            count += len(batch)
        conn.execute(f"DROP TABLE {BASELINE_TABLE}")
    finally:
        conn.close()
    return Timing(count, seconds)


def _postgres(settings: Settings, batches: Iterable[list[tuple[UUID, int, str, bytes]]]) -> Timing:
    env = settings.eventsourcing_env()
    table = sql.Identifier(env["POSTGRES_SCHEMA"], BASELINE_TABLE)
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.execute(
            sql.SQL(
                "CREATE TABLE {} (notification_id BIGSERIAL PRIMARY KEY, "
                "originator_id uuid NOT NULL, originator_version integer NOT NULL, "
                "topic text NOT NULL, state bytea NOT NULL, "
                "UNIQUE (originator_id, originator_version))"
            ).format(table)
        )
        statement = sql.SQL(
            "INSERT INTO {} (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)"
        ).format(table)
        count, seconds = 0, 0.0
        for batch in batches:
            started = time.perf_counter()
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(statement, batch)
            seconds += time.perf_counter() - started
            count += len(batch)
        conn.execute(sql.SQL("DROP TABLE {}").format(table))
    return Timing(count, seconds)


def read_and_decode(store: EventStore, batch_size: int) -> Timing:
    """Every notification of the log, read in the fold's batches and decoded as the fold
    decodes them, and nothing else."""
    count, start = 0, 1
    started = time.perf_counter()
    while True:
        page = store.recorder.select_notifications(start, batch_size)
        if not page:
            break
        for n in page:
            store.decode(n)
        count += len(page)
        start = page[-1].id + 1
    return Timing(count, time.perf_counter() - started)
