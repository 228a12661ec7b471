"""The books' read model (projections/books.py) on SQLite and on PostgreSQL: vouchers with
their lines and status, closed periods and years, and a rebuild equal to the live fold."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from domain.books.inputs import VoucherLineInput
from projections.books import periods, voucher_lines, vouchers, years
from qianwan.bootstrap import Registry
from tests.integration.test_projections import snapshot
from tests.support import ACCOUNTANT, ADMIN, OTHER_VILLAGE, VILLAGE
from tests.support_books import REVIEWER, books_at, office_voucher, posted_voucher


def busy_books(registry: Registry) -> dict[str, str]:
    """A posted voucher reversed in red (posted), a rejected one, a prepared one with a
    sub-ledger line; 2025 closed and December reopened; 2026-01…03 closed."""
    books = books_at(registry.store, registry.places, registry.policies)
    books.close_year(VILLAGE, 2025, ADMIN)
    books.reopen_period(VILLAGE, "2025-12", "年终调整", ADMIN)
    books.close_year(VILLAGE, 2025, ADMIN)
    for month in ("2026-01", "2026-02", "2026-03"):
        books.close_period(VILLAGE, month, ADMIN)
    posted = posted_voucher(books, date(2026, 4, 3))
    red = books.reverse_voucher(posted, date(2026, 4, 20), "冲销", "王五", ACCOUNTANT)
    books.review_voucher(red, REVIEWER, date(2026, 4, 21), ACCOUNTANT)
    rejected = office_voucher(books, date(2026, 4, 8))
    books.reject_voucher(rejected, REVIEWER, "附件不全", ACCOUNTANT)
    owed = office_voucher(
        books,
        date(2026, 5, 2),
        lines=[
            VoucherLineInput("112", "800", counterparty="张三", counterparty_kind="person"),
            VoucherLineInput("501", credit_yuan="800"),
        ],
    )
    office_voucher(books, date(2026, 4, 9), village_code=OTHER_VILLAGE)
    return {"posted": str(posted), "red": str(red), "rejected": str(rejected), "owed": str(owed)}


def test_vouchers_and_periods_are_projected(seeded: Registry) -> None:
    ids = busy_books(seeded)
    with seeded.engine.connect() as conn:
        rows = {
            r.voucher_id: r
            for r in conn.execute(select(vouchers).where(vouchers.c.village_code == VILLAGE))
        }
        lines = conn.execute(
            select(voucher_lines.c.account_code, voucher_lines.c.debit_fen)
            .where(voucher_lines.c.voucher_id == ids["red"])
            .order_by(voucher_lines.c.line_no)
        ).all()
        closed = conn.execute(
            select(periods.c.month, periods.c.closed)
            .where(periods.c.village_code == VILLAGE)
            .order_by(periods.c.month)
        ).all()
        year_rows = conn.execute(select(years.c.year, years.c.closed)).all()
    assert len(rows) == 4
    posted, red = rows[ids["posted"]], rows[ids["red"]]
    assert (posted.status, posted.reversed_by, posted.total_fen) == ("posted", ids["red"], 12000)
    assert (red.status, red.reverses, red.total_fen, red.month) == (
        "posted",
        ids["posted"],
        -12000,
        "2026-04",
    )
    assert (rows[ids["rejected"]].status, rows[ids["rejected"]].rejection_reason) == (
        "rejected",
        "附件不全",
    )
    assert (rows[ids["owed"]].status, rows[ids["owed"]].reviewer) == ("prepared", None)
    assert [tuple(r) for r in lines] == [("513", -12000), ("101", 0)]
    assert [tuple(r) for r in closed] == [
        ("2025-12", True),
        ("2026-01", True),
        ("2026-02", True),
        ("2026-03", True),
    ]
    assert [tuple(r) for r in year_rows] == [(2025, True)]


def test_a_rebuild_gives_exactly_the_live_books(seeded: Registry) -> None:
    busy_books(seeded)
    built = snapshot(seeded)
    assert len(built["books_vouchers"]) == 5
    assert len(built["books_voucher_lines"]) == 10
    seeded.runner.rebuild()
    assert snapshot(seeded) == built
