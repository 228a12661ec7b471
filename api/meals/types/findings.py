# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""What auditors should look at (projections/meals/findings.py), with the events proving it."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo
from sqlalchemy import ColumnElement, Connection, or_, select

from api.common import Row, load, read, rows
from api.enums import FindingKind, FindingStatus, MealSlot
from api.meals.loaders import ElderById, MealPointById
from api.meals.types.elders import Elder
from api.meals.types.points import MealPoint
from api.pagination import connection_type
from projections.meals.findings import FINDING_KINDS, MAX_EVIDENCE, Finding
from projections.meals.tables import meals


class FindingMeal(graphene.ObjectType):
    """A meal behind a finding, as the register holds it (open it with `meal(id:)`, its
    events with `history`)."""

    id = graphene.ID(required=True)
    meal_point_id = graphene.ID(required=True)
    served_on = graphene.Date(required=True)
    slot = MealSlot(required=True)
    served_at = graphene.String(required=True, description="HH:MM:SS, the point's wall clock.")
    voided = graphene.Boolean(required=True)
    recorded_notification_id = graphene.Int(required=True)
    voided_notification_id = graphene.Int()


class MealFinding(graphene.ObjectType):
    """Something an auditor should look at, with the events that prove it."""

    kind = FindingKind(required=True)
    description = graphene.String(required=True, description="What the kind means.")
    on = graphene.Date(required=True, description="The day (a run of days: its last day).")
    meal_point_id = graphene.ID()
    elder_id = graphene.ID()
    slot = MealSlot()
    status = FindingStatus(required=True)
    detail = graphene.String(required=True)
    evidence_notification_ids = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.Int)),
        description="Notifications (events) that prove it, in the log's order of importance.",
    )
    evidence_aggregate_ids = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.ID)),
        description="Aggregates to open: batch, meal, elder, meal point (their `history`).",
    )
    meal_point = graphene.Field(MealPoint)
    elder = graphene.Field(Elder)
    meals = graphene.NonNull(
        graphene.List(graphene.NonNull(FindingMeal)),
        description=f"The meals behind it (at most {MAX_EVIDENCE}): those its evidence names, "
        "by the log's order.",
    )

    @staticmethod
    def resolve_meals(root: Any, info: GraphQLResolveInfo) -> list[Row]:
        return read(info, lambda conn: meals_behind(conn, root))

    @staticmethod
    def resolve_description(root: Any, info: GraphQLResolveInfo) -> str:
        return FINDING_KINDS[root.kind]

    @staticmethod
    def resolve_meal_point(root: Any, info: GraphQLResolveInfo) -> Any:
        return load(info, MealPointById, root.meal_point_id) if root.meal_point_id else None

    @staticmethod
    def resolve_elder(root: Any, info: GraphQLResolveInfo) -> Any:
        return load(info, ElderById, root.elder_id) if root.elder_id else None


MealFindingConnection = connection_type(MealFinding, "A page of findings, by day and kind.")


def meals_behind(conn: Connection, finding: Finding) -> list[Row]:
    """The meals a finding's evidence names: by id, or by the notification that recorded them
    (looked up through the register's index on the elder, else on the point and day)."""
    wanted: list[ColumnElement[bool]] = [meals.c.meal_id.in_(list(finding.evidence_aggregate_ids))]
    notifications = list(finding.evidence_notification_ids)
    if notifications and finding.elder_id:
        wanted.append(
            (meals.c.elder_id == finding.elder_id)
            & meals.c.recorded_notification_id.in_(notifications)
        )
    elif notifications and finding.meal_point_id:
        wanted.append(
            (meals.c.meal_point_id == finding.meal_point_id)
            & (meals.c.served_on == finding.on)
            & meals.c.recorded_notification_id.in_(notifications)
        )
    c = meals.c
    query = (
        select(
            c.meal_id.label("id"),
            c.meal_point_id,
            c.served_on,
            c.slot,
            c.served_at,
            c.voided,
            c.recorded_notification_id,
            c.voided_notification_id,
        )
        .where(or_(*wanted))
        .order_by(c.recorded_notification_id)
        .limit(MAX_EVIDENCE)
    )
    return rows(conn, query)
