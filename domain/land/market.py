"""The parcel on the market: listing, award, the contract and the installments of its price.

These are methods of the one Parcel aggregate (domain/land/model.py), kept in their own module
so that no module grows past a few hundred lines. The class body attaches each of them by name;
eventsourcing then names their events ``Parcel.<Name>`` exactly as if they were written there.
Public commands check first and raise before anything happens; ``@event`` functions only apply.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import event

from domain.land import rules
from domain.land.calendar import WorkingCalendar
from domain.land.errors import (
    AwardBelowReservePrice,
    ContractBeforeAward,
    InstallmentReceiptReused,
    PaymentExceedsContractPrice,
)
from domain.land.rules import AppliedPolicy, check_not_before, check_stage
from domain.land.vocabulary import CAPITAL_CONTRIBUTION
from domain.shared.values import ZERO, Provenance, add_years

if TYPE_CHECKING:
    from domain.land.model import Parcel


def list_on_exchange(
    self: Parcel,
    exchange: str,
    listing_no: str,
    listed_on: date,
    working_days_min: int,
    calendar: WorkingCalendar,
    applied: list[AppliedPolicy],
    by: Provenance,
) -> None:
    self._step(("plan_filed",), listed_on, "listing", "listed_on")
    assert self.plan is not None and self.filed_on is not None
    elapsed = rules.check_filing_period(self.filed_on, listed_on, working_days_min, calendar)
    self._listed(
        exchange=exchange,
        listing_no=listing_no,
        listed_on=listed_on,
        listing_method=self.plan.listing_method,
        working_days_min=working_days_min,
        working_days_elapsed=elapsed,
        holidays_skipped=calendar.holidays_between(self.filed_on, listed_on),
        policies_applied=[p.as_dict() for p in applied],
        actor=by.actor,
        authority=by.authority,
    )


@event("Listed")
def listed(
    self: Parcel,
    exchange: str,
    listing_no: str,
    listed_on: date,
    listing_method: str,
    working_days_min: int,
    working_days_elapsed: int,
    holidays_skipped: list[date],
    policies_applied: list[dict[str, Any]],
    actor: str,
    authority: str | None,
) -> None:
    """Announced on exchange as listing_no by listing_method. working_days_elapsed since the
    filing (≥ working_days_min); holidays_skipped: weekday holidays not counted."""
    self._advance("listed", listed_on)


def award(
    self: Parcel,
    winner_name: str,
    winner_kind: str,
    price_yuan: Decimal,
    awarded_on: date,
    by: Provenance,
) -> None:
    self._step(("listed",), awarded_on, "awarding", "awarded_on")
    assert self.plan is not None
    if price_yuan < self.plan.reserve_price_yuan:
        raise AwardBelowReservePrice(
            f"{price_yuan} is below the reserve price {self.plan.reserve_price_yuan}",
            field="price_yuan",
        )
    self._awarded(
        winner_name=winner_name,
        winner_kind=winner_kind,
        price_yuan=price_yuan,
        awarded_on=awarded_on,
        actor=by.actor,
        authority=by.authority,
    )


@event("Awarded")
def awarded(
    self: Parcel,
    winner_name: str,
    winner_kind: str,
    price_yuan: Decimal,
    awarded_on: date,
    actor: str,
    authority: str | None,
) -> None:
    """winner_name (organization | person) won at price_yuan (成交价) on awarded_on."""
    self.winner_name = winner_name
    self.price_yuan = price_yuan
    self._advance("awarded", awarded_on)


def sign_contract(
    self: Parcel, contract_no: str, signed_on: date, term_start_on: date, by: Provenance
) -> None:
    if not self._at_least("awarded"):
        raise ContractBeforeAward(
            f"the parcel is {self.stage}: a contract needs an award first", field="stage"
        )
    self._step(("awarded",), signed_on, "signing the contract", "signed_on")
    check_not_before(term_start_on, signed_on, "the term", "term_start_on")
    assert self.plan is not None
    self._contract_signed(
        contract_no=contract_no,
        signed_on=signed_on,
        way=self.plan.way,
        counterparty_name=self.winner_name,
        price_yuan=self.price_yuan,
        received_in_kind_yuan=self.price_yuan if self.plan.way == CAPITAL_CONTRIBUTION else ZERO,
        term_years=self.plan.term_years,
        term_start_on=term_start_on,
        term_end_on=date.fromordinal(
            add_years(term_start_on, self.plan.term_years).toordinal() - 1
        ),
        actor=by.actor,
        authority=by.authority,
    )


@event("ContractSigned")
def contract_signed(
    self: Parcel,
    contract_no: str,
    signed_on: date,
    way: str,
    counterparty_name: str,
    price_yuan: Decimal,
    received_in_kind_yuan: Decimal,
    term_years: int,
    term_start_on: date,
    term_end_on: date,
    actor: str,
    authority: str | None,
) -> None:
    """The written contract (grant, lease or capital contribution) with counterparty_name
    for price_yuan over term_start_on..term_end_on. received_in_kind_yuan: for a capital
    contribution, the equity received at signing (= the price); otherwise 0."""
    self.signed_on = signed_on
    self.received_yuan += received_in_kind_yuan
    self._advance("contracted", signed_on)


def receive_installment(
    self: Parcel,
    receipt_no: str,
    amount_yuan: Decimal,
    received_on: date,
    channel: str,
    by: Provenance,
) -> bool:
    """Returns False when this exact receipt was recorded before (a safe retry)."""
    existing = self.receipts.get(receipt_no)
    if existing is not None:
        if existing == (amount_yuan, received_on):
            return False
        raise InstallmentReceiptReused(
            f"receipt {receipt_no} exists with other details", field="receipt_no"
        )
    if not self._at_least("contracted"):
        check_stage(self.stage, ("contracted",), "receiving an installment")
    assert self.signed_on is not None
    check_not_before(received_on, self.signed_on, "the installment", "received_on")
    if amount_yuan > self.outstanding_yuan:
        raise PaymentExceedsContractPrice(
            f"{amount_yuan} exceeds the {self.outstanding_yuan} outstanding of the contract "
            f"price {self.price_yuan}",
            field="amount_yuan",
        )
    self._installment_received(
        receipt_no=receipt_no,
        amount_yuan=amount_yuan,
        received_on=received_on,
        channel=channel,
        actor=by.actor,
        authority=by.authority,
    )
    return True


@event("InstallmentReceived")
def installment_received(
    self: Parcel,
    receipt_no: str,
    amount_yuan: Decimal,
    received_on: date,
    channel: str,
    actor: str,
    authority: str | None,
) -> None:
    """amount_yuan of the contract price received on received_on into channel (bank | cash)."""
    self.receipts[receipt_no] = (amount_yuan, received_on)
    self.received_yuan += amount_yuan
