# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of meal assistance: meal points, elders, the meal register, uploads, settlements
and the auditors' findings; every list a page at a time (api/pagination.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import READ_RECORDS, Owner, PermittedField
from api.common import Row, context_of, load, parse_id, read
from api.enums import ElderStatus, FindingKind, MealCategory, SettlementStatus
from api.meals.loaders import (
    BatchById,
    ElderById,
    MealById,
    MealPointById,
    SettlementById,
    SettlementFilter,
    batch_page,
    elder_page,
    meal_point_page,
    settlement_page,
)
from api.meals.pages import MealFilter, meal_page
from api.meals.types import (
    Elder,
    ElderConnection,
    Meal,
    MealBatch,
    MealBatchConnection,
    MealConnection,
    MealFindingConnection,
    MealPoint,
    MealPointConnection,
    MealSettlement,
    MealSettlementConnection,
)
from api.pagination import connection_field, in_memory_page, page_request, scope_of
from domain.shared.errors import InvalidInput
from projections.meals.findings import Finding, findings
from projections.meals.tables import elders, points

MAX_FINDING_DAYS = 3660  # the widest range of days one findings query looks at
EARLIEST_FINDING_DAY = date(1900, 1, 1)  # the patterns look back weeks before dateFrom
READ_MEALS = READ_RECORDS.of("village_code")
READ_MEALS_BY_TOWN = READ_MEALS.of("town_code", Owner.TOWN)


def optional_id(value: str | None, field_name: str) -> str | None:
    return None if value is None else str(parse_id(value, field_name))


