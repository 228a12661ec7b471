"""资产负债表 and 收益及收益分配表 of a village, town or district (docs/statements.md), from the
month balances: O(accounts × months) whatever the number of events."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from domain.books.months import previous_month
from domain.ledger.statement_errors import StatementPeriodInvalid
from domain.shared.clock import DATE_MAX, DATE_MIN, month_of
from domain.shared.values import from_fen
from projections.ledger.statements.journal import closing_movements, day_movements
from projections.ledger.statements.layout import (
    ASSET_LINES,
    CREDIT_PARTS,
    DEBIT_PARTS,
    DISTRIBUTION_NAMES,
    INCOME_LINES,
    LIABILITY_LINES,
    NET_INCOME_LINE,
    PL_ACCOUNTS,
    SPLIT_ACCOUNTS,
    TOTAL_ASSETS_LINE,
    TOTAL_LIABILITIES_AND_EQUITY_LINE,
    Line,
)
from projections.ledger.statements.source import (
    BEGINNING,
    ZERO,
    Movement,
    add,
    month_text,
    movements,
    split_parts,
)


@dataclass(frozen=True)
class StatementLine:
    line_no: int
    name_zh: str
    accounts: tuple[str, ...]
    year_start: Decimal  # 年初数 (balance sheet) or 本月数 (income statement; None-like 0)
    closing: Decimal  # 期末数 (balance sheet) or 本年累计数 (income statement)


@dataclass(frozen=True)
class BalanceSheet:
    place: str
    as_of: date
    lines: tuple[StatementLine, ...]

    def line(self, line_no: int) -> StatementLine:
        return next(line for line in self.lines if line.line_no == line_no)

    @property
    def total_assets(self) -> Decimal:
        return self.line(TOTAL_ASSETS_LINE).closing

    @property
    def total_liabilities_and_equity(self) -> Decimal:
        return self.line(TOTAL_LIABILITIES_AND_EQUITY_LINE).closing


@dataclass(frozen=True)
class IncomeStatement:
    place: str
    year: int
    month: int | None
    lines: tuple[
        StatementLine, ...
    ]  # year_start = 本月数 (0 when the year is asked), closing = 本年累计数
    distribution: tuple[StatementLine, ...]  # the year's figures in ``closing``
    quarter: int | None = None  # year_start = 本季数 when a quarter is asked

    @property
    def net_income(self) -> Decimal:
        return next(line.closing for line in self.lines if line.line_no == NET_INCOME_LINE)


def _parts(
    sub: Mapping[str, tuple[int, int]], totals: Mapping[str, Movement]
) -> dict[str, tuple[int, int]]:
    """Per split account: (sum of debit balances, sum of credit balances) over its
    counterparties; what no counterparty row explains counts as one more counterparty."""
    out: dict[str, tuple[int, int]] = {}
    for account in SPLIT_ACCOUNTS:
        debit, credit = sub.get(account, (0, 0))
        rest = totals.get(account, ZERO).net_fen - (debit - credit)
        out[account] = (debit + max(rest, 0), credit + max(-rest, 0))
    return out


def _evaluate(
    lines: tuple[Line, ...],
    totals: Mapping[str, Movement],
    parts: Mapping[str, tuple[int, int]],
) -> dict[int, int]:
    """Each line's figure in fen, feeds first, totals from lines already computed."""
    values: dict[int, int] = {}
    for line in lines:
        if line.total_of:
            values[line.line_no] = sum(values[n] * s for n, s in line.total_of)
            continue
        figure = 0
        for feed in line.feeds:
            if feed.part == DEBIT_PARTS:
                figure += parts.get(feed.account, (0, 0))[0]
            elif feed.part == CREDIT_PARTS:
                figure += parts.get(feed.account, (0, 0))[1]
            else:
                net = totals.get(feed.account, ZERO).net_fen
                figure += feed.sign * (net if line.side == "debit" else -net)
        values[line.line_no] = figure
    return values


def _totals_at(conn: Connection, place: str, day: date) -> tuple[dict[str, Movement], str]:
    """Every account's balance at the end of ``day``, and the last month whose sub-ledger
    balances it includes: the months before ``day``'s month from the month balances, the days of
    its month from the journal lines (none when ``day`` ends its month)."""
    month = month_of(day)
    if day.day == monthrange(day.year, day.month)[1]:
        return movements(conn, place, BEGINNING, month), month
    before = previous_month(month)
    days = day_movements(conn, place, day.replace(day=1), day)
    return add(movements(conn, place, BEGINNING, before), days), before


