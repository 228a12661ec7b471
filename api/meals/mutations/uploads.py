# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Several meal uploads in one call and one transaction (``recordMealUploads``): each upload
checked and idempotent exactly as ``recordMeals`` takes one, all or nothing."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.owners import outside_villages
from api.auth.permissions import WRITE_RECORDS, Owner
from api.common import parse_id
from api.meals.inputs import MealRecordInput, meal_records
from api.meals.mutations.meals import outcome_row
from api.meals.mutations.subjects import meals
from api.meals.types import MealOutcome
from api.mutation import Authorized, CommandMutation, execute
from api.pagination import scope_of
from domain.meals.application import MealsApplication
from domain.meals.uploads import (
    MAX_MEALS_PER_BATCH,
    MAX_MEALS_PER_CALL,
    MAX_UPLOADS_PER_CALL,
    BatchResult,
    UploadInput,
    naming_upload,
)
from domain.shared.values import Provenance


class MealUploadInput(graphene.InputObjectType):
    """One upload of a call: a meal point's batch, as `recordMeals` takes one."""

    meal_point_id = graphene.ID(required=True, description="The meal point that uploads.")
    batch_no = graphene.String(
        required=True, description="The point's own number for the upload, unique per point."
    )
    records = graphene.List(
        graphene.NonNull(MealRecordInput),
        required=True,
        description=f"1 to {MAX_MEALS_PER_BATCH} records, each with its own record id.",
    )


class MealUploadResult(graphene.ObjectType):
    """What became of one upload of the call."""

    batch_id = graphene.ID(description="The upload as recorded; null in a preview.")
    meal_point_id = graphene.ID(required=True)
    batch_no = graphene.String(required=True)
    replayed = graphene.Boolean(
        required=True, description="True: recorded before; nothing was recorded now."
    )
    accepted_count = graphene.Int(required=True, description="Accepted or already recorded.")
    refused_count = graphene.Int(required=True)
    outcomes = graphene.NonNull(
        graphene.List(graphene.NonNull(MealOutcome)),
        description="One per record, in the records' order.",
    )


class RecordMealUploads(CommandMutation):
    """Record several uploads (a canteen's days, or several canteens' day) in one transaction:
    fewer commits than one `recordMeals` each. Every upload is checked and answered exactly as
    `recordMeals` answers one (a batch sent again answers `replayed`; a slot taken by an earlier
    upload of the call is taken). All or nothing: when one upload is refused (its point
    unknown, its batch number reused with other records, a batch twice in the call, …) the call
    is refused with that error, its `field` starting `uploads.<n>.` (n from 0), and nothing of
    any upload is recorded. At most {uploads} uploads and {records} records in all, and within
    the request body's cap (1,000,000 bytes: some 7,000 records)."""

    class Meta:
        permission = WRITE_RECORDS.of("uploads.meal_point_id", Owner.MEAL_POINT).of(
            "uploads.records.elder_id", Owner.ELDER
        )

    results = graphene.NonNull(
        graphene.List(graphene.NonNull(MealUploadResult)),
        description="One per upload, in the uploads' order (empty when refused).",
    )
    accepted_count = graphene.Int(description="Records accepted or already recorded, in all.")
    refused_count = graphene.Int()

    class Arguments(Authorized):
        uploads = graphene.List(
            graphene.NonNull(MealUploadInput),
            required=True,
            description=f"1 to {MAX_UPLOADS_PER_CALL} uploads, {MAX_MEALS_PER_CALL} records "
            "in all at most.",
        )
        dry_run = graphene.Boolean(
            default_value=False,
            description="True: a preview. Every upload is checked and answered as for "
            "recording; nothing is recorded and each `batchId` is null (but an upload recorded "
            "before answers `replayed` with its first outcomes).",
        )

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        uploads: Any,
        dry_run: bool = False,
        authority: str | None = None,
    ) -> Any:
        villages = scope_of(info)

        def command(app: MealsApplication, by: Provenance) -> tuple[BatchResult, ...]:
            return app.record_meal_uploads(uploads_of(uploads), by, villages, bool(dry_run))

        results, errors = execute(info, authority, meals, command)
        if results is None:
            return RecordMealUploads(results=[], errors=errors)
        in_the_way = [o.meal_id for r in results for o in r.outcomes if not o.accepted]
        hidden = await outside_villages(info, Owner.MEAL, in_the_way)
        return RecordMealUploads(
            results=[result_row(r, hidden, bool(dry_run)) for r in results],
            accepted_count=sum(r.accepted_count for r in results),
            refused_count=sum(r.refused_count for r in results),
            errors=[],
        )


RecordMealUploads.__doc__ = (RecordMealUploads.__doc__ or "").format(
    uploads=MAX_UPLOADS_PER_CALL, records=f"{MAX_MEALS_PER_CALL:,}"
)


def uploads_of(raw: Any) -> list[UploadInput]:
    found = []
    for n, upload in enumerate(raw or []):
        with naming_upload(n, upload.batch_no):
            point = parse_id(upload.meal_point_id, "mealPointId")
        found.append(UploadInput(point, upload.batch_no, meal_records(upload.records)))
    return found


def result_row(result: BatchResult, hidden: set[str], dry_run: bool) -> dict[str, Any]:
    previewed = dry_run and not result.replayed
    return {
        "batch_id": None if previewed else str(result.batch_id),
        "meal_point_id": str(result.meal_point_id),
        "batch_no": result.batch_no,
        "replayed": result.replayed,
        "accepted_count": result.accepted_count,
        "refused_count": result.refused_count,
        "outcomes": [outcome_row(o, hidden) for o in result.outcomes],
    }
