# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Places: the district, its towns and streets, its villages and their collectives."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.assets.loaders import AssetPagesByVillage
from api.auth.permissions import READ_RECORDS
from api.common import Row, related
from api.enums import TownKind
from api.land.loaders import ParcelPagesByVillage
from api.pagination import connection_field, connection_type, load_page
from api.places.loaders import (
    DistrictByCode,
    TownByCode,
    TownPagesByDistrict,
    VillagePagesByTown,
)


class Sourced:
    """Fields of a town or village that say how far its name and code can be trusted."""

    name_invented = graphene.Boolean(
        required=True, description="True for demo data whose name is not a real one."
    )
    code_invented = graphene.Boolean(
        required=True, description="True for demo data whose code is not a real one."
    )
    source = graphene.String(required=True, description="Where the name and code come from.")


class District(graphene.ObjectType):
    """A district (区) or county, e.g. Lishui District (溧水区) of Nanjing, code 320117."""

    code = graphene.String(required=True, description="6-digit statistical code.")
    name = graphene.String(required=True)
    city = graphene.String(required=True)
    province = graphene.String(required=True)
    towns = connection_field(
        "api.places.types.TownConnection",
        "Its towns and streets, by code (for a token limited to villages: the towns of its "
        "villages).",
    )

    @staticmethod
    def resolve_towns(
        root: Row, info: GraphQLResolveInfo, first: int | None = None, after: str | None = None
    ) -> Awaitable[Any]:
        return load_page(info, TownPagesByDistrict, root["code"], first, after)


class Town(Sourced, graphene.ObjectType):
    """A town (镇) or street (街道) of a district."""

    code = graphene.String(required=True, description="9 digits: district (6) + town (3).")
    district_code = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = TownKind(required=True)
    district = graphene.Field(District, description="The district the town belongs to.")
    villages = connection_field(
        "api.places.types.VillageConnection",
        "Its villages, by code (for a token limited to villages: those of its villages).",
    )

    resolve_district = related(DistrictByCode, "district_code")

    @staticmethod
    def resolve_villages(
        root: Row, info: GraphQLResolveInfo, first: int | None = None, after: str | None = None
    ) -> Awaitable[Any]:
        return load_page(info, VillagePagesByTown, root["code"], first, after)


class Village(Sourced, graphene.ObjectType):
    """An administrative village (行政村) and its collective economic organisation."""

    village_key = "code"  # its objects belong to this village (api/auth/middleware.py)

    code = graphene.String(
        required=True, description="12 digits: district (6) + town (3) + village (3)."
    )
    town_code = graphene.String(required=True)
    name = graphene.String(required=True)
    collective_name = graphene.String(
        required=True, description="The collective economic organisation, e.g. 股份经济合作社."
    )
    town = graphene.Field(Town, description="The town the village belongs to.")
    assets = connection_field(
        "api.assets.types.AssetConnection",
        "The collective's registered assets, by asset code.",
        permission=READ_RECORDS,
    )
    parcels = connection_field(
        "api.land.types.ParcelConnection",
        "The collective's parcels entering the market, by parcel code.",
        permission=READ_RECORDS,
    )

    resolve_town = related(TownByCode, "town_code")

    @staticmethod
    def resolve_assets(
        root: Row, info: GraphQLResolveInfo, first: int | None = None, after: str | None = None
    ) -> Awaitable[Any]:
        return load_page(info, AssetPagesByVillage, root["code"], first, after)

    @staticmethod
    def resolve_parcels(
        root: Row, info: GraphQLResolveInfo, first: int | None = None, after: str | None = None
    ) -> Awaitable[Any]:
        return load_page(info, ParcelPagesByVillage, root["code"], first, after)


TownConnection = connection_type(Town, "A page of towns and streets, by code.")
VillageConnection = connection_type(Village, "A page of villages, by code.")
