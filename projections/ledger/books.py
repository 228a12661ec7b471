"""The books events (domain/books) in the ledger: a reviewed voucher posts; closed and reopened
months and years are copied to ledger_periods and ledger_years; a closed year posts its closing
vouchers and a reopened one reverses them in red (docs/postings.md "Vouchers", "Closing").

A prepared voucher is kept (ledger_vouchers) until it is reviewed, since the Reviewed event
names only the reviewer. The year handlers read the monthly balances and the journal, so they are
not ``@batched``: the runner writes what the batch deferred before it calls them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from domain.shared.values import to_fen
from projections.batching import batched
from projections.ledger.closing import closing_entries, red_reversal
from projections.ledger.journal import Booking, forget_closed_months, post, write_entry
from projections.ledger.owners import Owner, know_owner, owner_of
from projections.ledger.postings import EntryDraft, Line
from projections.ledger.tables import (
    balances,
    entries,
    lines,
    periods,
    vouchers,
    years,
)
from projections.projection import Source

VOUCHER, CLOSING, REVERSAL = "voucher", "closing", "reversal"


@batched
def on_voucher_prepared(conn: Connection, e: Any, s: Source) -> None:
    kept = [
        {
            "account": line["account"],
            "debit_fen": to_fen(line["debit_yuan"]),
            "credit_fen": to_fen(line["credit_yuan"]),
            "counterparty": line.get("counterparty"),
            "counterparty_kind": line.get("counterparty_kind"),
            "reference": line.get("reference"),
        }
        for line in e.lines
    ]
    conn.execute(
        insert(vouchers).values(
            voucher_id=str(s.aggregate_id),
            village_code=e.village_code,
            voucher_date=e.voucher_date,
            summary=e.summary,
            lines_json=json.dumps(kept, ensure_ascii=False, sort_keys=True),
            reverses=str(e.reverses) if e.reverses is not None else None,
        )
    )


@batched
def on_voucher_reviewed(conn: Connection, e: Any, s: Source) -> None:
    """The voucher posts as one entry: a red voucher (kind reversal) names the entry it
    reverses (docs/rules.md B-12, B-14)."""
    voucher_id = str(s.aggregate_id)
    row = conn.execute(select(vouchers).where(vouchers.c.voucher_id == voucher_id)).one()
    red = row.reverses is not None
    reverses_entry_id = None
    if red:
        reverses_entry_id = conn.scalar(
            select(vouchers.c.entry_id).where(vouchers.c.voucher_id == row.reverses)
        )
    draft = EntryDraft(
        row.voucher_date,
        row.summary,
        tuple(Line(**line) for line in json.loads(row.lines_json)),
        red=red,
    )
    booking = Booking(
        kind=REVERSAL if red else VOUCHER,
        voucher_id=voucher_id,
        reverses_entry_id=reverses_entry_id,
    )
    post(conn, row.village_code, [draft], s, booking)
    entry_id = f"{s.notification_id}-1"
    conn.execute(
        update(vouchers).where(vouchers.c.voucher_id == voucher_id).values(entry_id=entry_id)
    )


def set_period(conn: Connection, village_code: str, month: str, closed: bool) -> None:
    key = and_(periods.c.village_code == village_code, periods.c.month == month)
    conn.execute(delete(periods).where(key))
    conn.execute(insert(periods).values(village_code=village_code, month=month, closed=closed))
    forget_closed_months(village_code)


def set_year(conn: Connection, village_code: str, year: int, closed: bool) -> None:
    key = and_(years.c.village_code == village_code, years.c.year == year)
    conn.execute(delete(years).where(key))
    conn.execute(insert(years).values(village_code=village_code, year=year, closed=closed))


@batched
def on_books_opened(conn: Connection, e: Any, s: Source) -> None:
    know_owner(conn, s.aggregate_id, Owner(e.village_code, None, None, None))


def books_village(conn: Connection, s: Source) -> str:
    """The village of a Books aggregate: the one its Opened event named (kept as its owner)."""
    return owner_of(conn, s.aggregate_id).village_code


@batched
def on_period_closed(conn: Connection, e: Any, s: Source) -> None:
    set_period(conn, books_village(conn, s), e.month, True)


@batched
def on_period_reopened(conn: Connection, e: Any, s: Source) -> None:
    set_period(conn, books_village(conn, s), e.month, False)


def on_year_closed(conn: Connection, e: Any, s: Source) -> None:
    """The closing vouchers of the year, from its monthly balances (docs/rules.md B-15)."""
    village = books_village(conn, s)
    set_year(conn, village, e.year, True)
    rows = conn.execute(
        select(balances.c.account_code, balances.c.debit_fen, balances.c.credit_fen).where(
            balances.c.village_code == village,
            balances.c.month.between(f"{e.year:04d}-01", f"{e.year:04d}-12"),
        )
    ).all()
    net: dict[str, int] = {}
    for account, debit, credit in rows:
        net[account] = net.get(account, 0) + int(debit) - int(credit)
    post(
        conn,
        village,
        closing_entries(e.year, net),
        s,
        Booking(kind=CLOSING, in_summary=False),
        route=False,
    )


def on_year_reopened(conn: Connection, e: Any, s: Source) -> None:
    """The year's closing entries not yet reversed, reversed in red on their own date."""
    village = books_village(conn, s)
    set_year(conn, village, e.year, False)
    day = date(e.year, 12, 31)
    reversed_ids = select(entries.c.reverses_entry_id).where(
        entries.c.village_code == village, entries.c.reverses_entry_id.is_not(None)
    )
    closing = conn.execute(
        select(entries.c.entry_id, entries.c.description)
        .where(
            entries.c.village_code == village,
            entries.c.kind == CLOSING,
            entries.c.entry_date == day,
            entries.c.entry_id.not_in(reversed_ids),
        )
        .order_by(entries.c.source_notification_id, entries.c.entry_id)
    ).all()
    for n, (entry_id, description) in enumerate(closing, start=1):
        found = conn.execute(
            select(lines.c.account_code, lines.c.debit_fen, lines.c.credit_fen)
            .where(lines.c.entry_id == entry_id)
            .order_by(lines.c.line_no)
        ).all()
        draft = red_reversal(day, description, [(a, int(d), int(c)) for a, d, c in found])
        booking = Booking(kind=REVERSAL, reverses_entry_id=entry_id, in_summary=False)
        write_entry(conn, village, draft, s, f"{s.notification_id}-{n}", booking)
