"""Who pays for a meal: the government subsidy, the collective's top-up, the elder's share.

    price = government subsidy + collective top-up + elder co-payment, each ≥ 0

The rule, with the policies in force for the meal point's place on the meal date:
1. Eligible categories: those the elder holds on the meal date AND the subsidy table lists.
   None → the elder is not eligible that day (``elder_not_eligible_on_date``).
2. The most favourable category applies: the one whose government subsidy for the slot, plus
   its delivery supplement when the meal is delivered, is highest. Categories do not stack.
   Ties go to the category listed first in ``CATEGORIES`` (特困, 低保, … before age bands). The
   category applied is recorded on the meal.
3. The government pays its subsidy, but never more than the price; the collective pays its
   top-up for the slot, but never more than what is left; the elder pays the rest (never
   negative).

All amounts are whole fen here, so the three parts always add back to the price exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.meals.vocabulary import CATEGORY_ORDER, SLOTS
from domain.shared.values import to_fen

SUBSIDY_KEY = "meals.subsidy_yuan"
TOP_UP_KEY = "meals.collective_top_up_yuan"
PRICE_KEY = "meals.standard_price_yuan"


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
        """None when no category held is listed: the elder is not eligible that day."""
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
