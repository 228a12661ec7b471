"""The monthly settlement of a meal point: drafted → submitted → verified → approved → paid
(a submitted or verified claim may be returned, then redrafted).

A settlement of month M claims every meal of the point served up to the last day of M that no
other settlement claims and that is not voided: the meals of M, and late uploads of earlier
months (their lines say which month). It also claws back meals voided after a settlement that
paid for them. The claimed meal ids are part of the event, so anyone can recompute the claim
from the meals' own events: meals × subsidy by category = the claim. Rules: docs/rules.md
M-11, M-12, M-13 (their checks are in domain/meals/rules.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.meals.model.claim import AMOUNTS, CLAWBACK_AMOUNTS, Claim
from domain.meals.rules import check_settlement_step, check_subsidy_received
from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import Provenance, deterministic_id


class MealSettlement(QianwanAggregate):
    @staticmethod
    def create_id(meal_point_id: UUID, month: str) -> UUID:
        return deterministic_id("meal-settlement", str(meal_point_id), month)

    @event("Drafted")
    def __init__(
        self,
        meal_point_id: UUID,
        village_code: str,
        operator_kind: str,
        month: str,
        period_end: date,
        drafted_on: date,
        meal_ids: list[str],
        lines: list[dict[str, Any]],
        clawbacks: list[dict[str, Any]],
        meals: int,
        price_yuan: Decimal,
        government_yuan: Decimal,
        collective_yuan: Decimal,
        elder_yuan: Decimal,
        clawback_government_yuan: Decimal,
        clawback_collective_yuan: Decimal,
        clawback_elder_yuan: Decimal,
        actor: str,
        authority: str | None,
    ) -> None:
        """The claim of meal_point_id (in village_code's books; operator_kind collective |
        contractor) for month (up to period_end), drafted on drafted_on: the fields of ``Claim``.
        Amounts in yuan: government_yuan is the government's share of the meals claimed,
        collective_yuan the collective's top-up, elder_yuan the co-payments; clawback_* are
        taken back for voided meals that an earlier settlement paid."""
        self.meal_point_id = meal_point_id
        self.village_code = village_code
        self.operator_kind = operator_kind
        self.month = month
        self.period_end = period_end
        self.status = "drafted"
        self.last_step_on = drafted_on
        self.subsidy_received_yuan: Decimal | None = None
        self.paid_yuan: Decimal | None = None
        self._apply_claim(locals())

    def _apply_claim(self, fields: dict[str, Any]) -> None:
        self.meal_ids: list[str] = list(fields["meal_ids"])
        self.lines: list[dict[str, Any]] = list(fields["lines"])
        self.clawbacks: list[dict[str, Any]] = list(fields["clawbacks"])
        self.meals: int = fields["meals"]
        self.totals: dict[str, Decimal] = {a: fields[f"{a}_yuan"] for a in AMOUNTS}
        for a in CLAWBACK_AMOUNTS:
            self.totals[f"clawback_{a}"] = fields[f"clawback_{a}_yuan"]

    # -- amounts ------------------------------------------------------------------------------

    @property
    def net_government_yuan(self) -> Decimal:
        return self.totals["government"] - self.totals["clawback_government"]

    @property
    def net_collective_yuan(self) -> Decimal:
        return self.totals["collective"] - self.totals["clawback_collective"]

    @property
    def net_payable_yuan(self) -> Decimal:
        """What the collective owes the operator (negative: what the operator owes back)."""
        return self.net_government_yuan + self.net_collective_yuan

    def same_claim(self, claim: Claim) -> bool:
        return (self.meal_ids, self.clawbacks, self.totals) == (
            claim.meal_ids,
            claim.clawbacks,
            claim.totals,
        )

    # -- steps --------------------------------------------------------------------------------

    def redraft(self, claim: Claim, drafted_on: date, by: Provenance) -> None:
        self._check_step("redraft", ("drafted", "returned"), drafted_on)
        self._redrafted(
            drafted_on=drafted_on, actor=by.actor, authority=by.authority, **claim.event_fields()
        )

    @event("Redrafted")
    def _redrafted(
        self,
        drafted_on: date,
        meal_ids: list[str],
        lines: list[dict[str, Any]],
        clawbacks: list[dict[str, Any]],
        meals: int,
        price_yuan: Decimal,
        government_yuan: Decimal,
        collective_yuan: Decimal,
        elder_yuan: Decimal,
        clawback_government_yuan: Decimal,
        clawback_collective_yuan: Decimal,
        clawback_elder_yuan: Decimal,
        actor: str,
        authority: str | None,
    ) -> None:
        """The claim replaced by a new one (fields as in Drafted); back to drafted."""
        self._apply_claim(locals())
        self.status = "drafted"
        self.last_step_on = drafted_on

    def submit(self, submitted_on: date, by: Provenance) -> None:
        self._check_step("submit", ("drafted",), submitted_on)
        self._step_submitted(submitted_on=submitted_on, actor=by.actor, authority=by.authority)

    @event("Submitted")
    def _step_submitted(self, submitted_on: date, actor: str, authority: str | None) -> None:
        """Submitted to the civil-affairs office for verification."""
        self.status, self.last_step_on = "submitted", submitted_on

    def verify(self, verified_on: date, by: Provenance) -> None:
        """The application checks first that every claimed meal still stands."""
        self._check_step("verify", ("submitted",), verified_on)
        self._step_verified(verified_on=verified_on, actor=by.actor, authority=by.authority)

    @event("Verified")
    def _step_verified(self, verified_on: date, actor: str, authority: str | None) -> None:
        """The claim was checked against the meals and found right."""
        self.status, self.last_step_on = "verified", verified_on

    def return_for_correction(self, returned_on: date, reason: str, by: Provenance) -> None:
        self._check_step("return", ("submitted", "verified"), returned_on)
        self._returned(
            returned_on=returned_on, reason=reason, actor=by.actor, authority=by.authority
        )

    @event("Returned")
    def _returned(self, returned_on: date, reason: str, actor: str, authority: str | None) -> None:
        """Sent back for correction (reason: SETTLEMENT_RETURN_REASONS); redraft next."""
        self.status, self.last_step_on = "returned", returned_on

    def approve(self, approved_on: date, by: Provenance) -> None:
        self._check_step("approve", ("verified",), approved_on)
        self._approved(
            approved_on=approved_on,
            month=self.month,
            operator_kind=self.operator_kind,
            government_yuan=self.totals["government"],
            collective_yuan=self.totals["collective"],
            elder_yuan=self.totals["elder"],
            clawback_government_yuan=self.totals["clawback_government"],
            clawback_collective_yuan=self.totals["clawback_collective"],
            clawback_elder_yuan=self.totals["clawback_elder"],
            actor=by.actor,
            authority=by.authority,
        )

    @event("Approved")
    def _approved(
        self,
        approved_on: date,
        month: str,
        operator_kind: str,
        government_yuan: Decimal,
        collective_yuan: Decimal,
        elder_yuan: Decimal,
        clawback_government_yuan: Decimal,
        clawback_collective_yuan: Decimal,
        clawback_elder_yuan: Decimal,
        actor: str,
        authority: str | None,
    ) -> None:
        """The collective approved the payment (authority: its approval). The amounts are those
        of the claim, repeated so that the posting needs nothing but this event."""
        self.status, self.last_step_on = "approved", approved_on

    def receive_subsidy(self, amount_yuan: Decimal, received_on: date, by: Provenance) -> None:
        check_subsidy_received(
            self.status, self.subsidy_received_yuan, amount_yuan, self.net_government_yuan
        )
        self._subsidy_received(
            received_on=received_on, amount_yuan=amount_yuan, actor=by.actor, authority=by.authority
        )

    @event("SubsidyReceived")
    def _subsidy_received(
        self, received_on: date, amount_yuan: Decimal, actor: str, authority: str | None
    ) -> None:
        """The government's subsidy for this claim reached the collective's bank account
        (negative: the collective returned a clawback to the government)."""
        self.subsidy_received_yuan = amount_yuan

    def pay(self, paid_on: date, channel: str, by: Provenance) -> None:
        self._check_step("pay", ("approved",), paid_on)
        self._paid(
            paid_on=paid_on,
            amount_yuan=self.net_payable_yuan,
            channel=channel,
            operator_kind=self.operator_kind,
            actor=by.actor,
            authority=by.authority,
        )

    @event("Paid")
    def _paid(
        self,
        paid_on: date,
        amount_yuan: Decimal,
        channel: str,
        operator_kind: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """The net amount (government + top-up − clawbacks) settled with the operator through
        channel (bank | cash); negative: the operator paid back. A collective-run point settles
        inside the collective: nothing moves."""
        self.status, self.last_step_on = "paid", paid_on
        self.paid_yuan = amount_yuan

    def _check_step(self, step: str, allowed: tuple[str, ...], on: date) -> None:
        check_settlement_step(step, self.status, allowed, self.last_step_on, on)
