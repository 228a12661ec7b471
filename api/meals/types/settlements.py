# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Monthly settlements of a meal point: drafted → submitted → verified → approved → paid
(returned → redrafted), with lines by category and slot and the clawbacks of voided meals."""

from __future__ import annotations

import graphene

from api.common import MAX_LIST, related
from api.enums import (
    MealCategory,
    MealSlot,
    OperatorKind,
    SettlementDraftStatus,
    SettlementReturnReason,
    SettlementStatus,
)
from api.meals.loaders import ClawbacksBySettlement, LinesBySettlement, MealPointById
from api.meals.types.points import MealPoint
from api.pagination import connection_type

YUAN = "Yuan."


class MealSettlementLine(graphene.ObjectType):
    """The meals of one served month, category, slot and delivery mode, and who pays them."""

    served_month = graphene.String(required=True, description="e.g. 2026-07")
    category = MealCategory(required=True, description="The category applied.")
    slot = MealSlot(required=True)
    delivery = graphene.Boolean(required=True)
    meals = graphene.Int(required=True)
    price_yuan = graphene.Decimal(name="price", required=True, description=YUAN)
    government_yuan = graphene.Decimal(
        name="government", required=True, description="Yuan of government subsidy."
    )
    collective_yuan = graphene.Decimal(
        name="collective", required=True, description="Yuan of collective top-up."
    )
    elder_yuan = graphene.Decimal(
        name="elderShare", required=True, description="Yuan the elders co-paid."
    )


class MealClawback(graphene.ObjectType):
    """A meal an earlier, paid settlement claimed and that was voided since: taken back now."""

    meal_id = graphene.ID(required=True)
    from_settlement_id = graphene.ID(required=True, description="The settlement that paid it.")
    served_on = graphene.Date(required=True)
    category = MealCategory(required=True)
    slot = MealSlot(required=True)
    government_yuan = graphene.Decimal(name="government", required=True, description=YUAN)
    collective_yuan = graphene.Decimal(name="collective", required=True, description=YUAN)
    elder_yuan = graphene.Decimal(name="elderShare", required=True, description=YUAN)


class SettlementDraftOutcome(graphene.ObjectType):
    """What a command drafting many settlements did for one meal point."""

    meal_point_id = graphene.ID(required=True)
    settlement_id = graphene.ID(required=True, description="The month's settlement of the point.")
    status = SettlementDraftStatus(required=True)
    code = graphene.String(description="When refused: the error code (as in `errors`).")
    message = graphene.String(description="When refused: why, for people.")
    meals = graphene.Int(required=True, description="Meals in the claim (0 when refused).")
    clawbacks = graphene.Int(required=True, description="Clawbacks in the claim.")


class MealSettlement(graphene.ObjectType):
    """A meal point's claim for a month: the meals served up to the month's end that no other
    settlement claims, less the clawbacks. netPayable = netGovernment + netCollective is what
    the operator is owed (negative: what it owes back)."""

    village_key = "village_code"  # its objects belong to this village (api/auth/middleware.py)

    id = graphene.ID(required=True, description="The settlement's id (its history's aggregateId).")
    meal_point_id = graphene.ID(required=True)
    village_code = graphene.String(required=True)
    operator_kind = OperatorKind(required=True)
    month = graphene.String(required=True, description="e.g. 2026-07")
    period_end = graphene.Date(required=True, description="The month's last day.")
    status = SettlementStatus(required=True)
    meals = graphene.Int(required=True, description="Meals claimed.")
    price_yuan = graphene.Decimal(name="price", required=True, description=YUAN)
    government_yuan = graphene.Decimal(
        name="government", required=True, description="Yuan of government subsidy."
    )
    collective_yuan = graphene.Decimal(
        name="collective", required=True, description="Yuan of collective top-up."
    )
    elder_yuan = graphene.Decimal(
        name="elderShare", required=True, description="Yuan of co-payments."
    )
    clawback_meals = graphene.Int(required=True)
    clawback_government_yuan = graphene.Decimal(
        name="clawbackGovernment", required=True, description=YUAN
    )
    clawback_collective_yuan = graphene.Decimal(
        name="clawbackCollective", required=True, description=YUAN
    )
    clawback_elder_yuan = graphene.Decimal(
        name="clawbackElderShare", required=True, description=YUAN
    )
    net_government_yuan = graphene.Decimal(
        name="netGovernment", required=True, description="government − clawback."
    )
    net_collective_yuan = graphene.Decimal(
        name="netCollective", required=True, description="collective − clawback."
    )
    net_payable_yuan = graphene.Decimal(
        name="netPayable", required=True, description="netGovernment + netCollective."
    )
    drafted_on = graphene.Date(required=True)
    submitted_on = graphene.Date()
    verified_on = graphene.Date()
    returned_on = graphene.Date()
    return_reason = SettlementReturnReason()
    approved_on = graphene.Date()
    subsidy_received_on = graphene.Date()
    subsidy_received_yuan = graphene.Decimal(
        name="subsidyReceived", description="Yuan of government subsidy received."
    )
    paid_on = graphene.Date()
    paid_yuan = graphene.Decimal(
        name="paid", description="Yuan paid to the operator (negative: paid back)."
    )
    version = graphene.Int(required=True, description="The last event applied (its version).")
    updated_at = graphene.DateTime(required=True, description="When that event was recorded.")
    lines = graphene.NonNull(
        graphene.List(graphene.NonNull(MealSettlementLine)),
        description=f"By served month, category, slot and delivery (at most {MAX_LIST}).",
    )
    clawbacks = graphene.NonNull(
        graphene.List(graphene.NonNull(MealClawback)),
        description=f"Meals clawed back, by day (at most {MAX_LIST}).",
    )
    meal_point = graphene.Field(MealPoint)

    resolve_lines = related(LinesBySettlement, "id")

    resolve_clawbacks = related(ClawbacksBySettlement, "id")

    resolve_meal_point = related(MealPointById, "meal_point_id")


MealSettlementConnection = connection_type(
    MealSettlement, "A page of settlements, by month, village and meal point."
)
