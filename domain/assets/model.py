"""A collective asset or resource being revitalized (盘活), with its whole lifecycle.

registered → rights confirmed → (appraised) → revitalization approved | rejected → (listed for
bidding) → contracted → rent invoiced / received / in arrears → renewed | terminated | disposed.

Public command methods run their ``check_*`` rules and raise a domain error before anything
happens; the private ``@event`` methods only apply the change (they also run on every replay, so
they never raise and never read the clock). Rules: ../shared/domain/RULES.md §a.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.assets.errors import (
    AssetAlreadyContracted,
    AssetDisposed,
    AssetRightsNotConfirmed,
    ContractBeforeResolution,
    ContractNumberReused,
    ContractWithoutResolution,
    CorrectedAmountBelowReceived,
    CorrectionChangesNothing,
    CorrectionReasonUnknown,
    InvoiceContractNotInForce,
    InvoiceNotFound,
    InvoiceNotOverdue,
    InvoiceNumberReused,
    LeaseTermExceeds20Years,
    ListingWithoutResolution,
    NoActiveContract,
    NotListedForBidding,
    PaymentBeforeInvoice,
    PaymentExceedsAmountDue,
    PublicBiddingRequired,
    ReceiptAlreadyReversed,
    ReceiptNotFound,
    ReceiptNumberReused,
    RenewalNotLater,
    RentPeriodOutsideContract,
    ResourceKindMayNotBeSold,
    RightsAlreadyConfirmed,
    TerminationOutsideTerm,
)
from domain.assets.vocabulary import (
    ACTIVE,
    INVOICE_CORRECTION_REASONS,
    RECEIPT_REVERSAL_REASONS,
)
from domain.ledger.spread import Spread
from domain.shared.aggregate import QianwanAggregate
from domain.shared.errors import InvalidInput
from domain.shared.resolution import Resolution
from domain.shared.values import (
    ZERO,
    Provenance,
    add_years,
    deterministic_id,
    from_fen,
    to_fen,
)

# Leasing or disposing of collective property: ≥ 2/3 of all members (RULES.md §a).
TWO_THIRDS_OF_TOTAL_MATTERS = frozenset({"lease", "disposal"})
LEASE_TERM_YEARS_MAX = 20  # Civil Code art. 705: national law, not a local choice


def check_lease_term(start: date, end: date) -> None:
    """At most 20 years: the last day is before the same date 20 years on."""
    limit = add_years(start, LEASE_TERM_YEARS_MAX)
    if end >= limit:
        raise LeaseTermExceeds20Years(
            f"a lease from {start} to {end} exceeds {LEASE_TERM_YEARS_MAX} years; it must end "
            f"by {limit - timedelta(days=1)} at the latest",
            field="end_on",
        )


@dataclass(frozen=True)
class Installment:
    """One scheduled rent payment: due_on, amount_yuan, and the period it covers."""

    due_on: date
    amount_yuan: Decimal
    covers_from: date
    covers_to: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "due_on": self.due_on,
            "amount_yuan": self.amount_yuan,
            "covers_from": self.covers_from,
            "covers_to": self.covers_to,
        }


@dataclass
class Invoice:
    invoice_no: str
    contract_no: str
    amount_yuan: Decimal
    issued_on: date
    due_on: date
    covers_from: date
    covers_to: date
    received_yuan: Decimal = ZERO
    cancelled_yuan: Decimal = ZERO  # no longer owed: rent for days after a termination
    correction_reason: str | None = None  # of the latest correction of the amount, if any

    @property
    def outstanding_yuan(self) -> Decimal:
        return self.amount_yuan - self.received_yuan - self.cancelled_yuan

    def unearned_after(self, last_day: date) -> Decimal:
        """The share of this invoice covering days after ``last_day`` (whole fen, exact)."""
        spread = Spread(to_fen(self.amount_yuan), self.covers_from, self.covers_to)
        return from_fen(spread.fen_between(last_day + timedelta(days=1), self.covers_to))


def check_reason(reason_code: str, allowed: tuple[str, ...]) -> None:
    if reason_code not in allowed:
        raise CorrectionReasonUnknown(
            f"{reason_code!r} is not a reason for this correction (allowed: {', '.join(allowed)})",
            field="reason_code",
        )


class Asset(QianwanAggregate):
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

    # -- rights and appraisal -------------------------------------------------------------

    def confirm_rights(self, certificate_no: str, confirmed_on: date, by: Provenance) -> None:
        self.check_not_disposed()
        if self.rights_confirmed:
            raise RightsAlreadyConfirmed(f"rights of {self.asset_code} are confirmed already")
        self._rights_confirmed(
            certificate_no=certificate_no,
            confirmed_on=confirmed_on,
            actor=by.actor,
            authority=by.authority,
        )

    @event("RightsConfirmed")
    def _rights_confirmed(
        self, certificate_no: str, confirmed_on: date, actor: str, authority: str | None
    ) -> None:
        """certificate_no: the rights certificate (确权证书). confirmed_on: its date."""
        self.rights_confirmed = True
        self.certificate_no = certificate_no
        if self.status == "registered":
            self.status = "rights_confirmed"

    def appraise(
        self,
        appraised_value_yuan: Decimal,
        appraiser: str,
        report_no: str,
        appraised_on: date,
        by: Provenance,
    ) -> None:
        self.check_not_disposed()
        self._appraised(
            appraised_value_yuan=appraised_value_yuan,
            appraiser=appraiser,
            report_no=report_no,
            appraised_on=appraised_on,
            actor=by.actor,
            authority=by.authority,
        )

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

    # -- the collective's decision ----------------------------------------------------------

    def approve_revitalization(self, matter: str, resolution: Resolution, by: Provenance) -> None:
        self.check_not_disposed()
        self.check_rights_confirmed()
        if matter == "disposal" and self.sale_forbidden:
            raise ResourceKindMayNotBeSold(
                f"{self.asset_code} is a {self.kind}, which may not be sold or disposed of",
                field="matter",
            )
        if matter in TWO_THIRDS_OF_TOTAL_MATTERS:
            resolution.check_two_thirds_of_total()
        else:
            resolution.check_ordinary_majority()
        self._approved(
            matter=matter, resolution=resolution.as_dict(), actor=by.actor, authority=by.authority
        )

    @event("RevitalizationApproved")
    def _approved(
        self, matter: str, resolution: dict[str, Any], actor: str, authority: str | None
    ) -> None:
        """matter: lease | equity | cooperation | self_operation | disposal.
        resolution: the meeting's decision (domain/shared/resolution.py)."""
        self.approvals[matter] = resolution
        if self.status not in ACTIVE:
            self.status = "approved"

    def record_rejection(self, matter: str, resolution: Resolution, by: Provenance) -> None:
        """The meeting voted the proposal down: a fact worth keeping, approving nothing."""
        self.check_not_disposed()
        resolution.check_counts()
        self._rejected(
            matter=matter, resolution=resolution.as_dict(), actor=by.actor, authority=by.authority
        )

    @event("RevitalizationRejected")
    def _rejected(
        self, matter: str, resolution: dict[str, Any], actor: str, authority: str | None
    ) -> None:
        """matter and resolution as for RevitalizationApproved; the proposal failed."""
        self.approvals.pop(matter, None)
        if self.status not in ACTIVE:
            self.status = "rejected"

    def list_for_bidding(
        self,
        exchange: str,
        listing_no: str,
        listed_on: date,
        reserve_price_yuan: Decimal,
        by: Provenance,
    ) -> None:
        self.check_not_disposed()
        self.check_rights_confirmed()
        if not self.approvals:
            raise ListingWithoutResolution(
                f"{self.asset_code} has no approved resolution to list it on {exchange}"
            )
        self._listed(
            exchange=exchange,
            listing_no=listing_no,
            listed_on=listed_on,
            reserve_price_yuan=reserve_price_yuan,
            actor=by.actor,
            authority=by.authority,
        )

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

    # -- contract ---------------------------------------------------------------------------

    def sign_contract(
        self,
        contract_no: str,
        mode: str,
        counterparty_name: str,
        counterparty_kind: str,
        related_party: bool,
        signed_on: date,
        start_on: date,
        end_on: date,
        rent_schedule: list[Installment],
        public_bidding: bool,
        bidding_threshold_yuan: Decimal,
        by: Provenance,
    ) -> None:
        """bidding_threshold_yuan: the public-bidding threshold in force (policy, passed in)."""
        self.check_not_disposed()
        self.check_rights_confirmed()
        if self.contract is not None and self.status in ACTIVE:
            raise AssetAlreadyContracted(
                f"{self.asset_code} is under contract {self.contract['contract_no']} until "
                f"{self.contract['end_on']}"
            )
        if contract_no in self.contract_numbers:
            raise ContractNumberReused(
                f"{self.asset_code} had a contract {contract_no} already", field="contract_no"
            )
        resolution = self.check_resolution_for(mode, signed_on)
        if end_on < start_on:
            raise InvalidInput(f"end_on {end_on} is before start_on {start_on}", field="end_on")
        if mode == "lease":
            check_lease_term(start_on, end_on)
        for item in rent_schedule:
            self.check_period_inside(item.covers_from, item.covers_to, start_on, end_on)
        total = sum((i.amount_yuan for i in rent_schedule), ZERO)
        self.check_bidding(total, public_bidding, bidding_threshold_yuan)
        self._contracted(
            contract_no=contract_no,
            mode=mode,
            counterparty_name=counterparty_name,
            counterparty_kind=counterparty_kind,
            related_party=related_party,
            signed_on=signed_on,
            start_on=start_on,
            end_on=end_on,
            rent_schedule=[i.as_dict() for i in rent_schedule],
            total_value_yuan=total,
            public_bidding=public_bidding,
            resolution_reference=resolution["reference"],
            actor=by.actor,
            authority=by.authority or resolution["reference"],
        )

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

    def renew_contract(
        self,
        new_end_on: date,
        resolution: Resolution,
        renewed_on: date,
        additional_schedule: list[Installment],
        by: Provenance,
    ) -> None:
        contract = self.check_active_contract()
        old_end: date = contract["end_on"]
        if new_end_on <= old_end:
            raise RenewalNotLater(
                f"the renewal must end after the current end {old_end}", field="new_end_on"
            )
        if renewed_on < resolution.held_on:
            raise ContractBeforeResolution(
                f"renewed {renewed_on}, before the meeting of {resolution.held_on} that "
                "approved it",
                field="renewed_on",
            )
        if contract["mode"] in TWO_THIRDS_OF_TOTAL_MATTERS:
            resolution.check_two_thirds_of_total()
        else:
            resolution.check_ordinary_majority()
        if contract["mode"] == "lease":
            # A renewal is again at most 20 years, counted from the day it is agreed (Civil Code
            # art. 705: 自续订之日起), or from the day after the old end if that is earlier.
            check_lease_term(min(renewed_on, old_end + timedelta(days=1)), new_end_on)
        for item in additional_schedule:
            # The extension starts the day after the old end, which was billed already.
            self.check_period_inside(
                item.covers_from, item.covers_to, old_end + timedelta(days=1), new_end_on
            )
        self._renewed(
            contract_no=contract["contract_no"],
            previous_end_on=old_end,
            new_end_on=new_end_on,
            renewed_on=renewed_on,
            additional_schedule=[i.as_dict() for i in additional_schedule],
            resolution=resolution.as_dict(),
            actor=by.actor,
            authority=by.authority or resolution.reference,
        )

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

    def terminate_contract(self, terminated_on: date, reason: str, by: Provenance) -> None:
        contract = self.check_active_contract()
        if not contract["start_on"] <= terminated_on <= contract["end_on"]:
            raise TerminationOutsideTerm(
                f"{terminated_on} is outside the term {contract['start_on']}..{contract['end_on']}",
                field="terminated_on",
            )
        cancellations = []
        for invoice in self.invoices.values():
            if invoice.contract_no != contract["contract_no"]:
                continue
            cancel = min(invoice.unearned_after(terminated_on), invoice.outstanding_yuan)
            if cancel > 0:
                cancellations.append({"invoice_no": invoice.invoice_no, "amount_yuan": cancel})
        self._terminated(
            contract_no=contract["contract_no"],
            terminated_on=terminated_on,
            reason=reason,
            receivable_cancellations=cancellations,
            actor=by.actor,
            authority=by.authority,
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

    # -- rent ---------------------------------------------------------------------------------

    def invoice_rent(
        self,
        invoice_no: str,
        amount_yuan: Decimal,
        issued_on: date,
        due_on: date,
        covers_from: date,
        covers_to: date,
        by: Provenance,
    ) -> bool:
        """Returns False when the same invoice was recorded already (a safe retry)."""
        existing = self.invoices.get(invoice_no)
        if existing is not None:
            same = (
                existing.amount_yuan,
                existing.issued_on,
                existing.due_on,
                existing.covers_from,
                existing.covers_to,
            ) == (amount_yuan, issued_on, due_on, covers_from, covers_to)
            if same:
                return False
            raise InvoiceNumberReused(
                f"invoice {invoice_no} exists with other details", field="invoice_no"
            )
        contract = self.check_active_contract()
        self.check_period_inside(covers_from, covers_to, contract["start_on"], contract["end_on"])
        if due_on < issued_on:
            raise InvalidInput(f"due_on {due_on} is before issued_on {issued_on}", field="due_on")
        self._invoiced(
            invoice_no=invoice_no,
            contract_no=contract["contract_no"],
            mode=contract["mode"],
            amount_yuan=amount_yuan,
            issued_on=issued_on,
            due_on=due_on,
            covers_from=covers_from,
            covers_to=covers_to,
            actor=by.actor,
            authority=by.authority,
        )
        return True

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

    def receive_rent(
        self,
        receipt_no: str,
        invoice_no: str,
        amount_yuan: Decimal,
        received_on: date,
        channel: str,
        by: Provenance,
    ) -> bool:
        """Returns False when the same receipt was recorded already (a safe retry)."""
        existing = self.receipts.get(receipt_no)
        if existing is not None:
            # The channel is content too: it decides the cash account (101 or 102).
            if (
                existing["invoice_no"],
                existing["amount_yuan"],
                existing["received_on"],
                existing["channel"],
            ) == (invoice_no, amount_yuan, received_on, channel):
                return False
            raise ReceiptNumberReused(
                f"receipt {receipt_no} exists with other details", field="receipt_no"
            )
        invoice = self.invoices.get(invoice_no)
        if invoice is None:
            raise InvoiceNotFound(
                f"no invoice {invoice_no} on {self.asset_code}", field="invoice_no"
            )
        if received_on < invoice.issued_on:
            raise PaymentBeforeInvoice(
                f"received {received_on}, before invoice {invoice_no} was issued "
                f"({invoice.issued_on})",
                field="received_on",
            )
        if amount_yuan > invoice.outstanding_yuan:
            raise PaymentExceedsAmountDue(
                f"{amount_yuan} exceeds the {invoice.outstanding_yuan} outstanding on {invoice_no}",
                field="amount_yuan",
            )
        self._received(
            receipt_no=receipt_no,
            invoice_no=invoice_no,
            amount_yuan=amount_yuan,
            received_on=received_on,
            channel=channel,
            actor=by.actor,
            authority=by.authority,
        )
        return True

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

    # -- corrections --------------------------------------------------------------------------

    def correct_invoice(
        self, invoice_no: str, corrected_amount_yuan: Decimal, reason_code: str, by: Provenance
    ) -> bool:
        """Correct a mistaken invoice amount. Returns False when the invoice was corrected to
        this amount for this reason already (a safe retry)."""
        check_reason(reason_code, INVOICE_CORRECTION_REASONS)
        invoice = self.invoices.get(invoice_no)
        if invoice is None:
            raise InvoiceNotFound(
                f"no invoice {invoice_no} on {self.asset_code}", field="invoice_no"
            )
        if corrected_amount_yuan == invoice.amount_yuan:
            if invoice.correction_reason == reason_code:
                return False
            raise CorrectionChangesNothing(
                f"invoice {invoice_no} is for {invoice.amount_yuan} already",
                field="corrected_amount_yuan",
            )
        contract = self.contract
        if (
            contract is None
            or self.status not in ACTIVE
            or (contract["contract_no"] != invoice.contract_no)
        ):
            raise InvoiceContractNotInForce(
                f"contract {invoice.contract_no} of invoice {invoice_no} is no longer in force",
                field="invoice_no",
            )
        if corrected_amount_yuan < invoice.received_yuan:
            raise CorrectedAmountBelowReceived(
                f"{invoice.received_yuan} was received on {invoice_no} already, more than "
                f"{corrected_amount_yuan}; reverse the receipts first",
                field="corrected_amount_yuan",
            )
        self._invoice_corrected(
            invoice_no=invoice_no,
            contract_no=invoice.contract_no,
            mode=contract["mode"],
            previous_amount_yuan=invoice.amount_yuan,
            corrected_amount_yuan=corrected_amount_yuan,
            issued_on=invoice.issued_on,
            covers_from=invoice.covers_from,
            covers_to=invoice.covers_to,
            reason_code=reason_code,
            actor=by.actor,
            authority=by.authority,
        )
        return True

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

    def reverse_receipt(self, receipt_no: str, reason_code: str, by: Provenance) -> bool:
        """Reverse a receipt that should not have been recorded (or not so). Returns False when
        it was reversed for this reason already (a safe retry)."""
        check_reason(reason_code, RECEIPT_REVERSAL_REASONS)
        receipt = self.receipts.get(receipt_no)
        if receipt is None:
            raise ReceiptNotFound(
                f"no receipt {receipt_no} on {self.asset_code}", field="receipt_no"
            )
        reversed_for = receipt.get("reversal_reason")
        if reversed_for is not None:
            if reversed_for == reason_code:
                return False
            raise ReceiptAlreadyReversed(
                f"receipt {receipt_no} was reversed already ({reversed_for})", field="receipt_no"
            )
        self._receipt_reversed(
            receipt_no=receipt_no,
            invoice_no=receipt["invoice_no"],
            amount_yuan=receipt["amount_yuan"],
            received_on=receipt["received_on"],
            channel=receipt["channel"],
            reason_code=reason_code,
            actor=by.actor,
            authority=by.authority,
        )
        return True

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

    def mark_in_arrears(self, invoice_no: str, as_of: date, by: Provenance) -> None:
        invoice = self.invoices.get(invoice_no)
        if invoice is None:
            raise InvoiceNotFound(
                f"no invoice {invoice_no} on {self.asset_code}", field="invoice_no"
            )
        if as_of <= invoice.due_on or invoice.outstanding_yuan <= 0:
            raise InvoiceNotOverdue(
                f"invoice {invoice_no} is not overdue on {as_of} (due {invoice.due_on}, "
                f"outstanding {invoice.outstanding_yuan})",
                field="as_of",
            )
        self._in_arrears(
            invoice_no=invoice_no,
            as_of=as_of,
            outstanding_yuan=invoice.outstanding_yuan,
            actor=by.actor,
            authority=by.authority,
        )

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

    def overdue_invoices(self, as_of: date) -> list[Invoice]:
        return [i for i in self.invoices.values() if i.due_on < as_of and i.outstanding_yuan > 0]

    # -- disposal -----------------------------------------------------------------------------

    def dispose(
        self,
        disposed_on: date,
        proceeds_yuan: Decimal,
        counterparty_name: str,
        public_bidding: bool,
        bidding_threshold_yuan: Decimal,
        by: Provenance,
    ) -> None:
        self.check_not_disposed()
        if self.sale_forbidden:
            raise ResourceKindMayNotBeSold(
                f"{self.asset_code} is a {self.kind}, which may not be sold or disposed of"
            )
        if self.contract is not None and self.status in ACTIVE:
            raise AssetAlreadyContracted(
                f"{self.asset_code} is under contract {self.contract['contract_no']}"
            )
        resolution = self.check_resolution_for("disposal", disposed_on)
        self.check_bidding(proceeds_yuan, public_bidding, bidding_threshold_yuan)
        self._disposed(
            disposed_on=disposed_on,
            proceeds_yuan=proceeds_yuan,
            counterparty_name=counterparty_name,
            public_bidding=public_bidding,
            carrying_value_yuan=self.book_value_yuan,
            book_account=self.book_account,
            resolution_reference=resolution["reference"],
            actor=by.actor,
            authority=by.authority or resolution["reference"],
        )

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

    # -- checks -------------------------------------------------------------------------------

    def check_not_disposed(self) -> None:
        if self.status == "disposed":
            raise AssetDisposed(f"{self.asset_code} was disposed of")

    def check_rights_confirmed(self) -> None:
        if not self.rights_confirmed:
            raise AssetRightsNotConfirmed(f"rights of {self.asset_code} are not confirmed yet")

    def check_active_contract(self) -> dict[str, Any]:
        self.check_not_disposed()
        if self.contract is None or self.status not in ACTIVE:
            raise NoActiveContract(f"{self.asset_code} has no contract in force")
        return self.contract

    def check_resolution_for(self, matter: str, on: date) -> dict[str, Any]:
        resolution = self.approvals.get(matter)
        if resolution is None:
            raise ContractWithoutResolution(
                f"no collective resolution approves {matter} of {self.asset_code}",
                field="mode" if matter != "disposal" else None,
            )
        if on < resolution["held_on"]:
            raise ContractBeforeResolution(
                f"dated {on}, before the meeting of {resolution['held_on']} that approved it",
                field="signed_on",
            )
        return resolution

    def check_bidding(self, value: Decimal, public_bidding: bool, threshold: Decimal) -> None:
        if value >= threshold and not public_bidding:
            raise PublicBiddingRequired(
                f"a deal worth {value} yuan reaches the public-bidding threshold of {threshold}",
                field="public_bidding",
            )
        if public_bidding and self.listing is None:
            raise NotListedForBidding(
                f"{self.asset_code} was not listed on an exchange", field="public_bidding"
            )

    @staticmethod
    def check_period_inside(start: date, end: date, term_start: date, term_end: date) -> None:
        if end < start or start < term_start or end > term_end:
            raise RentPeriodOutsideContract(
                f"the period {start}..{end} is not inside the term {term_start}..{term_end}",
                field="covers_from",
            )
