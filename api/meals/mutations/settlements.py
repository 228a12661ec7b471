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

from api.auth.permissions import WRITE_RECORDS, Owner
from api.enums import PaymentChannel, SettlementReturnReason
from api.meals.mutations.subjects import (
    MEAL_POINT,
    MEAL_POINT_ID,
    SETTLEMENT,
    SETTLEMENT_ID,
    meals,
)
from api.meals.types.settlements import SettlementDraftOutcome
from api.mutation import Authorized, CommandMutation, execute
from api.pagination import scope_of
from domain.meals.application import MealsApplication
from domain.meals.model.settlement import MealSettlement as MealSettlementAggregate
from domain.meals.settling_bulk import (
    DRAFTED,
    MAX_POINTS_PER_DRAFT,
    REDRAFTED,
    REFUSED,
    UNCHANGED,
)
from domain.meals.settling_bulk import DraftOutcome as DomainDraftOutcome
from domain.shared.errors import DomainError, InvalidInput
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


class DraftSettlements(CommandMutation):
    """Draft (or, while drafted or returned, redraft) the month's settlement of every meal
    point of a village, town or district that the caller may settle, in one command: each
    point's claim exactly as `draftSettlement` would make it, and each point's outcome on its
    own (`drafted`, `redrafted`, `unchanged` for the same claim drafted before, `refused` with
    a code: nothing recorded for that point). Only after the month's last day; name exactly one
    of `districtCode`, `townCode`, `villageCode`. Safe to repeat: a retry answers `unchanged`."""

    class Meta:
        permission = (
            WRITE_RECORDS.of("village_code")
            .of("town_code", Owner.TOWN)
            .of("district_code", Owner.DISTRICT)
        )

    outcomes = graphene.NonNull(
        graphene.List(graphene.NonNull(SettlementDraftOutcome)),
        description="One per meal point, by village and point code (empty when refused); at "
        f"most {MAX_POINTS_PER_DRAFT:,} meal points in one command.",
    )
    drafted_count = graphene.Int(description="Points drafted or redrafted now.")
    unchanged_count = graphene.Int(description="Points whose same claim was drafted before.")
    refused_count = graphene.Int(description="Points refused (each with its code).")

    class Arguments(Authorized):
        month = graphene.String(required=True, description="e.g. 2026-07")
        drafted_on = graphene.Date(required=True)
        district_code = graphene.String(description="Every meal point of this district.")
        town_code = graphene.String(description="Every meal point of this town's villages.")
        village_code = graphene.String(description="Every meal point of this village.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        month: str,
        drafted_on: date,
        district_code: str | None = None,
        town_code: str | None = None,
        village_code: str | None = None,
        authority: str | None = None,
    ) -> Any:
        named = {
            k: v
            for k, v in (
                ("district_code", district_code),
                ("town_code", town_code),
                ("village_code", village_code),
            )
            if v is not None
        }
        villages = scope_of(info)

        def command(app: MealsApplication, by: Provenance) -> list[DomainDraftOutcome]:
            if len(named) != 1:
                raise InvalidInput(
                    "name exactly one of districtCode, townCode and villageCode",
                    field=next(iter(named), "village_code"),
                )
            [(argument, place)] = named.items()
            try:
                return app.draft_settlements(place, month, drafted_on, by, villages)
            except DomainError as refusal:
                if refusal.field == "place_code":
                    refusal.field = argument
                raise

        result, errors = execute(info, authority, meals, command)
        if result is None:
            return DraftSettlements(outcomes=[], errors=errors)
        statuses = [o.status for o in result]
        return DraftSettlements(
            outcomes=[vars(o) for o in result],
            drafted_count=statuses.count(DRAFTED) + statuses.count(REDRAFTED),
            unchanged_count=statuses.count(UNCHANGED),
            refused_count=statuses.count(REFUSED),
            errors=[],
        )


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
