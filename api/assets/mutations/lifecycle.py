# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""From registration to listing: the asset, its rights, its value and the collective's decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.assets.mutations.subject import ASSET, ASSET_ID
from api.auth.permissions import WRITE_RECORDS
from api.enums import RevitalizationMatter
from api.mutation import Authorized, CommandMutation
from api.resolution import ResolutionInput, resolution_dict
from domain.assets.application import AssetApplication
from domain.assets.model import Asset
from domain.shared.values import Provenance


class RegisterAsset(CommandMutation):
    """Register an asset of a village collective. A retry with the same content is accepted
    and records nothing; the same asset code with other content is refused."""

    class Meta:
        subject = ASSET
        permission = WRITE_RECORDS.of("village_code")
        creates = Asset

    class Arguments(Authorized):
        village_code = graphene.String(required=True)
        asset_code = graphene.String(required=True, description="资产编号, unique in the village.")
        name = graphene.String(required=True)
        kind = graphene.String(
            required=True, description="A kind of the policy `assets.resource_kinds` in force."
        )
        area_m2 = graphene.Decimal(required=True)
        location = graphene.String(required=True)
        registered_on = graphene.Date(required=True)
        certificate_no = graphene.String()
        book_value_yuan = graphene.Decimal(
            name="bookValue", default_value=Decimal("0"), description="Yuan."
        )

    @staticmethod
    async def mutate(root: None, info: GraphQLResolveInfo, **args: Any) -> Any:
        authority = args.pop("authority", None)
        certificate_no = args.pop("certificate_no", None)

        def command(app: AssetApplication, by: Provenance) -> UUID:
            return app.register_asset(by=by, certificate_no=certificate_no, **args)

        return await RegisterAsset.run(info, authority, command)


class ConfirmAssetRights(CommandMutation):
    """Record the rights certificate (确权): needed before approval, listing or a contract."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        certificate_no = graphene.String(required=True)
        confirmed_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        certificate_no: str,
        confirmed_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.confirm_rights(asset, certificate_no, confirmed_on, by)

        return await ConfirmAssetRights.act(info, authority, asset_id, command)


class AppraiseAsset(CommandMutation):
    """Record an appraisal of the asset's value."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        appraised_value_yuan = graphene.Decimal(
            name="appraisedValue", required=True, description="Yuan."
        )
        appraiser = graphene.String(required=True)
        report_no = graphene.String(required=True)
        appraised_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        appraised_value_yuan: Decimal,
        appraiser: str,
        report_no: str,
        appraised_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.appraise(asset, appraised_value_yuan, appraiser, report_no, appraised_on, by)

        return await AppraiseAsset.act(info, authority, asset_id, command)


class ApproveRevitalization(CommandMutation):
    """Record the collective's approval of a use (matter). Lease and disposal need two thirds
    of ALL members or representatives (`approval_below_two_thirds_of_total`)."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        matter = RevitalizationMatter(required=True)
        resolution = ResolutionInput(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        matter: str,
        resolution: Any,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.approve_revitalization(asset, matter, resolution_dict(resolution), by)

        return await ApproveRevitalization.act(info, authority, asset_id, command)


class RecordRevitalizationRejection(CommandMutation):
    """Record that the meeting voted a proposed use down: kept as a fact, approving nothing."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        matter = RevitalizationMatter(required=True)
        resolution = ResolutionInput(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        matter: str,
        resolution: Any,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.record_rejection(asset, matter, resolution_dict(resolution), by)

        return await RecordRevitalizationRejection.act(info, authority, asset_id, command)


class ListAssetForBidding(CommandMutation):
    """List the asset on the rural property-rights exchange; needs an approved resolution."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        exchange = graphene.String(required=True)
        listing_no = graphene.String(required=True)
        listed_on = graphene.Date(required=True)
        reserve_price_yuan = graphene.Decimal(
            name="reservePrice", required=True, description="Yuan (底价)."
        )

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        exchange: str,
        listing_no: str,
        listed_on: date,
        reserve_price_yuan: Decimal,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.list_for_bidding(asset, exchange, listing_no, listed_on, reserve_price_yuan, by)

        return await ListAssetForBidding.act(info, authority, asset_id, command)
