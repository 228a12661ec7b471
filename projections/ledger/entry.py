"""One journal entry of a village's books, whole: every line of it and the event it was posted
from (the drill-down from a statement line to its entry, its voucher and its event)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, select

from domain.ledger.chart import chart_in_force
from domain.shared.values import from_fen
from projections.ledger.tables import entries, lines

# Far more than any entry holds (a voucher at most 100, a year's closing one per account).
MAX_ENTRY_LINES = 500


@dataclass(frozen=True)
class EntryLine:
    line_no: int
    account_code: str
    account_name: str | None
    debit: Decimal
    credit: Decimal
    counterparty: str | None
    reference: str | None


@dataclass(frozen=True)
class JournalEntry:
    entry_id: str
    village_code: str
    voucher_no: str
    entry_date: date
    fact_date: date
    kind: str  # programme | voucher | closing | reversal
    description: str
    chart_version: str
    voucher_id: str | None
    lines: tuple[EntryLine, ...]
    source_notification_id: int
    source_aggregate_id: str
    source_version: int
    source_event_type: str
    actor: str
    authority: str | None
    recorded_at: datetime

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), from_fen(0))

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), from_fen(0))


def journal_entry(conn: Connection, village_code: str, entry_id: str) -> JournalEntry | None:
    """The entry of ``village_code`` with that id; None when the village has none such."""
    found = (
        conn.execute(
            select(entries).where(
                entries.c.entry_id == entry_id, entries.c.village_code == village_code
            )
        )
        .mappings()
        .first()
    )
    if found is None:
        return None
    chart = chart_in_force(found["entry_date"])
    rows = conn.execute(
        select(lines)
        .where(lines.c.entry_id == entry_id)
        .order_by(lines.c.line_no)
        .limit(MAX_ENTRY_LINES)
    ).mappings()
    entry_lines = tuple(
        EntryLine(
            int(r["line_no"]),
            str(r["account_code"]),
            chart.account(r["account_code"]).name_zh if chart.has(r["account_code"]) else None,
            from_fen(r["debit_fen"]),
            from_fen(r["credit_fen"]),
            r["counterparty"],
            r["reference"],
        )
        for r in rows
    )
    return JournalEntry(
        str(found["entry_id"]),
        str(found["village_code"]),
        str(found["voucher_no"]),
        found["entry_date"],
        found["fact_date"],
        str(found["kind"]),
        str(found["description"]),
        str(found["chart_version"]),
        found["voucher_id"],
        entry_lines,
        int(found["source_notification_id"]),
        str(found["source_aggregate_id"]),
        int(found["source_version"]),
        str(found["source_event_type"]),
        str(found["actor"]),
        found["authority"],
        found["recorded_at"],
    )
