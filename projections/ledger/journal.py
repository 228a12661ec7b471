"""Writing journal entries: each entry gets its voucher number, its lines, and adds to the
monthly balances and sub-balances (docs/postings.md "Voucher numbers", "Sub-ledgers").

Entries, lines and sums are deferred to the end of the fold's batch and written in bulk
(projections/batching.py). Voucher numbers are given in fold order, per village and month of the
entry date, from 1 without gaps (记-2026-03-0007): the last number given per village and month
is kept in ledger_voucher_counters, read once per batch and key into the batch's memo and
counted on there, and the increments written with the batch, so a rebuild, which folds the same
log in the same order, gives every entry the same number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Connection, bindparam, func, select

from domain.books.months import first_day, next_month
from domain.ledger.chart import chart_in_force
from domain.shared.clock import month_of
from projections import summary
from projections.batching import add_later, batch_memo, insert_later
from projections.ledger.postings import EntryDraft
from projections.ledger.tables import (
    balances,
    entries,
    lines,
    periods,
    sub_balances,
    voucher_counters,
)
from projections.projection import Source

DESCRIPTION_LENGTH_MAX = 300  # ledger_entries.description
VOUCHER_WORD = "记"  # 记账凭证: one kind of voucher for every entry
PROGRAMME = "programme"


LAST_NUMBER = select(voucher_counters.c.last_no).where(
    voucher_counters.c.village_code == bindparam("village_code"),
    voucher_counters.c.month == bindparam("month"),
)
LAST_CLOSED = select(func.max(periods.c.month)).where(
    periods.c.village_code == bindparam("village_code"), periods.c.closed.is_(True)
)


def voucher_no(month: str, number: int) -> str:
    """``记-2026-03-0007``: the voucher's word, the month of its date, its number in the month."""
    return f"{VOUCHER_WORD}-{month}-{number:04d}"


def next_voucher_no(conn: Connection, village_code: str, month: str) -> str:
    """The next number of ``village_code``'s vouchers of ``month`` (docs/rules.md B-12)."""
    memo = batch_memo()
    counters: dict[tuple[str, str], int] = (
        memo.setdefault("voucher_counters", {}) if memo is not None else {}
    )
    key = (village_code, month)
    last = counters.get(key)
    if last is None:
        last = conn.scalar(LAST_NUMBER, {"village_code": village_code, "month": month})
    number = (last or 0) + 1
    counters[key] = number
    add_later(
        conn, voucher_counters, {"village_code": village_code, "month": month}, {"last_no": 1}
    )
    return voucher_no(month, number)


@dataclass(frozen=True)
class Booking:
    """How an entry is booked: its kind, the voucher behind it, the entry it reverses, and the
    fact's own date when that is not the entry's (a late fact booked in the first open month)."""

    kind: str = PROGRAMME
    voucher_id: str | None = None
    reverses_entry_id: str | None = None
    fact_date: date | None = None
    # The district's income summary counts what the collective earned: a closing entry (and
    # its red reversal) only moves income to 321 and stays out of it.
    in_summary: bool = True


PROGRAMME_BOOKING = Booking()


def post(
    conn: Connection,
    village_code: str,
    drafts: list[EntryDraft],
    s: Source,
    booking: Booking | None = None,
    route: bool = True,
) -> None:
    """The drafts as journal entries of ``village_code``, each pointing to its source event,
    stamped with the chart in force on its date and numbered (docs/rules.md B-01, B-02, B-12).
    ``route``: an entry dated in a closed month is booked on the first day of the first open
    month, its own date kept as fact_date (docs/rules.md B-14); closing entries are not."""
    last_closed = last_closed_month(conn, village_code) if route else ""
    for n, drafted in enumerate(drafts, start=1):
        draft, chosen = drafted, booking or PROGRAMME_BOOKING
        if last_closed and month_of(draft.entry_date) <= last_closed:
            draft, chosen = booked_late(draft, chosen, next_month(last_closed))
        write_entry(conn, village_code, draft, s, f"{s.notification_id}-{n}", chosen)


