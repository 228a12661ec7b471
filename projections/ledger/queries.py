"""Reading the books: trial balance, account balance and account statement, as of any date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, func, select

from domain.ledger.chart import chart_in_force
from domain.shared.clock import in_utc
from domain.shared.values import from_fen
from projections.ledger.tables import entries, lines

MAX_STATEMENT_LINES = 5000


@dataclass(frozen=True)
class TrialBalanceLine:
    account_code: str
    account_name: str
    debit: Decimal  # the account's debit balance, or 0
    credit: Decimal  # the account's credit balance, or 0


@dataclass(frozen=True)
class TrialBalance:
    village_code: str
    as_of: date
    chart_version: str
    lines: tuple[TrialBalanceLine, ...]
    known_at: datetime | None = None  # only entries whose source event was recorded by then

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal("0.00"))

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal("0.00"))


def utc(moment: datetime) -> datetime:
    """A STORED recorded time in UTC, the zone the journal keeps ``recorded_at`` in (SQLite
    hands it back naive). A time someone asks about goes through ``in_utc`` instead."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def movements(
    conn: Connection, village_code: str, as_of: date, known_at: datetime | None = None
) -> dict[str, tuple[int, int]]:
    """Debits and credits per account of entries dated up to ``as_of``; with ``known_at`` (an
    aware time), only of entries whose source event was recorded by then (what the books showed
    then)."""
    query = select(
        lines.c.account_code, func.sum(lines.c.debit_fen), func.sum(lines.c.credit_fen)
    ).where(lines.c.village_code == village_code, lines.c.entry_date <= as_of)
    if known_at is not None:
        query = query.join(entries, entries.c.entry_id == lines.c.entry_id).where(
            entries.c.recorded_at <= in_utc(known_at, "known_at")
        )
    rows = conn.execute(query.group_by(lines.c.account_code)).all()
    return {code: (int(d or 0), int(c or 0)) for code, d, c in rows}


def trial_balance(
    conn: Connection, village_code: str, as_of: date, known_at: datetime | None = None
) -> TrialBalance:
    """The trial balance as of the effective date ``as_of``; with ``known_at``, as the books
    stood at that recorded time, before any correction recorded later."""
    chart = chart_in_force(as_of)
    moved = movements(conn, village_code, as_of, known_at)
    result = []
    for account in chart.accounts:
        if account.code not in moved:
            continue
        debit, credit = moved[account.code]
        net = debit - credit
        result.append(
            TrialBalanceLine(
                account.code,
                account.name_zh,
                from_fen(max(net, 0)),
                from_fen(max(-net, 0)),
            )
        )
    return TrialBalance(
        village_code,
        as_of,
        chart.version,
        tuple(result),
        None if known_at is None else in_utc(known_at, "known_at"),
    )


def account_balance(conn: Connection, village_code: str, account_code: str, as_of: date) -> Decimal:
    """Debit minus credit up to and including ``as_of`` (negative: a credit balance)."""
    d, c = conn.execute(
        select(func.sum(lines.c.debit_fen), func.sum(lines.c.credit_fen)).where(
            lines.c.village_code == village_code,
            lines.c.account_code == account_code,
            lines.c.entry_date <= as_of,
        )
    ).one()
    return from_fen(int(d or 0) - int(c or 0))


@dataclass(frozen=True)
class StatementLine:
    entry_id: str
    entry_date: date
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # running, debit minus credit
    source_notification_id: int
    source_aggregate_id: str
    source_version: int
    source_event_type: str
    actor: str
    authority: str | None
    recorded_at: datetime
    voucher_no: str = ""  # 记-YYYY-MM-NNNN
    fact_date: date | None = None  # the fact's own date (≠ entry_date: booked late)
    kind: str = "programme"  # programme | voucher | closing | reversal
    counterparty: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class AccountStatement:
    village_code: str
    account_code: str
    account_name: str
    date_from: date
    date_to: date
    opening_balance: Decimal
    lines: tuple[StatementLine, ...]
    closing_balance: Decimal


def account_statement(
    conn: Connection, village_code: str, account_code: str, date_from: date, date_to: date
) -> AccountStatement:
    chart = chart_in_force(date_to)
    # The balance at the end of the day before; nothing can lie before the first day there is.
    opening = (
        account_balance(conn, village_code, account_code, date_from - timedelta(days=1))
        if date_from > date.min
        else from_fen(0)
    )
    rows = conn.execute(
        select(lines, entries)
        .join(entries, entries.c.entry_id == lines.c.entry_id)
        .where(
            lines.c.village_code == village_code,
            lines.c.account_code == account_code,
            lines.c.entry_date >= date_from,
            lines.c.entry_date <= date_to,
        )
        .order_by(lines.c.entry_date, entries.c.source_notification_id, lines.c.entry_id)
        .order_by(lines.c.line_no)
        .limit(MAX_STATEMENT_LINES)
    ).mappings()
    running = opening
    result = []
    for r in rows:
        debit, credit = from_fen(r["debit_fen"]), from_fen(r["credit_fen"])
        running += debit - credit
        result.append(
            StatementLine(
                r["entry_id"],
                r["entry_date"],
                r["description"],
                debit,
                credit,
                running,
                r["source_notification_id"],
                r["source_aggregate_id"],
                r["source_version"],
                r["source_event_type"],
                r["actor"],
                r["authority"],
                r["recorded_at"],
                r["voucher_no"],
                r["fact_date"],
                r["kind"],
                r["counterparty"],
                r["reference"],
            )
        )
    name = chart.account(account_code).name_zh if chart.has(account_code) else account_code
    return AccountStatement(
        village_code, account_code, name, date_from, date_to, opening, tuple(result), running
    )


def vouchers_posted(conn: Connection, aggregate_id: str) -> dict[int, list[tuple[str, date]]]:
    """The voucher numbers and entry dates each version of an aggregate posted, by version."""
    rows = conn.execute(
        select(entries.c.source_version, entries.c.voucher_no, entries.c.entry_date)
        .where(entries.c.source_aggregate_id == aggregate_id)
        .order_by(entries.c.source_notification_id, entries.c.entry_id)
    ).all()
    found: dict[int, list[tuple[str, date]]] = {}
    for version, number, day in rows:
        found.setdefault(int(version), []).append((number, day))
    return found


def voucher_numbers(conn: Connection, voucher_ids: list[str]) -> dict[str, str]:
    """The voucher number of each posted manual or red voucher among ``voucher_ids`` (a
    voucher gets its number when it posts: one still prepared or rejected is not there)."""
    if not voucher_ids:
        return {}
    rows = conn.execute(
        select(entries.c.voucher_id, entries.c.voucher_no).where(
            entries.c.voucher_id.in_(voucher_ids)
        )
    ).all()
    return {str(voucher_id): str(number) for voucher_id, number in rows}
