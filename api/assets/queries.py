# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the assets context: the asset register."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.assets.loaders import AssetById, find_assets
from api.assets.types import ASSET_STATUSES, Asset
from api.common import MAX_LIST, Row, load, parse_id, read


class AssetsQuery(graphene.ObjectType):
    assets = graphene.NonNull(
        graphene.List(graphene.NonNull(Asset)),
        village_code=graphene.String(description="Only this village's assets."),
        status=graphene.String(description=f"Only assets in this status: {ASSET_STATUSES}."),
        description=f"Registered assets by village and asset code (at most {MAX_LIST}).",
    )
    asset = graphene.Field(
        Asset,
        id=graphene.ID(required=True),
        description="An asset by id, or null when none has that id.",
    )

    @staticmethod
    def resolve_assets(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str | None = None,
        status: str | None = None,
    ) -> list[Row]:
        return read(info, lambda conn: find_assets(conn, village_code, status))

    @staticmethod
    def resolve_asset(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, AssetById, str(parse_id(id, "id")))
