# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Meals of the register, a page of them, and the uploads (batches) that recorded them."""

from __future__ import annotations

import graphene
from graphql import GraphQLResolveInfo

from api.auth.owners import outside_villages
from api.auth.permissions import Owner
from api.common import MAX_LIST, Row, load, related
from api.enums import MealCategory, MealOutcomeStatus, MealRefusalReason, MealSlot, VoidReason
from api.meals.loaders import AcceptedByBatch, ElderById, MealPointById, RefusalsByBatch
from api.meals.types.elders import Elder
from api.meals.types.points import MealPoint
from api.pagination import connection_type


class Meal(graphene.ObjectType):
    """A subsidised meal: one per elder, date and slot across all meal points. price =
    government + collective + elderShare, computed when recorded and never rewritten."""

    id = graphene.ID(required=True)
    meal_point_id = graphene.ID(required=True)
    elder_id = graphene.ID(required=True)
    served_on = graphene.Date(required=True)
    slot = MealSlot(required=True)
    served_at = graphene.String(required=True, description="Local time HH:MM:SS.")
    delivery = graphene.Boolean(required=True)
    category = MealCategory(required=True, description="The category applied.")
    price_yuan = graphene.Decimal(name="price", required=True, description="Yuan.")
    government_yuan = graphene.Decimal(
        name="government", required=True, description="Yuan of government subsidy."
    )
    collective_yuan = graphene.Decimal(
        name="collective", required=True, description="Yuan of collective top-up."
    )
    elder_yuan = graphene.Decimal(
        name="elderShare", required=True, description="Yuan the elder co-pays."
    )
    record_id = graphene.String(required=True, description="The point's own record id.")
    batch_id = graphene.ID(description="The upload that recorded it.")
    voided = graphene.Boolean(required=True)
    void_reason = VoidReason()
    voided_on = graphene.Date()
    settlement_id = graphene.ID(description="The settlement that claims it.")
    clawback_settlement_id = graphene.ID(description="The settlement that claws it back.")
    recorded_notification_id = graphene.Int(required=True)
    meal_point = graphene.Field(MealPoint)
    elder = graphene.Field(Elder)

    resolve_meal_point = related(MealPointById, "meal_point_id")

    resolve_elder = related(ElderById, "elder_id")


MealConnection = connection_type(Meal, "A page of meals in a stable order: day, time, id.")


class MealOutcome(graphene.ObjectType):
    """What became of one record of an upload."""

    record_id = graphene.String(required=True)
    status = MealOutcomeStatus(required=True)
    reason_code = MealRefusalReason(description="When refused: why.")
    meal_id = graphene.ID(description="The meal recorded (or, refused, the one in the way).")


class MealRefusal(graphene.ObjectType):
    """A refused record of an upload, kept as an audit fact."""

    record_id = graphene.String(required=True)
    code = MealRefusalReason(required=True)
    elder_id = graphene.ID(description="Only when the elder is known.")
    served_on = graphene.Date()
    slot = MealSlot()
    served_at = graphene.String()
    delivery = graphene.Boolean()
    existing_meal_id = graphene.ID(description="second_meal_in_slot: the meal already there.")
    existing_meal_point_id = graphene.ID(description="second_meal_in_slot: where it was served.")
    source_notification_id = graphene.Int(required=True)


class MealBatch(graphene.ObjectType):
    """An upload of a meal point: every record accepted or refused on its own."""

    id = graphene.ID(required=True)
    meal_point_id = graphene.ID(required=True)
    batch_no = graphene.String(required=True, description="The point's own batch number.")
    records = graphene.Int(required=True)
    accepted = graphene.Int(required=True, description="Accepted and already recorded.")
    refused = graphene.Int(required=True)
    actor = graphene.String(required=True)
    recorded_at = graphene.DateTime(required=True)
    source_notification_id = graphene.Int(required=True)
    outcomes = graphene.NonNull(
        graphene.List(graphene.NonNull(MealOutcome)),
        description="The records it recorded a meal for (accepted) and those refused, by "
        f"record id (at most {MAX_LIST} of each). Records already recorded by an earlier upload "
        "are counted in `accepted` but listed with that upload.",
    )
    refusals = graphene.NonNull(
        graphene.List(graphene.NonNull(MealRefusal)),
        description=f"Refused records by record id (at most {MAX_LIST}).",
    )
    meal_point = graphene.Field(MealPoint)

    @staticmethod
    async def resolve_outcomes(root: Row, info: GraphQLResolveInfo) -> list[Row]:
        accepted = await load(info, AcceptedByBatch, root["id"])
        refused = await MealBatch.resolve_refusals(root, info)
        found = [{**r, "status": "accepted", "reason_code": None} for r in accepted]
        found += [
            {
                "record_id": r["record_id"],
                "status": "refused",
                "reason_code": r["code"],
                "meal_id": r["existing_meal_id"],
            }
            for r in refused
        ]
        return sorted(found, key=lambda o: str(o["record_id"]))

    @staticmethod
    async def resolve_refusals(root: Row, info: GraphQLResolveInfo) -> list[Row]:
        """The refused records; the elder, and the meal in the way with its point, only when
        the caller may see them: a refusal never names what belongs to another village."""
        refused: list[Row] = await load(info, RefusalsByBatch, root["id"])
        points = [r["existing_meal_point_id"] for r in refused]
        hidden = await outside_villages(info, Owner.MEAL_POINT, points)
        hidden |= await outside_villages(info, Owner.ELDER, [r["elder_id"] for r in refused])
        return [visible_refusal(r, hidden) for r in refused]

    resolve_meal_point = related(MealPointById, "meal_point_id")


def visible_refusal(row: Row, hidden: set[str]) -> Row:
    shown = dict(row)
    if str(row["elder_id"]) in hidden:
        shown["elder_id"] = None
    if str(row["existing_meal_point_id"]) in hidden:
        shown["existing_meal_id"] = shown["existing_meal_point_id"] = None
    return shown


MealBatchConnection = connection_type(MealBatch, "A page of a meal point's uploads, newest first.")
