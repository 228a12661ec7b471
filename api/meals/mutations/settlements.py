# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""A meal point's monthly settlement: drafted → submitted → verified → approved → paid, with
the government subsidy received between approval and payment; returned → redrafted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.enums import PaymentChannel, SettlementReturnReason
from api.meals.mutations.subjects import MEAL_POINT, MEAL_POINT_ID, SETTLEMENT, SETTLEMENT_ID
from api.mutation import Authorized, CommandMutation
from domain.meals.application import MealsApplication
from domain.meals.model.settlement import MealSettlement as MealSettlementAggregate
from domain.shared.values import Provenance


class DraftSettlement(CommandMutation):
    """Draft (or, while drafted or returned, redraft) a month's claim of a meal point: every
    standing meal served up to the month's end that no other settlement claims, and clawbacks
    of voided meals an earlier settlement paid. Only after the month's last day."""

    class Meta:
        subject = SETTLEMENT
        permission = MEAL_POINT.writes
        creates = MealSettlementAggregate

    class Arguments(Authorized):
        meal_point_id = graphene.ID(required=True, description=MEAL_POINT_ID)
        month = graphene.String(required=True, description="e.g. 2026-07")
        drafted_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        meal_point_id: str,
        month: str,
        drafted_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, by: Provenance) -> UUID:
            point = MEAL_POINT.target(meal_point_id)
            return app.draft_settlement(point, month, drafted_on, by)

        return await DraftSettlement.run(info, authority, command)


class SubmitSettlement(CommandMutation):
    """Submit a drafted settlement to the civil-affairs office."""

    class Meta:
        subject = SETTLEMENT
        permission = SETTLEMENT.writes

    class Arguments(Authorized):
        settlement_id = graphene.ID(required=True, description=SETTLEMENT_ID)
        submitted_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        settlement_id: str,
        submitted_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, settlement: UUID, by: Provenance) -> None:
            app.submit_settlement(settlement, submitted_on, by)

        return await SubmitSettlement.act(info, authority, settlement_id, command)


class VerifySettlement(CommandMutation):
    """The civil-affairs office verified the claim; every claimed meal is re-read first
    (`settlement_basis_changed` when one was voided since drafting)."""

    class Meta:
        subject = SETTLEMENT
        permission = SETTLEMENT.writes

    class Arguments(Authorized):
        settlement_id = graphene.ID(required=True, description=SETTLEMENT_ID)
        verified_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        settlement_id: str,
        verified_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, settlement: UUID, by: Provenance) -> None:
            app.verify_settlement(settlement, verified_on, by)

        return await VerifySettlement.act(info, authority, settlement_id, command)


class ReturnSettlement(CommandMutation):
    """Send a submitted or verified settlement back for correction; redraft it next."""

    class Meta:
        subject = SETTLEMENT
        permission = SETTLEMENT.writes

    class Arguments(Authorized):
        settlement_id = graphene.ID(required=True, description=SETTLEMENT_ID)
        returned_on = graphene.Date(required=True)
        reason = SettlementReturnReason(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        settlement_id: str,
        returned_on: date,
        reason: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, settlement: UUID, by: Provenance) -> None:
            app.return_settlement(settlement, returned_on, reason, by)

        return await ReturnSettlement.act(info, authority, settlement_id, command)


class ApproveSettlement(CommandMutation):
    """The collective approves a verified claim; the books take it from here (docs/postings.md)."""

    class Meta:
        subject = SETTLEMENT
        permission = SETTLEMENT.writes

    class Arguments(Authorized):
        settlement_id = graphene.ID(required=True, description=SETTLEMENT_ID)
        approved_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        settlement_id: str,
        approved_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, settlement: UUID, by: Provenance) -> None:
            app.approve_settlement(settlement, approved_on, by)

        return await ApproveSettlement.act(info, authority, settlement_id, command)


class RecordSubsidyReceived(CommandMutation):
    """The government's subsidy for an approved claim arrived: exactly its net government
    amount (`subsidy_received_differs_from_claim` otherwise)."""

    class Meta:
        subject = SETTLEMENT
        permission = SETTLEMENT.writes

    class Arguments(Authorized):
        settlement_id = graphene.ID(required=True, description=SETTLEMENT_ID)
        amount_yuan = graphene.Decimal(
            name="amount", required=True, description="Yuan (negative: paid back)."
        )
        received_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        settlement_id: str,
        amount_yuan: Decimal,
        received_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, settlement: UUID, by: Provenance) -> None:
            app.record_subsidy_received(settlement, amount_yuan, received_on, by)

        return await RecordSubsidyReceived.act(info, authority, settlement_id, command)


class PaySettlement(CommandMutation):
    """Pay the operator the net amount of an approved claim (subsidy + top-up − clawbacks)."""

    class Meta:
        subject = SETTLEMENT
        permission = SETTLEMENT.writes

    class Arguments(Authorized):
        settlement_id = graphene.ID(required=True, description=SETTLEMENT_ID)
        paid_on = graphene.Date(required=True)
        channel = PaymentChannel(default_value="bank")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        settlement_id: str,
        paid_on: date,
        channel: str = "bank",
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, settlement: UUID, by: Provenance) -> None:
            app.pay_settlement(settlement, paid_on, by, channel)

        return await PaySettlement.act(info, authority, settlement_id, command)
