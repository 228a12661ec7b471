# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the assets context: the asset register."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.assets.loaders import (
    AssetById,
    AssetFilter,
    asset_page,
    district_codes,
    kind_registered,
)
from api.assets.types import Asset, AssetConnection
from api.auth.permissions import READ_RECORDS, Owner, PermittedField
from api.common import Row, context_of, load, parse_id, read
from api.enums import AssetStatus
from api.pagination import connection_field, page_request, scope_of
from domain.shared.values import NATIONAL


class AssetsQuery(graphene.ObjectType):
    assets = connection_field(
        AssetConnection,
        "Registered assets by village and asset code.",
        permission=READ_RECORDS.of("village_code").of("town_code", Owner.TOWN),
        village_code=graphene.String(description="Only this village's assets."),
        town_code=graphene.String(description="Only the assets of this town's villages."),
        status=AssetStatus(description="Only assets in this status."),
        kind=graphene.String(
            description="Only assets of this resource kind, a code of the policy "
            "`assets.resource_kinds` (e.g. idle_farmhouse); a kind no list ever named is "
            "refused (`resource_kind_unknown`)."
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
        if kind is not None:
            kind = known_kind(info, kind, village_code or town_code)
        where = AssetFilter(village_code, town_code, status, kind)
        return read(info, lambda conn: asset_page(conn, where, request, scope))

    @staticmethod
    def resolve_asset(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, AssetById, str(parse_id(id, "id")))


def known_kind(info: GraphQLResolveInfo, kind: str, place_code: str | None) -> str:
    """A kind filter must name a kind the registry knows: that of a registered asset, or one a
    list of resource kinds for the place asked about (without one: for each district) ever
    named. The list is a policy a district revises, so the schema cannot make it an enum."""
    if read(info, lambda conn: kind_registered(conn, kind)):
        return kind
    places = [place_code] if place_code else [*read(info, district_codes), NATIONAL]
    return context_of(info).registry.assets.check_kind_known(kind, places)
