# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""After the contract: the adjustment fund (调节金), the use right, and the distribution of the
net proceeds to the collective's retained funds and to its members."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.enums import PaymentChannel
from api.land.mutations.subject import PARCEL, PARCEL_ID
from api.mutation import RECORDED, Authorized, CommandMutation
from api.resolution import ResolutionInput, resolution_dict
from domain.land.application import LandApplication
from domain.shared.values import Provenance


class AssessLevy(CommandMutation):
    """Assess the land value-added income adjustment fund with the `land.adjustment_fund`
    policy in force for the parcel's place on the contract date (the rate for its planned use
    when one is set). The base, rate and policy version applied are recorded."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        notice_no = graphene.String(required=True, description="The assessment notice.")
        assessed_on = graphene.Date(required=True)
        deductible_cost_yuan = graphene.Decimal(
            name="deductibleCost",
            default_value=Decimal("0"),
            description="Yuan of costs of obtaining and developing the land, deducted when the "
            "base is the value-added income (refused when it is the gross price).",
        )

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        notice_no: str,
        assessed_on: date,
        deductible_cost_yuan: Decimal = Decimal("0"),
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.assess_levy(parcel, notice_no, assessed_on, by, deductible_cost_yuan)

        return await AssessLevy.act(info, authority, parcel_id, command)


class PayLevy(CommandMutation):
    """Pay the assessed adjustment fund in full (the amount comes from the assessment)."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        receipt_no = graphene.String(required=True, description="The payment voucher.")
        paid_on = graphene.Date(required=True)
        channel = PaymentChannel(default_value="bank")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        receipt_no: str,
        paid_on: date,
        channel: str = "bank",
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.pay_levy(parcel, receipt_no, paid_on, by, channel)

        return await PayLevy.act(info, authority, parcel_id, command)


class RegisterUseRight(CommandMutation):
    """Register the use right to the winner (不动产登记): only once the whole price is received."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        certificate_no = graphene.String(required=True)
        registered_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        certificate_no: str,
        registered_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.register_use_right(parcel, certificate_no, registered_on, by)

        return await RegisterUseRight.act(info, authority, parcel_id, command)


class ProposeDistribution(CommandMutation):
    """Propose distributing part or all of the net proceeds (received less the adjustment
    fund), split by the plan's retained share; may be revised until approved."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        amount_yuan = graphene.Decimal(
            name="amount", required=True, description="Yuan to distribute."
        )
        proposed_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        amount_yuan: Decimal,
        proposed_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.propose_distribution(parcel, amount_yuan, proposed_on, by)

        return await ProposeDistribution.act(info, authority, parcel_id, command)


class ApproveDistribution(CommandMutation):
    """The collective approves the proposed distribution (two thirds of ALL members or
    representatives). The retained share goes to 311 公积公益金, the members' to 211 应付款."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        resolution = ResolutionInput(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        resolution: Any,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.approve_distribution(parcel, resolution_dict(resolution), by)

        return await ApproveDistribution.act(info, authority, parcel_id, command)


class DiscloseDistribution(CommandMutation):
    """Disclose the approved distribution to the villagers (村务公开): members are paid only
    after it."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        disclosed_on = graphene.Date(required=True)
        reference = graphene.String(required=True, description="The notice, e.g. board and issue.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        disclosed_on: date,
        reference: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.disclose_distribution(parcel, disclosed_on, reference, by)

        return await DiscloseDistribution.act(info, authority, parcel_id, command)


class PayMembers(CommandMutation):
    """Pay a batch of members from their approved share; batches never add up to more."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    recorded = graphene.Boolean(description=RECORDED)

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        batch_no = graphene.String(required=True, description="Unique per parcel.")
        amount_yuan = graphene.Decimal(
            name="amount", required=True, description="Yuan paid in this batch."
        )
        members_count = graphene.Int(required=True, description="Members paid in this batch.")
        paid_on = graphene.Date(required=True)
        channel = PaymentChannel(default_value="bank")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        batch_no: str,
        amount_yuan: Decimal,
        members_count: int,
        paid_on: date,
        channel: str = "bank",
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, target: UUID, by: Provenance) -> bool:
            return app.pay_members(
                target, batch_no, amount_yuan, members_count, paid_on, by, channel
            )

        return await PayMembers.act_recorded(info, authority, parcel_id, command)
