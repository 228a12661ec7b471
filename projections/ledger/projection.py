"""Event handlers that post journal entries. Every line points back to its source event.

Entries and lines are deferred to the end of the fold's batch and written in bulk
(projections/batching.py); the handlers read only the owners and invoices, which are written at
once. Posting also adds to the district's monthly summary (projections/summary.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Connection, select, update

from domain.assets.model import Asset
from domain.books.model import Books, Voucher
from domain.land.model import Parcel
from domain.meals.model.meal_point import MealPoint
from domain.meals.model.settlement import MealSettlement
from domain.shared.values import to_fen
from projections import summary
from projections.batching import batched
from projections.ledger import books, postings, postings_land
from projections.ledger.journal import post
from projections.ledger.owners import (
    Owner,
    find_owner,
    invoice_party,
    know_counterparty,
    know_invoice,
    know_owner,
    owner_of,
)
from projections.ledger.postings_land import LAND_POSTINGS
from projections.ledger.postings_meals import MEAL_POSTINGS
from projections.ledger.subledgers import Party, asset_parties, land_parties, meal_parties, tagged
from projections.ledger.tables import (
    balances,
    entries,
    invoices,
    lines,
    owners,
    periods,
    sub_balances,
    voucher_counters,
    vouchers,
    years,
)
from projections.projection import Handler, Handlers, Projection, Source


def owner(conn: Connection, s: Source) -> str:
    return owner_of(conn, s.aggregate_id).village_code


@batched
def on_asset_registered(conn: Connection, e: Any, s: Source) -> None:
    """The first event of an asset names the village whose books it posts to."""
    know_owner(conn, s.aggregate_id, Owner(e.village_code, e.asset_code, None, None))
    post(conn, e.village_code, postings.registration(e), s)


@batched
def on_asset_contracted(conn: Connection, e: Any, s: Source) -> None:
    know_counterparty(conn, s.aggregate_id, e.counterparty_name, e.counterparty_kind)


@batched
def on_parcel_registered(conn: Connection, e: Any, s: Source) -> None:
    know_owner(conn, s.aggregate_id, Owner(e.village_code, e.parcel_code, None, None))


@batched
def on_parcel_awarded(conn: Connection, e: Any, s: Source) -> None:
    know_counterparty(conn, s.aggregate_id, e.winner_name, e.winner_kind)


@batched
def on_parcel_contract_signed(conn: Connection, e: Any, s: Source) -> None:
    know_counterparty(conn, s.aggregate_id, e.counterparty_name, None)
    post_contract_signed(conn, e, s)


@batched
def on_meal_point_registered(conn: Connection, e: Any, s: Source) -> None:
    """A meal point posts nothing; its operator is the counterparty of its settlements."""
    point = Owner(e.village_code, e.point_code, e.operator_name, "operator")
    know_owner(conn, s.aggregate_id, point)


@batched
def on_settlement_drafted(conn: Connection, e: Any, s: Source) -> None:
    point = find_owner(conn, e.meal_point_id)
    operator = point.counterparty if point is not None else None
    know_owner(conn, s.aggregate_id, Owner(e.village_code, e.month, operator, "operator"))


@batched
def on_rent_invoiced(conn: Connection, e: Any, s: Source) -> None:
    held = owner_of(conn, s.aggregate_id)
    invoice = {
        "invoice_no": e.invoice_no,
        "contract_no": e.contract_no,
        "amount_fen": to_fen(e.amount_yuan),
        "issued_on": e.issued_on,
        "covers_from": e.covers_from,
        "covers_to": e.covers_to,
        "income_account": postings.INCOME_ACCOUNT_BY_MODE[e.mode],
        "counterparty": held.counterparty,
        "counterparty_kind": held.counterparty_kind,
    }
    know_invoice(conn, s.aggregate_id, invoice, held.village_code)
    parties = asset_parties(held.counterparty, held.counterparty_kind, e.contract_no)
    post(conn, held.village_code, tagged(postings.rent_invoiced(e), parties), s)


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
    village, parties = invoice_parties(conn, s, e.invoice_no)
    post(conn, village, tagged(postings.invoice_corrected(e), parties), s)


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
    held = owner_of(conn, s.aggregate_id)
    parties = asset_parties(held.counterparty, held.counterparty_kind, e.contract_no)
    post(conn, held.village_code, tagged(drafts, parties), s)


def invoice_parties(conn: Connection, s: Source, invoice_no: str) -> tuple[str, dict[str, Party]]:
    """The village and the sub-ledger of an invoice: its contract's counterparty when issued."""
    row = invoice_party(conn, s.aggregate_id, invoice_no)
    if row is None:  # an invoice issued before the ledger knew it: no sub-ledger
        return owner(conn, s), {}
    return row.village_code, asset_parties(row.counterparty, row.counterparty_kind, row.contract_no)


