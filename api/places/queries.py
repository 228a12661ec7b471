# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the places context."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import READ_PLACES, Owner, PermittedField
from api.common import Row, load, read
from api.pagination import connection_field, page_request, scope_of
from api.places.loaders import (
    DistrictByCode,
    TownByCode,
    VillageByCode,
    first_district,
    town_page,
    village_page,
)
from api.places.types import District, Town, TownConnection, Village, VillageConnection


class PlacesQuery(graphene.ObjectType):
    district = PermittedField(
        District,
        permission=READ_PLACES.of("code", Owner.DISTRICT),
        code=graphene.String(description="6-digit code; omitted: the registry's first district."),
        description="A district, or null when none is registered under that code.",
    )
    towns = connection_field(
        TownConnection,
        "Towns and streets by code (for a token limited to villages: the towns of its villages).",
        permission=READ_PLACES.of("district_code", Owner.DISTRICT),
        district_code=graphene.String(description="Only this district's towns."),
    )
    town = PermittedField(
        Town,
        permission=READ_PLACES.of("code", Owner.TOWN),
        code=graphene.String(required=True),
        description="A town by its 9-digit code.",
    )
    villages = connection_field(
        VillageConnection,
        "Villages by code (for a token limited to villages: its villages).",
        permission=READ_PLACES.of("town_code", Owner.TOWN),
        town_code=graphene.String(description="Only the villages of this town."),
    )
    village = PermittedField(
        Village,
        permission=READ_PLACES.of("code"),
        code=graphene.String(required=True),
        description="A village by its 12-digit code.",
    )

    @staticmethod
    async def resolve_district(
        root: None, info: GraphQLResolveInfo, code: str | None = None
    ) -> Row | None:
        if code is None:
            return read(info, first_district)
        return await load(info, DistrictByCode, code)  # type: ignore[no-any-return]

    @staticmethod
    def resolve_towns(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        district_code: str | None = None,
    ) -> Row:
        request, scope = page_request(first, after), scope_of(info)
        return read(info, lambda conn: town_page(conn, district_code, request, scope))

    @staticmethod
    def resolve_town(root: None, info: GraphQLResolveInfo, code: str) -> Any:
        return load(info, TownByCode, code)

    @staticmethod
    def resolve_villages(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        town_code: str | None = None,
    ) -> Row:
        request, scope = page_request(first, after), scope_of(info)
        return read(info, lambda conn: village_page(conn, town_code, request, scope))

    @staticmethod
    def resolve_village(root: None, info: GraphQLResolveInfo, code: str) -> Any:
        return load(info, VillageByCode, code)
