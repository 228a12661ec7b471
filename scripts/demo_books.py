"""The demo's own books (凭证与结账): a few ordinary journal vouchers per village (office
expenses, a grant from the town, cleaning services owed and paid, newspapers; all in cash, 101),
each prepared by the village accountant and reviewed by its cashier; then every month of 2025
closed and the year closed, which carries 2025's income and expenses to 321 本年收益 and 322
收益分配 and opens 2026 (invented demo data; docs/books.md).

Recorded through the BooksApplication like a real village's books. Loading is resumable: a
village whose 2025 is closed is done; otherwise each voucher already in the read model (same
village, date and summary) is not recorded again, only reviewed if it still waits, and the
months already closed are skipped.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from tqdm import tqdm

from domain.books.inputs import VoucherLineInput
from domain.books.vocabulary import PREPARED
from domain.shared.values import Provenance
from projections.books import vouchers
from qianwan.bootstrap import Registry

CLOSED_YEAR = 2025
MONTHS_BEFORE_DECEMBER = 11
EVENTS_PER_VOUCHER = 2  # prepared, reviewed
# Books.Opened, a PeriodClosed for each month of the year, and YearClosed.
EVENTS_PER_CLOSED_YEAR = 1 + MONTHS_BEFORE_DECEMBER + 1 + 1
CLEANER = "溧水区洁美保洁服务社（演示）"


@dataclass(frozen=True)
class DemoVoucher:
    on: date
    summary: str
    lines: tuple[VoucherLineInput, ...]
    attachments: int


def demo_vouchers(n: int) -> list[DemoVoucher]:
    """The vouchers of the n-th village (amounts differ a little from village to village)."""
    office = Decimal(800 + 37 * n).quantize(Decimal("0.01"))
    grant = Decimal(20000 + 500 * (n % 7))
    cleaning = Decimal(3600 + 120 * (n % 5))
    papers = Decimal(360 + 10 * (n % 10))
    owed = {"counterparty": CLEANER, "counterparty_kind": "organization", "reference": "BJ-2025"}
    return [
        DemoVoucher(
            date(2025, 3, 15),
            "支付村务办公用品费",
            (VoucherLineInput("513", office), VoucherLineInput("101", credit_yuan=office)),
            2,
        ),
        DemoVoucher(
            date(2025, 6, 20),
            "收到镇政府拨付村务运转补助（现金）",
            (VoucherLineInput("101", grant), VoucherLineInput("503", credit_yuan=grant)),
            1,
        ),
        DemoVoucher(
            date(2025, 12, 20),
            "应付全年村庄保洁服务费",
            (
                VoucherLineInput("514", cleaning),
                VoucherLineInput("211", credit_yuan=cleaning, **owed),
            ),
            3,
        ),
        DemoVoucher(
            date(2026, 1, 15),
            "支付2025年村庄保洁服务费",
            (
                VoucherLineInput("211", cleaning, **owed),
                VoucherLineInput("101", credit_yuan=cleaning),
            ),
            2,
        ),
        DemoVoucher(
            date(2026, 3, 21),
            "支付2026年报刊订阅费",
            (VoucherLineInput("513", papers), VoucherLineInput("101", credit_yuan=papers)),
            1,
        ),
    ]


def demo_villages(places: dict[str, Any]) -> list[tuple[str, str]]:
    return [(v["code"], v["name"]) for t in places["towns"] for v in t["villages"]]


def planned_books_events(places: dict[str, Any]) -> int:
    """How many events the books demo records into a store holding the rest of the demo."""
    per_village = EVENTS_PER_VOUCHER * len(demo_vouchers(0)) + EVENTS_PER_CLOSED_YEAR
    return per_village * len(demo_villages(places))


def books_demo_loaded(registry: Registry, places: dict[str, Any]) -> bool:
    """True when every demo village has closed 2025."""
    return all(year_closed(registry, code) for code, _ in demo_villages(places))


def year_closed(registry: Registry, village_code: str) -> bool:
    books = registry.books.books(village_code)
    return books is not None and CLOSED_YEAR in books.closed_years


def load_books_demo(registry: Registry, places: dict[str, Any], progress: bool = True) -> None:
    """Record the demo vouchers and close 2025 in every village; what is there is skipped."""
    registry.runner.catch_up()  # the vouchers already recorded, when loaded without waiting
    villages = demo_villages(places)
    with tqdm(
        total=planned_books_events(places),
        desc="demo books",
        unit="fact",
        file=sys.stderr,
        disable=not progress,
    ) as bar:
        for n, (code, name) in enumerate(villages):
            before = registry.store.last_notification_id()
            if not year_closed(registry, code):
                load_village_books(registry, n, code, name)
            bar.update(registry.store.last_notification_id() - before)


def load_village_books(registry: Registry, n: int, code: str, name: str) -> None:
    books = registry.books
    by = Provenance(f"accountant:{code}", f"{name}2025年度账务（演示）")
    preparer, reviewer = f"{name}会计", f"{name}出纳"
    with registry.engine.connect() as conn:
        recorded = {
            (r.voucher_date, r.summary): (r.voucher_id, r.status)
            for r in conn.execute(
                select(
                    vouchers.c.voucher_id,
                    vouchers.c.voucher_date,
                    vouchers.c.summary,
                    vouchers.c.status,
                ).where(vouchers.c.village_code == code)
            )
        }
    for voucher in demo_vouchers(n):
        found = recorded.get((voucher.on, voucher.summary))
        if found is None:
            voucher_id = books.record_voucher(
                code,
                voucher.on,
                voucher.summary,
                list(voucher.lines),
                voucher.attachments,
                preparer,
                by,
            )
            status = PREPARED
        else:
            voucher_id, status = UUID(str(found[0])), found[1]
        if status == PREPARED:
            books.review_voucher(voucher_id, reviewer, voucher.on, by)
    closed = books.books(code)
    done = closed.closed_months if closed else []
    for month in range(1, MONTHS_BEFORE_DECEMBER + 1):
        label = f"{CLOSED_YEAR}-{month:02d}"
        if label not in done:
            books.close_period(code, label, by)
    books.close_year(code, CLOSED_YEAR, by)
