"""The rules of asset revitalization (盘活), each a plain function that refuses with a domain error
and cites its rule in docs/rules.md. The aggregate's commands call them with what they need of
its state; nothing here changes anything."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.assets import errors
from domain.assets.billing import Invoice, same_receipt
from domain.assets.vocabulary import ACTIVE
from domain.shared.errors import InvalidInput
from domain.shared.resolution import Resolution
from domain.shared.values import add_years

# Leasing or disposing of collective property: ≥ 2/3 of all members (docs/rules.md A-04).
TWO_THIRDS_OF_TOTAL_MATTERS = frozenset({"lease", "disposal"})
LEASE_TERM_YEARS_MAX = 20  # Civil Code art. 705: national law, not local (docs/rules.md A-06)

# -- the asset itself ---------------------------------------------------------------------------


def check_kind_allowed(
    kind: str, kinds: Sequence[Mapping[str, Any]], where: str, source: str
) -> Mapping[str, Any]:
    """The entry of ``kind`` on the list of resource kinds in force ``where`` (a village on a
    day), a policy a district revises (``source``: whose list, from when) (docs/rules.md A-01)."""
    allowed = {k["code"]: k for k in kinds}
    if kind not in allowed:
        raise errors.ResourceKindNotAllowed(
            f"{kind!r} is not a resource kind in force for {where} "
            f"(allowed: {', '.join(allowed)}; {source})",
            field="kind",
        )
    return allowed[kind]


def check_carried_at_value(kind: str, entry: Mapping[str, Any]) -> str:
    """The account (151 fixed assets, 161 intangible assets) a kind with a book value is carried
    in; a resource not carried at value has none (docs/rules.md A-01)."""
    account = entry["book_account"]
    if account is None:
        raise InvalidInput(
            f"a {kind} is a resource not carried at book value; book_value_yuan must be 0",
            field="book_value_yuan",
        )
    return str(account)


def check_kind_listed(kind: str, listed: Sequence[str]) -> str:
    """``kind`` when some list of resource kinds ever named it (docs/rules.md A-01)."""
    if kind not in listed:
        raise errors.ResourceKindUnknown(
            f"no list of resource kinds names {kind!r} (known: {', '.join(listed) or 'none'})",
            field="kind",
        )
    return kind


def check_may_be_sold(sale_forbidden: bool, asset_code: str, kind: str, field: str | None) -> None:
    """A homestead (or another kind marked so) is never sold or disposed of (docs/rules.md A-02)."""
    if sale_forbidden:
        raise errors.ResourceKindMayNotBeSold(
            f"{asset_code} is a {kind}, which may not be sold or disposed of", field=field
        )


def check_rights_confirmed(rights_confirmed: bool, asset_code: str) -> None:
    """Rights are confirmed before approval, listing or contract (docs/rules.md A-03)."""
    if not rights_confirmed:
        raise errors.AssetRightsNotConfirmed(f"rights of {asset_code} are not confirmed yet")


def check_rights_not_confirmed(rights_confirmed: bool, asset_code: str) -> None:
    """Rights are confirmed once (docs/rules.md A-03)."""
    if rights_confirmed:
        raise errors.RightsAlreadyConfirmed(f"rights of {asset_code} are confirmed already")


def check_not_disposed(status: str, asset_code: str) -> None:
    """Nothing more happens to a disposed asset (docs/rules.md A-15)."""
    if status == "disposed":
        raise errors.AssetDisposed(f"{asset_code} was disposed of")


# -- the collective's decision ------------------------------------------------------------------


def check_resolution_passes(matter: str, resolution: Resolution) -> None:
    """Leasing or disposing: two thirds of all members or representatives; any other matter: a
    majority of those present at a quorate meeting (docs/rules.md A-04)."""
    if matter in TWO_THIRDS_OF_TOTAL_MATTERS:
        resolution.check_two_thirds_of_total()
    else:
        resolution.check_ordinary_majority()


def check_listing_approved(approvals: Mapping[str, Any], asset_code: str, exchange: str) -> None:
    """An asset is listed on the exchange only once a resolution approved a matter
    (docs/rules.md A-05)."""
    if not approvals:
        raise errors.ListingWithoutResolution(
            f"{asset_code} has no approved resolution to list it on {exchange}"
        )


def check_approval_for(
    approvals: Mapping[str, dict[str, Any]], matter: str, on: date, asset_code: str
) -> dict[str, Any]:
    """The resolution approving ``matter``, held on or before ``on`` (docs/rules.md A-05)."""
    resolution = approvals.get(matter)
    if resolution is None:
        raise errors.ContractWithoutResolution(
            f"no collective resolution approves {matter} of {asset_code}",
            field="mode" if matter != "disposal" else None,
        )
    if on < resolution["held_on"]:
        raise errors.ContractBeforeResolution(
            f"dated {on}, before the meeting of {resolution['held_on']} that approved it",
            field="signed_on",
        )
    return resolution


def check_bidding(
    value: Decimal, public_bidding: bool, threshold: Decimal, listed: bool, asset_code: str
) -> None:
    """A deal worth the threshold in force or more goes through public bidding on the exchange,
    and a deal said to have done so was listed there (docs/rules.md A-07)."""
    if value >= threshold and not public_bidding:
        raise errors.PublicBiddingRequired(
            f"a deal worth {value} yuan reaches the public-bidding threshold of {threshold}",
            field="public_bidding",
        )
    if public_bidding and not listed:
        raise errors.NotListedForBidding(
            f"{asset_code} was not listed on an exchange", field="public_bidding"
        )


# -- the contract -------------------------------------------------------------------------------


def check_not_under_contract(
    status: str, contract: Mapping[str, Any] | None, asset_code: str, *, say_until: bool
) -> None:
    """One contract at a time: none is signed, nor the asset disposed of, while a contract is in
    force (docs/rules.md A-08)."""
    if contract is not None and status in ACTIVE:
        until = f" until {contract['end_on']}" if say_until else ""
        raise errors.AssetAlreadyContracted(
            f"{asset_code} is under contract {contract['contract_no']}{until}"
        )


def check_contract_number_new(
    contract_numbers: list[str], contract_no: str, asset_code: str
) -> None:
    """A contract number is used once on an asset (docs/rules.md A-08)."""
    if contract_no in contract_numbers:
        raise errors.ContractNumberReused(
            f"{asset_code} had a contract {contract_no} already", field="contract_no"
        )


def check_active_contract(
    status: str, contract: dict[str, Any] | None, asset_code: str
) -> dict[str, Any]:
    """The contract in force (contracted or in arrears) (docs/rules.md A-08)."""
    if contract is None or status not in ACTIVE:
        raise errors.NoActiveContract(f"{asset_code} has no contract in force")
    return contract


def check_term(start_on: date, end_on: date) -> None:
    """A term ends on or after the day it starts (docs/rules.md A-09)."""
    if end_on < start_on:
        raise InvalidInput(f"end_on {end_on} is before start_on {start_on}", field="end_on")


def check_lease_term(start: date, end: date) -> None:
    """At most 20 years: the last day is before the same date 20 years on (docs/rules.md A-06)."""
    limit = add_years(start, LEASE_TERM_YEARS_MAX)
    if end >= limit:
        raise errors.LeaseTermExceeds20Years(
            f"a lease from {start} to {end} exceeds {LEASE_TERM_YEARS_MAX} years; it must end "
            f"by {limit - timedelta(days=1)} at the latest",
            field="end_on",
        )


def check_period_inside(start: date, end: date, term_start: date, term_end: date) -> None:
    """The period a rent covers lies inside the contract's term (docs/rules.md A-09)."""
    if end < start or start < term_start or end > term_end:
        raise errors.RentPeriodOutsideContract(
            f"the period {start}..{end} is not inside the term {term_start}..{term_end}",
            field="covers_from",
        )


