"""The closing vouchers of a year as a pure function of the year's movements (docs/rules.md
B-15), worked by hand.

2025 of a village, debit minus credit in fen: 501 经营收入 −1,000.00, 503 补助收入 −500.00,
513 管理费用 +300.00, 514 公益支出 +200.00, 102 +1,000.00 (not closed).
(1) Dr 501 1,000.00, Dr 503 500.00, Cr 513 300.00, Cr 514 200.00, Cr 321 1,000.00;
(2) 321 then has −1,000.00: Dr 321 1,000.00, Cr 322 1,000.00.
"""

from __future__ import annotations

from datetime import date

from projections.ledger.closing import closing_entries, red_reversal
from projections.ledger.postings import cr, dr

YEAR_END = date(2025, 12, 31)


def test_income_and_expenses_go_to_321_and_321_to_322_on_the_last_day() -> None:
    moved = {"501": -100_000, "503": -50_000, "513": 30_000, "514": 20_000, "102": 100_000}
    first, second = closing_entries(2025, moved)
    assert first.entry_date == second.entry_date == YEAR_END
    assert first.lines == (
        dr("501", 100_000),
        dr("503", 50_000),
        cr("513", 30_000),
        cr("514", 20_000),
        cr("321", 100_000),
    )
    assert second.lines == (dr("321", 100_000), cr("322", 100_000))


def test_a_loss_goes_from_322_to_321() -> None:
    (first, second) = closing_entries(2025, {"501": -10_000, "513": 30_000})
    assert first.lines == (dr("501", 10_000), cr("513", 30_000), dr("321", 20_000))
    assert second.lines == (dr("322", 20_000), cr("321", 20_000))


def test_a_year_without_profit_or_loss_posts_nothing() -> None:
    assert closing_entries(2025, {"102": 500, "311": -500}) == []
    assert closing_entries(2025, {"501": 0}) == []


def test_a_red_reversal_keeps_the_sides_and_negates_the_amounts() -> None:
    red = red_reversal(YEAR_END, "期末结转", [("501", 100, 0), ("321", 0, 100)])
    assert red.red and red.description == "红字冲销：期末结转"
    assert [(line.account, line.debit_fen, line.credit_fen) for line in red.lines] == [
        ("501", -100, 0),
        ("321", 0, -100),
    ]
