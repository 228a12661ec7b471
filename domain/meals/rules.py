"""The rules of elderly meal assistance (老年助餐) as plain functions, each citing its rule in
docs/rules.md (M-01 …). The aggregates (model/) and the commands (application.py, recording.py,
settling.py) call them; each rule is written here once.

Where else a rule lives, and why: resident ID numbers (M-01) in idcard.py, a one-thing module;
one subsidised meal per elder, date and slot (M-08) in the event store itself, through the id of
``Meal`` (model/meal.py); what a settlement claims (M-11) in model/claim.py. The amounts a rule
reads (subsidies, top-ups, prices) are policy keys with an effective date, not constants here.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.meals.errors import (
    CategoryAlreadyHeld,
    CategoryBeforeAge,
    CategoryNotHeld,
    ElderAlreadySuspended,
    ElderDeceased,
    ElderNotSuspended,
    ElderUnder60,
    SettlementAlreadySubmitted,
    SettlementMonthNotEnded,
    SettlementStepNotAllowed,
    SlotWindowInvalid,
    StepDatedBeforePreviousStep,
    SubsidyAlreadyReceived,
    SubsidyReceivedDiffersFromClaim,
)
from domain.meals.vocabulary import AGE_BANDS, CATEGORIES, CATEGORY_ORDER, SLOTS
from domain.shared.errors import InvalidInput
from domain.shared.values import to_fen

# -- M-02 who may be enrolled: aged 60 and over ------------------------------------------------

ENROLMENT_AGE_MIN = 60  # 老年助餐 serves people aged 60 and over (民发〔2023〕58号)


def birthday(born: date, years: int) -> date:
    """The day someone born on ``born`` turns ``years`` (29 February → 1 March) (M-02, M-05)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def check_enrolment_age(born: date, enrolled_on: date) -> None:
    """The elder is at least 60 on the enrolment date (docs/rules.md M-02)."""
    if birthday(born, ENROLMENT_AGE_MIN) > enrolled_on:
        raise ElderUnder60(
            f"the elder is not yet {ENROLMENT_AGE_MIN} on {enrolled_on}", field="enrolled_on"
        )


# -- M-04 meal points serve slots inside time windows ------------------------------------------