def check_renewal(
    contract: Mapping[str, Any], new_end_on: date, renewed_on: date, resolution: Resolution
) -> None:
    """A renewal ends later than the contract does now and is agreed on or after the meeting
    that approved it (docs/rules.md A-10)."""
    old_end: date = contract["end_on"]
    if new_end_on <= old_end:
        raise errors.RenewalNotLater(
            f"the renewal must end after the current end {old_end}", field="new_end_on"
        )
    if renewed_on < resolution.held_on:
        raise errors.ContractBeforeResolution(
            f"renewed {renewed_on}, before the meeting of {resolution.held_on} that approved it",
            field="renewed_on",
        )


def check_termination_inside_term(contract: Mapping[str, Any], terminated_on: date) -> None:
    """A contract ends early only on a day inside its term (docs/rules.md A-10)."""
    if not contract["start_on"] <= terminated_on <= contract["end_on"]:
        raise errors.TerminationOutsideTerm(
            f"{terminated_on} is outside the term {contract['start_on']}..{contract['end_on']}",
            field="terminated_on",
        )


# -- rent ---------------------------------------------------------------------------------------


def check_invoice_repeats(
    existing: Invoice | None,
    invoice_no: str,
    amount_yuan: Decimal,
    issued_on: date,
    due_on: date,
    covers_from: date,
    covers_to: date,
) -> bool:
    """True when this invoice was recorded already (a retry); refused when its number is used
    by another (docs/rules.md A-11)."""
    if existing is None:
        return False
    if existing.same_as(amount_yuan, issued_on, due_on, covers_from, covers_to):
        return True
    raise errors.InvoiceNumberReused(
        f"invoice {invoice_no} exists with other details", field="invoice_no"
    )


def check_invoice_dates(issued_on: date, due_on: date) -> None:
    """An invoice falls due on or after the day it is issued (docs/rules.md A-11)."""
    if due_on < issued_on:
        raise InvalidInput(f"due_on {due_on} is before issued_on {issued_on}", field="due_on")


