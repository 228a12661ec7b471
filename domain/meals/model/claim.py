"""What a settlement claims, computed from the meals' own events in whole fen (docs/rules.md
M-11)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.meals.model.meal import Meal
from domain.shared.clock import month_of
from domain.shared.values import from_fen, to_fen

AMOUNTS = ("price", "government", "collective", "elder")
CLAWBACK_AMOUNTS = ("government", "collective", "elder")


@dataclass(frozen=True)
class Claim:
    """What a settlement claims. meal_ids: hex ids of the meals claimed. lines: per served month,
    category, slot and delivery {meals, price_yuan, government_yuan, collective_yuan,
    elder_yuan}. clawbacks: per voided meal {meal_id, from_settlement_id, served_on, category,
    slot, government_yuan, collective_yuan, elder_yuan}. totals: yuan by name."""

    meal_ids: list[str]
    lines: list[dict[str, Any]]
    clawbacks: list[dict[str, Any]]
    totals: dict[str, Decimal]

    def event_fields(self) -> dict[str, Any]:
        return {
            "meal_ids": self.meal_ids,
            "lines": self.lines,
            "clawbacks": self.clawbacks,
            "meals": len(self.meal_ids),
            **{f"{a}_yuan": self.totals[a] for a in AMOUNTS},
            **{f"clawback_{a}_yuan": self.totals[f"clawback_{a}"] for a in CLAWBACK_AMOUNTS},
        }

    @property
    def empty(self) -> bool:
        return not self.meal_ids and not self.clawbacks


def _fen(meal: Meal) -> dict[str, int]:
    return {
        "price": to_fen(meal.price_yuan),
        "government": to_fen(meal.government_yuan),
        "collective": to_fen(meal.collective_yuan),
        "elder": to_fen(meal.elder_yuan),
    }


Line = tuple[str, str, str, bool]  # served month, category, slot, delivery
LineSums = dict[str, int]  # meals and every amount of AMOUNTS, in fen


def build_claim(meals: Iterable[Meal], clawbacks: Iterable[tuple[Meal, UUID]]) -> Claim:
    """Group meals into lines (whole fen, so lines add up exactly) and list the clawbacks."""
    # A line's meals mostly share a few prices: each distinct (price, government, collective)
    # is converted to fen once and counted (the same sums as meal by meal, fen being a function
    # of the amounts alone).
    same: dict[Line, dict[tuple[Decimal, Decimal, Decimal], list[Any]]] = {}
    ids: list[str] = []
    for m in sorted(meals, key=lambda m: (m.served_on, m.slot, m.id.hex)):
        ids.append(m.id.hex)
        key = (month_of(m.served_on), m.category, m.slot, m.delivery)
        amounts = (m.price_yuan, m.government_yuan, m.collective_yuan)
        counted = same.setdefault(key, {}).setdefault(amounts, [m, 0])
        counted[1] += 1
    grouped: dict[Line, LineSums] = {}
    for key, by_amounts in same.items():
        line = grouped[key] = {"meals": 0, **dict.fromkeys(AMOUNTS, 0)}
        for first, count in by_amounts.values():
            line["meals"] += count
            for name, fen in _fen(first).items():
                line[name] += fen * count
    back = [
        clawback_row(
            m.id.hex, from_settlement.hex, m.served_on.isoformat(), m.category, m.slot, _fen(m)
        )
        for m, from_settlement in sorted(clawbacks, key=lambda c: (c[0].served_on, c[0].id.hex))
    ]
    return claim_of(ids, grouped, back)


def clawback_row(
    meal_hex: str,
    from_settlement_hex: str,
    served_on: str,
    category: str,
    slot: str,
    fen: LineSums,
) -> dict[str, Any]:
    """A clawback as the settlement lists it (``fen``: the meal's amounts in fen)."""
    return {
        "meal_id": meal_hex,
        "from_settlement_id": from_settlement_hex,
        "served_on": served_on,
        "category": category,
        "slot": slot,
        **{f"{a}_yuan": from_fen(fen[a]) for a in CLAWBACK_AMOUNTS},
    }


def claim_of(ids: list[str], grouped: dict[Line, LineSums], back: list[dict[str, Any]]) -> Claim:
    """The claim of the meals ``ids`` (hex, in the order of served day, slot and id), whose
    sums in fen by line are ``grouped``, and of the clawbacks ``back`` (in the order of served
    day and meal id): one construction for every way the sums were found (meal by meal here,
    set-based in domain/meals/settling_bulk.py)."""
    lines = [
        {
            "served_month": month,
            "category": category,
            "slot": slot,
            "delivery": delivery,
            "meals": line["meals"],
            **{f"{a}_yuan": from_fen(line[a]) for a in AMOUNTS},
        }
        for (month, category, slot, delivery), line in sorted(grouped.items())
    ]
    totals = {a: from_fen(sum(g[a] for g in grouped.values())) for a in AMOUNTS}
    for a in CLAWBACK_AMOUNTS:
        totals[f"clawback_{a}"] = from_fen(sum(to_fen(c[f"{a}_yuan"]) for c in back))
    return Claim(ids, lines, back, totals)
