# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Meal points: elder canteens (长者食堂) and meal points (助餐点), their slots and daily counts."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.common import Row, load, related
from api.enums import MealPointKind, MealSlot, OperatorKind
from api.meals.loaders import DailyCountsByPoint, MonthTotalsByPoint, SettlementPagesByPoint
from api.pagination import connection_field, connection_type, load_page
from api.places.loaders import VillageByCode
from api.places.types import Village
from api.summary.queries import checked_month
from api.summary.types import MealTotals
from domain.shared.errors import InvalidInput

MAX_DAILY_COUNT_DAYS = 366  # days in one dailyCounts range


class SlotWindow(graphene.ObjectType):
    """A slot a meal point serves and its time window (local time; both ends inside)."""

    slot = MealSlot(required=True)
    start = graphene.String(required=True, description="HH:MM")
    end = graphene.String(required=True, description="HH:MM")


class MealDailyCount(graphene.ObjectType):
    """Meals (not voided) a point served on a day, by slot, beside its daily capacity."""

    served_on = graphene.Date(required=True)
    breakfast = graphene.Int(required=True)
    lunch = graphene.Int(required=True)
    dinner = graphene.Int(required=True)
    total = graphene.Int(required=True)
    capacity_meals_per_day = graphene.Int(required=True)
    above_capacity = graphene.Boolean(required=True, description="total > capacity.")

    @staticmethod
    def resolve_above_capacity(root: Row, info: GraphQLResolveInfo) -> bool:
        return bool(root["total"] > root["capacity_meals_per_day"])


class MealPoint(graphene.ObjectType):
    """An elder canteen (长者食堂) or meal point (助餐点) of a village, run by the collective or
    by a contracted operator."""

    village_key = "village_code"  # its objects belong to this village (api/auth/middleware.py)

    id = graphene.ID(required=True, description="The meal point's id (its history's aggregateId).")
    village_code = graphene.String(required=True)
    point_code = graphene.String(required=True, description="Unique in the village.")
    name = graphene.String(required=True)
    kind = MealPointKind(required=True)
    operator_kind = OperatorKind(required=True)
    operator_name = graphene.String(required=True)
    capacity_meals_per_day = graphene.Int(required=True)
    delivery_offered = graphene.Boolean(required=True)
    slots = graphene.NonNull(graphene.List(graphene.NonNull(SlotWindow)))
    registered_on = graphene.Date(required=True, description="The day it opened.")
    closed_on = graphene.Date()
    village = graphene.Field(Village, description="The village the point belongs to.")
    daily_counts = graphene.NonNull(
        graphene.List(graphene.NonNull(MealDailyCount)),
        date_from=graphene.Date(required=True),
        date_to=graphene.Date(required=True),
        description="Days with meals in the range, oldest first (a range of at most "
        f"{MAX_DAILY_COUNT_DAYS} days).",
    )
    month_totals = graphene.NonNull(
        MealTotals,
        month=graphene.String(required=True, description="YYYY-MM, e.g. 2026-07."),
        description="The meals served in the month and not voided, and who pays them.",
    )
    settlements = connection_field(
        "api.meals.types.settlements.MealSettlementConnection",
        "Its monthly settlements by month.",
    )

    resolve_village = related(VillageByCode, "village_code")

    @staticmethod
    async def resolve_daily_counts(
        root: Row, info: GraphQLResolveInfo, date_from: date, date_to: date
    ) -> list[Row]:
        if not 0 <= (date_to - date_from).days < MAX_DAILY_COUNT_DAYS:
            raise InvalidInput(
                f"dateTo must be on or after dateFrom, at most {MAX_DAILY_COUNT_DAYS} days on",
                field="date_to",
            )
        counts = await load(info, DailyCountsByPoint, (root["id"], date_from, date_to))
        capacity = root["capacity_meals_per_day"]
        return [{**c, "capacity_meals_per_day": capacity} for c in counts]

    @staticmethod
    def resolve_month_totals(root: Row, info: GraphQLResolveInfo, month: str) -> Any:
        return load(info, MonthTotalsByPoint, (root["id"], checked_month(month)))

    @staticmethod
    def resolve_settlements(
        root: Row, info: GraphQLResolveInfo, first: int | None = None, after: str | None = None
    ) -> Awaitable[Any]:
        return load_page(info, SettlementPagesByPoint, root["id"], first, after)


MealPointConnection = connection_type(MealPoint, "A page of meal points, by village and code.")
