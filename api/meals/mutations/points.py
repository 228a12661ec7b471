# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Meal points: registering and closing a canteen (长者食堂) or meal point (助餐点)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import WRITE_RECORDS
from api.enums import ClosureReason, MealPointKind, OperatorKind
from api.meals.inputs import SlotWindowInput, slot_windows
from api.meals.mutations.subjects import MEAL_POINT, MEAL_POINT_ID
from api.mutation import Authorized, CommandMutation
from domain.meals.application import MealsApplication
from domain.meals.model.meal_point import MealPoint
from domain.shared.values import Provenance


class RegisterMealPoint(CommandMutation):
    """Register a canteen or meal point of a village. A retry with the same content returns the
    same point and records nothing; the same point code with other content is refused."""

    class Meta:
        subject = MEAL_POINT
        permission = WRITE_RECORDS.of("village_code")
        creates = MealPoint

    class Arguments(Authorized):
        village_code = graphene.String(required=True)
        point_code = graphene.String(required=True, description="Unique in the village.")
        name = graphene.String(required=True, description="e.g. 乌村桥村长者食堂")
        kind = MealPointKind(required=True)
        operator_kind = OperatorKind(required=True)
        operator_name = graphene.String(
            description="Required for a contractor; omitted: the village collective."
        )
        capacity_meals_per_day = graphene.Int(required=True)
        registered_on = graphene.Date(required=True, description="The day it opens.")
        delivery_offered = graphene.Boolean(default_value=False)
        slots = graphene.List(
            graphene.NonNull(SlotWindowInput),
            description="Omitted: breakfast 06:00–09:00, lunch 11:00–13:30, dinner 17:30–19:30.",
        )

    @staticmethod
    async def mutate(root: None, info: GraphQLResolveInfo, **args: Any) -> Any:
        authority = args.pop("authority", None)
        slots = args.pop("slots", None)

        def command(app: MealsApplication, by: Provenance) -> UUID:
            return app.register_meal_point(by=by, slots=slot_windows(slots), **args)

        return await RegisterMealPoint.run(info, authority, command)


class CloseMealPoint(CommandMutation):
    """Close a meal point: no meals from `closedOn` on (earlier ones may still be uploaded)."""

    class Meta:
        subject = MEAL_POINT
        permission = MEAL_POINT.writes

    class Arguments(Authorized):
        meal_point_id = graphene.ID(required=True, description=MEAL_POINT_ID)
        closed_on = graphene.Date(required=True)
        reason = ClosureReason(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        meal_point_id: str,
        closed_on: date,
        reason: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, point: UUID, by: Provenance) -> None:
            app.close_meal_point(point, closed_on, reason, by)

        return await CloseMealPoint.act(info, authority, meal_point_id, command)
