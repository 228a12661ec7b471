"""A collective asset or resource being revitalized (盘活), with its whole lifecycle.

registered → rights confirmed → (appraised) → revitalization approved | rejected → (listed for
bidding) → contracted → rent invoiced / received / in arrears → renewed | terminated | disposed.

This module holds the aggregate and its events: each private ``@event`` method only applies its
change (it also runs on every replay, so it never raises and never reads the clock), and its
name and parameters are the stored event's topic and fields, never to be changed. The public
commands come from the groups that change together, each checking its rules (rules.py) before
it triggers an event here: decisions.py (rights, appraisal, resolutions, listing, disposal),
contracts.py (sign, renew, terminate) and rent.py (invoices, receipts, corrections, arrears).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.assets.billing import Invoice
from domain.assets.contracts import ContractCommands
from domain.assets.decisions import DecisionCommands
from domain.assets.rent import RentCommands
from domain.assets.vocabulary import ACTIVE
from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import ZERO, deterministic_id


class Asset(DecisionCommands, ContractCommands, RentCommands, QianwanAggregate):
    """An asset of a village collective, identified by its village and asset code (资产编号)."""

    @staticmethod
    def create_id(village_code: str, asset_code: str) -> UUID:
        return deterministic_id("asset", village_code, asset_code)

    @event("Registered")
    def __init__(
        self,
        village_code: str,
        asset_code: str,
        name: str,
        kind: str,
        area_m2: Decimal,
        location: str,
        certificate_no: str | None,
        book_value_yuan: Decimal,
        book_account: str | None,
        sale_forbidden: bool,
        registered_on: date,
        actor: str,
        authority: str | None,
    ) -> None:
        """village_code: the owning collective. asset_code: unique in the village. kind: from the
        resource-kind policy in force. area_m2, location, certificate_no (may come later with the
        rights). book_value_yuan: carried in book_account (151/161) from registered_on, or None.
        sale_forbidden: copied from the kind, so the rule holds even if the list changes."""
        self.village_code = village_code
        self.asset_code = asset_code
        self.name = name
        self.kind = kind
        self.area_m2 = area_m2
        self.location = location
        self.certificate_no = certificate_no
        self.book_value_yuan = book_value_yuan
        self.book_account = book_account
        self.sale_forbidden = sale_forbidden
        self.registered_on = registered_on
        self.status = "registered"
        self.rights_confirmed = False
        self.appraised_value_yuan: Decimal | None = None
        self.approvals: dict[str, dict[str, Any]] = {}  # matter → resolution, not yet used
        self.listing: dict[str, Any] | None = None
        self.contract: dict[str, Any] | None = None
        self.contract_numbers: list[str] = []  # every contract signed, the current one last
        self.invoices: dict[str, Invoice] = {}
        self.receipts: dict[str, dict[str, Any]] = {}

    @event("RightsConfirmed")
    def _rights_confirmed(
        self, certificate_no: str, confirmed_on: date, actor: str, authority: str | None
    ) -> None:
        """certificate_no: the rights certificate (确权证书). confirmed_on: its date."""
        self.rights_confirmed = True
        self.certificate_no = certificate_no
        if self.status == "registered":
            self.status = "rights_confirmed"

    @event("Appraised")
    def _appraised(
        self,
        appraised_value_yuan: Decimal,
        appraiser: str,
        report_no: str,
        appraised_on: date,
        actor: str,
        authority: str | None,
    ) -> None:
        """appraised_value_yuan: the market value (or yearly rent value) the appraiser found."""
        self.appraised_value_yuan = appraised_value_yuan

    @event("RevitalizationApproved")
    def _approved(
        self, matter: str, resolution: dict[str, Any], actor: str, authority: str | None
    ) -> None:
        """matter: lease | equity | cooperation | self_operation | disposal.
        resolution: the meeting's decision (domain/shared/resolution.py)."""
        self.approvals[matter] = resolution
        if self.status not in ACTIVE:
            self.status = "approved"

    @event("RevitalizationRejected")
    def _rejected(
        self, matter: str, resolution: dict[str, Any], actor: str, authority: str | None
    ) -> None:
        """matter and resolution as for RevitalizationApproved; the proposal failed."""
        self.approvals.pop(matter, None)
        if self.status not in ACTIVE:
            self.status = "rejected"

    @event("ListedForBidding")
    def _listed(
        self,
        exchange: str,
        listing_no: str,
        listed_on: date,
        reserve_price_yuan: Decimal,
        actor: str,
        authority: str | None,
    ) -> None:
        """exchange: the rural property-rights exchange (农村产权交易市场).
        reserve_price_yuan: the reserve price (底价)."""
        self.listing = {
            "exchange": exchange,
            "listing_no": listing_no,
            "listed_on": listed_on,
            "reserve_price_yuan": reserve_price_yuan,
        }
        if self.status not in ACTIVE:
            self.status = "listed"

    @event("Contracted")
    def _contracted(
        self,
        contract_no: str,
        mode: str,
        counterparty_name: str,
        counterparty_kind: str,
        related_party: bool,
        signed_on: date,
        start_on: date,
        end_on: date,
        rent_schedule: list[dict[str, Any]],
        total_value_yuan: Decimal,
        public_bidding: bool,
        resolution_reference: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """mode: lease | equity | cooperation | self_operation. counterparty: lessee, investee or
        partner (kind person | organization | collective; related_party flags a relation to
        village officials). start_on..end_on: the term. rent_schedule: installments (due_on,
        amount_yuan, covers_from, covers_to). total_value_yuan: their sum. public_bidding: went
        through the exchange. resolution_reference: the approving resolution (used up here)."""
        self.contract = {
            "contract_no": contract_no,
            "mode": mode,
            "counterparty_name": counterparty_name,
            "counterparty_kind": counterparty_kind,
            "related_party": related_party,
            "signed_on": signed_on,
            "start_on": start_on,
            "end_on": end_on,
            "total_value_yuan": total_value_yuan,
            "public_bidding": public_bidding,
            "resolution_reference": resolution_reference,
            "terminated_on": None,
        }
        self.contract_numbers.append(contract_no)
        self.approvals.pop(mode, None)
        self.listing = None
        self.status = "contracted"

    @event("ContractRenewed")
    def _renewed(
        self,
        contract_no: str,
        previous_end_on: date,
        new_end_on: date,
        renewed_on: date,
        additional_schedule: list[dict[str, Any]],
        resolution: dict[str, Any],
        actor: str,
        authority: str | None,
    ) -> None:
        """The contract now ends on new_end_on; additional_schedule covers the extension."""
        assert self.contract is not None
        self.contract["end_on"] = new_end_on
        self.contract["total_value_yuan"] += sum(
            (Decimal(i["amount_yuan"]) for i in additional_schedule), ZERO
        )

    @event("ContractTerminated")
    def _terminated(
        self,
        contract_no: str,
        terminated_on: date,
        reason: str,
        receivable_cancellations: list[dict[str, Any]],
        actor: str,
        authority: str | None,
    ) -> None:
        """The contract ends early on terminated_on (its last day) for reason.
        receivable_cancellations: per invoice (invoice_no, amount_yuan), billed rent for days
        after the end that was not received and is therefore no longer owed."""
        assert self.contract is not None
        for c in receivable_cancellations:
            self.invoices[c["invoice_no"]].cancelled_yuan += Decimal(c["amount_yuan"])
        self.contract["terminated_on"] = terminated_on
        self.status = "terminated"

    @event("RentInvoiced")
    def _invoiced(
        self,
        invoice_no: str,
        contract_no: str,
        mode: str,
        amount_yuan: Decimal,
        issued_on: date,
        due_on: date,
        covers_from: date,
        covers_to: date,
        actor: str,
        authority: str | None,
    ) -> None:
        """Rent (lease, self-operation) or returns (equity, cooperation) billed under the
        contract: amount_yuan for the period covers_from..covers_to, due on due_on."""
        self.invoices[invoice_no] = Invoice(
            invoice_no, contract_no, amount_yuan, issued_on, due_on, covers_from, covers_to
        )

    @event("RentReceived")
    def _received(
        self,
        receipt_no: str,
        invoice_no: str,
        amount_yuan: Decimal,
        received_on: date,
        channel: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """amount_yuan paid against invoice_no on received_on into channel (bank | cash)."""
        invoice = self.invoices[invoice_no]
        invoice.received_yuan += amount_yuan
        self.receipts[receipt_no] = {
            "invoice_no": invoice_no,
            "amount_yuan": amount_yuan,
            "received_on": received_on,
            "channel": channel,
        }
        if self.status == "in_arrears" and not self.overdue_invoices(received_on):
            self.status = "contracted"

    @event("InvoiceCorrected")
    def _invoice_corrected(
        self,
        invoice_no: str,
        contract_no: str,
        mode: str,
        previous_amount_yuan: Decimal,
        corrected_amount_yuan: Decimal,
        issued_on: date,
        covers_from: date,
        covers_to: date,
        reason_code: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """invoice_no of contract_no (mode) is for corrected_amount_yuan, not
        previous_amount_yuan, for reason_code. issued_on, covers_from, covers_to: the invoice's
        own dates, repeated so that the books can reverse and repost it from this event."""
        invoice = self.invoices[invoice_no]
        invoice.amount_yuan = corrected_amount_yuan
        invoice.correction_reason = reason_code

    @event("ReceiptReversed")
    def _receipt_reversed(
        self,
        receipt_no: str,
        invoice_no: str,
        amount_yuan: Decimal,
        received_on: date,
        channel: str,
        reason_code: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """Receipt receipt_no (amount_yuan against invoice_no, received_on into channel) is
        reversed for reason_code: the amount is owed again. The number stays used."""
        self.invoices[invoice_no].received_yuan -= Decimal(amount_yuan)
        self.receipts[receipt_no]["reversal_reason"] = reason_code

    @event("RentInArrears")
    def _in_arrears(
        self,
        invoice_no: str,
        as_of: date,
        outstanding_yuan: Decimal,
        actor: str,
        authority: str | None,
    ) -> None:
        """On as_of, outstanding_yuan of invoice_no is past due (a demand notice was issued)."""
        if self.status in ACTIVE:
            self.status = "in_arrears"

    @event("Disposed")
    def _disposed(
        self,
        disposed_on: date,
        proceeds_yuan: Decimal,
        counterparty_name: str,
        public_bidding: bool,
        carrying_value_yuan: Decimal,
        book_account: str | None,
        resolution_reference: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """Sold or otherwise disposed of for proceeds_yuan; carrying_value_yuan leaves
        book_account. resolution_reference: the two-thirds resolution that allowed it."""
        self.status = "disposed"
        self.approvals.pop("disposal", None)
