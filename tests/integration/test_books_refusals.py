"""Every refusal of the books context records nothing, on SQLite and on PostgreSQL: the events
in the store are counted before and after (docs/rules.md V-01 … V-10)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import pytest

from domain.books.application import BooksApplication
from domain.books.inputs import VoucherLineInput
from qianwan.bootstrap import Registry
from tests.support import ACCOUNTANT, ADMIN, OTHER_VILLAGE, VILLAGE, refused
from tests.support_books import REVIEWER, books_at, office_voucher, posted_voucher

Line = VoucherLineInput


@pytest.fixture
def books(seeded: Registry) -> BooksApplication:
    books = books_at(seeded.store, seeded.places, seeded.policies)
    books.close_period(VILLAGE, "2026-02", ADMIN)
    return books


REFUSALS: dict[str, Callable[[BooksApplication], object]] = {
    "voucher_lines_too_few": lambda b: office_voucher(b, lines=[Line("513", "1")]),
    "voucher_lines_too_many": lambda b: office_voucher(b, lines=[Line("513", "1")] * 101),
    "voucher_line_side_invalid": lambda b: office_voucher(
        b, lines=[Line("513", "1", "1"), Line("101", "0", "0")]
    ),
    "voucher_not_balanced": lambda b: office_voucher(
        b, lines=[Line("513", "1"), Line("101", "0", "2")]
    ),
    "account_unknown": lambda b: office_voucher(b, lines=[Line("599", "1"), Line("101", "0", "1")]),
    "account_reserved_for_closing": lambda b: office_voucher(
        b, lines=[Line("321", "1"), Line("101", "0", "1")]
    ),
    "account_side_invalid": lambda b: office_voucher(
        b, lines=[Line("503", "1"), Line("102", "0", "1")]
    ),
    "counterparty_required": lambda b: office_voucher(
        b, lines=[Line("211", "0", "1"), Line("513", "1")]
    ),
    "date_in_future": lambda b: office_voucher(b, date(2026, 5, 11)),
    "period_closed": lambda b: office_voucher(b, date(2026, 2, 28)),
    "attachments_out_of_range": lambda b: office_voucher(b, attachments=-1),
    "date_before_chart_of_accounts": lambda b: office_voucher(b, date(2023, 6, 1)),
    "amount_exceeds_maximum": lambda b: office_voucher(
        b, lines=[Line("513", "1000000000000"), Line("101", "0", "1000000000000")]
    ),
    "voucher_not_found": lambda b: b.review_voucher(uuid4(), REVIEWER, date(2026, 4, 5), ADMIN),
    "reviewer_is_preparer": lambda b: b.review_voucher(
        office_voucher(b), "张会计", date(2026, 4, 5), ACCOUNTANT
    ),
    "voucher_not_posted": lambda b: b.reverse_voucher(
        office_voucher(b), date(2026, 4, 5), "冲销", "王五", ACCOUNTANT
    ),
    "period_not_ended": lambda b: b.close_period(VILLAGE, "2026-05", ADMIN),
    "period_out_of_order": lambda b: b.close_period(VILLAGE, "2026-04", ADMIN),
    "period_already_closed": lambda b: b.close_period(VILLAGE, "2026-02", ADMIN),
    "period_not_last_closed": lambda b: b.reopen_period(VILLAGE, "2026-01", "漏记", ADMIN),
    "year_months_not_closed": lambda b: b.close_year(VILLAGE, 2026, ADMIN),
}


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_a_refusal_records_nothing(seeded: Registry, books: BooksApplication, code: str) -> None:
    prepared = code in ("reviewer_is_preparer", "voucher_not_posted")
    if not prepared:
        with refused(seeded.store, code):
            REFUSALS[code](books)
        return
    # These need a voucher first: it is recorded, then the refused step records nothing more.
    voucher_id = office_voucher(books)
    before = seeded.store.last_notification_id()
    with pytest.raises(Exception) as info:
        if code == "reviewer_is_preparer":
            books.review_voucher(voucher_id, " 张会计", date(2026, 4, 5), ACCOUNTANT)
        else:
            books.reverse_voucher(voucher_id, date(2026, 4, 5), "冲销", "王五", ACCOUNTANT)
    assert getattr(info.value, "code", None) == code
    assert seeded.store.last_notification_id() == before


def test_the_reversal_refusals_record_nothing(seeded: Registry, books: BooksApplication) -> None:
    original = posted_voucher(books)
    red = books.reverse_voucher(original, date(2026, 4, 20), "冲销", "王五", ACCOUNTANT)
    with refused(seeded.store, "voucher_already_reversed"):
        books.reverse_voucher(original, date(2026, 4, 20), "再冲", "王五", ACCOUNTANT)
    with refused(seeded.store, "voucher_is_reversal"):
        books.reverse_voucher(red, date(2026, 4, 20), "冲红字", "王五", ACCOUNTANT)
    books.review_voucher(red, REVIEWER, date(2026, 4, 21), ACCOUNTANT)
    with refused(seeded.store, "voucher_not_prepared"):
        books.reject_voucher(red, REVIEWER, "晚了", ACCOUNTANT)


def test_the_year_refusals_record_nothing(seeded: Registry, books: BooksApplication) -> None:
    books.close_year(OTHER_VILLAGE, 2025, ADMIN)  # December is that village's first close
    with refused(seeded.store, "year_already_closed"):
        books.close_year(OTHER_VILLAGE, 2025, ADMIN)
