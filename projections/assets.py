"""The asset register: each asset's state, its contracts, and its income to date."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    case,
    exists,
    insert,
    select,
    update,
)

from domain.assets.model import Asset
from domain.shared.values import to_fen
from projections.db import metadata
from projections.projection import Handler, Handlers, Projection, Source

register = Table(
    "asset_register",
    metadata,
    Column("asset_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("town_code", String(9), nullable=False),
    Column("asset_code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("area_m2", String(32), nullable=False),
    Column("location", String(200), nullable=False),
    Column("certificate_no", String(200)),
    Column("book_value_fen", BigInteger, nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("status", String(32), nullable=False),
    Column("rights_confirmed", Boolean, nullable=False),
    Column("appraised_value_fen", BigInteger),
    Column("current_contract_no", String(64)),
    Column("invoiced_fen", BigInteger, nullable=False),
    Column("received_fen", BigInteger, nullable=False),
    Column("cancelled_fen", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_asset_register_village", "village_code", "asset_code"),
    Index("ix_asset_register_town", "town_code"),
)

contracts = Table(
    "asset_contracts",
    metadata,
    Column("asset_id", String(36), primary_key=True),
    Column("contract_no", String(64), primary_key=True),
    Column("village_code", String(12), nullable=False, index=True),
    Column("mode", String(32), nullable=False),
    Column("counterparty_name", String(200), nullable=False),
    Column("counterparty_kind", String(32), nullable=False),
    Column("related_party", Boolean, nullable=False),
    Column("signed_on", Date, nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("terminated_on", Date),
    Column("termination_reason", String(64)),
    Column("total_value_fen", BigInteger, nullable=False),
    Column("public_bidding", Boolean, nullable=False),
    Column("resolution_reference", String(200), nullable=False),
    Column("renewals", Integer, nullable=False),
    Column("source_notification_id", Integer, nullable=False),
)

invoices = Table(
    "asset_invoices",
    metadata,
    Column("asset_id", String(36), primary_key=True),
    Column("invoice_no", String(64), primary_key=True),
    Column("contract_no", String(64), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("covers_from", Date, nullable=False),
    Column("covers_to", Date, nullable=False),
    Column("received_fen", BigInteger, nullable=False),
    Column("cancelled_fen", BigInteger, nullable=False),
    Column("arrears_noticed_on", Date),
)


def touch(conn: Connection, s: Source, **values: Any) -> None:
    conn.execute(
        update(register)
        .where(register.c.asset_id == str(s.aggregate_id))
        .values(version=s.version, updated_at=s.recorded_at, **values)
    )


def on_registered(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(register).values(
            asset_id=str(s.aggregate_id),
            village_code=e.village_code,
            town_code=e.village_code[:9],
            asset_code=e.asset_code,
            name=e.name,
            kind=e.kind,
            area_m2=str(e.area_m2),
            location=e.location,
            certificate_no=e.certificate_no,
            book_value_fen=to_fen(e.book_value_yuan),
            registered_on=e.registered_on,
            status="registered",
            rights_confirmed=False,
            appraised_value_fen=None,
            current_contract_no=None,
            invoiced_fen=0,
            received_fen=0,
            cancelled_fen=0,
            version=s.version,
            updated_at=s.recorded_at,
        )
    )


def on_appraised(conn: Connection, e: Any, s: Source) -> None:
    touch(conn, s, appraised_value_fen=to_fen(e.appraised_value_yuan))


def status_becomes(status: str) -> Handler:
    """Approval, rejection, listing: the status moves to ``status`` unless a contract is in
    force (model.py)."""

    def handler(conn: Connection, e: Any, s: Source) -> None:
        current = register.c.status
        kept = current.in_(("contracted", "in_arrears"))
        touch(conn, s, status=case((kept, current), else_=status))

    return handler


def on_contracted(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(contracts).values(
            asset_id=str(s.aggregate_id),
            contract_no=e.contract_no,
            village_code=_village(conn, s),
            mode=e.mode,
            counterparty_name=e.counterparty_name,
            counterparty_kind=e.counterparty_kind,
            related_party=e.related_party,
            signed_on=e.signed_on,
            start_on=e.start_on,
            end_on=e.end_on,
            terminated_on=None,
            termination_reason=None,
            total_value_fen=to_fen(e.total_value_yuan),
            public_bidding=e.public_bidding,
            resolution_reference=e.resolution_reference,
            renewals=0,
            source_notification_id=s.notification_id,
        )
    )
    touch(conn, s, status="contracted", current_contract_no=e.contract_no)


def _village(conn: Connection, s: Source) -> str:
    code = conn.scalar(
        select(register.c.village_code).where(register.c.asset_id == str(s.aggregate_id))
    )
    assert code is not None
    return str(code)


def _contract_key(s: Source, contract_no: str) -> Any:
    return (contracts.c.asset_id == str(s.aggregate_id)) & (contracts.c.contract_no == contract_no)


def on_renewed(conn: Connection, e: Any, s: Source) -> None:
    added = sum(to_fen(i["amount_yuan"]) for i in e.additional_schedule)
    conn.execute(
        update(contracts)
        .where(_contract_key(s, e.contract_no))
        .values(
            end_on=e.new_end_on,
            renewals=contracts.c.renewals + 1,
            total_value_fen=contracts.c.total_value_fen + added,
        )
    )
    touch(conn, s)


def on_terminated(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        update(contracts)
        .where(_contract_key(s, e.contract_no))
        .values(terminated_on=e.terminated_on, termination_reason=e.reason)
    )
    total = 0
    for c in e.receivable_cancellations:
        fen = to_fen(c["amount_yuan"])
        total += fen
        conn.execute(
            update(invoices)
            .where(
                invoices.c.asset_id == str(s.aggregate_id),
                invoices.c.invoice_no == c["invoice_no"],
            )
            .values(cancelled_fen=invoices.c.cancelled_fen + fen)
        )
    touch(
        conn,
        s,
        status="terminated",
        current_contract_no=None,
        cancelled_fen=register.c.cancelled_fen + total,
    )


def on_invoiced(conn: Connection, e: Any, s: Source) -> None:
    fen = to_fen(e.amount_yuan)
    conn.execute(
        insert(invoices).values(
            asset_id=str(s.aggregate_id),
            invoice_no=e.invoice_no,
            contract_no=e.contract_no,
            amount_fen=fen,
            issued_on=e.issued_on,
            due_on=e.due_on,
            covers_from=e.covers_from,
            covers_to=e.covers_to,
            received_fen=0,
            cancelled_fen=0,
            arrears_noticed_on=None,
        )
    )
    touch(conn, s, invoiced_fen=register.c.invoiced_fen + fen)


def on_received(conn: Connection, e: Any, s: Source) -> None:
    fen = to_fen(e.amount_yuan)
    conn.execute(
        update(invoices)
        .where(invoices.c.asset_id == str(s.aggregate_id), invoices.c.invoice_no == e.invoice_no)
        .values(received_fen=invoices.c.received_fen + fen)
    )
    overdue_left = exists(
        select(invoices.c.invoice_no).where(
            invoices.c.asset_id == str(s.aggregate_id),
            invoices.c.due_on < e.received_on,
            invoices.c.received_fen + invoices.c.cancelled_fen < invoices.c.amount_fen,
        )
    )
    status = case(
        ((register.c.status == "in_arrears") & ~overdue_left, "contracted"),
        else_=register.c.status,
    )
    touch(conn, s, received_fen=register.c.received_fen + fen, status=status)


def on_invoice_corrected(conn: Connection, e: Any, s: Source) -> None:
    fen = to_fen(e.corrected_amount_yuan)
    difference = fen - to_fen(e.previous_amount_yuan)
    conn.execute(
        update(invoices)
        .where(invoices.c.asset_id == str(s.aggregate_id), invoices.c.invoice_no == e.invoice_no)
        .values(amount_fen=fen)
    )
    touch(conn, s, invoiced_fen=register.c.invoiced_fen + difference)


def on_receipt_reversed(conn: Connection, e: Any, s: Source) -> None:
    fen = to_fen(e.amount_yuan)
    conn.execute(
        update(invoices)
        .where(invoices.c.asset_id == str(s.aggregate_id), invoices.c.invoice_no == e.invoice_no)
        .values(received_fen=invoices.c.received_fen - fen)
    )
    touch(conn, s, received_fen=register.c.received_fen - fen)


def on_in_arrears(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        update(invoices)
        .where(invoices.c.asset_id == str(s.aggregate_id), invoices.c.invoice_no == e.invoice_no)
        .values(arrears_noticed_on=e.as_of)
    )
    status = case(
        (register.c.status.in_(("contracted", "in_arrears")), "in_arrears"),
        else_=register.c.status,
    )
    touch(conn, s, status=status)


def on_disposed(conn: Connection, e: Any, s: Source) -> None:
    touch(conn, s, status="disposed")


def on_rights(conn: Connection, e: Any, s: Source) -> None:
    status = case((register.c.status == "registered", "rights_confirmed"), else_=register.c.status)
    touch(conn, s, rights_confirmed=True, certificate_no=e.certificate_no, status=status)


class AssetRegisterProjection(Projection):
    name = "asset_register"
    tables = (register, contracts, invoices)
    handlers: ClassVar[Handlers] = {
        Asset.Registered: on_registered,  # type: ignore[attr-defined]
        Asset.RightsConfirmed: on_rights,  # type: ignore[attr-defined]
        Asset.Appraised: on_appraised,  # type: ignore[attr-defined]
        Asset.RevitalizationApproved: status_becomes("approved"),  # type: ignore[attr-defined]
        Asset.RevitalizationRejected: status_becomes("rejected"),  # type: ignore[attr-defined]
        Asset.ListedForBidding: status_becomes("listed"),  # type: ignore[attr-defined]
        Asset.Contracted: on_contracted,  # type: ignore[attr-defined]
        Asset.ContractRenewed: on_renewed,  # type: ignore[attr-defined]
        Asset.ContractTerminated: on_terminated,  # type: ignore[attr-defined]
        Asset.RentInvoiced: on_invoiced,  # type: ignore[attr-defined]
        Asset.RentReceived: on_received,  # type: ignore[attr-defined]
        Asset.InvoiceCorrected: on_invoice_corrected,  # type: ignore[attr-defined]
        Asset.ReceiptReversed: on_receipt_reversed,  # type: ignore[attr-defined]
        Asset.RentInArrears: on_in_arrears,  # type: ignore[attr-defined]
        Asset.Disposed: on_disposed,  # type: ignore[attr-defined]
    }
