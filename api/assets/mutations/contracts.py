# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Contracts: signing, renewing, terminating; and disposal of the asset."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.assets.inputs import (
    ContractInput,
    InstallmentInput,
    installments,
)
from api.assets.inputs import contract as contract_input
from api.assets.mutations.subject import ASSET, ASSET_ID
from api.enums import TerminationReason
from api.mutation import Authorized, CommandMutation
from api.resolution import ResolutionInput, resolution_dict
from domain.assets.application import AssetApplication
from domain.shared.values import Provenance


class SignAssetContract(CommandMutation):
    """Sign a contract approved by a resolution. A lease may not exceed 20 years; a deal at or
    above the public-bidding threshold in force must have gone through the exchange."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        contract = ContractInput(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        contract: Any,
        authority: str | None = None,
    ) -> Any:
        signed = contract_input(contract)

        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.sign_contract(asset, signed, by)

        return await SignAssetContract.act(info, authority, asset_id, command)


class RenewAssetContract(CommandMutation):
    """Extend the contract in force. Needs a new resolution (two thirds of all members for a
    lease); a lease renewal is again at most 20 years from the day after the old end."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        new_end_on = graphene.Date(required=True)
        resolution = ResolutionInput(required=True)
        renewed_on = graphene.Date(required=True)
        additional_schedule = graphene.List(
            graphene.NonNull(InstallmentInput),
            default_value=[],
            description="Rent for the extension (at most 240 items).",
        )

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        new_end_on: date,
        resolution: Any,
        renewed_on: date,
        additional_schedule: Any = (),
        authority: str | None = None,
    ) -> Any:
        schedule = installments(additional_schedule)

        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.renew_contract(
                asset,
                new_end_on,
                resolution_dict(resolution),
                renewed_on,
                by,
                additional_schedule=schedule,
            )

        return await RenewAssetContract.act(info, authority, asset_id, command)


class TerminateAssetContract(CommandMutation):
    """End the contract in force early; income for the days after its last day is reversed."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        terminated_on = graphene.Date(required=True, description="The contract's last day.")
        reason = TerminationReason(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        terminated_on: date,
        reason: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.terminate_contract(asset, terminated_on, reason, by)

        return await TerminateAssetContract.act(info, authority, asset_id, command)


class DisposeAsset(CommandMutation):
    """Sell or otherwise dispose of the asset: needs a two-thirds resolution for `disposal`;
    homesteads and other kinds marked so may never be sold."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        disposed_on = graphene.Date(required=True)
        proceeds_yuan = graphene.Decimal(name="proceeds", required=True, description="Yuan.")
        counterparty_name = graphene.String(required=True)
        public_bidding = graphene.Boolean(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        disposed_on: date,
        proceeds_yuan: Decimal,
        counterparty_name: str,
        public_bidding: bool,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.dispose(
                asset,
                disposed_on,
                proceeds_yuan,
                counterparty_name,
                public_bidding,
                by,
            )

        return await DisposeAsset.act(info, authority, asset_id, command)
