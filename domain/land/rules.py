"""The rules of land entering the market as pure functions (RULES.md §b).

The Parcel aggregate calls them before it records anything; the application looks up the
policies they need and passes the values in, so the rules stay pure and testable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.land.calendar import WorkingCalendar
from domain.land.errors import (
    LandClassIsHomestead,
    LandClassNotConstructionLand,
    ListingBeforeFilingPeriodElapsed,
    ParcelStageNotReached,
    ParcelStagePassed,
    ParcelStepDatedBeforePreviousStep,
    PlannedUseNotOperating,
    PrivateAgreementNotAllowedForUse,
    TermExceedsMaximumForUse,
)
from domain.land.vocabulary import (
    CONSTRUCTION_LAND_CLASSES,
    LAND_CLASSES,
    LISTING_METHODS,
    PLANNED_USES,
    PRIVATE_AGREEMENT,
    STAGES,
)
from domain.shared.values import FEN, ZERO

STAGE_INDEX = {stage: n for n, stage in enumerate(STAGES)}


@dataclass(frozen=True)
class AppliedPolicy:
    """The policy version a rule used: key, the jurisdiction whose value won, and the first day
    that value applied. Copied into the event so an auditor sees what applied on the day."""

    key: str
    jurisdiction: str
    effective_from: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "jurisdiction": self.jurisdiction,
            "effective_from": self.effective_from,
        }


def check_stage(current: str, allowed: tuple[str, ...], step: str) -> None:
    """The step may run only when the parcel is at one of the ``allowed`` stages."""
    if current in allowed:
        return
    if STAGE_INDEX[current] < STAGE_INDEX[allowed[0]]:
        raise ParcelStageNotReached(
            f"{step} needs the parcel to be {' or '.join(allowed)}; it is {current}",
            field="stage",
        )
    raise ParcelStagePassed(f"{step}: the parcel is already {current}", field="stage")


def check_not_before(day: date, previous: date, step: str, field: str) -> None:
    if day < previous:
        raise ParcelStepDatedBeforePreviousStep(
            f"{step} is dated {day}, before the previous step on {previous}", field=field
        )


def check_eligible(planned_use: str, land_class: str) -> None:
    """Operating use in the plan, and construction land that is not a homestead."""
    if not PLANNED_USES[planned_use].operating:
        raise PlannedUseNotOperating(
            f"the land-use plan designates this parcel {PLANNED_USES[planned_use].name_zh}, "
            "not an operating use; it cannot enter the market",
            field="planned_use",
        )
    if land_class == "homestead":
        raise LandClassIsHomestead(
            "a homestead (宅基地) never enters the market", field="land_class"
        )
    if land_class not in CONSTRUCTION_LAND_CLASSES:
        raise LandClassNotConstructionLand(
            f"the parcel is {LAND_CLASSES[land_class]}, not collective construction land",
            field="land_class",
        )


def check_listing_method(method: str, planned_use: str, agreement_uses: list[str]) -> None:
    if method == PRIVATE_AGREEMENT and planned_use not in agreement_uses:
        raise PrivateAgreementNotAllowedForUse(
            f"{PLANNED_USES[planned_use].name_zh} must go by tender, auction or listing; "
            f"{LISTING_METHODS[PRIVATE_AGREEMENT]} is allowed only for "
            f"{', '.join(agreement_uses) or 'no use'}",
            field="listing_method",
        )


def check_term(term_years: int, planned_use: str, maxima: dict[str, int]) -> int:
    """Returns the maximum applied."""
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
    """Returns the working days that lay between filing and listing."""
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


def fen_round(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def levy_base(base_kind: str, price: Decimal, deductible_cost: Decimal) -> Decimal:
    """The amount the rate applies to: the price, or the price less the costs of obtaining and
    developing the land (never below zero)."""
    if base_kind == "gross_price":
        return price
    return max(price - deductible_cost, ZERO)


def split_distribution(amount: Decimal, retained_share: Decimal) -> tuple[Decimal, Decimal]:
    """(retained, members): the retained share rounded to the fen, members get the rest."""
    retained = fen_round(amount * retained_share)
    return retained, amount - retained
