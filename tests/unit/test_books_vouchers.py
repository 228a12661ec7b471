"""Vouchers and periods through the books application on the in-memory store: the whole life of
a voucher and of the periods, and every refusal records nothing (docs/rules.md V-01 … V-10)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.books.application import BooksApplication
from domain.books.inputs import VoucherLineInput
from tests.conftest import Memory
from tests.support import ACCOUNTANT, ADMIN, VILLAGE, refused
from tests.support_books import (
    PREPARER,
    REVIEWER,
    books_at,
    office_voucher,
    posted_voucher,
)


@pytest.fixture
def books(memory: Memory) -> BooksApplication:
    return books_at(memory.store, memory.places, memory.policies)


def test_a_voucher_is_prepared_then_reviewed_which_posts_it(books: BooksApplication) -> None:
    voucher_id = office_voucher(books)
    voucher = books.voucher(voucher_id)
    assert (voucher.status, voucher.preparer, voucher.reverses) == ("prepared", PREPARER, None)
    assert voucher.lines[0] == {
        "account": "513",
        "debit_yuan": Decimal("120.00"),
        "credit_yuan": Decimal("0.00"),
        "counterparty": None,
        "counterparty_kind": None,
        "reference": None,
    }
    books.review_voucher(voucher_id, REVIEWER, date(2026, 4, 5), ACCOUNTANT)
    voucher = books.voucher(voucher_id)
    assert (voucher.status, voucher.reviewer, voucher.reviewed_on) == (
        "posted",
        REVIEWER,
        date(2026, 4, 5),
    )


def test_the_preparer_never_reviews_nor_rejects(memory: Memory, books: BooksApplication) -> None:
    voucher_id = office_voucher(books)
    with refused(memory.store, "reviewer_is_preparer"):
        books.review_voucher(voucher_id, f"  {PREPARER} ", date(2026, 4, 5), ACCOUNTANT)
    with refused(memory.store, "reviewer_is_preparer"):
        books.reject_voucher(voucher_id, PREPARER, "重复", ACCOUNTANT)


def test_only_a_prepared_voucher_is_reviewed(memory: Memory, books: BooksApplication) -> None:
    voucher_id = posted_voucher(books)
    with refused(memory.store, "voucher_not_prepared"):
        books.review_voucher(voucher_id, "王五", date(2026, 4, 5), ACCOUNTANT)
    rejected = office_voucher(books)
    books.reject_voucher(rejected, REVIEWER, "附件不全", ACCOUNTANT)
    assert books.voucher(rejected).status == "rejected"
    with refused(memory.store, "voucher_not_prepared"):
        books.review_voucher(rejected, REVIEWER, date(2026, 4, 5), ACCOUNTANT)


def test_a_red_reversal_negates_the_lines_and_names_the_original(
    memory: Memory, books: BooksApplication
) -> None:
    original = posted_voucher(books)
    red_id = books.reverse_voucher(
        original, date(2026, 5, 6), "冲销4月办公用品", "王五", ACCOUNTANT
    )
    red = books.voucher(red_id)
    assert (red.status, red.reverses, red.voucher_date) == ("prepared", original, date(2026, 5, 6))
    assert [(x["debit_yuan"], x["credit_yuan"]) for x in red.lines] == [
        (Decimal("-120.00"), Decimal("0.00")),
        (Decimal("0.00"), Decimal("-120.00")),
    ]
    assert books.voucher(original).reversal_id == red_id
    with refused(memory.store, "voucher_already_reversed"):
        books.reverse_voucher(original, date(2026, 5, 6), "再冲", "王五", ACCOUNTANT)
    with refused(memory.store, "voucher_is_reversal"):
        books.reverse_voucher(red_id, date(2026, 5, 6), "冲红字", "王五", ACCOUNTANT)
    books.reject_voucher(red_id, REVIEWER, "日期错", ACCOUNTANT)  # frees the original
    assert books.voucher(original).reversal_id is None
    again = books.reverse_voucher(original, date(2026, 5, 7), "冲销", "王五", ACCOUNTANT)
    books.review_voucher(again, REVIEWER, date(2026, 5, 7), ACCOUNTANT)
    assert books.voucher(again).status == "posted"
    with refused(memory.store, "voucher_already_reversed"):
        books.reverse_voucher(original, date(2026, 5, 8), "再冲", "王五", ACCOUNTANT)


def test_only_a_posted_voucher_is_reversed(memory: Memory, books: BooksApplication) -> None:
    voucher_id = office_voucher(books)
    with refused(memory.store, "voucher_not_posted"):
        books.reverse_voucher(voucher_id, date(2026, 5, 6), "冲销", "王五", ACCOUNTANT)


def test_periods_close_in_order_and_refuse_vouchers_dated_in_them(
    memory: Memory, books: BooksApplication
) -> None:
    assert books.first_open_month(VILLAGE) is None
    books.close_period(VILLAGE, "2026-02", ADMIN)
    books.close_period(VILLAGE, "2026-03", ADMIN)
    assert books.first_open_month(VILLAGE) == "2026-04"
    with refused(memory.store, "period_closed") as info:
        office_voucher(books, date(2026, 3, 31))
    assert "2026-04 is the first open period" in info.value.message
    with refused(memory.store, "period_out_of_order"):
        books.close_period(VILLAGE, "2026-01", ADMIN)
    with refused(memory.store, "period_already_closed"):
        books.close_period(VILLAGE, "2026-03", ADMIN)
    books.close_period(VILLAGE, "2026-04", ADMIN)
    with refused(memory.store, "period_not_ended"):
        books.close_period(VILLAGE, "2026-05", ADMIN)  # today is 2026-05-10
    with refused(memory.store, "invalid_input"):
        books.close_period(VILLAGE, "2026-5", ADMIN)


def test_a_prepared_voucher_whose_month_closed_is_not_posted(
    memory: Memory, books: BooksApplication
) -> None:
    voucher_id = office_voucher(books, date(2026, 4, 3))
    books.close_period(VILLAGE, "2026-04", ADMIN)
    with refused(memory.store, "period_closed"):
        books.review_voucher(voucher_id, REVIEWER, date(2026, 5, 2), ACCOUNTANT)


def test_reopening_only_the_last_closed_month(memory: Memory, books: BooksApplication) -> None:
    books.close_period(VILLAGE, "2026-03", ADMIN)
    books.close_period(VILLAGE, "2026-04", ADMIN)
    with refused(memory.store, "period_not_last_closed"):
        books.reopen_period(VILLAGE, "2026-03", "漏记", ADMIN)
    books.reopen_period(VILLAGE, "2026-04", "漏记一笔", ADMIN)
    assert books.first_open_month(VILLAGE) == "2026-04"
    office_voucher(books, date(2026, 4, 30))


def test_closing_and_reopening_a_year(memory: Memory, books: BooksApplication) -> None:
    for month in range(1, 11):
        books.close_period(VILLAGE, f"2025-{month:02d}", ADMIN)
    with refused(memory.store, "year_months_not_closed"):
        books.close_year(VILLAGE, 2025, ADMIN)
    books.close_period(VILLAGE, "2025-11", ADMIN)
    books.close_year(VILLAGE, 2025, ADMIN)  # closes December, then the year
    found = books.books(VILLAGE)
    assert found is not None
    assert found.closed_months[-1] == "2025-12" and found.closed_years == [2025]
    with refused(memory.store, "year_already_closed"):
        books.close_year(VILLAGE, 2025, ADMIN)
    books.reopen_period(VILLAGE, "2025-12", "年终调整", ADMIN)
    found = books.books(VILLAGE)
    assert found is not None and found.closed_years == []
    books.close_year(VILLAGE, 2025, ADMIN)


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([VoucherLineInput("513", debit_yuan="1")], "voucher_lines_too_few"),
        (
            [VoucherLineInput("513", debit_yuan="1"), VoucherLineInput("101", credit_yuan="2")],
            "voucher_not_balanced",
        ),
        (
            [VoucherLineInput("599", debit_yuan="1"), VoucherLineInput("101", credit_yuan="1")],
            "account_unknown",
        ),
        (
            [VoucherLineInput("112", debit_yuan="1"), VoucherLineInput("501", credit_yuan="1")],
            "counterparty_required",
        ),
        (
            [VoucherLineInput("513", debit_yuan="0.001"), VoucherLineInput("101", credit_yuan="0")],
            "amount_not_in_fen",
        ),
        (
            [
                VoucherLineInput("112", debit_yuan="1", counterparty="张三", counterparty_kind="x"),
                VoucherLineInput("501", credit_yuan="1"),
            ],
            "invalid_input",
        ),
    ],
)
def test_bad_lines_are_refused(
    memory: Memory, books: BooksApplication, lines: list[VoucherLineInput], code: str
) -> None:
    with refused(memory.store, code):
        office_voucher(books, lines=lines)


def test_a_subledger_line_keeps_its_counterparty(books: BooksApplication) -> None:
    lines = [
        VoucherLineInput(
            "112", "800", counterparty="张三", counterparty_kind="person", reference="HT-1"
        ),
        VoucherLineInput("501", credit_yuan="800"),
    ]
    voucher = books.voucher(office_voucher(books, lines=lines))
    assert voucher.lines[0]["counterparty"] == "张三"
    assert voucher.lines[0]["reference"] == "HT-1"


def test_other_refusals_record_nothing(memory: Memory, books: BooksApplication) -> None:
    with refused(memory.store, "date_in_future"):
        office_voucher(books, date(2026, 5, 11))
    with refused(memory.store, "date_before_chart_of_accounts"):
        office_voucher(books, date(2023, 12, 31))
    with refused(memory.store, "attachments_out_of_range"):
        office_voucher(books, attachments=1000)
    with refused(memory.store, "invalid_input"):
        office_voucher(books, summary=" ")
    with refused(memory.store, "invalid_input"):
        office_voucher(books, summary="摘" * 201)
    with refused(memory.store, "village_not_registered"):
        office_voucher(books, village_code="320117107999")
    with refused(memory.store, "voucher_not_found"):
        books.review_voucher(uuid4(), REVIEWER, date(2026, 4, 5), ACCOUNTANT)


def test_the_subledger_accounts_are_a_policy_in_force_on_the_date(
    memory: Memory, books: BooksApplication
) -> None:
    payable = [VoucherLineInput("514", "300"), VoucherLineInput("211", credit_yuan="300")]
    with refused(memory.store, "counterparty_required"):
        office_voucher(books, lines=payable)  # the default: 112 and 211
    memory.policies.set_policy(
        "books.subledger_accounts", "320117", date(2026, 4, 1), ["112"], "区文件（测试）", ADMIN
    )
    assert books.subledger_accounts(VILLAGE, date(2026, 3, 31)) == ["112", "211"]
    assert books.subledger_accounts(VILLAGE, date(2026, 4, 1)) == ["112"]
    office_voucher(books, date(2026, 4, 3), lines=payable)
    with refused(memory.store, "counterparty_required"):
        office_voucher(books, date(2026, 3, 31), lines=payable)


@pytest.mark.parametrize("value", [["112", "112"], ["999"], "112", [112]])
def test_a_bad_subledger_accounts_value_is_refused(memory: Memory, value: object) -> None:
    with refused(memory.store, "policy_value_invalid"):
        memory.policies.set_policy(
            "books.subledger_accounts", "CN", date(2024, 1, 1), value, "x", ADMIN
        )


def test_a_review_is_dated_between_the_voucher_and_today(
    memory: Memory, books: BooksApplication
) -> None:
    voucher_id = office_voucher(books, date(2026, 4, 3))
    with refused(memory.store, "invalid_input"):
        books.review_voucher(voucher_id, REVIEWER, date(2026, 4, 2), ACCOUNTANT)
    with refused(memory.store, "invalid_input"):
        books.review_voucher(voucher_id, REVIEWER, date(2026, 5, 11), ACCOUNTANT)
    posted = posted_voucher(books)
    with refused(memory.store, "invalid_input"):
        books.reverse_voucher(posted, date(2026, 4, 2), "冲销", "王五", ACCOUNTANT)
