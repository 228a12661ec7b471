# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""What every meal mutation shares: running one command of the MealsApplication, and payloads
carrying the affected meal point, elder, meal or settlement read back from the projections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.common import CommandMutation, Row, attempt, context_of, load, parse_id
from api.meals.loaders import ElderById, MealById, MealPointById, SettlementById
from api.meals.types import Elder, Meal, MealPoint, MealSettlement
from domain.meals.application import MealsApplication
from domain.shared.values import Provenance

T = TypeVar("T")
Command = Callable[[MealsApplication, Provenance], UUID]

MEAL_POINT_ID = "The meal point's id."
ELDER_ID = "The elder's id."
SETTLEMENT_ID = "The settlement's id."


def execute(
    info: GraphQLResolveInfo,
    authority: str | None,
    command: Callable[[MealsApplication, Provenance], T],
) -> tuple[T | None, list[Row]]:
    """Run a command as the request's actor; a refusal becomes the payload's ``errors``. After
    a command, later fields of the request must not see rows loaded before it."""
    context = context_of(info)
    meals = context.registry.meals
    result, errors = attempt(lambda: command(meals, context.provenance(authority)))
    if not errors:
        context.after_command()
    return result, errors


def target(value: str, field_name: str) -> UUID:
    return parse_id(value, field_name)


class MealPointMutation(CommandMutation):
    class Meta:
        abstract = True

    meal_point = graphene.Field(MealPoint, description="The meal point after the command.")

    @classmethod
    async def run(cls, info: GraphQLResolveInfo, authority: str | None, command: Command) -> Any:
        point_id, errors = execute(info, authority, command)
        if point_id is None:
            return cls(meal_point=None, errors=errors)
        return await cls.replay(info, point_id)

    @classmethod
    async def replay(cls, info: GraphQLResolveInfo, point_id: UUID) -> Any:
        """The payload for ``point_id`` as it is now (also: a create's retry)."""
        return cls(meal_point=await load(info, MealPointById, str(point_id)), errors=[])

    @staticmethod
    def created_id(payload: Any) -> UUID | None:
        return None if payload.meal_point is None else UUID(str(payload.meal_point["id"]))


class ElderMutation(CommandMutation):
    class Meta:
        abstract = True

    elder = graphene.Field(Elder, description="The elder after the command; null when refused.")

    @classmethod
    async def run(
        cls, info: GraphQLResolveInfo, authority: str | None, command: Command, **more: Any
    ) -> Any:
        elder_id, errors = execute(info, authority, command)
        if elder_id is None:
            return cls(elder=None, errors=errors, **more)
        return cls(elder=await load(info, ElderById, str(elder_id)), errors=[], **more)

    @classmethod
    async def replay(cls, info: GraphQLResolveInfo, elder_id: UUID) -> Any:
        """The payload for ``elder_id`` as it is now (a create's retry)."""
        return cls(elder=await load(info, ElderById, str(elder_id)), errors=[])

    @staticmethod
    def created_id(payload: Any) -> UUID | None:
        return None if payload.elder is None else UUID(str(payload.elder["id"]))


class MealMutation(CommandMutation):
    class Meta:
        abstract = True

    meal = graphene.Field(Meal, description="The meal after the command; null when refused.")

    @classmethod
    async def run(cls, info: GraphQLResolveInfo, authority: str | None, command: Command) -> Any:
        meal_id, errors = execute(info, authority, command)
        if meal_id is None:
            return cls(meal=None, errors=errors)
        return cls(meal=await load(info, MealById, str(meal_id)), errors=[])


class SettlementMutation(CommandMutation):
    class Meta:
        abstract = True

    settlement = graphene.Field(
        MealSettlement, description="The settlement after the command; null when refused."
    )

    @classmethod
    async def run(cls, info: GraphQLResolveInfo, authority: str | None, command: Command) -> Any:
        settlement_id, errors = execute(info, authority, command)
        if settlement_id is None:
            return cls(settlement=None, errors=errors)
        return await cls.replay(info, settlement_id)

    @classmethod
    async def replay(cls, info: GraphQLResolveInfo, settlement_id: UUID) -> Any:
        """The payload for ``settlement_id`` as it is now (also: a create's retry)."""
        found = await load(info, SettlementById, str(settlement_id))
        return cls(settlement=found, errors=[])

    @staticmethod
    def created_id(payload: Any) -> UUID | None:
        return None if payload.settlement is None else UUID(str(payload.settlement["id"]))
