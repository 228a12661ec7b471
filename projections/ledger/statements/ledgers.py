"""总账 (general ledger: an account's opening balance and each month's debit, credit and balance
over a year) and 明细账 (detail ledger: each line with its voucher number and a running balance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection

from domain.books.months import previous_month
from domain.ledger.chart import chart_in_force
from domain.ledger.statement_errors import (
    AccountNotInChart,
    PlaceCodeInvalid,
    StatementPeriodInvalid,
)
from domain.shared.clock import month_of
from domain.shared.values import from_fen
from projections.ledger.statements.journal import (
    DetailLine,
    counterparty_opening,
    day_movements,
    detail_lines,
)
from projections.ledger.statements.source import (
    BEGINNING,
    ZERO,
    add,
    month_text,
    monthly,
    movements,
    village_filter,
)
from projections.ledger.tables import lines

DETAIL_DAYS_MAX = 366 * 5


@dataclass(frozen=True)
class LedgerMonth:
    month: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # debit minus credit at the month's end


@dataclass(frozen=True)
class GeneralLedger:
    place: str
    account_code: str
    name_zh: str
    year: int
    opening: Decimal  # debit minus credit at the end of the previous year
    months: tuple[LedgerMonth, ...]
    debit: Decimal  # the year's
    credit: Decimal
    closing: Decimal


def _name(account: str, day: date) -> str:
    chart = chart_in_force(day)
    if not chart.has(account):
        raise AccountNotInChart(
            f"account {account!r} is not in the {chart.version} chart of accounts", field="account"
        )
    return chart.account(account).name_zh


def general_ledger(conn: Connection, place: str, account: str, year: int) -> GeneralLedger:
    """The account's year, month by month, from the month balances."""
    name = _name(account, date(year, 12, 31))
    opening_fen = movements(conn, place, BEGINNING, month_text(year - 1, 12)).get(account, ZERO)
    by_month = monthly(conn, place, account, month_text(year, 1), month_text(year, 12))
    running = opening_fen.net_fen
    months, debit, credit = [], 0, 0
    for number in range(1, 13):
        m = by_month.get(month_text(year, number), ZERO)
        running += m.net_fen
        debit, credit = debit + m.debit_fen, credit + m.credit_fen
        months.append(
            LedgerMonth(
                month_text(year, number),
                from_fen(m.debit_fen),
                from_fen(m.credit_fen),
                from_fen(running),
            )
        )
    return GeneralLedger(
        place,
        account,
        name,
        year,
        from_fen(opening_fen.net_fen),
        tuple(months),
        from_fen(debit),
        from_fen(credit),
        from_fen(running),
    )


@dataclass(frozen=True)
class DetailLedger:
    village_code: str
    account_code: str
    name_zh: str
    first: date
    last: date
    counterparty: str | None
    opening: Decimal
    lines: tuple[DetailLine, ...]
    closing: Decimal


def detail_ledger(
    conn: Connection,
    village: str,
    account: str,
    first: date,
    last: date,
    counterparty: str | None = None,
) -> DetailLedger:
    """The account's lines of one village from ``first`` to ``last``: opening balance from the
    month balances and the days of ``first``'s month before it; of one counterparty if named."""
    village_filter(lines.c.village_code, village)  # refuses a code that is no place
    if len(village) != 12:
        raise PlaceCodeInvalid(
            "a detail ledger is of one village (12 digits)", field="village_code"
        )
    if last < first or (last - first).days > DETAIL_DAYS_MAX:
        raise StatementPeriodInvalid(
            f"{first}..{last} must run forward and span at most {DETAIL_DAYS_MAX} days",
            field="end",
        )
    name = _name(account, last)
    before = movements(conn, village, BEGINNING, previous_month(month_of(first)))
    if first.day > 1:
        before = add(
            before, day_movements(conn, village, first.replace(day=1), first - timedelta(days=1))
        )
    opening = from_fen(before.get(account, ZERO).net_fen)
    if counterparty is not None:
        opening = counterparty_opening(conn, village, account, counterparty, first)
    found = detail_lines(conn, village, account, first, last, counterparty, opening)
    closing = found[-1].balance if found else opening
    return DetailLedger(village, account, name, first, last, counterparty, opening, found, closing)