def balance_sheet(conn: Connection, place: str, as_of: date) -> BalanceSheet:
    """资产负债表 of ``place`` at the end of ``as_of``: 年初数 at the end of the previous year
    (after its closing), 期末数 at the end of ``as_of`` (docs/rules.md F-01, F-02). The lines of
    the days of a month not yet ended count as one unnamed party of the split accounts."""
    end_totals, end_month = _totals_at(conn, place, as_of)
    start_totals, start_month = _totals_at(conn, place, date(as_of.year - 1, 12, 31))
    start_sub, end_sub = split_parts(conn, place, (start_month, end_month), SPLIT_ACCOUNTS)
    all_lines = ASSET_LINES + LIABILITY_LINES
    end = _evaluate(all_lines, end_totals, _parts(end_sub, end_totals))
    start = _evaluate(all_lines, start_totals, _parts(start_sub, start_totals))
    return BalanceSheet(
        place,
        as_of,
        tuple(
            StatementLine(
                line.line_no,
                line.name_zh,
                line.accounts,
                from_fen(start[line.line_no]),
                from_fen(end[line.line_no]),
            )
            for line in all_lines
        ),
    )


def _result(totals: Mapping[str, Movement]) -> dict[int, int]:
    return _evaluate(INCOME_LINES, totals, {})


def income_statement(
    conn: Connection, place: str, year: int, month: int | None, quarter: int | None = None
) -> IncomeStatement:
    """收益及收益分配表 of ``place``: 本月数 of ``month`` (or 本季数 of ``quarter``) and
    本年累计数 from January to its end (or the whole year), the closing vouchers left out; the
    distribution part from 321 and 322 (docs/rules.md F-02)."""
    if not DATE_MIN.year <= year <= DATE_MAX.year:  # the years the registry's dates lie in
        raise StatementPeriodInvalid(f"year {year} is not a year of the registry", field="year")
    if month is not None and not 1 <= month <= 12:
        raise StatementPeriodInvalid(f"month {month} is not 1 to 12", field="month")
    if quarter is not None and (month is not None or not 1 <= quarter <= 4):
        raise StatementPeriodInvalid(
            f"quarter {quarter} is not 1 to 4, or a month is asked too", field="quarter"
        )
    period_first, period_last = 1, 12
    if month is not None:
        period_first = period_last = month
    elif quarter is not None:
        period_first, period_last = 3 * quarter - 2, 3 * quarter
    last = month_text(year, period_last)
    closing = closing_movements(conn, place, year) if last.endswith("-12") else {}
    year_figures = _result(_without(movements(conn, place, month_text(year, 1), last), closing))
    if month is not None or quarter is not None:
        moved = movements(conn, place, month_text(year, period_first), last)
        period_figures = _result(_without(moved, closing))
    else:
        period_figures = {n: 0 for n in year_figures}
    lines = tuple(
        StatementLine(
            line.line_no,
            line.name_zh,
            line.accounts,
            from_fen(period_figures[line.line_no]),
            from_fen(year_figures[line.line_no]),
        )
        for line in INCOME_LINES
    )
    return IncomeStatement(
        place,
        year,
        month,
        lines,
        _distribution(conn, place, year, last, year_figures[NET_INCOME_LINE], closing),
        quarter,
    )


def _without(
    totals: Mapping[str, Movement], closing: Mapping[str, Movement]
) -> dict[str, Movement]:
    out = dict(totals)
    for code, m in closing.items():
        o = out.get(code, ZERO)
        out[code] = Movement(o.debit_fen - m.debit_fen, o.credit_fen - m.credit_fen)
    return out


def _distribution(
    conn: Connection,
    place: str,
    year: int,
    last: str,
    net_income: int,
    closing: Mapping[str, Movement],
) -> tuple[StatementLine, ...]:
    """本年收益 + 年初未分配收益 + 其他转入 = 可分配收益; − 各项分配 = 年末未分配收益, where
    年初 and 年末未分配收益 are 321 + 322 + the profit-and-loss accounts not yet closed (credit
    balances) at the end of the year before and of the period: an earlier year never closed
    counts as undistributed, not as 其他转入."""
    equity = ("321", "322", *PL_ACCOUNTS)
    opening_totals = movements(conn, place, BEGINNING, month_text(year - 1, 12))
    end_totals = movements(conn, place, BEGINNING, last)
    moved = _without(movements(conn, place, month_text(year, 1), last), closing)
    opening = -sum(opening_totals.get(a, ZERO).net_fen for a in equity)
    end = -sum(end_totals.get(a, ZERO).net_fen for a in equity)
    distributed = moved.get("322", ZERO).debit_fen
    other = end - opening - net_income + distributed
    available = net_income + opening + other
    figures = (net_income, opening, other, available, distributed, end)
    return tuple(
        StatementLine(n, name, (), Decimal("0.00"), from_fen(f))
        for (n, name), f in zip(DISTRIBUTION_NAMES, figures, strict=True)
    )
