"""The policies of elderly meal assistance (老年助餐): the government subsidy per meal, the
collective's top-up and the standard price, each in yuan by slot. Registered by the bootstrap
(qianwan/bootstrap.py); MealPolicy (domain/meals/rules.py) turns these values into whole fen.
The rules: docs/rules.md P-10, P-11, P-12.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any
from uuid import UUID

from domain.meals.rules import MealPolicy
from domain.meals.vocabulary import CATEGORIES, SLOTS
from domain.policy.errors import PolicyValueInvalid
from domain.policy.keys import PolicyKey, parse_yuan
from domain.policy.model import PolicySetting, most_specific_in_force
from domain.shared.values import jurisdiction_chain

MEAL_SUBSIDY_AMOUNTS = (*(f"{s}_yuan" for s in SLOTS), "delivery_yuan")


def _amount(raw: Any, what: str) -> str:
    if raw is None or isinstance(raw, float):
        raise PolicyValueInvalid(f"{what}: a decimal string of yuan is needed, got {raw!r}")
    return parse_yuan(raw)


def parse_meal_subsidies(raw: Any) -> list[dict[str, Any]]:
    """Government subsidy per meal by category and slot, and the delivery supplement."""
    if not isinstance(raw, list) or not raw:
        raise PolicyValueInvalid("meal subsidies: a non-empty list of categories is needed")
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict) or item.get("category") not in CATEGORIES:
            raise PolicyValueInvalid(
                f"meal subsidies: each row needs a category from {', '.join(CATEGORIES)}"
            )
        category = str(item["category"])
        if category in seen:
            raise PolicyValueInvalid(f"meal subsidies: {category} appears twice")
        seen.add(category)
        row: dict[str, Any] = {"category": category}
        for name in MEAL_SUBSIDY_AMOUNTS:
            row[name] = _amount(item.get(name), f"meal subsidies: {category}.{name}")
        rows.append(row)
    return rows


def parse_amounts_by_slot(raw: Any) -> dict[str, str]:
    """An amount in yuan for each slot: breakfast_yuan, lunch_yuan, dinner_yuan."""
    if not isinstance(raw, dict):
        raise PolicyValueInvalid("an amount per slot is needed: breakfast_yuan, lunch_yuan, …")
    extra = set(raw) - {f"{s}_yuan" for s in SLOTS}
    if extra:
        raise PolicyValueInvalid(f"unknown slots: {', '.join(sorted(extra))}")
    return {f"{s}_yuan": _amount(raw.get(f"{s}_yuan"), f"{s}_yuan") for s in SLOTS}


# The keys a meal's split reads (domain/meals/recording.py).
SUBSIDY_KEY = "meals.subsidy_yuan"
TOP_UP_KEY = "meals.collective_top_up_yuan"
PRICE_KEY = "meals.standard_price_yuan"

MEAL_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey(
        SUBSIDY_KEY,
        "Government subsidy per meal (yuan) by eligibility category and slot, plus a "
        "delivery supplement; an elder holding a listed category valid on the meal date "
        "is eligible, and the most favourable category applies (docs/rules.md P-10).",
        parse_meal_subsidies,
    ),
    PolicyKey(
        TOP_UP_KEY,
        "What the village collective adds per eligible meal, by slot (a collective's "
        "own choice: set it for the village; docs/rules.md P-11).",
        parse_amounts_by_slot,
    ),
    PolicyKey(
        PRICE_KEY,
        "The price of a meal by slot, used when a meal point's record gives none "
        "(docs/rules.md P-12).",
        parse_amounts_by_slot,
    ),
)

# DEMO VALUES for Lishui, modelled on Jianye (Nanjing): assisted elders (低保, 特困, 失能,
# 半失能) 1 / 2 / 2 yuan per breakfast / lunch / dinner and 3 more for a delivered meal; other
# elders aged 75+ 0.5 / 1 / 1. Not Lishui's published rates: a district replaces them.
_ASSISTED = {"breakfast_yuan": "1.00", "lunch_yuan": "2.00", "dinner_yuan": "2.00"}
_AGED_75 = {"breakfast_yuan": "0.50", "lunch_yuan": "1.00", "dinner_yuan": "1.00"}
DEFAULT_MEAL_SUBSIDIES: list[dict[str, Any]] = [
    *(
        {"category": c, **_ASSISTED, "delivery_yuan": "3.00"}
        for c in ("tekun", "dibao", "care_dependent", "partly_care_dependent")
    ),
    *(
        {"category": c, **_AGED_75, "delivery_yuan": "0.00"}
        for c in ("age_100", "age_90", "age_80", "age_75")
    ),
]
# Demo: the collective adds nothing unless a village decides otherwise (set per village).
DEFAULT_COLLECTIVE_TOP_UP: dict[str, str] = {
    "breakfast_yuan": "0.00",
    "lunch_yuan": "0.00",
    "dinner_yuan": "0.00",
}
# Demo: a village canteen's prices (a Changzhou village's meal cost 16 yuan; docs/rules.md P-12).
DEFAULT_MEAL_PRICES: dict[str, str] = {
    "breakfast_yuan": "4.00",
    "lunch_yuan": "12.00",
    "dinner_yuan": "10.00",
}


# -- the policies a meal's split comes from (domain/meals/recording.py) ------------------------

MEAL_POLICY_KEYS = (SUBSIDY_KEY, TOP_UP_KEY, PRICE_KEY)
MAX_PLACES_CACHED = 100_000


@functools.lru_cache(maxsize=MAX_PLACES_CACHED)
def policy_setting_ids(village_code: str) -> tuple[UUID, ...]:
    """The policy settings a meal's split may come from: every meal policy key at every level
    of the place's jurisdiction chain (ids are uuid5 of key and place: computed once)."""
    return tuple(
        policy_setting_id(key, jurisdiction)
        for key in MEAL_POLICY_KEYS
        for jurisdiction in jurisdiction_chain(village_code)
    )


def meal_policy(settings: dict[UUID, PolicySetting], village_code: str, day: date) -> MealPolicy:
    """The meal policies in force for the place on the day, from the settings read already, by
    the one lookup rule (domain/policy/model.py ``most_specific_in_force``)."""

    def value(key: str) -> Any:
        return most_specific_in_force(key, village_code, day, settings.get)[1].value

    return MealPolicy.from_values(value(SUBSIDY_KEY), value(TOP_UP_KEY), value(PRICE_KEY))


@functools.lru_cache(maxsize=MAX_PLACES_CACHED)
def policy_setting_id(key: str, jurisdiction: str) -> UUID:
    return PolicySetting.create_id(key, jurisdiction)
