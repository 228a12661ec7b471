# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Input objects of the meal mutations, and their translation into the domain's inputs."""

from __future__ import annotations

from typing import Any

import graphene

from api.enums import MealCategory, MealSlot
from domain.meals.application import CategoryInput
from domain.meals.uploads import MealRecordInput as DomainMealRecord
from domain.shared.errors import InvalidInput


class SlotWindowInput(graphene.InputObjectType):
    """A slot the meal point serves and its window, local time."""

    slot = MealSlot(required=True)
    start = graphene.String(required=True, description="HH:MM, e.g. 11:00")
    end = graphene.String(required=True, description="HH:MM, e.g. 13:30 (the last minute is in).")


class ElderCategoryInput(graphene.InputObjectType):
    """An eligibility category with its validity window."""

    category = MealCategory(required=True)
    valid_from = graphene.Date(required=True)
    valid_to = graphene.Date(description="Last day; omitted while it lasts.")


class MealRecordInput(graphene.InputObjectType):
    """One meal as the point recorded it. Name the elder by `elderId` or by the `idNumber` read
    from their card (exactly one)."""

    record_id = graphene.String(required=True, description="The point's own id, unique per batch.")
    served_at = graphene.DateTime(
        required=True,
        description="When it was served: local time in the registry's time zone (Asia/Shanghai "
        "unless QIANWAN_TIME_ZONE says otherwise), or with an offset that is converted to it.",
    )
    slot = MealSlot(required=True)
    elder_id = graphene.ID()
    id_number = graphene.String(description="The resident ID number from the elder's card.")
    delivery = graphene.Boolean(default_value=False)
    price_yuan = graphene.Decimal(
        name="price", description="Yuan; omitted: the standard price in force."
    )


def slot_windows(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    windows = {w.slot: (w.start, w.end) for w in raw}
    if len(windows) != len(raw):
        raise InvalidInput("each slot has one window", field="slots")
    return windows


def categories(raw: Any) -> list[CategoryInput]:
    return [CategoryInput(c.category, c.valid_from, c.valid_to) for c in raw or []]


def meal_records(raw: Any) -> list[DomainMealRecord]:
    return [
        DomainMealRecord(
            record_id=r.record_id,
            served_at=r.served_at,
            slot=r.slot,
            elder_id=r.elder_id,
            id_number=r.id_number,
            delivery=bool(r.delivery),
            price_yuan=r.price_yuan,
        )
        for r in raw or []
    ]
