"""Replay for auditors: every projection as it stood at a point of the log, folded afresh into a
separate SQLite file, and a digest of each projection's content (docs/audit.md).

The digest of a projection is SHA-256 over its tables in name order; each table contributes its
name, its column names and its rows, every row a compact JSON array of canonical values
(times in UTC ISO 8601, dates ISO, bytes hex, booleans and integers as JSON), the rows sorted by
their encoding. So the digest depends on the content only: not on the storage (SQLite and
PostgreSQL agree), not on the order rows were written or are returned in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Integer, MetaData, Table, insert, select
from sqlalchemy.engine import Engine

from domain.audit.errors import OutputNotWritable, ReplayFileExists
from domain.shared.clock import in_utc
from domain.shared.eventstore import EventStore
from domain.shared.history import MAX_HISTORY_EVENTS
from projections.db import make_engine
from projections.projection import Projection
from projections.runner import ProjectionRunner
from qianwan.settings import PROJECTION_BATCH_SIZE, Settings

TIME_SCAN_PAGE = MAX_HISTORY_EVENTS  # notifications decoded per read when finding a time

# Marks a file as a replay (projections only, no event log): bootstrap refuses to open one as a
# registry (qianwan/bootstrap.py), where every question would find nothing "registered".
replay_metadata = MetaData()
replay_info = Table(
    "replay_info",
    replay_metadata,
    Column("until_notification_id", Integer, nullable=False),
    Column("events", Integer, nullable=False),
    Column("replayed_at", DateTime(timezone=True), nullable=False),
)


def canonical_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"no canonical form for {type(value).__name__}")


def table_lines(conn: Connection, table: Any) -> Iterable[bytes]:
    yield f"table {table.name}\n".encode()
    yield (json.dumps([c.name for c in table.columns]) + "\n").encode()
    rows = sorted(
        json.dumps(
            [canonical_value(v) for v in row], ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        for row in conn.execute(select(table))
    )
    for row in rows:
        yield row + b"\n"


def projection_digest(conn: Connection, projection: Projection) -> str:
    digest = hashlib.sha256()
    for table in sorted(projection.tables, key=lambda t: t.name):
        for line in table_lines(conn, table):
            digest.update(line)
    return digest.hexdigest()


def projection_digests(engine: Engine, projections: Sequence[Projection]) -> dict[str, str]:
    """The digest of each projection's content, by projection name."""
    with engine.connect() as conn:
        return {p.name: projection_digest(conn, p) for p in projections}


def notification_before(store: EventStore, at: datetime) -> int:
    """The last notification id of the log's prefix recorded at or before ``at``: the log up to
    the first event recorded later."""
    moment = in_utc(at, "until")
    last, start = 0, 1
    while True:
        batch = store.recorder.select_notifications(start=start, limit=TIME_SCAN_PAGE)
        for notification in batch:
            event: Any = store.mapper.to_domain_event(notification)
            if event.timestamp > moment:
                return last
            last = notification.id
        if not batch:
            return last
        start = batch[-1].id + 1


@dataclass(frozen=True)
class Replay:
    path: Path
    until: int  # the last notification applied
    events: int  # how many were applied
    digests: dict[str, str]


def replay(
    store: EventStore,
    projections: Sequence[Projection],
    into: Path,
    until: int | None = None,
    batch_size: int = PROJECTION_BATCH_SIZE,
) -> Replay:
    """Fold the log up to notification ``until`` (default: all of it) into every projection
    of a NEW SQLite file. Reads the live log only; writes nothing to the live database."""
    create_new_file(into)
    engine = make_engine(Settings(database_url=f"sqlite:///{into.resolve()}"))
    try:
        runner = ProjectionRunner(store, engine, projections, batch_size)
        runner.create_tables()
        applied = runner.catch_up(until=until)
        reached = min(runner.positions().values(), default=0)
        with engine.begin() as conn:
            replay_metadata.create_all(conn)
            conn.execute(
                insert(replay_info).values(
                    until_notification_id=reached, events=applied, replayed_at=datetime.now(UTC)
                )
            )
        return Replay(into, reached, applied, projection_digests(engine, runner.projections))
    finally:
        engine.dispose()


def create_new_file(into: Path) -> None:
    """Create the (empty) replay file: never an existing one; every file problem coded."""
    try:
        into.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputNotWritable(
            f"cannot create {into.parent}: {error.strerror or error}", field="into"
        ) from None
    try:
        with into.open("xb"):
            pass
    except FileExistsError:
        raise ReplayFileExists(
            f"{into} exists already; a replay writes a new file", field="into"
        ) from None
    except OSError as error:
        raise OutputNotWritable(
            f"cannot create {into}: {error.strerror or error}", field="into"
        ) from None
