"""The statements' invariants for ``qianwan check`` (docs/rules.md F-03, F-04): pure functions
over figures, and one runner that reads them for every village of the books."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import Engine

from domain.shared.values import from_fen
from projections.ledger.statements.journal import closing_movements
from projections.ledger.statements.layout import PL_ACCOUNTS
from projections.ledger.statements.sheets import balance_sheet, income_statement
from projections.ledger.statements.source import ZERO, month_text, movements
from projections.ledger.tables import balances

BALANCE_SHEET_BALANCES = "balance_sheet_balances"
NET_INCOME_MATCHES_321 = "net_income_matches_321"
CHECKED_VILLAGES_MAX = 100_000  # every village of a province fits


@dataclass(frozen=True)
class StatementFinding:
    check: str
    subject: str  # "village/as-of" or "village/year"
    message: str


def check_balance_sheet_balances(
    sheets: Iterable[tuple[str, date, Decimal, Decimal]],
) -> tuple[StatementFinding, ...]:
    """资产总计 = 负债和所有者权益总计 on every balance sheet (docs/rules.md F-03).
    ``sheets``: (village, as_of, total assets, total liabilities and equity)."""
    return tuple(
        StatementFinding(
            BALANCE_SHEET_BALANCES,
            f"{village}/{as_of}",
            f"资产总计 {assets} ≠ 负债和所有者权益总计 {both}",
        )
        for village, as_of, assets, both in sheets
        if assets != both
    )


def check_net_income_matches_321(
    years: Iterable[tuple[str, int, Decimal, Decimal]],
) -> tuple[StatementFinding, ...]:
    """本年收益 on the income statement equals the year's movement of 321 本年收益 (after the
    closing; before it, the net of the profit-and-loss accounts) (docs/rules.md F-04).
    ``years``: (village, year, the statement's 本年收益, 321's movement)."""
    return tuple(
        StatementFinding(
            NET_INCOME_MATCHES_321,
            f"{village}/{year}",
            f"收益及收益分配表 本年收益 {statement} ≠ 321 本年收益 {account}",
        )
        for village, year, statement, account in years
        if statement != account
    )


def movement_of_321(conn: Connection, village: str, year: int) -> Decimal:
    """What the year carried to 321: its credit minus debit over the year, plus what the
    closing carried on from 321 to 322, plus the profit-and-loss accounts' net not yet closed
    (all of it before the closing, none after, all again once a reopening reversed it)."""
    closing = closing_movements(conn, village, year)
    moved = movements(conn, village, month_text(year, 1), month_text(year, 12))
    carried_on = -closing.get("322", ZERO).net_fen
    not_closed = -sum(moved.get(a, ZERO).net_fen for a in PL_ACCOUNTS)
    return from_fen(-moved.get("321", ZERO).net_fen + carried_on + not_closed)


def statement_findings(engine: Engine) -> tuple[StatementFinding, ...]:
    """F-03 at the end of each year with movements and of the last month; F-04 for each year."""
    with engine.connect() as conn:
        spans = conn.execute(
            select(balances.c.village_code, func.min(balances.c.month), func.max(balances.c.month))
            .group_by(balances.c.village_code)
            .order_by(balances.c.village_code)
            .limit(CHECKED_VILLAGES_MAX)
        ).all()
        sheets, years = [], []
        for village, first, last in spans:
            first_year, last_year = int(first[:4]), int(last[:4])
            last_day = date(last_year, int(last[5:]), monthrange(last_year, int(last[5:]))[1])
            days = [date(y, 12, 31) for y in range(first_year, last_year)] + [last_day]
            for day in days:
                sheet = balance_sheet(conn, village, day)
                sheets.append(
                    (village, day, sheet.total_assets, sheet.total_liabilities_and_equity)
                )
            for year in range(first_year, last_year + 1):
                statement = income_statement(conn, village, year, None)
                years.append(
                    (village, year, statement.net_income, movement_of_321(conn, village, year))
                )
    return check_balance_sheet_balances(sheets) + check_net_income_matches_321(years)
