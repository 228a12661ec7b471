# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The market: listing, the award, the written contract and the installments of the price."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.enums import PaymentChannel, WinnerKind
from api.land.mutations.subject import PARCEL, PARCEL_ID
from api.mutation import RECORDED, Authorized, CommandMutation
from domain.land.application import LandApplication
from domain.shared.values import Provenance


class ListParcel(CommandMutation):
    """Announce the parcel on an exchange by the plan's method. The plan must have been filed
    the minimum number of working days before (policy `land.filing_period_working_days_min`,
    holidays from `calendar.public_holidays`)."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        exchange = graphene.String(required=True, description="The public-resources exchange.")
        listing_no = graphene.String(required=True)
        listed_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        exchange: str,
        listing_no: str,
        listed_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.list_parcel(parcel, exchange, listing_no, listed_on, by)

        return await ListParcel.act(info, authority, parcel_id, command)


class AwardParcel(CommandMutation):
    """Record the winner and the winning price (成交价): never below the plan's reserve price."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        winner_name = graphene.String(required=True)
        winner_kind = WinnerKind(required=True)
        price_yuan = graphene.Decimal(name="price", required=True, description="Yuan.")
        awarded_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        winner_name: str,
        winner_kind: str,
        price_yuan: Decimal,
        awarded_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.award(parcel, winner_name, winner_kind, price_yuan, awarded_on, by)

        return await AwardParcel.act(info, authority, parcel_id, command)


class SignParcelContract(CommandMutation):
    """Sign the written contract with the winner, for the awarded price and the plan's term from
    `termStartOn`. The price then waits in 241 专项应付款 as earmarked proceeds."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        contract_no = graphene.String(required=True)
        signed_on = graphene.Date(required=True)
        term_start_on = graphene.Date(required=True, description="The term's first day.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        contract_no: str,
        signed_on: date,
        term_start_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.sign_contract(parcel, contract_no, signed_on, term_start_on, by)

        return await SignParcelContract.act(info, authority, parcel_id, command)


class ReceiveInstallment(CommandMutation):
    """Record part of the contract price received; never more than is outstanding."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    recorded = graphene.Boolean(description=RECORDED)

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        receipt_no = graphene.String(required=True, description="Unique per parcel.")
        amount_yuan = graphene.Decimal(name="amount", required=True, description="Yuan.")
        received_on = graphene.Date(required=True)
        channel = PaymentChannel(default_value="bank")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        receipt_no: str,
        amount_yuan: Decimal,
        received_on: date,
        channel: str = "bank",
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, target: UUID, by: Provenance) -> bool:
            return app.receive_installment(
                target, receipt_no, amount_yuan, received_on, by, channel
            )

        return await ReceiveInstallment.act_recorded(info, authority, parcel_id, command)