def clock_seconds(text: str) -> int:
    """'11:30' or '11:30:15' → seconds after midnight; ValueError when malformed."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"not a time of day: {text!r}")
    h, m, s = (int(p) for p in (*parts, "00")[:3])
    if h > 23 or m > 59 or s > 59:
        raise ValueError(f"not a time of day: {text!r}")
    return h * 3600 + m * 60 + s


def check_slot_windows(raw: dict[str, Any]) -> dict[str, list[str]]:
    """{slot: (start, end)} with 'HH:MM' times, start before end, known slots only, at least
    one; returned in the order of SLOTS (docs/rules.md M-04)."""
    if not raw:
        raise SlotWindowInvalid("a meal point serves at least one slot", field="slots")
    result: dict[str, list[str]] = {}
    for slot in SLOTS:  # a stable order, whatever order the caller used
        if slot not in raw:
            continue
        try:
            start, end = (str(t) for t in raw[slot])
            if clock_seconds(start) >= clock_seconds(end):
                raise ValueError("start after end")
        except (TypeError, ValueError):
            raise SlotWindowInvalid(
                f"{slot}: a window is a pair of times 'HH:MM', the start before the end",
                field="slots",
            ) from None
        result[slot] = [start, end]
    unknown = set(raw) - set(SLOTS)
    if unknown:
        raise SlotWindowInvalid(f"unknown slots: {', '.join(sorted(unknown))}", field="slots")
    return result


# -- M-05 eligibility categories, each with a validity window -----------------------------------


def check_category_window(
    category: str, valid_from: date, valid_to: date | None, born: date | None
) -> None:
    """A known category, a window that ends after it starts, and an age band not before the
    elder reaches that age (docs/rules.md M-05). born: None when the age is not checked."""
    if category not in CATEGORIES:
        raise InvalidInput(f"unknown category {category!r}", field="category")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(f"{category}: valid_to is before valid_from", field="valid_to")
    years = AGE_BANDS.get(category)
    if years is not None and born is not None and valid_from < birthday(born, years):
        raise CategoryBeforeAge(
            f"{category} cannot start on {valid_from}: the elder reaches {years} later",
            field="valid_from",
        )


def check_category_not_held(
    held: Iterable[dict[str, Any]], category: str, valid_from: date, valid_to: date | None
) -> None:
    """Two windows of one category never overlap (docs/rules.md M-05)."""
    for c in held:
        if c["category"] == category and _overlaps(
            c["valid_from"], c["valid_to"], valid_from, valid_to
        ):
            raise CategoryAlreadyHeld(
                f"{category} is held from {c['valid_from']} already", field="valid_from"
            )


def window_to_end(held: Iterable[dict[str, Any]], category: str, valid_to: date) -> date:
    """The first day of the window of ``category`` that a new last day ``valid_to`` ends: one
    that has begun by then and runs past it (docs/rules.md M-05)."""
    for c in held:
        if (
            c["category"] == category
            and c["valid_from"] <= valid_to
            and (c["valid_to"] is None or c["valid_to"] > valid_to)
        ):
            return c["valid_from"]  # type: ignore[no-any-return]
    raise CategoryNotHeld(f"no window of {category} runs past {valid_to}", field="category")


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


# -- M-06 suspension, move, death -----------------------------------------------------------------


def check_not_deceased(died_on: date | None) -> None:
    """Nothing changes for an elder after their recorded death (docs/rules.md M-06)."""
    if died_on is not None:
        raise ElderDeceased(f"the elder died on {died_on}")


def check_may_suspend(suspensions: Sequence[dict[str, Any]]) -> None:
    """One open suspension at a time (docs/rules.md M-06)."""
    if suspensions and suspensions[-1]["until_on"] is None:
        raise ElderAlreadySuspended(
            f"suspended since {suspensions[-1]['from_on']}", field="from_on"
        )


def check_may_resume(suspensions: Sequence[dict[str, Any]], resumed_on: date) -> None:
    """Only an open suspension ends, and after the day it began (docs/rules.md M-06)."""
    if not suspensions or suspensions[-1]["until_on"] is not None:
        raise ElderNotSuspended("the elder is not suspended", field="resumed_on")
    if resumed_on <= suspensions[-1]["from_on"]:
        raise ElderNotSuspended(
            f"resumption must come after the suspension of {suspensions[-1]['from_on']}",
            field="resumed_on",
        )


def check_death_report(died_on: date, reported_on: date) -> None:
    """A death is reported on or after the day it happened (docs/rules.md M-06)."""
    if died_on > reported_on:
        raise InvalidInput("a death cannot be reported before it happened", field="died_on")


# -- M-07 which meal may be subsidised (a refusal code per record, or None) ---------------------


def check_served_in_past(day: date, today: date) -> str | None:
    """A meal is recorded after it was served, never for a later day (docs/rules.md M-07)."""
    return "served_in_future" if day > today else None


def check_meal_point_serves(
    day: date,
    slot: str,
    delivery: bool,
    *,
    registered_on: date,
    closed_on: date | None,
    slots: dict[str, Any],
    delivery_offered: bool,
) -> str | None:
    """Why the point cannot have served this meal, regardless of the time, or None
    (docs/rules.md M-07)."""
    if day < registered_on or (closed_on is not None and day >= closed_on):
        return "meal_point_closed"
    if slot not in slots:
        return "slot_not_offered"
    if delivery and not delivery_offered:
        return "delivery_not_offered"
    return None


def check_elder_may_eat(
    day: date,
    *,
    enrolled_on: date,
    died_on: date | None,
    moved_away_on: date | None,
    suspensions: Iterable[dict[str, Any]],
    erased: bool,
) -> str | None:
    """Why a meal on ``day`` is refused for reasons of the elder's status, or None
    (docs/rules.md M-07)."""
    if erased:
        return "elder_unknown"
    if died_on is not None and day > died_on:
        return "meal_after_death"
    if moved_away_on is not None and day >= moved_away_on:
        return "elder_moved_away"
    for s in suspensions:
        if s["from_on"] <= day and (s["until_on"] is None or day <= s["until_on"]):
            return "elder_suspended"
    if day < enrolled_on:
        return "elder_not_eligible_on_date"
    return None


def check_meal_time(seconds: int, window: tuple[int, int]) -> str | None:
    """The meal's time (to the minute) is inside the slot's window, both ends included
    (docs/rules.md M-07)."""
    start, end = window
    return None if start <= seconds - seconds % 60 <= end else "time_outside_slot_window"


# -- M-09 who pays for a meal ---------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """category: the one applied. Amounts in fen; elder_fen = price − government − collective."""

    category: str
    price_fen: int
    government_fen: int
    collective_fen: int

    @property
    def elder_fen(self) -> int:
        return self.price_fen - self.government_fen - self.collective_fen


@dataclass(frozen=True)
class MealPolicy:
    """The three meal policies in force for one place on one day, in fen.

    subsidies: category → slot (and "delivery") → fen. top_up, prices: slot → fen."""

    subsidies: dict[str, dict[str, int]]
    top_up: dict[str, int]
    prices: dict[str, int]

    @classmethod
    def from_values(cls, subsidies: Any, top_up: Any, prices: Any) -> MealPolicy:
        table = {
            row["category"]: {
                **{s: to_fen(Decimal(row[f"{s}_yuan"])) for s in SLOTS},
                "delivery": to_fen(Decimal(row["delivery_yuan"])),
            }
            for row in subsidies
        }
        return cls(
            subsidies=table,
            top_up={s: to_fen(Decimal(top_up[f"{s}_yuan"])) for s in SLOTS},
            prices={s: to_fen(Decimal(prices[f"{s}_yuan"])) for s in SLOTS},
        )

    def split(
        self, categories: Iterable[str], slot: str, delivery: bool, price_fen: int | None
    ) -> Split | None:
        """price = government subsidy + collective top-up + elder co-payment, each ≥ 0, in whole
        fen (docs/rules.md M-09):
        1. Eligible categories: those held on the meal date AND listed in the subsidy table;
           none → None: the elder is not eligible that day (``elder_not_eligible_on_date``).
        2. The most favourable category applies: the highest government subsidy for the slot,
           plus its delivery supplement when delivered. Categories do not stack; a tie goes to
           the category listed first in ``CATEGORIES``.
        3. The government pays its subsidy, never more than the price; the collective its
           top-up, never more than what is left; the elder the rest."""
        best: tuple[int, int, str] | None = None  # (−subsidy, order, category): min is best
        for category in categories:
            row = self.subsidies.get(category)
            if row is None:
                continue
            subsidy = row[slot] + (row["delivery"] if delivery else 0)
            candidate = (-subsidy, CATEGORY_ORDER[category], category)
            if best is None or candidate < best:
                best = candidate
        if best is None:
            return None
        price = self.prices[slot] if price_fen is None else price_fen
        government = min(-best[0], price)
        collective = min(self.top_up[slot], price - government)
        return Split(best[2], price, government, collective)


# -- M-11 the monthly settlement ----------------------------------------------------------------


def month_bounds(month: str) -> tuple[date, date]:
    """'2024-05' → (2024-05-01, 2024-05-31); ValueError when malformed."""
    if len(month) != 7 or month[4] != "-":
        raise ValueError(f"month must look like 2024-05, got {month!r}")
    year, number = int(month[:4]), int(month[5:])
    last = calendar.monthrange(year, number)[1]
    return date(year, number, 1), date(year, number, last)


def check_month_ended(month: str, drafted_on: date) -> date:
    """A month is settled only after its last day, which is returned (docs/rules.md M-11)."""
    try:
        _, period_end = month_bounds(month)
    except ValueError as error:
        raise InvalidInput(str(error), field="month") from None
    if drafted_on <= period_end:
        raise SettlementMonthNotEnded(
            f"{month} ends on {period_end}; draft its settlement after that", field="month"
        )
    return period_end


def check_may_draft(month: str, status: str | None) -> None:
    """A month's claim is (re)drafted only while drafted or returned (docs/rules.md M-11).
    status: None when there is no settlement of the month yet."""
    if status is not None and status not in ("drafted", "returned"):
        raise SettlementAlreadySubmitted(f"the {month} settlement is {status}")


# -- M-12 the steps of a settlement -----------------------------------------------------------


def check_settlement_step(
    step: str, status: str, allowed: tuple[str, ...], last_step_on: date, on: date
) -> None:
    """drafted → submitted → verified → approved → paid; submitted or verified → returned →
    redrafted; each step dated no earlier than the one before (docs/rules.md M-12)."""
    if status not in allowed:
        raise SettlementStepNotAllowed(
            f"cannot {step} a {status} settlement (needs {' or '.join(allowed)})"
        )
    if on < last_step_on:
        raise StepDatedBeforePreviousStep(
            f"{step} on {on} is before the previous step on {last_step_on}", field="on"
        )


# -- M-13 the government's subsidy received --------------------------------------------------------


def check_subsidy_received(
    status: str, received_yuan: Decimal | None, amount_yuan: Decimal, net_government_yuan: Decimal
) -> None:
    """Once, after approval, exactly the net government claim (docs/rules.md M-13)."""
    if status not in ("approved", "paid"):
        raise SettlementStepNotAllowed(f"a {status} settlement receives no subsidy yet")
    if received_yuan is not None:
        raise SubsidyAlreadyReceived(f"{received_yuan} received already")
    if amount_yuan != net_government_yuan:
        raise SubsidyReceivedDiffersFromClaim(
            f"received {amount_yuan}, the net government claim is {net_government_yuan}",
            field="amount_yuan",
        )
