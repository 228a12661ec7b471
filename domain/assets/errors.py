"""Refusals of the asset-revitalization context (盘活). Each code is stable and documented."""

from __future__ import annotations

from domain.shared.errors import DomainError


class AssetError(DomainError):
    """A refusal of the asset-revitalization context; the subclasses say which."""

    code = "asset_error"


class AssetRegisteredDifferently(AssetError):
    """An asset with this code is already registered in the village with other details."""

    code = "asset_registered_differently"


class AssetNotFound(AssetError):
    """No asset with this id (or village and asset code)."""

    code = "asset_not_found"


class ResourceKindNotAllowed(AssetError):
    """The kind is not on the list of resource kinds in force for the village on that date."""

    code = "resource_kind_not_allowed"


class ResourceKindUnknown(AssetError):
    """No list of resource kinds for the place asked about ever named it, nor is an asset of it
    registered."""

    code = "resource_kind_unknown"


class AssetRightsNotConfirmed(AssetError):
    """Rights must be confirmed (确权) before the asset is approved, listed or contracted."""

    code = "asset_rights_not_confirmed"


class RightsAlreadyConfirmed(AssetError):
    """The asset's rights were confirmed already."""

    code = "rights_already_confirmed"


class AssetDisposed(AssetError):
    """The asset was disposed of; nothing more can happen to it."""

    code = "asset_disposed"


class ResourceKindMayNotBeSold(AssetError):
    """Homesteads (and other kinds marked so) may never be sold, openly or in disguise."""

    code = "resource_kind_may_not_be_sold"


class ContractWithoutResolution(AssetError):
    """A contract needs a collective resolution approving that mode for this asset."""

    code = "contract_without_resolution"


class ContractBeforeResolution(AssetError):
    """The contract is dated before the meeting that approved it."""

    code = "contract_before_resolution"


class AssetAlreadyContracted(AssetError):
    """The asset is under a contract that has not ended; terminate or renew it."""

    code = "asset_already_contracted"


class ContractNumberReused(AssetError):
    """This contract number was used for an earlier contract on this asset."""

    code = "contract_number_reused"


class NoActiveContract(AssetError):
    """The step needs a contract in force (contracted or in arrears)."""

    code = "no_active_contract"


class LeaseTermExceeds20Years(AssetError):
    """A lease (or its renewal) may not exceed 20 years (Civil Code art. 705)."""

    code = "lease_term_exceeds_20_years"


class PublicBiddingRequired(AssetError):
    """A deal of this value must go through public bidding on the property-rights exchange."""

    code = "public_bidding_required"


class NotListedForBidding(AssetError):
    """The contract claims public bidding, but the asset was never listed on the exchange."""

    code = "not_listed_for_bidding"


class ListingWithoutResolution(AssetError):
    """Listing on the exchange needs an approved resolution first."""

    code = "listing_without_resolution"


class RentPeriodOutsideContract(AssetError):
    """The period a rent covers must lie inside the contract's term."""

    code = "rent_period_outside_contract"


class InvoiceNumberReused(AssetError):
    """This invoice number was used for a different invoice on this asset."""

    code = "invoice_number_reused"


class InvoiceNotFound(AssetError):
    """No invoice with this number on this asset."""

    code = "invoice_not_found"


class PaymentExceedsAmountDue(AssetError):
    """A receipt may not exceed what is still outstanding on the invoice."""

    code = "payment_exceeds_amount_due"


class PaymentBeforeInvoice(AssetError):
    """A receipt is dated before the invoice it pays was issued."""

    code = "payment_before_invoice"


class ReceiptNumberReused(AssetError):
    """This receipt number was used for a different receipt on this asset."""

    code = "receipt_number_reused"


class InvoiceNotOverdue(AssetError):
    """An invoice is in arrears only after its due date, while something is outstanding."""

    code = "invoice_not_overdue"


class RenewalNotLater(AssetError):
    """A renewal must extend the contract beyond its current end."""

    code = "renewal_not_later"


class TerminationOutsideTerm(AssetError):
    """A contract can end only on a day inside its term."""

    code = "termination_outside_term"


class CorrectionReasonUnknown(AssetError):
    """A correction needs a reason code from the documented list (docs/audit.md)."""

    code = "correction_reason_unknown"


class CorrectionChangesNothing(AssetError):
    """The corrected amount is the amount the invoice already has."""

    code = "correction_changes_nothing"


class InvoiceContractNotInForce(AssetError):
    """Only invoices of the contract in force can be corrected: a termination has already
    settled the others."""

    code = "invoice_contract_not_in_force"


class CorrectedAmountBelowReceived(AssetError):
    """An invoice cannot be corrected below what was already received against it; reverse the
    receipt first."""

    code = "corrected_amount_below_received"


class ReceiptNotFound(AssetError):
    """No receipt with this number on this asset."""

    code = "receipt_not_found"


class ReceiptAlreadyReversed(AssetError):
    """The receipt was reversed already (for another reason)."""

    code = "receipt_already_reversed"
