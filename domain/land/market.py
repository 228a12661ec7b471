"""The parcel on the market: listing, award, the contract and the installments of its price
(docs/rules.md L-07 to L-10).

ParcelOnMarket is a plain base of the Parcel aggregate (domain/land/model.py): its public
commands check and raise before anything happens; its private methods apply an event and are
named as events on Parcel (``Parcel.Listed`` …), where eventsourcing records them. The fields of
each event are the parameters of its method here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.land import rules
from domain.land.calendar import WorkingCalendar
from domain.land.state import AppliedPolicy, ParcelState
from domain.land.vocabulary import CAPITAL_CONTRIBUTION
from domain.shared.values import ZERO, Provenance, add_years


def term_end_on(term_start_on: date, term_years: int) -> date:
    """The last day of a term of ``term_years`` from term_start_on (the day before the
    anniversary)."""
    return date.fromordinal(add_years(term_start_on, term_years).toordinal() - 1)


class ParcelOnMarket(ParcelState):
    def list_on_exchange(
        self,
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

    def _listed(
        self,
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
        self,
        winner_name: str,
        winner_kind: str,
        price_yuan: Decimal,
        awarded_on: date,
        by: Provenance,
    ) -> None:
        self._step(("listed",), awarded_on, "awarding", "awarded_on")
        assert self.plan is not None
        rules.check_award_price(price_yuan, self.plan.reserve_price_yuan)
        self._awarded(
            winner_name=winner_name,
            winner_kind=winner_kind,
            price_yuan=price_yuan,
            awarded_on=awarded_on,
            actor=by.actor,
            authority=by.authority,
        )

    def _awarded(
        self,
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
        self, contract_no: str, signed_on: date, term_start_on: date, by: Provenance
    ) -> None:
        rules.check_contract_after_award(self.stage)
        self._step(("awarded",), signed_on, "signing the contract", "signed_on")
        rules.check_not_before(term_start_on, signed_on, "the term", "term_start_on")
        assert self.plan is not None
        in_kind = self.plan.way == CAPITAL_CONTRIBUTION
        self._contract_signed(
            contract_no=contract_no,
            signed_on=signed_on,
            way=self.plan.way,
            counterparty_name=self.winner_name,
            price_yuan=self.price_yuan,
            received_in_kind_yuan=self.price_yuan if in_kind else ZERO,
            term_years=self.plan.term_years,
            term_start_on=term_start_on,
            term_end_on=term_end_on(term_start_on, self.plan.term_years),
            actor=by.actor,
            authority=by.authority,
        )

    def _contract_signed(
        self,
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
        self,
        receipt_no: str,
        amount_yuan: Decimal,
        received_on: date,
        channel: str,
        by: Provenance,
    ) -> bool:
        """Returns False when this exact receipt was recorded before (a safe retry)."""
        existing = self.receipts.get(receipt_no)
        if not rules.check_installment_new(existing, receipt_no, amount_yuan, received_on):
            return False
        if not self._at_least("contracted"):
            rules.check_stage(self.stage, ("contracted",), "receiving an installment")
        assert self.signed_on is not None
        rules.check_not_before(received_on, self.signed_on, "the installment", "received_on")
        rules.check_within_contract_price(amount_yuan, self.outstanding_yuan, self.price_yuan)
        self._installment_received(
            receipt_no=receipt_no,
            amount_yuan=amount_yuan,
            received_on=received_on,
            channel=channel,
            actor=by.actor,
            authority=by.authority,
        )
        return True

    def _installment_received(
        self,
        receipt_no: str,
        amount_yuan: Decimal,
        received_on: date,
        channel: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """amount_yuan of the contract price received on received_on into channel (bank |
        cash)."""
        self.receipts[receipt_no] = (amount_yuan, received_on)
        self.received_yuan += amount_yuan
