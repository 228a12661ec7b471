# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Meals: a meal point's upload (every record accepted or refused on its own) and voiding."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.auth.owners import outside_villages
from api.auth.permissions import Owner
from api.common import load
from api.enums import VoidReason
from api.meals.inputs import MealRecordInput, meal_records
from api.meals.loaders import BatchById
from api.meals.mutations.subjects import MEAL, MEAL_POINT, MEAL_POINT_ID, meals
from api.meals.types import MealBatch, MealOutcome
from api.mutation import Authorized, CommandMutation, execute
from api.pagination import scope_of
from domain.meals.application import MealsApplication
from domain.meals.model.meal import MealBatch as MealBatchAggregate
from domain.meals.uploads import MAX_MEALS_PER_BATCH, BatchResult
from domain.meals.uploads import MealOutcome as DomainMealOutcome
from domain.shared.values import Provenance


class RecordMeals(CommandMutation):
    """Record an upload of a meal point (a day or a shift, 1 to 1,000 records). Each record is
    accepted or refused with a reason code on its own; refused records are kept on the batch as
    audit facts. The same batch again records nothing and returns its first outcomes
    (`replayed`); the same batch number with other records is refused (`batch_number_reused`)."""

    class Meta:
        permission = MEAL_POINT.writes.of("records.elder_id", Owner.ELDER)
        creates = MealBatchAggregate

    batch = graphene.Field(MealBatch, description="The upload as recorded; null when refused.")
    outcomes = graphene.NonNull(
        graphene.List(graphene.NonNull(MealOutcome)),
        description="One per record, in the records' order (empty when refused).",
    )
    replayed = graphene.Boolean(description="True: recorded before; nothing was recorded now.")
    accepted_count = graphene.Int(description="Records accepted or already recorded.")
    refused_count = graphene.Int()

    class Arguments(Authorized):
        meal_point_id = graphene.ID(required=True, description=MEAL_POINT_ID)
        batch_no = graphene.String(
            required=True, description="The point's own number for the upload, unique per point."
        )
        records = graphene.List(
            graphene.NonNull(MealRecordInput),
            required=True,
            description=f"1 to {MAX_MEALS_PER_BATCH} records, each with its own record id.",
        )
        dry_run = graphene.Boolean(
            default_value=False,
            description="True: a preview. Every record is checked as for recording and gets its "
            "outcome; nothing is recorded and `batch` is null (unless the same batch was "
            "recorded before: then it answers `replayed` with the first outcomes).",
        )

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        meal_point_id: str,
        batch_no: str,
        records: Any,
        dry_run: bool = False,
        authority: str | None = None,
    ) -> Any:
        uploaded = meal_records(records)
        point, villages = MEAL_POINT.target(meal_point_id), scope_of(info)

        def command(app: MealsApplication, by: Provenance) -> BatchResult:
            return app.record_meals(point, batch_no, uploaded, by, villages, bool(dry_run))

        result, errors = execute(info, authority, meals, command)
        if result is None:
            return RecordMeals(batch=None, outcomes=[], errors=errors)
        # A refusal names the meal already in the slot: not when another village's point has it.
        in_the_way = [o.meal_id for o in result.outcomes if not o.accepted]
        hidden = await outside_villages(info, Owner.MEAL, in_the_way)
        previewed = dry_run and not result.replayed
        return RecordMeals(
            batch=None if previewed else await load(info, BatchById, str(result.batch_id)),
            outcomes=[outcome_row(o, hidden) for o in result.outcomes],
            replayed=result.replayed,
            accepted_count=result.accepted_count,
            refused_count=result.refused_count,
            errors=[],
        )

    @classmethod
    async def replay(cls, info: GraphQLResolveInfo, subject_id: UUID, **more: Any) -> Any:
        """A retry with the same idempotency key: the batch as recorded, its outcomes by
        record id (the first upload's outcomes are on the batch), nothing recorded now."""
        batch = await load(info, BatchById, str(subject_id))
        outcomes = await MealBatch.resolve_outcomes(batch, info)
        return RecordMeals(
            batch=batch,
            outcomes=outcomes,
            replayed=True,
            accepted_count=batch["accepted"],
            refused_count=batch["refused"],
            errors=[],
        )

    @staticmethod
    def created_id(payload: Any) -> UUID | None:
        return None if payload.batch is None else UUID(str(payload.batch["id"]))


def outcome_row(outcome: DomainMealOutcome, hidden: set[str]) -> dict[str, Any]:
    meal = str(outcome.meal_id) if outcome.meal_id else None
    return {
        "record_id": outcome.record_id,
        "status": outcome.status,
        "reason_code": outcome.reason_code,
        "meal_id": None if meal in hidden else meal,
    }


class VoidMeal(CommandMutation):
    """Void a recorded meal with a reason (a correcting event; nothing is deleted). A meal a
    paid settlement claimed is clawed back by the next one."""

    class Meta:
        subject = MEAL
        permission = MEAL.writes

    class Arguments(Authorized):
        meal_id = graphene.ID(required=True, description="The meal's id.")
        reason = VoidReason(required=True)
        voided_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        meal_id: str,
        reason: str,
        voided_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, meal: UUID, by: Provenance) -> None:
            app.void_meal(meal, reason, voided_on, by)

        return await VoidMeal.act(info, authority, meal_id, command)
