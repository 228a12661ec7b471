# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the places context."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.common import MAX_LIST, Row, load, read
from api.places.loaders import (
    DistrictByCode,
    TownByCode,
    VillageByCode,
    VillagesByTown,
    all_districts,
    all_towns,
    all_villages,
)
from api.places.types import District, Town, Village


class PlacesQuery(graphene.ObjectType):
    district = graphene.Field(
        District,
        code=graphene.String(description="6-digit code; omitted: the registry's first district."),
        description="A district, or null when none is registered under that code.",
    )
    towns = graphene.NonNull(
        graphene.List(graphene.NonNull(Town)),
        description=f"Every town and street, by code (at most {MAX_LIST}).",
    )
    town = graphene.Field(
        Town, code=graphene.String(required=True), description="A town by its 9-digit code."
    )
    villages = graphene.NonNull(
        graphene.List(graphene.NonNull(Village)),
        town_code=graphene.String(description="Only the villages of this town."),
        description=f"Villages by code (at most {MAX_LIST}).",
    )
    village = graphene.Field(
        Village, code=graphene.String(required=True), description="A village by its 12-digit code."
    )

    @staticmethod
    async def resolve_district(
        root: None, info: GraphQLResolveInfo, code: str | None = None
    ) -> Row | None:
        if code is None:
            first = read(info, all_districts)
            return first[0] if first else None
        return await load(info, DistrictByCode, code)  # type: ignore[no-any-return]

    @staticmethod
    def resolve_towns(root: None, info: GraphQLResolveInfo) -> list[Row]:
        return read(info, all_towns)

    @staticmethod
    def resolve_town(root: None, info: GraphQLResolveInfo, code: str) -> Any:
        return load(info, TownByCode, code)

    @staticmethod
    def resolve_villages(root: None, info: GraphQLResolveInfo, town_code: str | None = None) -> Any:
        if town_code is None:
            return read(info, all_villages)
        return load(info, VillagesByTown, town_code)

    @staticmethod
    def resolve_village(root: None, info: GraphQLResolveInfo, code: str) -> Any:
        return load(info, VillageByCode, code)
