"""科目余额表 (account balances over a range of months, with sub-ledger rows) and the aged view of
receivables and payables per counterparty (docs/statements.md)."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from domain.books.months import previous_month
from domain.ledger.chart import chart_in_force
from domain.ledger.statement_errors import StatementPeriodInvalid
from domain.shared.values import from_fen
from projections.ledger.statements.source import (
    BEGINNING,
    ZERO,
    Movement,
    checked_month,
    movements,
    sub_ledger_rows,
    sub_movements,
)

SUB_LEDGER_ACCOUNTS = ("112", "211", "241")  # kept per counterparty (辅助核算)
AGED_ACCOUNTS = ("112", "211")  # receivables and payables, aged per counterparty
STATEMENT_MONTHS_MAX = 120  # ten years in one 科目余额表
STATEMENT_ROWS_MAX = 5000  # rows of one 科目余额表 or aged view (sub-ledger rows past it are cut)
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-90", 31, 90),
    ("91-365", 91, 365),
    (">365", 366, None),
)


@dataclass(frozen=True)
class BalanceRow:
    account_code: str
    name_zh: str
    counterparty: str | None  # None on an account's own row
    reference: str | None
    opening: Decimal  # on the account's normal side: negative is a balance on the other
    debit: Decimal
    credit: Decimal
    closing: Decimal


def _months_between(first: str, last: str) -> int:
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1


def _row(
    code: str,
    name: str,
    side: str,
    before: Movement,
    moved: Movement,
    cp: str | None,
    ref: str | None,
) -> BalanceRow:
    sign = 1 if side == "debit" else -1
    return BalanceRow(
        code,
        name,
        cp,
        ref,
        from_fen(sign * before.net_fen),
        from_fen(moved.debit_fen),
        from_fen(moved.credit_fen),
        from_fen(sign * (before.net_fen + moved.net_fen)),
    )


def account_balances(
    conn: Connection, place: str, first_month: str, last_month: str, sub_ledgers: bool = False
) -> tuple[BalanceRow, ...]:
    """One row per account of the chart with an opening balance or a movement, in chart order;
    with ``sub_ledgers``, each 112/211 row followed by its (counterparty, reference) rows."""
    checked_month(first_month, "start_month")
    checked_month(last_month, "end_month")
    months = _months_between(first_month, last_month)
    if not 1 <= months <= STATEMENT_MONTHS_MAX:
        raise StatementPeriodInvalid(
            f"{first_month}..{last_month} is not 1 to {STATEMENT_MONTHS_MAX} months",
            field="end_month",
        )
    before_month = previous_month(first_month)
    before = movements(conn, place, BEGINNING, before_month)
    moved = movements(conn, place, first_month, last_month)
    subs = (
        sub_ledger_rows(conn, place, first_month, last_month, SUB_LEDGER_ACCOUNTS)
        if sub_ledgers
        else {}
    )
    last_day = date(int(last_month[:4]), int(last_month[5:]), 1)
    chart = chart_in_force(max(last_day, chart_start()))
    rows: list[BalanceRow] = []
    for account in chart.accounts:
        b, m = before.get(account.code, ZERO), moved.get(account.code, ZERO)
        if b.net_fen == 0 and m == ZERO:
            continue
        rows.append(_row(account.code, account.name_zh, account.normal_side, b, m, None, None))
        if account.code not in SUB_LEDGER_ACCOUNTS or not sub_ledgers:
            continue
        for key in sorted(k for k in subs if k[0] == account.code):
            sb, sm = subs[key]
            if sb.net_fen == 0 and sm == ZERO:
                continue
            rows.append(
                _row(account.code, account.name_zh, account.normal_side, sb, sm, key[1], key[2])
            )
    return tuple(rows[:STATEMENT_ROWS_MAX])


def chart_start() -> date:
    from domain.ledger.chart import charts

    return charts()[0].effective_from


@dataclass(frozen=True)
class AgedBalance:
    account_code: str
    counterparty: str
    balance: Decimal  # on the account's normal side
    last_date: date | None
    days: int | None
    bucket: str


def aged_balances(conn: Connection, place: str, as_of_month: str) -> tuple[AgedBalance, ...]:
    """Each counterparty's balance of 112 and 211 at the end of ``as_of_month``, aged by the
    date of its last movement: 0–30, 31–90, 91–365 or over 365 days."""
    checked_month(as_of_month, "month")
    end = date(int(as_of_month[:4]), int(as_of_month[5:]), 1)
    end = end.replace(day=monthrange(end.year, end.month)[1])
    subs = sub_movements(conn, place, BEGINNING, as_of_month, AGED_ACCOUNTS)
    per: dict[tuple[str, str], tuple[int, date | None]] = {}
    for (account, cp, _), sub in subs.items():
        fen, last = per.get((account, cp), (0, None))
        if sub.last_date is not None and (last is None or sub.last_date > last):
            last = sub.last_date
        per[(account, cp)] = (fen + sub.movement.net_fen, last)
    out = []
    for (account, cp), (fen, last) in sorted(per.items()):
        if fen == 0:
            continue
        sign = 1 if account == "112" else -1
        days = None if last is None else (end - last).days
        bucket = next(
            name for name, low, high in AGE_BUCKETS if high is None or (days or 0) <= high
        )
        out.append(AgedBalance(account, cp, from_fen(sign * fen), last, days, bucket))
    return tuple(out[:STATEMENT_ROWS_MAX])