def check_invoice_exists(
    invoices: Mapping[str, Invoice], invoice_no: str, asset_code: str
) -> Invoice:
    """The invoice of this number on this asset (docs/rules.md A-12)."""
    invoice = invoices.get(invoice_no)
    if invoice is None:
        raise errors.InvoiceNotFound(f"no invoice {invoice_no} on {asset_code}", field="invoice_no")
    return invoice


def check_receipt_repeats(
    existing: Mapping[str, Any] | None,
    receipt_no: str,
    invoice_no: str,
    amount_yuan: Decimal,
    received_on: date,
    channel: str,
) -> bool:
    """True when this receipt was recorded already (a retry); refused when its number is used by
    another (docs/rules.md A-12)."""
    if existing is None:
        return False
    if same_receipt(existing, invoice_no, amount_yuan, received_on, channel):
        return True
    raise errors.ReceiptNumberReused(
        f"receipt {receipt_no} exists with other details", field="receipt_no"
    )


def check_payment(invoice: Invoice, amount_yuan: Decimal, received_on: date) -> None:
    """A receipt is dated on or after its invoice and is at most what is outstanding on it
    (docs/rules.md A-12)."""
    if received_on < invoice.issued_on:
        raise errors.PaymentBeforeInvoice(
            f"received {received_on}, before invoice {invoice.invoice_no} was issued "
            f"({invoice.issued_on})",
            field="received_on",
        )
    if amount_yuan > invoice.outstanding_yuan:
        raise errors.PaymentExceedsAmountDue(
            f"{amount_yuan} exceeds the {invoice.outstanding_yuan} outstanding on "
            f"{invoice.invoice_no}",
            field="amount_yuan",
        )


def check_overdue(invoice: Invoice, as_of: date) -> None:
    """An invoice is in arrears after its due date while something is outstanding
    (docs/rules.md A-13)."""
    if as_of <= invoice.due_on or invoice.outstanding_yuan <= 0:
        raise errors.InvoiceNotOverdue(
            f"invoice {invoice.invoice_no} is not overdue on {as_of} (due {invoice.due_on}, "
            f"outstanding {invoice.outstanding_yuan})",
            field="as_of",
        )


# -- corrections --------------------------------------------------------------------------------


def check_reason(reason_code: str, allowed: tuple[str, ...]) -> None:
    """A correction gives a reason from its documented list (docs/rules.md A-14)."""
    if reason_code not in allowed:
        raise errors.CorrectionReasonUnknown(
            f"{reason_code!r} is not a reason for this correction (allowed: {', '.join(allowed)})",
            field="reason_code",
        )


def check_correction_repeats(
    invoice: Invoice, corrected_amount_yuan: Decimal, reason_code: str
) -> bool:
    """True when the invoice was corrected to this amount for this reason already (a retry);
    refused when the amount is the invoice's already (docs/rules.md A-14)."""
    if corrected_amount_yuan != invoice.amount_yuan:
        return False
    if invoice.correction_reason == reason_code:
        return True
    raise errors.CorrectionChangesNothing(
        f"invoice {invoice.invoice_no} is for {invoice.amount_yuan} already",
        field="corrected_amount_yuan",
    )


def check_invoice_correctable(
    invoice: Invoice,
    corrected_amount_yuan: Decimal,
    status: str,
    contract: dict[str, Any] | None,
) -> dict[str, Any]:
    """Only an invoice of the contract in force (returned) is corrected: a termination settled
    the others; and never below what was received on it (docs/rules.md A-14)."""
    if contract is None or status not in ACTIVE or (contract["contract_no"] != invoice.contract_no):
        raise errors.InvoiceContractNotInForce(
            f"contract {invoice.contract_no} of invoice {invoice.invoice_no} is no longer in force",
            field="invoice_no",
        )
    if corrected_amount_yuan < invoice.received_yuan:
        raise errors.CorrectedAmountBelowReceived(
            f"{invoice.received_yuan} was received on {invoice.invoice_no} already, more than "
            f"{corrected_amount_yuan}; reverse the receipts first",
            field="corrected_amount_yuan",
        )
    return contract


def check_receipt_exists(
    receipts: Mapping[str, dict[str, Any]], receipt_no: str, asset_code: str
) -> dict[str, Any]:
    """The receipt of this number on this asset (docs/rules.md A-14)."""
    receipt = receipts.get(receipt_no)
    if receipt is None:
        raise errors.ReceiptNotFound(f"no receipt {receipt_no} on {asset_code}", field="receipt_no")
    return receipt


def check_reversal_repeats(receipt: Mapping[str, Any], receipt_no: str, reason_code: str) -> bool:
    """True when the receipt was reversed for this reason already (a retry); refused when it was
    reversed for another (docs/rules.md A-14)."""
    reversed_for = receipt.get("reversal_reason")
    if reversed_for is None:
        return False
    if reversed_for == reason_code:
        return True
    raise errors.ReceiptAlreadyReversed(
        f"receipt {receipt_no} was reversed already ({reversed_for})", field="receipt_no"
    )
