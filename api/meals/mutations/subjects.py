"""What the meal-assistance mutations act on: a meal point, an elder, a meal or a settlement,
read back into the payload's field of that name. All are kept by the MealsApplication."""

from __future__ import annotations

from typing import Any

from api.auth.permissions import Owner
from api.meals.loaders import ElderById, MealById, MealPointById, SettlementById
from api.meals.types import Elder, Meal, MealPoint, MealSettlement
from api.mutation import Subject
from domain.meals.application import MealsApplication
from qianwan.bootstrap import Registry


def meals(registry: Registry) -> MealsApplication:
    return registry.meals


def row_id(row: Any) -> Any:
    return row["id"]


MEAL_POINT: Subject[MealsApplication] = Subject(
    payload_field="meal_point",
    type=MealPoint,
    description="The meal point after the command.",
    application=meals,
    loader=MealPointById,
    id_of=row_id,
    id_argument="meal_point_id",
    owner=Owner.MEAL_POINT,
)
ELDER: Subject[MealsApplication] = Subject(
    payload_field="elder",
    type=Elder,
    description="The elder after the command; null when refused.",
    application=meals,
    loader=ElderById,
    id_of=row_id,
    id_argument="elder_id",
    owner=Owner.ELDER,
)
MEAL: Subject[MealsApplication] = Subject(
    payload_field="meal",
    type=Meal,
    description="The meal after the command; null when refused.",
    application=meals,
    loader=MealById,
    id_of=row_id,
    id_argument="meal_id",
    owner=Owner.MEAL,
)
SETTLEMENT: Subject[MealsApplication] = Subject(
    payload_field="settlement",
    type=MealSettlement,
    description="The settlement after the command; null when refused.",
    application=meals,
    loader=SettlementById,
    id_of=row_id,
    id_argument="settlement_id",
    owner=Owner.SETTLEMENT,
)

MEAL_POINT_ID = "The meal point's id."
ELDER_ID = "The elder's id."
SETTLEMENT_ID = "The settlement's id."
