"""Batched reads of the books' read model (projections/books.py): vouchers with their lines,
and each village's closed periods. Money in yuan; account names from the chart in force on the
voucher's date. A posted voucher's number is the ledger's (``VoucherNoById``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from api.common import (
    MAX_LIST,
    RegistryLoader,
    Row,
    children_per_key,
    one_per_key,
    rows,
    utc,
    yuan,
)
from api.pagination import Order, PageRequest, equal_to, fetch_page, in_villages
from domain.books.months import next_month
from domain.ledger.chart import chart_in_force
from domain.shared.errors import DateBeforeChartOfAccounts
from projections.books import books_villages, periods, voucher_lines, vouchers, years
from projections.ledger.queries import voucher_numbers

VOUCHER_ORDER = Order("voucher", ("voucher_date", "voucher_id"))


def voucher_view(r: Row) -> Row:
    return {
        "id": r["voucher_id"],
        "village_code": r["village_code"],
        "voucher_date": r["voucher_date"],
        "month": r["month"],
        "summary": r["summary"],
        "status": r["status"],
        "preparer": r["preparer"],
        "reviewer": r["reviewer"],
        "reviewed_on": r["reviewed_on"],
        "rejection_reason": r["rejection_reason"],
        "reverses": r["reverses"],
        "reversed_by": r["reversed_by"],
        "attachments": r["attachments"],
        "total_yuan": yuan(r["total_fen"]),
    }


def account_name_zh(code: str, on: Any) -> str | None:
    try:
        chart = chart_in_force(on)
    except DateBeforeChartOfAccounts:
        return None
    return chart.account(code).name_zh if chart.has(code) else None


@dataclass(frozen=True)
class VoucherFilter:
    village_code: str | None = None
    town_code: str | None = None
    month: str | None = None
    status: str | None = None

    def conditions(self, scope: frozenset[str] | None) -> list[ColumnElement[bool]]:
        c = vouchers.c
        where = in_villages(c.village_code, scope) + equal_to(
            village=(c.village_code, self.village_code),
            month=(c.month, self.month),
            status=(c.status, self.status),
        )
        if self.town_code is not None:
            where.append(c.village_code.startswith(self.town_code, autoescape=True))
        return where


def voucher_page(
    conn: Connection, where: VoucherFilter, request: PageRequest, scope: frozenset[str] | None
) -> Row:
    return fetch_page(conn, vouchers, where.conditions(scope), VOUCHER_ORDER, request, voucher_view)


class VoucherById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = one_per_key(conn, vouchers, vouchers.c.voucher_id, keys)
        return [None if r is None else voucher_view(r) for r in found]


class LinesByVoucher(RegistryLoader):
    """Keys: (voucher id, voucher date). Values: its lines in order, money in yuan."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        ids = [voucher_id for voucher_id, _ in keys]
        found = children_per_key(conn, voucher_lines, voucher_lines.c.voucher_id, ids, ["line_no"])
        return [
            [
                {
                    "line_no": r["line_no"],
                    "account_code": r["account_code"],
                    "account_name": account_name_zh(r["account_code"], on),
                    "debit_yuan": yuan(r["debit_fen"]),
                    "credit_yuan": yuan(r["credit_fen"]),
                    "counterparty": r["counterparty"],
                    "counterparty_kind": r["counterparty_kind"],
                    "reference": r["reference"],
                }
                for r in lines
            ]
            for lines, (_, on) in zip(found, keys, strict=True)
        ]


def periods_view(conn: Connection, village_code: str) -> Row:
    """The village's months and years as the books closed them (the latest MAX_LIST of each),
    and its first open month."""
    months = [
        {**m, "closed_at": utc(m["closed_at"]) if m["closed_at"] else None}
        for m in rows(
            conn,
            select(periods)
            .where(periods.c.village_code == village_code)
            .order_by(periods.c.month.desc())
            .limit(MAX_LIST),
        )[::-1]
    ]
    closed_years = rows(
        conn,
        select(years)
        .where(years.c.village_code == village_code)
        .order_by(years.c.year.desc())
        .limit(MAX_LIST),
    )[::-1]
    closed = [m["month"] for m in months if m["closed"]]
    return {
        "village_code": village_code,
        "first_open_month": next_month(closed[-1]) if closed else None,
        "months": months,
        "years": closed_years,
    }


class PeriodsByBooksId(RegistryLoader):
    """Keys: the Books aggregate's id (what the period mutations return)."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = one_per_key(conn, books_villages, books_villages.c.books_id, keys)
        return [None if r is None else periods_view(conn, r["village_code"]) for r in found]


class VoucherNoById(RegistryLoader):
    """Keys: voucher ids. Values: the number the ledger gave the voucher when it posted, else
    None (projections/ledger/queries.py ``voucher_numbers``)."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = voucher_numbers(conn, keys)
        return [found.get(k) for k in keys]
