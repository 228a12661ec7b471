"""The demo's books (scripts/demo_books.py) on a small district, SQLite and PostgreSQL: every
village's vouchers posted and 2025 closed into 2026, profit and loss carried to 322; a load
interrupted half-way resumes without recording anything twice, and a second load records
nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from projections.ledger.queries import account_balance
from qianwan.bootstrap import Registry
from scripts import demo_books
from scripts.demo_books import books_demo_loaded, demo_vouchers, load_books_demo
from scripts.demo_books import planned_books_events as planned
from tests.support import OTHER_VILLAGE, VILLAGE

PLACES: dict[str, Any] = {
    "towns": [
        {
            "villages": [
                {"code": VILLAGE, "name": "乌村桥村"},
                {"code": OTHER_VILLAGE, "name": "测试村"},
            ]
        }
    ]
}


def test_the_books_demo_closes_2025_into_2026(seeded: Registry) -> None:
    before = seeded.store.last_notification_id()
    load_books_demo(seeded, PLACES, progress=False)
    assert seeded.store.last_notification_id() - before == planned(PLACES)
    assert books_demo_loaded(seeded, PLACES)
    assert seeded.books.first_open_month(VILLAGE) == "2026-01"
    vouchers = demo_vouchers(0)
    income = sum(
        (line.credit_yuan for v in vouchers for line in v.lines if line.account == "503"),
        Decimal(0),
    )
    expenses = sum(
        (
            Decimal(line.debit_yuan)
            for v in vouchers[:3]
            for line in v.lines
            if line.account in ("513", "514")
        ),
        Decimal(0),
    )
    end_2025, end = date(2025, 12, 31), date(2026, 12, 31)
    with seeded.engine.connect() as conn:
        for account in ("503", "513", "514", "321"):
            assert account_balance(conn, VILLAGE, account, end_2025) == 0, account
        # 322 holds the year's result as a credit (the ledger's sign: debit positive)
        assert account_balance(conn, VILLAGE, "322", end_2025) == -(Decimal(income) - expenses)
        assert account_balance(conn, VILLAGE, "211", end) == 0  # the cleaning bill paid in 2026

    again = seeded.store.last_notification_id()
    load_books_demo(seeded, PLACES, progress=False)
    assert seeded.store.last_notification_id() == again


def test_an_interrupted_books_demo_resumes(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = seeded.store.last_notification_id()
    real = seeded.books.close_period
    calls = 0

    def failing_on_the_fifth_month(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise KeyboardInterrupt
        real(*args)

    monkeypatch.setattr(seeded.books, "close_period", failing_on_the_fifth_month)
    with pytest.raises(KeyboardInterrupt):
        load_books_demo(seeded, PLACES, progress=False)
    monkeypatch.undo()
    load_books_demo(seeded, PLACES, progress=False)
    assert seeded.store.last_notification_id() - before == planned(PLACES)
    assert books_demo_loaded(seeded, PLACES)
    assert demo_books.CLOSED_YEAR == 2025