def posting(build: postings.Posting) -> Handler:
    """A handler that posts what ``build`` drafts to the books of the event's owner."""

    @batched
    def handler(conn: Connection, e: Any, s: Source) -> None:
        post(conn, owner(conn, s), build(e), s)

    return handler


def receipt_posting(build: postings.Posting) -> Handler:
    """A posting of a receipt of an asset's invoice, tagged with the invoice's sub-ledger."""

    @batched
    def handler(conn: Connection, e: Any, s: Source) -> None:
        village, parties = invoice_parties(conn, s, e.invoice_no)
        post(conn, village, tagged(build(e), parties), s)

    return handler


def land_posting(build: postings.Posting) -> Handler:
    """A posting of a parcel: the buyer and the members by parcel code."""

    @batched
    def handler(conn: Connection, e: Any, s: Source) -> None:
        held = owner_of(conn, s.aggregate_id)
        parties = land_parties(held.counterparty, held.counterparty_kind, held.code)
        post(conn, held.village_code, tagged(build(e), parties), s)

    return handler


def meal_posting(build: postings.Posting) -> Handler:
    """A posting of a settlement: the operator and the government by settlement month."""

    @batched
    def handler(conn: Connection, e: Any, s: Source) -> None:
        held = owner_of(conn, s.aggregate_id)
        parties = meal_parties(held.counterparty, held.code)
        post(conn, held.village_code, tagged(build(e), parties), s)

    return handler


post_contract_signed = land_posting(postings_land.contract_signed)


class LedgerProjection(Projection):
    name = "ledger"
    tables = (
        entries,
        lines,
        owners,
        invoices,
        balances,
        sub_balances,
        periods,
        years,
        voucher_counters,
        vouchers,
        *summary.LEDGER_TABLES,
    )
    indexes_after_rebuild = frozenset(
        {
            "ix_ledger_entries_village_date",
            "ix_ledger_entries_source_notification_id",
            "ix_ledger_entries_source_aggregate_id",
            "ix_ledger_lines_village_account_date",
            "ix_ledger_entries_village_voucher_no",
            "ix_ledger_entries_voucher_id",
        }
    )
    handlers: ClassVar[Handlers] = {
        Asset.Registered: on_asset_registered,  # type: ignore[attr-defined]
        Asset.RentInvoiced: on_rent_invoiced,  # type: ignore[attr-defined]
        Asset.Contracted: on_asset_contracted,  # type: ignore[attr-defined]
        Asset.RentReceived: receipt_posting(postings.rent_received),  # type: ignore[attr-defined]
        Asset.InvoiceCorrected: on_invoice_corrected,  # type: ignore[attr-defined]
        Asset.ReceiptReversed: receipt_posting(postings.receipt_reversed),  # type: ignore[attr-defined]
        Asset.ContractTerminated: on_contract_terminated,  # type: ignore[attr-defined]
        Asset.Disposed: posting(postings.disposed),  # type: ignore[attr-defined]
        Parcel.Registered: on_parcel_registered,  # type: ignore[attr-defined]
        Parcel.Awarded: on_parcel_awarded,  # type: ignore[attr-defined]
        **{event_class: land_posting(build) for event_class, build in LAND_POSTINGS.items()},
        Parcel.ContractSigned: on_parcel_contract_signed,  # type: ignore[attr-defined]
        Voucher.Prepared: books.on_voucher_prepared,  # type: ignore[attr-defined]
        Voucher.Reviewed: books.on_voucher_reviewed,  # type: ignore[attr-defined]
        Books.Opened: books.on_books_opened,  # type: ignore[attr-defined]
        Books.PeriodClosed: books.on_period_closed,  # type: ignore[attr-defined]
        Books.PeriodReopened: books.on_period_reopened,  # type: ignore[attr-defined]
        Books.YearClosed: books.on_year_closed,  # type: ignore[attr-defined]
        Books.YearReopened: books.on_year_reopened,  # type: ignore[attr-defined]
        MealPoint.Registered: on_meal_point_registered,  # type: ignore[attr-defined]
        MealSettlement.Drafted: on_settlement_drafted,  # type: ignore[attr-defined]
        **{event_class: meal_posting(build) for event_class, build in MEAL_POSTINGS.items()},
    }
