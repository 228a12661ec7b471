"""Event handlers that post journal entries. Every line points back to its source event.

Entries and lines are deferred to the end of the fold's batch and written in bulk
(projections/batching.py); the handlers read only the owners and invoices, which are written at
once. Posting also adds to the district's monthly summary (projections/summary.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Connection, insert, select, update

from domain.assets.model import Asset
from domain.land.model import Parcel
from domain.ledger.chart import chart_in_force
from domain.meals.model.settlement import MealSettlement
from domain.shared.values import to_fen
from projections import summary
from projections.batching import batched, insert_later
from projections.ledger import postings
from projections.ledger.postings_land import LAND_POSTINGS
from projections.ledger.postings_meals import MEAL_POSTINGS
from projections.ledger.tables import entries, invoices, lines, owners
from projections.projection import Handler, Handlers, Projection, Source


def post(conn: Connection, village_code: str, drafts: list[postings.EntryDraft], s: Source) -> None:
    """The drafts as journal entries of ``village_code``, each pointing to its source event and
    stamped with the chart in force on its date (docs/rules.md B-01, B-02)."""
    for n, draft in enumerate(drafts, start=1):
        chart = chart_in_force(draft.entry_date)
        entry_id = f"{s.notification_id}-{n}"
        insert_later(
            conn,
            entries,
            {
                "entry_id": entry_id,
                "village_code": village_code,
                "entry_date": draft.entry_date,
                "chart_version": chart.version,
                "description": draft.description[:300],
                "source_notification_id": s.notification_id,
                "source_aggregate_id": str(s.aggregate_id),
                "source_version": s.version,
                "source_event_type": s.event_type,
                "actor": s.actor,
                "authority": s.authority,
                "recorded_at": s.recorded_at,
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
                },
            )
        summary.add_posting(
            conn,
            village_code,
            s.event_class,
            draft.entry_date,
            [(line.account, line.debit_fen, line.credit_fen) for line in draft.lines],
        )


def owner(conn: Connection, s: Source) -> str:
    village = conn.scalar(
        select(owners.c.village_code).where(owners.c.aggregate_id == str(s.aggregate_id))
    )
    assert village is not None, f"no owner for {s.aggregate_id}"
    return str(village)


@batched
def on_owner_known(conn: Connection, e: Any, s: Source) -> None:
    """The first event of an aggregate that posts names the village whose books it posts to."""
    conn.execute(
        insert(owners).values(aggregate_id=str(s.aggregate_id), village_code=e.village_code)
    )


@batched
def on_asset_registered(conn: Connection, e: Any, s: Source) -> None:
    on_owner_known(conn, e, s)
    post(conn, e.village_code, postings.registration(e), s)


@batched
def on_rent_invoiced(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(invoices).values(
            aggregate_id=str(s.aggregate_id),
            invoice_no=e.invoice_no,
            contract_no=e.contract_no,
            amount_fen=to_fen(e.amount_yuan),
            issued_on=e.issued_on,
            covers_from=e.covers_from,
            covers_to=e.covers_to,
            income_account=postings.INCOME_ACCOUNT_BY_MODE[e.mode],
        )
    )
    post(conn, owner(conn, s), postings.rent_invoiced(e), s)


@batched
def on_invoice_corrected(conn: Connection, e: Any, s: Source) -> None:
    # A later termination reverses unearned income of the corrected amount.
    conn.execute(
        update(invoices)
        .where(
            invoices.c.aggregate_id == str(s.aggregate_id), invoices.c.invoice_no == e.invoice_no
        )
        .values(amount_fen=to_fen(e.corrected_amount_yuan))
    )
    post(conn, owner(conn, s), postings.invoice_corrected(e), s)


@batched
def on_contract_terminated(conn: Connection, e: Any, s: Source) -> None:
    rows = conn.execute(
        select(invoices).where(
            invoices.c.aggregate_id == str(s.aggregate_id),
            invoices.c.contract_no == e.contract_no,
        )
    ).all()
    facts = [
        postings.InvoiceFacts(
            r.invoice_no, r.amount_fen, r.issued_on, r.covers_from, r.covers_to, r.income_account
        )
        for r in rows
    ]
    cancelled = {c["invoice_no"]: to_fen(c["amount_yuan"]) for c in e.receivable_cancellations}
    drafts = postings.contract_terminated(e.terminated_on, facts, cancelled)
    post(conn, owner(conn, s), drafts, s)


def posting(build: postings.Posting) -> Handler:
    """A handler that posts what ``build`` drafts to the books of the event's owner."""

    @batched
    def handler(conn: Connection, e: Any, s: Source) -> None:
        post(conn, owner(conn, s), build(e), s)

    return handler


class LedgerProjection(Projection):
    name = "ledger"
    tables = (entries, lines, owners, invoices, *summary.LEDGER_TABLES)
    indexes_after_rebuild = frozenset(
        {
            "ix_ledger_entries_village_date",
            "ix_ledger_entries_source_notification_id",
            "ix_ledger_entries_source_aggregate_id",
            "ix_ledger_lines_village_account_date",
        }
    )
    handlers: ClassVar[Handlers] = {
        Asset.Registered: on_asset_registered,  # type: ignore[attr-defined]
        Asset.RentInvoiced: on_rent_invoiced,  # type: ignore[attr-defined]
        Asset.RentReceived: posting(postings.rent_received),  # type: ignore[attr-defined]
        Asset.InvoiceCorrected: on_invoice_corrected,  # type: ignore[attr-defined]
        Asset.ReceiptReversed: posting(postings.receipt_reversed),  # type: ignore[attr-defined]
        Asset.ContractTerminated: on_contract_terminated,  # type: ignore[attr-defined]
        Asset.Disposed: posting(postings.disposed),  # type: ignore[attr-defined]
        Parcel.Registered: on_owner_known,  # type: ignore[attr-defined]
        **{event_class: posting(build) for event_class, build in LAND_POSTINGS.items()},
        MealSettlement.Drafted: on_owner_known,  # type: ignore[attr-defined]
        **{event_class: posting(build) for event_class, build in MEAL_POSTINGS.items()},
    }
