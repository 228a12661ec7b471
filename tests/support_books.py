"""Shared test data of the books (凭证与结账): a fixed business date, voucher lines, a voucher
carried to posted. Used by the unit, integration and e2e suites of the books."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.books.application import BooksApplication
from domain.books.inputs import VoucherLineInput
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared.eventstore import EventStore
from tests.support import ACCOUNTANT, VILLAGE

TODAY = date(2026, 5, 10)  # the business date the books tests run on
PREPARER = "张会计"
REVIEWER = "李出纳"

OFFICE_LINES = [
    VoucherLineInput("513", debit_yuan="120.00"),
    VoucherLineInput("101", credit_yuan="120.00"),
]


def books_at(
    store: EventStore,
    places: ReferenceApplication,
    policies: PolicyApplication,
    today: date = TODAY,
) -> BooksApplication:
    return BooksApplication(store, places, policies, lambda: today)


def office_voucher(
    books: BooksApplication, on: date = date(2026, 4, 3), lines: Any = None, **more: Any
) -> UUID:
    return books.record_voucher(
        more.get("village_code", VILLAGE),
        on,
        more.get("summary", "购买办公用品"),
        OFFICE_LINES if lines is None else lines,
        more.get("attachments", 2),
        more.get("preparer", PREPARER),
        ACCOUNTANT,
    )


def posted_voucher(books: BooksApplication, on: date = date(2026, 4, 3)) -> UUID:
    voucher_id = office_voucher(books, on)
    books.review_voucher(voucher_id, REVIEWER, on, ACCOUNTANT)
    return voucher_id
