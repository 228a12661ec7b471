"""Event handlers that post journal entries. Every line points back to its source event."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from sqlalchemy import Connection, insert, select

from domain.ledger.chart import chart_in_force
from domain.shared.values import to_fen
from projections.ledger import postings
from projections.ledger.postings_land import LAND_POSTINGS
from projections.ledger.postings_meals import MEAL_HANDLERS
from projections.ledger.tables import entries, invoices, lines, owners
from projections.runner import Handler, Projection, Source


def post(conn: Connection, village_code: str, drafts: list[postings.EntryDraft], s: Source) -> None:
    entry_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    for n, draft in enumerate(drafts, start=1):
        chart = chart_in_force(draft.entry_date)
        entry_id = f"{s.notification_id}-{n}"
        entry_rows.append(
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
            }
        )
        for line_no, line in enumerate(draft.lines, start=1):
            assert chart.has(line.account), f"{line.account} not in chart {chart.version}"
            line_rows.append(
                {
                    "entry_id": entry_id,
                    "line_no": line_no,
                    "village_code": village_code,
                    "entry_date": draft.entry_date,
                    "account_code": line.account,
                    "debit_fen": line.debit_fen,
                    "credit_fen": line.credit_fen,
                }
            )
    if entry_rows:
        conn.execute(insert(entries), entry_rows)
        conn.execute(insert(lines), line_rows)


def owner(conn: Connection, s: Source) -> str:
    village = conn.scalar(
        select(owners.c.village_code).where(owners.c.aggregate_id == str(s.aggregate_id))
    )
    assert village is not None, f"no owner for {s.aggregate_id}"
    return str(village)


def on_asset_registered(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(owners).values(aggregate_id=str(s.aggregate_id), village_code=e.village_code)
    )
    post(conn, e.village_code, postings.registration(e), s)


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


def on_rent_received(conn: Connection, e: Any, s: Source) -> None:
    post(conn, owner(conn, s), postings.rent_received(e), s)


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


def on_disposed(conn: Connection, e: Any, s: Source) -> None:
    post(conn, owner(conn, s), postings.disposed(e), s)


def on_parcel_registered(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(owners).values(aggregate_id=str(s.aggregate_id), village_code=e.village_code)
    )


def posting(build: Callable[[Any], list[postings.EntryDraft]]) -> Handler:
    """A handler that posts what ``build`` drafts to the books of the event's owner."""

    def handler(conn: Connection, e: Any, s: Source) -> None:
        post(conn, owner(conn, s), build(e), s)

    return handler


class LedgerProjection(Projection):
    name = "ledger"
    tables = (entries, lines, owners, invoices)
    handlers: ClassVar[Mapping[str, Handler]] = {
        "Asset.Registered": on_asset_registered,
        "Asset.RentInvoiced": on_rent_invoiced,
        "Asset.RentReceived": on_rent_received,
        "Asset.ContractTerminated": on_contract_terminated,
        "Asset.Disposed": on_disposed,
        "Parcel.Registered": on_parcel_registered,
        **{event_type: posting(build) for event_type, build in LAND_POSTINGS.items()},
        **MEAL_HANDLERS,
    }