class MealsQuery(graphene.ObjectType):
    meal_points = connection_field(
        MealPointConnection,
        "Meal points by village and point code.",
        permission=READ_MEALS_BY_TOWN,
        village_code=graphene.String(description="Only this village's meal points."),
        town_code=graphene.String(description="Only the meal points of this town's villages."),
    )
    meal_point = PermittedField(
        MealPoint, permission=READ_RECORDS.of("id", Owner.MEAL_POINT), id=graphene.ID(required=True)
    )
    elders = connection_field(
        ElderConnection,
        "Enrolled elders by village and enrolment; names and ID numbers masked but for an "
        "auditor of their village.",
        permission=READ_MEALS,
        village_code=graphene.String(description="Only this village's elders."),
        status=ElderStatus(description="Only elders in this status."),
    )
    elder = PermittedField(
        Elder, permission=READ_RECORDS.of("id", Owner.ELDER), id=graphene.ID(required=True)
    )
    meals = connection_field(
        MealConnection,
        "The meal register, by day, time and id.",
        permission=READ_MEALS_BY_TOWN.of("meal_point_id", Owner.MEAL_POINT).of(
            "elder_id", Owner.ELDER
        ),
        meal_point_id=graphene.ID(),
        elder_id=graphene.ID(),
        village_code=graphene.String(description="Only the meals of this village's points."),
        town_code=graphene.String(description="Only the meals of this town's points."),
        category=MealCategory(description="Only meals of this category."),
        date_from=graphene.Date(description="First day served (inclusive)."),
        date_to=graphene.Date(description="Last day served (inclusive)."),
        include_voided=graphene.Boolean(default_value=True),
    )
    meal = PermittedField(
        Meal, permission=READ_RECORDS.of("id", Owner.MEAL), id=graphene.ID(required=True)
    )
    meal_batches = connection_field(
        MealBatchConnection,
        "A meal point's uploads, newest first.",
        permission=READ_RECORDS.of("meal_point_id", Owner.MEAL_POINT),
        meal_point_id=graphene.ID(required=True),
    )
    meal_batch = PermittedField(
        MealBatch,
        permission=READ_RECORDS.of("id", Owner.MEAL_BATCH),
        id=graphene.ID(required=True),
    )
    meal_settlements = connection_field(
        MealSettlementConnection,
        "Monthly settlements by month, village and meal point.",
        permission=READ_MEALS_BY_TOWN.of("meal_point_id", Owner.MEAL_POINT),
        meal_point_id=graphene.ID(),
        village_code=graphene.String(),
        town_code=graphene.String(description="Only the settlements of this town's villages."),
        month=graphene.String(description="The period, e.g. 2026-07."),
        status=SettlementStatus(description="Only settlements in this status."),
    )
    meal_settlement = PermittedField(
        MealSettlement,
        permission=READ_RECORDS.of("id", Owner.SETTLEMENT),
        id=graphene.ID(required=True),
    )
    meal_findings = connection_field(
        MealFindingConnection,
        "What auditors should look at, by day and kind.",
        permission=READ_MEALS.of("meal_point_id", Owner.MEAL_POINT),
        date_from=graphene.Date(required=True),
        date_to=graphene.Date(required=True),
        meal_point_id=graphene.ID(),
        village_code=graphene.String(
            description="Only the findings about this village's meal points (or elders)."
        ),
        kinds=graphene.List(graphene.NonNull(FindingKind), description="Omitted: every kind."),
    )

    @staticmethod
    def resolve_meal_points(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        village_code: str | None = None,
        town_code: str | None = None,
    ) -> Row:
        request, scope = page_request(first, after), scope_of(info)
        return read(
            info, lambda conn: meal_point_page(conn, village_code, town_code, request, scope)
        )

    @staticmethod
    def resolve_meal_point(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, MealPointById, str(parse_id(id, "id")))

    @staticmethod
    def resolve_elders(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        village_code: str | None = None,
        status: str | None = None,
    ) -> Row:
        request, scope = page_request(first, after), scope_of(info)
        keys = context_of(info).registry.meals.keys
        return read(info, lambda conn: elder_page(conn, keys, village_code, status, request, scope))

    @staticmethod
    def resolve_elder(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, ElderById, str(parse_id(id, "id")))

    @staticmethod
    def resolve_meals(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        meal_point_id: str | None = None,
        elder_id: str | None = None,
        village_code: str | None = None,
        town_code: str | None = None,
        category: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        include_voided: bool = True,
    ) -> Row:
        where = MealFilter(
            optional_id(meal_point_id, "mealPointId"),
            optional_id(elder_id, "elderId"),
            date_from,
            date_to,
            include_voided,
            village_code,
            town_code,
            category,
        )
        request, scope = page_request(first, after), scope_of(info)
        return read(info, lambda conn: meal_page(conn, where, request, scope))

    @staticmethod
    def resolve_meal(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, MealById, str(parse_id(id, "id")))

    @staticmethod
    def resolve_meal_batches(
        root: None,
        info: GraphQLResolveInfo,
        meal_point_id: str,
        first: int | None = None,
        after: str | None = None,
    ) -> Row:
        point = str(parse_id(meal_point_id, "mealPointId"))
        request = page_request(first, after)
        return read(info, lambda conn: batch_page(conn, point, request))

    @staticmethod
    def resolve_meal_batch(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, BatchById, str(parse_id(id, "id")))

    @staticmethod
    def resolve_meal_settlements(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        meal_point_id: str | None = None,
        village_code: str | None = None,
        town_code: str | None = None,
        month: str | None = None,
        status: str | None = None,
    ) -> Row:
        point = optional_id(meal_point_id, "mealPointId")
        where = SettlementFilter(point, village_code, town_code, month, status)
        request, scope = page_request(first, after), scope_of(info)
        return read(info, lambda conn: settlement_page(conn, where, request, scope))

    @staticmethod
    def resolve_meal_settlement(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, SettlementById, str(parse_id(id, "id")))

    @staticmethod
    def resolve_meal_findings(
        root: None,
        info: GraphQLResolveInfo,
        date_from: date,
        date_to: date,
        first: int | None = None,
        after: str | None = None,
        meal_point_id: str | None = None,
        kinds: Sequence[str] | None = None,
        village_code: str | None = None,
    ) -> Row:
        if date_from < EARLIEST_FINDING_DAY:
            message = f"dateFrom must be on or after {EARLIEST_FINDING_DAY}"
            raise InvalidInput(message, field="date_from")
        if not 0 <= (date_to - date_from).days <= MAX_FINDING_DAYS:
            raise InvalidInput(
                f"dateTo must be on or after dateFrom, at most {MAX_FINDING_DAYS} days on",
                field="date_to",
            )
        request, scope = page_request(first, after), scope_of(info)
        point = optional_id(meal_point_id, "mealPointId")
        found = read(info, lambda conn: findings(conn, date_from, date_to, point, kinds))
        if scope is not None:
            found = read(info, lambda conn: within_scope(conn, found, scope))
        if village_code is not None:
            village = frozenset({village_code})
            found = read(info, lambda conn: within_scope(conn, found, village))
        return in_memory_page(found, "finding", request, lambda f: f)


def within_scope(conn: Any, found: list[Finding], scope: frozenset[str]) -> list[Finding]:
    """The findings about meal points (or, without one, elders) of the caller's villages."""
    point_ids = {f.meal_point_id for f in found if f.meal_point_id}
    elder_ids = {f.elder_id for f in found if f.elder_id and not f.meal_point_id}
    villages: dict[str, str] = {}
    if point_ids:
        query = points.select().where(points.c.meal_point_id.in_(sorted(point_ids)))
        villages.update({r.meal_point_id: r.village_code for r in conn.execute(query)})
    if elder_ids:
        query = elders.select().where(elders.c.elder_id.in_(sorted(elder_ids)))
        villages.update({r.elder_id: r.village_code for r in conn.execute(query)})
    return [f for f in found if villages.get(f.meal_point_id or f.elder_id or "", "") in scope]
