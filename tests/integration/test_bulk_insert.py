"""``insert_rows`` (projections/batching.py) stores exactly what a plain INSERT stores, on SQLite
and on PostgreSQL, where many rows go by COPY; a bad row fails the batch and nothing stays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
)

from projections.batching import COPY_FROM_ROWS, insert_rows
from qianwan.bootstrap import Registry


def twin_tables() -> tuple[Table, Table]:
    metadata = MetaData()

    def table(name: str) -> Table:
        return Table(
            name,
            metadata,
            Column("n", Integer, primary_key=True),
            Column("code", String(80), nullable=False),
            Column("fen", BigInteger, nullable=False),
            Column("flag", Boolean, nullable=False),
            Column("day", Date),
            Column("at", DateTime(timezone=True)),
            Column("digest", LargeBinary),
            Column("note", Text),
        )

    return table("bulk_copied"), table("bulk_inserted")


def rows(count: int) -> list[dict[str, Any]]:
    start = datetime(2024, 1, 31, 23, 59, 59, 123456, tzinfo=UTC)
    tricky = 'tab\t newline\n backslash \\ quote " 零 \u2028 end'
    return [
        {
            "n": n,
            "code": f"3201171072{n:02d}" if n % 7 else tricky,
            "fen": 10**15 + n if n % 2 else -n,
            "flag": n % 3 == 0,
            "day": None if n % 5 == 0 else date(2024, 2, 29) + timedelta(days=n),
            "at": None if n % 4 == 0 else start + timedelta(minutes=n),
            "digest": bytes([n % 256, 0, 255, 92, 10]) if n % 6 else None,
            "note": None if n % 9 == 0 else f"备注 {n}\\N",
        }
        for n in range(count)
    ]


def test_many_rows_are_stored_as_a_plain_insert_stores_them(registry: Registry) -> None:
    copied, inserted = twin_tables()
    many = rows(COPY_FROM_ROWS * 3)
    with registry.engine.begin() as conn:
        copied.create(conn)
        inserted.create(conn)
        insert_rows(conn, copied, many)
        conn.execute(insert(inserted), many)
    with registry.engine.connect() as conn:
        got = conn.execute(select(copied).order_by(copied.c.n)).all()
        want = conn.execute(select(inserted).order_by(inserted.c.n)).all()
    assert [tuple(r) for r in got] == [tuple(r) for r in want]
    assert len(got) == len(many) and got[7].code == many[7]["code"]


def test_a_row_without_a_column_fails_the_batch_and_nothing_is_stored(
    registry: Registry,
) -> None:
    copied, _ = twin_tables()
    with registry.engine.begin() as conn:
        copied.create(conn)
    bad = rows(COPY_FROM_ROWS * 2)
    del bad[-1]["note"]
    bad[-1]["other"] = "not a column"
    with pytest.raises(Exception), registry.engine.begin() as conn:  # noqa: B017
        insert_rows(conn, copied, bad)
    with registry.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(copied)) == 0