LATE_NOTE = "(原日期 {day})"  # appended to the description of a fact booked late


def booked_late(draft: EntryDraft, booking: Booking, open_month: str) -> tuple[EntryDraft, Booking]:
    """The draft booked on the first day of ``open_month``, noting its own date."""
    note = LATE_NOTE.format(day=draft.entry_date.isoformat())
    description = draft.description[: DESCRIPTION_LENGTH_MAX - len(note)] + note
    moved = replace(draft, entry_date=first_day(open_month), description=description)
    return moved, replace(booking, fact_date=booking.fact_date or draft.entry_date)


def last_closed_month(conn: Connection, village_code: str) -> str:
    """The last month of ``village_code``'s books that is closed ("" when none): every month up
    to it is closed, as far as the ledger books facts (docs/rules.md B-14)."""
    memo = batch_memo()
    known: dict[str, str] = memo.setdefault("last_closed", {}) if memo is not None else {}
    found = known.get(village_code)
    if found is None:
        found = conn.scalar(LAST_CLOSED, {"village_code": village_code}) or ""
        known[village_code] = found
    return found


def forget_closed_months(village_code: str) -> None:
    """After a close or reopen of ``village_code``'s months: read them again."""
    memo = batch_memo()
    if memo is not None:
        memo.setdefault("last_closed", {}).pop(village_code, None)


def write_entry(
    conn: Connection,
    village_code: str,
    draft: EntryDraft,
    s: Source,
    entry_id: str,
    booking: Booking,
) -> None:
    chart = chart_in_force(draft.entry_date)
    month = month_of(draft.entry_date)
    insert_later(
        conn,
        entries,
        {
            "entry_id": entry_id,
            "village_code": village_code,
            "entry_date": draft.entry_date,
            "chart_version": chart.version,
            "description": draft.description[:DESCRIPTION_LENGTH_MAX],
            "source_notification_id": s.notification_id,
            "source_aggregate_id": str(s.aggregate_id),
            "source_version": s.version,
            "source_event_type": s.event_type,
            "actor": s.actor,
            "authority": s.authority,
            "recorded_at": s.recorded_at,
            "voucher_no": next_voucher_no(conn, village_code, month),
            "fact_date": booking.fact_date or draft.entry_date,
            "kind": booking.kind,
            "voucher_id": booking.voucher_id,
            "reverses_entry_id": booking.reverses_entry_id,
        },
    )
    for line_no, line in enumerate(draft.lines, start=1):
        assert chart.has(line.account), f"{line.account} not in chart {chart.version}"
        insert_later(
            conn,
            lines,
            {
                "entry_id": entry_id,
                "line_no": line_no,
                "village_code": village_code,
                "entry_date": draft.entry_date,
                "account_code": line.account,
                "debit_fen": line.debit_fen,
                "credit_fen": line.credit_fen,
                "counterparty": line.counterparty,
                "counterparty_kind": line.counterparty_kind,
                "reference": line.reference,
            },
        )
        amounts = {"debit_fen": line.debit_fen, "credit_fen": line.credit_fen}
        add_later(
            conn,
            balances,
            {"village_code": village_code, "account_code": line.account, "month": month},
            amounts,
        )
        if line.counterparty is not None or line.reference is not None:
            add_later(
                conn,
                sub_balances,
                {
                    "village_code": village_code,
                    "account_code": line.account,
                    "counterparty": line.counterparty or "",
                    "reference": line.reference or "",
                    "month": month,
                },
                amounts,
                latest={"last_date": draft.entry_date},
            )
    if booking.in_summary:
        summary.add_posting(
            conn,
            village_code,
            s.event_class,
            draft.entry_date,
            [(line.account, line.debit_fen, line.credit_fen) for line in draft.lines],
        )
