"""The parcel's proceeds after the contract: the adjustment fund, the use right, and the
distribution of the net proceeds to the collective's retained funds and to its members.

Methods of the one Parcel aggregate (domain/land/model.py), attached in its class body; see
domain/land/market.py for why they live here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import event

from domain.land import rules
from domain.land.errors import (
    DistributionBeforeLevyPaid,
    DistributionExceedsNetProceeds,
    MemberPaymentBatchReused,
    MemberPaymentBeforeDisclosure,
    MemberPaymentExceedsMembersShare,
    UseRightBeforeFullPayment,
)
from domain.land.rules import AppliedPolicy, check_stage
from domain.shared.resolution import Resolution
from domain.shared.values import Provenance

if TYPE_CHECKING:
    from domain.land.model import Parcel


def assess_levy(
    self: Parcel,
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
    base = rules.levy_base(base_kind, self.price_yuan, deductible_cost_yuan)
    self._levy_assessed(
        notice_no=notice_no,
        assessed_on=assessed_on,
        planned_use=self.planned_use,
        price_yuan=self.price_yuan,
        base_kind=base_kind,
        deductible_cost_yuan=deductible_cost_yuan,
        base_yuan=base,
        rate=rate,
        levy_yuan=rules.fen_round(base * rate),
        policy_jurisdiction=policy.jurisdiction,
        policy_effective_from=policy.effective_from,
        actor=by.actor,
        authority=by.authority,
    )


@event("LevyAssessed")
def levy_assessed(
    self: Parcel,
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


def pay_levy(self: Parcel, receipt_no: str, paid_on: date, channel: str, by: Provenance) -> None:
    self._step(("levy_assessed",), paid_on, "paying the adjustment fund", "paid_on")
    self._levy_paid(
        receipt_no=receipt_no,
        paid_on=paid_on,
        amount_yuan=self.levy_yuan,
        channel=channel,
        actor=by.actor,
        authority=by.authority,
    )


@event("LevyPaid")
def levy_paid(
    self: Parcel,
    receipt_no: str,
    paid_on: date,
    amount_yuan: Decimal,
    channel: str,
    actor: str,
    authority: str | None,
) -> None:
    """The assessed levy, amount_yuan, paid on paid_on (payment voucher receipt_no)."""
    self._advance("levy_paid", paid_on)


def register_use_right(
    self: Parcel, certificate_no: str, registered_on: date, by: Provenance
) -> None:
    self._step(("levy_paid",), registered_on, "registering the use right", "registered_on")
    if self.outstanding_yuan > 0:
        raise UseRightBeforeFullPayment(
            f"{self.outstanding_yuan} of the contract price is still outstanding",
            field="stage",
        )
    self._use_right_registered(
        certificate_no=certificate_no,
        registered_on=registered_on,
        holder_name=self.winner_name,
        actor=by.actor,
        authority=by.authority,
    )


@event("UseRightRegistered")
def use_right_registered(
    self: Parcel,
    certificate_no: str,
    registered_on: date,
    holder_name: str,
    actor: str,
    authority: str | None,
) -> None:
    """The use right registered (不动产登记) to holder_name under certificate_no."""
    self._advance("use_right_registered", registered_on)


# -- distribution ----------------------------------------------------------------------------


def propose_distribution(
    self: Parcel, amount_yuan: Decimal, proposed_on: date, by: Provenance
) -> None:
    if not self._at_least("levy_paid"):
        raise DistributionBeforeLevyPaid(
            f"the parcel is {self.stage}: the adjustment fund must be paid first",
            field="stage",
        )
    allowed = ("use_right_registered", "distribution_proposed")  # revise until approved
    self._step(allowed, proposed_on, "proposing a distribution", "proposed_on")
    net = self.net_proceeds_received_yuan
    if amount_yuan > net:
        raise DistributionExceedsNetProceeds(
            f"{amount_yuan} exceeds the net proceeds received, {net} ({self.received_yuan} "
            f"received less {self.levy_yuan} adjustment fund)",
            field="amount_yuan",
        )
    assert self.plan is not None
    retained, members = rules.split_distribution(amount_yuan, self.plan.retained_share)
    self._distribution_proposed(
        amount_yuan=amount_yuan,
        net_proceeds_yuan=net,
        retained_share=self.plan.retained_share,
        retained_yuan=retained,
        members_yuan=members,
        proposed_on=proposed_on,
        actor=by.actor,
        authority=by.authority,
    )


@event("DistributionProposed")
def distribution_proposed(
    self: Parcel,
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


def approve_distribution(self: Parcel, resolution: Resolution, by: Provenance) -> None:
    self._step(("distribution_proposed",), resolution.held_on, "approving", "held_on")
    resolution.check_two_thirds_of_total()
    self._distribution_approved(
        resolution=resolution.as_dict(),
        approved_on=resolution.held_on,
        **self.distribution,
        actor=by.actor,
        authority=by.authority or resolution.reference,
    )


@event("DistributionApproved")
def distribution_approved(
    self: Parcel,
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


def disclose_distribution(self: Parcel, disclosed_on: date, reference: str, by: Provenance) -> None:
    self._step(("distribution_approved",), disclosed_on, "disclosing", "disclosed_on")
    self._distribution_disclosed(
        disclosed_on=disclosed_on, reference=reference, actor=by.actor, authority=by.authority
    )


@event("DistributionDisclosed")
def distribution_disclosed(
    self: Parcel, disclosed_on: date, reference: str, actor: str, authority: str | None
) -> None:
    """Disclosed to the villagers (村务公开) on disclosed_on; reference: the notice."""
    self.disclosed_on = disclosed_on
    done = self.distribution["members_yuan"] == 0
    self._advance("distribution_paid" if done else "distribution_disclosed", disclosed_on)


def pay_members(
    self: Parcel,
    batch_no: str,
    amount_yuan: Decimal,
    members_count: int,
    paid_on: date,
    channel: str,
    by: Provenance,
) -> bool:
    """Returns False when this exact batch was recorded before (a safe retry)."""
    existing = self.member_batches.get(batch_no)
    if existing is not None:
        if existing == (amount_yuan, members_count, paid_on):
            return False
        raise MemberPaymentBatchReused(f"batch {batch_no} exists with other details")
    if self.disclosed_on is None or paid_on < self.disclosed_on:
        raise MemberPaymentBeforeDisclosure(
            f"the distribution is not disclosed by {paid_on} (parcel {self.stage})",
            field="paid_on",
        )
    check_stage(self.stage, ("distribution_disclosed",), "paying members")
    remaining = self.distribution["members_yuan"] - self.members_paid_yuan
    if amount_yuan > remaining:
        raise MemberPaymentExceedsMembersShare(
            f"{amount_yuan} exceeds the {remaining} of the members' share still unpaid",
            field="amount_yuan",
        )
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


@event("MembersPaid")
def members_paid(
    self: Parcel,
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
