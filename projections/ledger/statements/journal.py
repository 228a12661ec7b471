"""What the statements read from the journal itself: the days of a month not yet in a month
balance, the closing vouchers of a year, and the detail ledger (明细账) of an account, all by the
(village, account, date) and (village, date) indexes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, func, or_, select

from domain.shared.values import from_fen
from projections.ledger.statements.source import Movement, village_filter
from projections.ledger.tables import entries, lines, sub_balances

MAX_DETAIL_LINES = 5000  # lines of one detail ledger page
CLOSING = "closing"
REVERSAL = "reversal"


def day_movements(conn: Connection, place: str, first: date, last: date) -> dict[str, Movement]:
    """Each account's movement of the lines dated ``first``..``last`` (days of one month)."""
    rows = conn.execute(
        select(lines.c.account_code, func.sum(lines.c.debit_fen), func.sum(lines.c.credit_fen))
        .where(village_filter(lines.c.village_code, place))
        .where(lines.c.entry_date >= first, lines.c.entry_date <= last)
        .group_by(lines.c.account_code)
    ).all()
    return {str(a): Movement(int(d or 0), int(c or 0)) for a, d, c in rows}


def closing_movements(conn: Connection, place: str, year: int) -> dict[str, Movement]:
    """The lines of the year's closing vouchers (12-31, kind ``closing``) and of their red
    reversals, per account: what the income statement leaves out."""
    day = date(year, 12, 31)
    closing_ids = select(entries.c.entry_id).where(
        village_filter(entries.c.village_code, place),
        entries.c.entry_date == day,
        entries.c.kind == CLOSING,
    )
    chosen = select(entries.c.entry_id).where(
        village_filter(entries.c.village_code, place),
        entries.c.entry_date == day,
        or_(
            entries.c.kind == CLOSING,
            (entries.c.kind == REVERSAL) & entries.c.reverses_entry_id.in_(closing_ids),
        ),
    )
    rows = conn.execute(
        select(lines.c.account_code, func.sum(lines.c.debit_fen), func.sum(lines.c.credit_fen))
        .where(lines.c.entry_id.in_(chosen))
        .group_by(lines.c.account_code)
    ).all()
    return {str(a): Movement(int(d or 0), int(c or 0)) for a, d, c in rows}


@dataclass(frozen=True)
class DetailLine:
    voucher_no: str
    entry_date: date
    fact_date: date
    summary: str
    counterparty: str | None
    reference: str | None
    debit: Decimal
    credit: Decimal
    balance: Decimal  # running, debit minus credit


def detail_lines(
    conn: Connection,
    village: str,
    account: str,
    first: date,
    last: date,
    counterparty: str | None,
    opening: Decimal,
) -> tuple[DetailLine, ...]:
    """The account's lines dated ``first``..``last`` in voucher order, with a running balance
    from ``opening``; at most MAX_DETAIL_LINES."""
    query = (
        select(
            entries.c.voucher_no,
            lines.c.entry_date,
            entries.c.fact_date,
            entries.c.description,
            lines.c.counterparty,
            lines.c.reference,
            lines.c.debit_fen,
            lines.c.credit_fen,
        )
        .join(entries, entries.c.entry_id == lines.c.entry_id)
        .where(lines.c.village_code == village, lines.c.account_code == account)
        .where(lines.c.entry_date >= first, lines.c.entry_date <= last)
    )
    if counterparty is not None:
        query = query.where(lines.c.counterparty == counterparty)
    rows = conn.execute(
        query.order_by(lines.c.entry_date, entries.c.voucher_no, lines.c.line_no).limit(
            MAX_DETAIL_LINES
        )
    ).all()
    running = opening
    out = []
    for voucher_no, day, fact, summary, cp, ref, d, c in rows:
        debit, credit = from_fen(d), from_fen(c)
        running += debit - credit
        out.append(DetailLine(voucher_no, day, fact, summary, cp, ref, debit, credit, running))
    return tuple(out)


def counterparty_opening(
    conn: Connection, village: str, account: str, counterparty: str, first: date
) -> Decimal:
    """One counterparty's balance of ``account`` at the start of ``first`` (debit minus
    credit): its sub-ledger months before ``first``'s month and its lines of the days before."""
    month = f"{first.year:04d}-{first.month:02d}"
    t = sub_balances
    months = conn.execute(
        select(func.sum(t.c.debit_fen), func.sum(t.c.credit_fen)).where(
            t.c.village_code == village,
            t.c.account_code == account,
            t.c.counterparty == counterparty,
            t.c.month < month,
        )
    ).one()
    days = conn.execute(
        select(func.sum(lines.c.debit_fen), func.sum(lines.c.credit_fen)).where(
            lines.c.village_code == village,
            lines.c.account_code == account,
            lines.c.entry_date >= first.replace(day=1),
            lines.c.entry_date < first,
            lines.c.counterparty == counterparty,
        )
    ).one()
    fen = sum(int(d or 0) - int(c or 0) for d, c in (months, days))
    return from_fen(fen)
