# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""What auditors should look at (projections/meals/findings.py), with the events proving it."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.common import load
from api.enums import FindingKind, FindingStatus, MealSlot
from api.meals.loaders import ElderById, MealPointById
from api.meals.types.elders import Elder
from api.meals.types.points import MealPoint
from api.pagination import connection_type
from projections.meals.findings import FINDING_KINDS


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
