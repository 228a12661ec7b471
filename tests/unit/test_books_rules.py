"""The rules of vouchers and periods (docs/rules.md V-01 … V-10) as pure functions, each both
ways: what passes and what is refused, with its code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.books import rules
from domain.books.errors import BooksError
from domain.ledger.chart import chart_in_force

CHART = chart_in_force(date(2026, 1, 1))
SUBLEDGER = ["112", "211"]


def line(account: str, debit: str = "0", credit: str = "0", **more: Any) -> dict[str, Any]:
    return {
        "account": account,
        "debit_yuan": Decimal(debit),
        "credit_yuan": Decimal(credit),
        "counterparty": more.get("counterparty"),
        "counterparty_kind": more.get("counterparty_kind"),
        "reference": None,
    }


OFFICE = [line("513", debit="120.00"), line("101", credit="120.00")]


def code_of(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(BooksError) as info:
        call(*args, **kwargs)
    return info.value.code


def test_v01_balanced_lines_pass() -> None:
    rules.check_lines_balance(OFFICE)
    rules.check_lines_balance(rules.red_lines(OFFICE), red=True)


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([line("513", debit="1")], "voucher_lines_too_few"),
        ([line("513", debit="1")] * 101, "voucher_lines_too_many"),
        (
            [line("513", debit="1", credit="1"), line("101", credit="1")],
            "voucher_line_side_invalid",
        ),
        ([line("513"), line("101", credit="1")], "voucher_line_side_invalid"),
        ([line("513", debit="-1"), line("101", credit="-1")], "voucher_line_side_invalid"),
        ([line("513", debit="120"), line("101", credit="119.99")], "voucher_not_balanced"),
    ],
)
def test_v01_unbalanced_or_one_sided_lines_are_refused(
    lines: list[dict[str, Any]], code: str
) -> None:
    assert code_of(rules.check_lines_balance, lines) == code


def test_v01_a_red_voucher_has_negative_amounts_only() -> None:
    assert code_of(rules.check_lines_balance, OFFICE, red=True) == "voucher_line_side_invalid"


def test_v01_attachments() -> None:
    assert rules.check_attachments(0) == 0
    assert rules.check_attachments(999) == 999
    for bad in (-1, 1000, True):
        assert code_of(rules.check_attachments, bad) == "attachments_out_of_range"


def test_v02_to_v04_accounts_pass() -> None:
    grant = [line("102", debit="5000"), line("503", credit="5000")]
    rules.check_accounts(OFFICE, CHART, SUBLEDGER)
    rules.check_accounts(grant, CHART, SUBLEDGER)
    owed = [line("112", debit="80", counterparty="张三"), line("501", credit="80")]
    rules.check_accounts(owed, CHART, SUBLEDGER)


def test_v02_an_account_not_in_the_chart_is_refused() -> None:
    lines = [line("599", debit="1"), line("101", credit="1")]
    assert code_of(rules.check_accounts, lines, CHART, SUBLEDGER) == "account_unknown"


def test_v03_321_is_reserved_for_closing() -> None:
    lines = [line("321", debit="1"), line("101", credit="1")]
    assert code_of(rules.check_accounts, lines, CHART, SUBLEDGER) == "account_reserved_for_closing"
    red = rules.red_lines(lines)
    assert code_of(rules.check_accounts, red, CHART, [], red=True) == (
        "account_reserved_for_closing"
    )


def test_v03_income_is_credited_and_expenses_debited_on_an_ordinary_voucher() -> None:
    debited_income = [line("503", debit="1"), line("102", credit="1")]
    credited_expense = [line("102", debit="1"), line("513", credit="1")]
    for lines in (debited_income, credited_expense):
        assert code_of(rules.check_accounts, lines, CHART, SUBLEDGER) == "account_side_invalid"
        rules.check_accounts(rules.red_lines(lines), CHART, SUBLEDGER, red=True)  # exempt


def test_v04_a_subledger_line_names_its_counterparty() -> None:
    lines = [line("112", debit="80"), line("501", credit="80")]
    assert code_of(rules.check_accounts, lines, CHART, SUBLEDGER) == "counterparty_required"
    rules.check_accounts(lines, CHART, ["211"])  # the policy decides which accounts


def test_v05_voucher_date() -> None:
    today = date(2026, 5, 10)
    rules.check_voucher_date(date(2026, 5, 10), today, "")
    rules.check_voucher_date(date(2026, 4, 1), today, "2026-04")
    assert code_of(rules.check_voucher_date, date(2026, 5, 11), today, "") == "date_in_future"
    with pytest.raises(BooksError) as info:
        rules.check_voucher_date(date(2026, 3, 31), today, "2026-04")
    assert info.value.code == "period_closed"
    assert "2026-04 is the first open period" in info.value.message


def test_v06_review() -> None:
    rules.check_reviewable("prepared", "张三", "李四")
    assert code_of(rules.check_reviewable, "posted", "张三", "李四") == "voucher_not_prepared"
    assert code_of(rules.check_reviewable, "rejected", "张三", "李四") == "voucher_not_prepared"
    assert code_of(rules.check_reviewable, "prepared", "Zhang", " zhang ") == (
        "reviewer_is_preparer"
    )


def test_v07_reverse() -> None:
    rules.check_reversible("posted", False, False)
    assert code_of(rules.check_reversible, "prepared", False, False) == "voucher_not_posted"
    assert code_of(rules.check_reversible, "posted", False, True) == "voucher_already_reversed"
    assert code_of(rules.check_reversible, "posted", True, False) == "voucher_is_reversal"
    red = rules.red_lines(OFFICE)
    assert [(r["debit_yuan"], r["credit_yuan"]) for r in red] == [
        (Decimal("-120.00"), Decimal("0")),
        (Decimal("0"), Decimal("-120.00")),
    ]


def test_v08_months_close_in_order_once_ended() -> None:
    today = date(2026, 5, 10)
    rules.check_month_closes("2026-01", [], today)  # the first close: any ended month
    rules.check_month_closes("2026-04", ["2026-02", "2026-03"], today)
    assert code_of(rules.check_month_closes, "2026-05", [], today) == "period_not_ended"
    assert code_of(rules.check_month_closes, "2026-04", ["2026-02"], today) == (
        "period_out_of_order"
    )
    assert code_of(rules.check_month_closes, "2026-02", ["2026-02"], today) == (
        "period_already_closed"
    )


def test_v09_a_year_closes_after_january_to_november() -> None:
    year_2025 = [f"2025-{m:02d}" for m in range(1, 12)]
    rules.check_year_closes(2025, year_2025, [])
    rules.check_year_closes(
        2025, ["2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11"], []
    )  # since the first closed month
    rules.check_year_closes(2025, [], [])  # December is the books' first close
    assert code_of(rules.check_year_closes, 2025, year_2025[:-1], []) == "year_months_not_closed"
    assert code_of(rules.check_year_closes, 2025, ["2026-01"], []) == "year_months_not_closed"
    assert code_of(rules.check_year_closes, 2025, year_2025, [2025]) == "year_already_closed"


def test_v10_only_the_last_closed_month_reopens() -> None:
    rules.check_reopens("2026-03", ["2026-02", "2026-03"])
    assert code_of(rules.check_reopens, "2026-02", ["2026-02", "2026-03"]) == (
        "period_not_last_closed"
    )
    assert code_of(rules.check_reopens, "2026-02", []) == "period_not_last_closed"
