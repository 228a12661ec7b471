"""Writes a projection defers to the end of the runner's batch, to go to the database in bulk.

A handler that writes one row per event costs one statement (and one round trip on PostgreSQL)
per event: a meal upload of 300 meals is 300 INSERTs. Through ``insert_later`` the handler hands
its row to the batch instead, and the runner writes every deferred row of a table with ONE
``conn.execute(insert(table), rows)``; ``add_later`` adds numbers to a row of a summary table
(created when absent) and the runner writes each key once per batch, however many events
touched it.

Nothing changes about exactly-once: the deferred rows are written in the batch's transaction,
before the positions move, so a failure anywhere still rolls back the whole batch.

What a handler may rely on: before calling a handler that is not marked ``@batched``, the runner
writes whatever the same projection deferred so far, so the handler reads and updates the
tables as if every earlier event had been applied one by one. A ``@batched`` handler promises
that it neither reads nor updates rows that an earlier handler of its projection may have
deferred, except through ``deferred_row``. Outside a runner batch (a handler called directly)
both functions write at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, case, insert
from sqlalchemy.dialects import postgresql, sqlite

H = TypeVar("H", bound=Callable[..., Any])
ROWS_PER_STATEMENT = 5000  # rows per executemany, so that one statement stays a sane size
COPY_FROM_ROWS = 50  # PostgreSQL: from this many rows on, insert_rows uses COPY
_BATCHED = "__qianwan_batched__"


def batched(handler: H) -> H:
    """Mark a handler that only defers its writes (see the module docstring)."""
    setattr(handler, _BATCHED, True)
    return handler


def is_batched(handler: Callable[..., Any]) -> bool:
    return bool(getattr(handler, _BATCHED, False))


class DeferredWrites:
    """One projection's deferred writes in one batch: rows to insert, per table in the order the
    tables were first used (so that an entry precedes its lines), and sums to add per key."""

    def __init__(self) -> None:
        self.rows: dict[Table, list[dict[str, Any]]] = {}
        self.keyed: dict[Table, dict[Any, dict[str, Any]]] = {}
        self.sums: dict[Table, dict[tuple[Any, ...], list[int]]] = {}
        self.sum_columns: dict[Table, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.latest: dict[Table, dict[tuple[Any, ...], dict[str, Any]]] = {}
        self.memo: dict[str, Any] = {}  # a handler's own cache of what is written or deferred
        self.first_notification_id: int | None = None

    def __bool__(self) -> bool:
        return bool(self.rows or self.sums)

    def insert(self, table: Table, row: dict[str, Any], key: Any = None) -> None:
        self.rows.setdefault(table, []).append(row)
        if key is not None:
            self.keyed.setdefault(table, {})[key] = row

    def add(
        self,
        table: Table,
        key: Mapping[str, Any],
        amounts: Mapping[str, int],
        latest: Mapping[str, Any] | None = None,
    ) -> None:
        columns = (tuple(key), tuple(amounts))
        known = self.sum_columns.setdefault(table, columns)
        assert known == columns, f"{table.name}: every add_later names the same columns"
        values = tuple(key.values())
        totals = self.sums.setdefault(table, {}).setdefault(values, [0] * len(amounts))
        for n, amount in enumerate(amounts.values()):
            totals[n] += amount
        if latest:
            kept = self.latest.setdefault(table, {}).setdefault(values, dict(latest))
            for column, value in latest.items():
                kept[column] = max(kept[column], value)

    def write(self, conn: Connection) -> None:
        for table, rows in self.rows.items():
            insert_rows(conn, table, rows)
        for table, sums in self.sums.items():
            key_columns, amount_columns = self.sum_columns[table]
            latest = self.latest.get(table, {})
            rows = [
                {
                    **dict(zip(key_columns, key, strict=True)),
                    **dict(zip(amount_columns, totals, strict=True)),
                    **latest.get(key, {}),
                }
                for key, totals in sums.items()
            ]
            latest_columns = tuple(rows[0])[len(key_columns) + len(amount_columns) :]
            upsert_sums(conn, table, key_columns, amount_columns, rows, latest_columns)
        self.__init__()  # type: ignore[misc]


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT every row (dicts naming the same columns), in the connection's transaction.

    On PostgreSQL many rows go by ``COPY … FROM STDIN``: psycopg's ``executemany`` sends one
    bind and execute per row and dumps each parameter in Python, which made the projections'
    bulk writes cost more than everything else of a fold. The projection tables have no
    column defaults or type decorators, so COPY stores exactly what INSERT would.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        columns = list(rows[0])
        if all(len(row) == len(columns) for row in rows):
            _copy_rows(conn, table, columns, rows)
            return
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        conn.execute(insert(table), rows[start : start + ROWS_PER_STATEMENT])


def _copy_rows(
    conn: Connection, table: Table, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    from psycopg import sql  # PostgreSQL only

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(*([table.schema] if table.schema else []), table.name),
        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
    )
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])  # KeyError: a row without a column


def upsert_sums(
    conn: Connection,
    table: Table,
    key_columns: tuple[str, ...],
    amount_columns: tuple[str, ...],
    rows: list[dict[str, Any]],
    latest_columns: tuple[str, ...] = (),
) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE SET amount = amount + excluded.amount, in bulk;
    each of ``latest_columns`` keeps the larger of the stored and the new value."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        statement = sqlite.insert(table)
    else:  # pragma: no cover - the registry runs on SQLite and PostgreSQL only
        raise NotImplementedError(dialect)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[c] for c in key_columns],
        set_={
            **{c: table.c[c] + statement.excluded[c] for c in amount_columns},
            **{
                c: case(
                    (statement.excluded[c] > table.c[c], statement.excluded[c]), else_=table.c[c]
                )
                for c in latest_columns
            },
        },
    )
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        conn.execute(statement, rows[start : start + ROWS_PER_STATEMENT])


class BatchWrites:
    """The deferred writes of every projection in the running batch; ``current`` is the one
    whose handler runs now."""

    def __init__(self) -> None:
        self.by_projection: dict[str, DeferredWrites] = {}
        self.current: DeferredWrites | None = None
        self.notification_id = 0

    def of(self, projection: str) -> DeferredWrites:
        found = self.by_projection.get(projection)
        if found is None:
            found = self.by_projection[projection] = DeferredWrites()
        return found


_running: ContextVar[BatchWrites | None] = ContextVar("qianwan_batch_writes", default=None)


def _deferred() -> DeferredWrites | None:
    batch = _running.get()
    if batch is None or batch.current is None:
        return None
    if batch.current.first_notification_id is None:
        batch.current.first_notification_id = batch.notification_id
    return batch.current


def insert_later(conn: Connection, table: Table, row: dict[str, Any], key: Any = None) -> None:
    """Insert ``row`` at the end of the batch (every row of a table in one statement). ``key``:
    to find the row again with ``deferred_row`` before it is written. Every row of a table must
    name the same columns."""
    deferred = _deferred()
    if deferred is None:
        conn.execute(insert(table), [row])
    else:
        deferred.insert(table, row, key)


def deferred_row(table: Table, key: Any) -> dict[str, Any] | None:
    """A row deferred with ``insert_later(…, key=key)`` and not written yet (it may be changed
    in place), or None."""
    batch = _running.get()
    if batch is None or batch.current is None:
        return None
    return batch.current.keyed.get(table, {}).get(key)


def add_later(
    conn: Connection,
    table: Table,
    key: Mapping[str, Any],
    amounts: Mapping[str, int],
    latest: Mapping[str, Any] | None = None,
) -> None:
    """Add ``amounts`` to the row of ``table`` whose primary key is ``key`` (created with these
    amounts when absent), at the end of the batch: one write per key and batch. ``latest``:
    columns that keep the largest value given (a last date); every call names the same ones."""
    deferred = _deferred()
    if deferred is None:
        row = {**key, **amounts, **(latest or {})}
        upsert_sums(conn, table, tuple(key), tuple(amounts), [row], tuple(latest or ()))
    else:
        deferred.add(table, key, amounts, latest)


def batch_memo() -> dict[str, Any] | None:
    """The running projection's cache for this batch, emptied whenever its deferred writes are
    written (so what it holds is always the database plus what is still deferred), or None
    outside a runner batch."""
    deferred = _deferred()
    return None if deferred is None else deferred.memo


def running(batch: BatchWrites | None) -> Any:
    """Set (or, with None, clear) the batch whose writes ``insert_later`` defers to; returns
    the token to reset it with ``_running.reset``."""
    return _running.set(batch)


def reset(token: Any) -> None:
    _running.reset(token)
