"""Every policy the registry knows: its name, what its value looks like, and why it is data.

A policy is looked up for a place and a day: village → town → district → CN, the most specific
jurisdiction with a value in force wins. Each parser validates a value and returns it in the
JSON shape stored in events (money as a string of yuan, lists of plain dicts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.policy.errors import PolicyValueInvalid
from domain.policy.land_keys import (
    parse_adjustment_fund,
    parse_private_agreement_uses,
    parse_public_holidays,
    parse_term_years_max,
    parse_working_days,
)
from domain.shared.errors import DomainError
from domain.shared.values import non_negative_yuan

_KIND_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")  # the register's kind column holds 64
BOOK_ACCOUNTS_FOR_ASSETS = ("151", "161")  # 固定资产, 无形资产


@dataclass(frozen=True)
class ResourceKind:
    """code: stable name. name_zh: as accountants say it. book_account: where a book value is
    carried (151 fixed assets, 161 intangible assets) or None for resources not carried at value.
    sale_forbidden: the asset may never be sold (homesteads: no sale, no disguised sale)."""

    code: str
    name_zh: str
    book_account: str | None
    sale_forbidden: bool


def parse_resource_kinds(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise PolicyValueInvalid("resource kinds: a non-empty list is needed")
    seen: set[str] = set()
    result: list[dict[str, Any]] = []
    for item in raw:
        try:
            kind = ResourceKind(
                code=str(item["code"]),
                name_zh=str(item["name_zh"]),
                book_account=item.get("book_account"),
                sale_forbidden=bool(item.get("sale_forbidden", False)),
            )
        except (KeyError, TypeError, AttributeError):
            raise PolicyValueInvalid(
                "resource kinds: each needs code, name_zh, book_account, sale_forbidden"
            ) from None
        if not _KIND_CODE.fullmatch(kind.code) or not 0 < len(kind.name_zh) <= 64:
            raise PolicyValueInvalid(
                f"resource kinds: code must be 1–64 of a-z, 0-9, _ and name_zh 1–64 characters; "
                f"got {kind.code!r}"
            )
        if kind.code in seen:
            raise PolicyValueInvalid(f"resource kinds: {kind.code} appears twice")
        if kind.book_account not in (None, *BOOK_ACCOUNTS_FOR_ASSETS):
            raise PolicyValueInvalid(f"resource kinds: book_account {kind.book_account} unknown")
        seen.add(kind.code)
        result.append(kind.__dict__.copy())
    return result


def parse_yuan(raw: Any) -> str:
    if isinstance(raw, float):  # money never passes through binary floats
        raise PolicyValueInvalid(f"a decimal string of yuan is needed, got the float {raw!r}")
    try:
        return str(non_negative_yuan(str(raw), "value"))
    except DomainError as error:
        raise PolicyValueInvalid(error.message) from None


@dataclass(frozen=True)
class PolicyKey:
    name: str
    description: str
    parse: Callable[[Any], Any]


POLICY_KEYS: dict[str, PolicyKey] = {
    k.name: k
    for k in (
        PolicyKey(
            "assets.resource_kinds",
            "The kinds of collective asset and resource that may be registered for "
            "revitalization (the official list of the 'four types' was not found: RULES.md §a).",
            parse_resource_kinds,
        ),
        PolicyKey(
            "assets.public_bidding_threshold_yuan",
            "A contract whose total value reaches this amount must go through public bidding on "
            "the rural property-rights exchange (local rule: RULES.md §a).",
            parse_yuan,
        ),
        PolicyKey(
            "land.adjustment_fund",
            "The land value-added income adjustment fund (土地增值收益调节金) a collective pays "
            "on land entering the market: its base (gross price or value-added income) and rate "
            "(20%–50%, optionally per planned use) (财税〔2016〕41号; RULES.md §b).",
            parse_adjustment_fund,
        ),
        PolicyKey(
            "land.term_years_max",
            "The longest term land of each planned use may enter the market for: that of "
            "state-owned land of the same use (RULES.md §b).",
            parse_term_years_max,
        ),
        PolicyKey(
            "land.private_agreement_uses",
            "The planned uses that may enter the market by private agreement (协议); all others "
            "need a tender, auction or listing (local rule: RULES.md §b).",
            parse_private_agreement_uses,
        ),
        PolicyKey(
            "land.filing_period_working_days_min",
            "How many working days the entry plan must have been filed with the county or "
            "district government before the land is listed (RULES.md §b).",
            parse_working_days,
        ),
        PolicyKey(
            "calendar.public_holidays",
            "Public holidays that are not working days, and the weekends that are (调休): the "
            "calendar working-day periods are counted on.",
            parse_public_holidays,
        ),
    )
}

# The demo and a fresh installation adopt these at national level; a district revises them.
DEFAULT_RESOURCE_KINDS: list[dict[str, Any]] = [
    {
        "code": "idle_farmhouse",
        "name_zh": "闲置农房",
        "book_account": "151",
        "sale_forbidden": False,
    },
    {
        "code": "idle_homestead",
        "name_zh": "闲置宅基地",
        "book_account": None,
        "sale_forbidden": True,
    },
    {
        "code": "operating_construction_land",
        "name_zh": "集体经营性建设用地",
        "book_account": None,
        "sale_forbidden": False,
    },
    {
        "code": "collective_building",
        "name_zh": "集体楼宇厂房",
        "book_account": "151",
        "sale_forbidden": False,
    },
    {"code": "four_wastes_land", "name_zh": "四荒地", "book_account": None, "sale_forbidden": True},
    {"code": "other", "name_zh": "其他", "book_account": "151", "sale_forbidden": False},
]


# -- elderly meal assistance (老年助餐): RULES.md §c ------------------------------------------
# Appended as a block of its own; domain/meals/policy.py turns these values into whole fen.

from domain.meals.vocabulary import CATEGORIES, SLOTS  # noqa: E402  (a leaf module: no cycle)

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


POLICY_KEYS.update(
    {
        k.name: k
        for k in (
            PolicyKey(
                "meals.subsidy_yuan",
                "Government subsidy per meal (yuan) by eligibility category and slot, plus a "
                "delivery supplement; an elder holding a listed category valid on the meal date "
                "is eligible, and the most favourable category applies (RULES.md §c).",
                parse_meal_subsidies,
            ),
            PolicyKey(
                "meals.collective_top_up_yuan",
                "What the village collective adds per eligible meal, by slot (a collective's "
                "own choice: set it for the village; RULES.md §c).",
                parse_amounts_by_slot,
            ),
            PolicyKey(
                "meals.standard_price_yuan",
                "The price of a meal by slot, used when a meal point's record gives none.",
                parse_amounts_by_slot,
            ),
        )
    }
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
# Demo: a village canteen's prices (a Changzhou village's meal cost 16 yuan; RULES.md §c).
DEFAULT_MEAL_PRICES: dict[str, str] = {
    "breakfast_yuan": "4.00",
    "lunch_yuan": "12.00",
    "dinner_yuan": "10.00",
}
