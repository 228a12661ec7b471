"""The rules of land entering the market (集体经营性建设用地入市) as pure functions, each
citing its rule in docs/rules.md (L-01 …).

The Parcel aggregate and its steps call them before anything is recorded; the application looks
up the policies they need and passes the values in, so the rules stay pure and testable.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.land.calendar import WorkingCalendar
from domain.land.errors import (
    AwardBelowReservePrice,
    ContractBeforeAward,
    DistributionBeforeLevyPaid,
    DistributionExceedsNetProceeds,
    InstallmentReceiptReused,
    LandClassIsHomestead,
    LandClassNotConstructionLand,
    ListingBeforeFilingPeriodElapsed,
    MemberPaymentBatchReused,
    MemberPaymentBeforeDisclosure,
    MemberPaymentExceedsMembersShare,
    ParcelStageNotReached,
    ParcelStagePassed,
    ParcelStepDatedBeforePreviousStep,
    PaymentExceedsContractPrice,
    PlannedUseNotOperating,
    PrivateAgreementNotAllowedForUse,
    TermExceedsMaximumForUse,
    UseRightBeforeFullPayment,
)
from domain.land.vocabulary import (
    CONSTRUCTION_LAND_CLASSES,
    GROSS_PRICE,
    HOMESTEAD,
    LAND_CLASSES,
    LISTING_METHODS,
    PLANNED_USES,
    PRIVATE_AGREEMENT,
    STAGES,
)
from domain.shared.errors import InvalidInput

STAGE_INDEX = {stage: n for n, stage in enumerate(STAGES)}


def check_eligible(planned_use: str, land_class: str) -> None:
    """Operating use in the plan, and construction land that is not a homestead
    (docs/rules.md L-01)."""
    if not PLANNED_USES[planned_use].operating:
        raise PlannedUseNotOperating(
            f"the land-use plan designates this parcel {PLANNED_USES[planned_use].name_zh}, "
            "not an operating use; it cannot enter the market",
            field="planned_use",
        )
    if land_class == HOMESTEAD:
        raise LandClassIsHomestead(
            "a homestead (宅基地) never enters the market", field="land_class"
        )
    if land_class not in CONSTRUCTION_LAND_CLASSES:
        raise LandClassNotConstructionLand(
            f"the parcel is {LAND_CLASSES[land_class]}, not collective construction land",
            field="land_class",
        )


def check_stage(current: str, allowed: tuple[str, ...], step: str) -> None:
    """The step may run only when the parcel is at one of the ``allowed`` stages
    (docs/rules.md L-03)."""
    if current in allowed:
        return
    if STAGE_INDEX[current] < STAGE_INDEX[allowed[0]]:
        raise ParcelStageNotReached(
            f"{step} needs the parcel to be {' or '.join(allowed)}; it is {current}",
            field="stage",
        )
    raise ParcelStagePassed(f"{step}: the parcel is already {current}", field="stage")


def check_not_before(day: date, previous: date, step: str, field: str) -> None:
    """No step is dated before the step it follows (docs/rules.md L-03)."""
    if day < previous:
        raise ParcelStepDatedBeforePreviousStep(
            f"{step} is dated {day}, before the previous step on {previous}", field=field
        )


def check_listing_method(method: str, planned_use: str, agreement_uses: list[str]) -> None:
    """A private agreement only for the uses the policy in force allows (docs/rules.md L-04)."""
    if method == PRIVATE_AGREEMENT and planned_use not in agreement_uses:
        raise PrivateAgreementNotAllowedForUse(
            f"{PLANNED_USES[planned_use].name_zh} must go by tender, auction or listing; "
            f"{LISTING_METHODS[PRIVATE_AGREEMENT]} is allowed only for "
            f"{', '.join(agreement_uses) or 'no use'}",
            field="listing_method",
        )


def check_term(term_years: int, planned_use: str, maxima: dict[str, int]) -> int:
    """At most the maximum in force for the planned use (docs/rules.md L-05). Returns the
    maximum applied."""
    maximum = maxima.get(planned_use)
    if maximum is None or term_years > maximum:
        raise TermExceedsMaximumForUse(
            f"{term_years} years exceeds the maximum of {maximum} years for "
            f"{PLANNED_USES[planned_use].name_zh}",
            field="term_years",
        )
    return maximum


def check_filing_period(
    filed_on: date, listed_on: date, working_days_min: int, calendar: WorkingCalendar
) -> int:
    """Filed at least ``working_days_min`` working days before listing (docs/rules.md L-07).
    Returns the working days that lay between filing and listing."""
    elapsed = calendar.working_days_between(filed_on, listed_on)
    if elapsed < working_days_min:
        earliest = calendar.nth_working_day_after(filed_on, working_days_min).toordinal() + 1
        raise ListingBeforeFilingPeriodElapsed(
            f"the plan was filed on {filed_on}: only {elapsed} of the {working_days_min} "
            f"working days have passed by {listed_on}; list on {date.fromordinal(earliest)} "
            "or later",
            field="listed_on",
        )
    return elapsed


def check_award_price(price_yuan: Decimal, reserve_price_yuan: Decimal) -> None:
    """Never below the reserve price of the plan (docs/rules.md L-08)."""
    if price_yuan < reserve_price_yuan:
        raise AwardBelowReservePrice(
            f"{price_yuan} is below the reserve price {reserve_price_yuan}", field="price_yuan"
        )


def check_contract_after_award(stage: str) -> None:
    """A contract only with the winner, after the award (docs/rules.md L-09)."""
    if STAGE_INDEX[stage] < STAGE_INDEX["awarded"]:
        raise ContractBeforeAward(
            f"the parcel is {stage}: a contract needs an award first", field="stage"
        )


def check_installment_new(
    existing: tuple[Decimal, date] | None, receipt_no: str, amount_yuan: Decimal, on: date
) -> bool:
    """One installment per receipt number (docs/rules.md L-10): False when this very receipt
    was recorded before (a safe retry), refused when the number was used otherwise."""
    if existing is None:
        return True
    if existing == (amount_yuan, on):
        return False
    raise InstallmentReceiptReused(
        f"receipt {receipt_no} exists with other details", field="receipt_no"
    )


def check_within_contract_price(
    amount_yuan: Decimal, outstanding_yuan: Decimal, price_yuan: Decimal
) -> None:
    """Installments add up to the contract price at most (docs/rules.md L-10)."""
    if amount_yuan > outstanding_yuan:
        raise PaymentExceedsContractPrice(
            f"{amount_yuan} exceeds the {outstanding_yuan} outstanding of the contract "
            f"price {price_yuan}",
            field="amount_yuan",
        )


def check_levy_base(base_kind: str, deductible_cost_yuan: Decimal) -> None:
    """Costs are deducted only when the adjustment fund is levied on the value-added income
    (docs/rules.md L-11)."""
    if base_kind == GROSS_PRICE and deductible_cost_yuan > 0:
        raise InvalidInput(
            "the adjustment fund in force is levied on the gross price: no costs are deducted",
            field="deductible_cost_yuan",
        )


def check_paid_in_full(outstanding_yuan: Decimal) -> None:
    """The use right is registered only once the whole price is received (docs/rules.md L-12)."""
    if outstanding_yuan > 0:
        raise UseRightBeforeFullPayment(
            f"{outstanding_yuan} of the contract price is still outstanding", field="stage"
        )


def check_levy_paid(stage: str) -> None:
    """Nothing is distributed before the adjustment fund is paid (docs/rules.md L-13)."""
    if STAGE_INDEX[stage] < STAGE_INDEX["levy_paid"]:
        raise DistributionBeforeLevyPaid(
            f"the parcel is {stage}: the adjustment fund must be paid first", field="stage"
        )


def check_within_net_proceeds(
    amount_yuan: Decimal, received_yuan: Decimal, levy_yuan: Decimal
) -> None:
    """A distribution never exceeds the proceeds received less the adjustment fund
    (docs/rules.md L-13)."""
    net = received_yuan - levy_yuan
    if amount_yuan > net:
        raise DistributionExceedsNetProceeds(
            f"{amount_yuan} exceeds the net proceeds received, {net} ({received_yuan} "
            f"received less {levy_yuan} adjustment fund)",
            field="amount_yuan",
        )


def check_member_batch_new(
    existing: tuple[Decimal, int, date] | None,
    batch_no: str,
    amount_yuan: Decimal,
    members_count: int,
    on: date,
) -> bool:
    """One payment to members per batch number (docs/rules.md L-14): False when this very batch
    was recorded before (a safe retry), refused when the number was used otherwise."""
    if existing is None:
        return True
    if existing == (amount_yuan, members_count, on):
        return False
    raise MemberPaymentBatchReused(f"batch {batch_no} exists with other details")


def check_disclosed(disclosed_on: date | None, paid_on: date, stage: str) -> None:
    """Members are paid only after the distribution is disclosed (docs/rules.md L-14)."""
    if disclosed_on is None or paid_on < disclosed_on:
        raise MemberPaymentBeforeDisclosure(
            f"the distribution is not disclosed by {paid_on} (parcel {stage})", field="paid_on"
        )


def check_within_members_share(amount_yuan: Decimal, remaining_yuan: Decimal) -> None:
    """Payments to members add up to the members' share at most (docs/rules.md L-14)."""
    if amount_yuan > remaining_yuan:
        raise MemberPaymentExceedsMembersShare(
            f"{amount_yuan} exceeds the {remaining_yuan} of the members' share still unpaid",
            field="amount_yuan",
        )
