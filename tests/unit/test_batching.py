"""Deferred sums with a kept-largest column, and the batch memo that is emptied whenever the
deferred writes go to the database (projections/batching.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table, create_engine, select
from sqlalchemy.engine import Engine

from projections.batching import DeferredWrites, add_later

meta = MetaData()
sums = Table(
    "sums",
    meta,
    Column("key", String(8), primary_key=True),
    Column("amount", BigInteger, nullable=False),
    Column("last_date", Date, nullable=False),
)


def rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(sums).order_by(sums.c.key))]


def test_deferred_sums_add_up_and_keep_the_latest_date_within_and_across_batches() -> None:
    engine = create_engine("sqlite://")
    meta.create_all(engine)
    deferred = DeferredWrites()
    deferred.add(sums, {"key": "a"}, {"amount": 5}, {"last_date": date(2024, 3, 9)})
    deferred.add(sums, {"key": "a"}, {"amount": -2}, {"last_date": date(2024, 3, 1)})
    deferred.add(sums, {"key": "b"}, {"amount": 1}, {"last_date": date(2024, 1, 1)})
    deferred.memo["counters"] = {"a": 3}
    with engine.begin() as conn:
        deferred.write(conn)
    assert deferred.memo == {}  # what was deferred is written: read it from the database again
    assert rows(engine) == [("a", 3, date(2024, 3, 9)), ("b", 1, date(2024, 1, 1))]

    with engine.begin() as conn:  # outside a batch: written at once, the same way
        add_later(conn, sums, {"key": "a"}, {"amount": 10}, {"last_date": date(2024, 2, 1)})
        add_later(conn, sums, {"key": "b"}, {"amount": 10}, {"last_date": date(2024, 5, 1)})
    assert rows(engine) == [("a", 13, date(2024, 3, 9)), ("b", 11, date(2024, 5, 1))]
