# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the assets context: the asset register."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.assets.loaders import AssetById, AssetFilter, asset_page
from api.assets.types import ASSET_STATUSES, Asset, AssetConnection
from api.auth.permissions import READ_RECORDS, Owner, PermittedField
from api.common import Row, load, parse_id, read
from api.pagination import connection_field, page_request, scope_of


class AssetsQuery(graphene.ObjectType):
    assets = connection_field(
        AssetConnection,
        "Registered assets by village and asset code.",
        permission=READ_RECORDS.of("village_code").of("town_code", Owner.TOWN),
        village_code=graphene.String(description="Only this village's assets."),
        town_code=graphene.String(description="Only the assets of this town's villages."),
        status=graphene.String(description=f"Only assets in this status: {ASSET_STATUSES}."),
        kind=graphene.String(
            description="Only assets of this category (a resource kind, e.g. farmhouse)."
        ),
    )
    asset = PermittedField(
        Asset,
        permission=READ_RECORDS.of("id", Owner.ASSET),
        id=graphene.ID(required=True),
        description="An asset by id, or null when none has that id.",
    )

    @staticmethod
    def resolve_assets(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        village_code: str | None = None,
        town_code: str | None = None,
        status: str | None = None,
        kind: str | None = None,
    ) -> Row:
        request, scope = page_request(first, after), scope_of(info)
        where = AssetFilter(village_code, town_code, status, kind)
        return read(info, lambda conn: asset_page(conn, where, request, scope))

    @staticmethod
    def resolve_asset(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, AssetById, str(parse_id(id, "id")))
