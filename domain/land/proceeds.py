"""The parcel's proceeds after the contract: the adjustment fund, the use right, and the
distribution of the net proceeds to the collective's retained funds and to its members
(docs/rules.md L-11 to L-14).

ParcelProceeds is a plain base of the Parcel aggregate (domain/land/model.py), as
ParcelOnMarket is (domain/land/market.py): commands check first; the private methods apply an
event named on Parcel. The functions before the class are the arithmetic of the levy and
the split.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.land import rules
from domain.land.state import AppliedPolicy, ParcelState
from domain.land.vocabulary import GROSS_PRICE
from domain.shared.resolution import Resolution
from domain.shared.values import FEN, ZERO, Provenance


def fen_round(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def levy_base(base_kind: str, price: Decimal, deductible_cost: Decimal) -> Decimal:
    """The amount the rate applies to: the price, or the price less the costs of obtaining and
    developing the land (never below zero)."""
    if base_kind == GROSS_PRICE:
        return price
    return max(price - deductible_cost, ZERO)


def levy_terms(policy_value: dict[str, Any], planned_use: str) -> tuple[str, Decimal]:
    """(base_kind, rate) of the ``land.adjustment_fund`` policy value: the rate for the planned
    use where one is set, else the general rate."""
    rates: dict[str, str] = policy_value.get("rate_by_use") or {}
    return str(policy_value["base"]), Decimal(rates.get(planned_use, policy_value["rate"]))


def split_distribution(amount: Decimal, retained_share: Decimal) -> tuple[Decimal, Decimal]:
    """(retained, members): the retained share rounded to the fen, members get the rest."""
    retained = fen_round(amount * retained_share)
    return retained, amount - retained


class ParcelProceeds(ParcelState):
    def assess_levy(
        self,
        notice_no: str,
        assessed_on: date,
        base_kind: str,
        rate: Decimal,
        deductible_cost_yuan: Decimal,
        policy: AppliedPolicy,
        by: Provenance,
    ) -> None:
        """base_kind and rate: the adjustment-fund policy in force for the parcel's place and
        use on the contract date (``policy``)."""
        self._step(("contracted",), assessed_on, "assessing the adjustment fund", "assessed_on")
        base = levy_base(base_kind, self.price_yuan, deductible_cost_yuan)
        self._levy_assessed(
            notice_no=notice_no,
            assessed_on=assessed_on,
            planned_use=self.planned_use,
            price_yuan=self.price_yuan,
            base_kind=base_kind,
            deductible_cost_yuan=deductible_cost_yuan,
            base_yuan=base,
            rate=rate,
            levy_yuan=fen_round(base * rate),
            policy_jurisdiction=policy.jurisdiction,
            policy_effective_from=policy.effective_from,
            actor=by.actor,
            authority=by.authority,
        )

    def _levy_assessed(
        self,
        notice_no: str,
        assessed_on: date,
        planned_use: str,
        price_yuan: Decimal,
        base_kind: str,
        deductible_cost_yuan: Decimal,
        base_yuan: Decimal,
        rate: Decimal,
        levy_yuan: Decimal,
        policy_jurisdiction: str,
        policy_effective_from: date,
        actor: str,
        authority: str | None,
    ) -> None:
        """The adjustment fund (调节金) per notice_no: levy_yuan = base_yuan × rate, to the fen.
        base_kind gross_price: base = price_yuan; value_added_income: price less
        deductible_cost_yuan. policy_*: the land.adjustment_fund version applied."""
        self.levy_yuan = levy_yuan
        self._advance("levy_assessed", assessed_on)

    def pay_levy(self, receipt_no: str, paid_on: date, channel: str, by: Provenance) -> None:
        self._step(("levy_assessed",), paid_on, "paying the adjustment fund", "paid_on")
        self._levy_paid(
            receipt_no=receipt_no,
            paid_on=paid_on,
            amount_yuan=self.levy_yuan,
            channel=channel,
            actor=by.actor,
            authority=by.authority,
        )

    def _levy_paid(
        self,
        receipt_no: str,
        paid_on: date,
        amount_yuan: Decimal,
        channel: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """The assessed levy, amount_yuan, paid on paid_on (payment voucher receipt_no)."""
        self._advance("levy_paid", paid_on)

    def register_use_right(self, certificate_no: str, registered_on: date, by: Provenance) -> None:
        self._step(("levy_paid",), registered_on, "registering the use right", "registered_on")
        rules.check_paid_in_full(self.outstanding_yuan)
        self._use_right_registered(
            certificate_no=certificate_no,
            registered_on=registered_on,
            holder_name=self.winner_name,
            actor=by.actor,
            authority=by.authority,
        )

    def _use_right_registered(
        self,
        certificate_no: str,
        registered_on: date,
        holder_name: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """The use right registered (不动产登记) to holder_name under certificate_no."""
        self._advance("use_right_registered", registered_on)

    # -- distribution ----------------------------------------------------------------------------

    def propose_distribution(self, amount_yuan: Decimal, proposed_on: date, by: Provenance) -> None:
        rules.check_levy_paid(self.stage)
        allowed = ("use_right_registered", "distribution_proposed")  # revise until approved
        self._step(allowed, proposed_on, "proposing a distribution", "proposed_on")
        rules.check_within_net_proceeds(amount_yuan, self.received_yuan, self.levy_yuan)
        assert self.plan is not None
        retained, members = split_distribution(amount_yuan, self.plan.retained_share)
        self._distribution_proposed(
            amount_yuan=amount_yuan,
            net_proceeds_yuan=self.net_proceeds_received_yuan,
            retained_share=self.plan.retained_share,
            retained_yuan=retained,
            members_yuan=members,
            proposed_on=proposed_on,
            actor=by.actor,
            authority=by.authority,
        )

    def _distribution_proposed(
        self,
        amount_yuan: Decimal,
        net_proceeds_yuan: Decimal,
        retained_share: Decimal,
        retained_yuan: Decimal,
        members_yuan: Decimal,
        proposed_on: date,
        actor: str,
        authority: str | None,
    ) -> None:
        """amount_yuan of net_proceeds_yuan to distribute: retained_yuan (retained_share of it,
        to the fen) to the collective's retained funds, members_yuan to the members."""
        self.distribution = {
            "amount_yuan": amount_yuan,
            "retained_yuan": retained_yuan,
            "members_yuan": members_yuan,
        }
        self._advance("distribution_proposed", proposed_on)

    def approve_distribution(self, resolution: Resolution, by: Provenance) -> None:
        self._step(("distribution_proposed",), resolution.held_on, "approving", "held_on")
        resolution.check_two_thirds_of_total()  # docs/rules.md L-06
        self._distribution_approved(
            resolution=resolution.as_dict(),
            approved_on=resolution.held_on,
            **self.distribution,
            actor=by.actor,
            authority=by.authority or resolution.reference,
        )

    def _distribution_approved(
        self,
        resolution: dict[str, Any],
        approved_on: date,
        amount_yuan: Decimal,
        retained_yuan: Decimal,
        members_yuan: Decimal,
        actor: str,
        authority: str | None,
    ) -> None:
        """resolution (≥ 2/3 of all members) approved the proposed amounts on approved_on."""
        self._advance("distribution_approved", approved_on)

    def disclose_distribution(self, disclosed_on: date, reference: str, by: Provenance) -> None:
        self._step(("distribution_approved",), disclosed_on, "disclosing", "disclosed_on")
        self._distribution_disclosed(
            disclosed_on=disclosed_on, reference=reference, actor=by.actor, authority=by.authority
        )

    def _distribution_disclosed(
        self, disclosed_on: date, reference: str, actor: str, authority: str | None
    ) -> None:
        """Disclosed to the villagers (村务公开) on disclosed_on; reference: the notice."""
        self.disclosed_on = disclosed_on
        done = self.distribution["members_yuan"] == 0
        self._advance("distribution_paid" if done else "distribution_disclosed", disclosed_on)

    def pay_members(
        self,
        batch_no: str,
        amount_yuan: Decimal,
        members_count: int,
        paid_on: date,
        channel: str,
        by: Provenance,
    ) -> bool:
        """Returns False when this exact batch was recorded before (a safe retry)."""
        existing = self.member_batches.get(batch_no)
        if not rules.check_member_batch_new(
            existing, batch_no, amount_yuan, members_count, paid_on
        ):
            return False
        rules.check_disclosed(self.disclosed_on, paid_on, self.stage)
        rules.check_stage(self.stage, ("distribution_disclosed",), "paying members")
        remaining = self.distribution["members_yuan"] - self.members_paid_yuan
        rules.check_within_members_share(amount_yuan, remaining)
        self._members_paid(
            batch_no=batch_no,
            amount_yuan=amount_yuan,
            members_count=members_count,
            paid_on=paid_on,
            channel=channel,
            actor=by.actor,
            authority=by.authority,
        )
        return True

    def _members_paid(
        self,
        batch_no: str,
        amount_yuan: Decimal,
        members_count: int,
        paid_on: date,
        channel: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """A payment batch of amount_yuan to members_count members on paid_on via channel."""
        self.member_batches[batch_no] = (amount_yuan, members_count, paid_on)
        self.members_paid_yuan += amount_yuan
        if self.members_paid_yuan == self.distribution["members_yuan"]:
            self._advance("distribution_paid", paid_on)
