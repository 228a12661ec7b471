# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the land context: the parcel register, one parcel, the district's view, and
the land policies in force for a parcel on a day."""

from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import (
    READ_DISTRICT_VIEWS,
    READ_RECORDS,
    Owner,
    PermittedField,
)
from api.common import Row, context_of, load, parse_id, read
from api.enums import ParcelStage
from api.land.loaders import ParcelById, ParcelFilter, parcel_page
from api.land.types import LandDistrictView, Parcel, ParcelConnection
from api.pagination import connection_field, page_request, scope_of
from api.places.loaders import DistrictByCode
from api.policy.types import PolicyInForce
from domain.land.errors import ParcelNotFound
from domain.land.policy_keys import LAND_KEYS
from domain.policy.application import PolicyInForce as PolicyInForceRow
from domain.shared.errors import InvalidInput, PolicyNotInForce
from projections.land import queries
from projections.land.queries import DistrictLandView, ParcelRecord

# The policies land commands look up: every ``land.*`` key, and the calendar the filing period
# is counted on.
LAND_POLICY_KEYS = tuple(key.name for key in LAND_KEYS)


class LandQuery(graphene.ObjectType):
    parcels = connection_field(
        ParcelConnection,
        "The parcel register by village and parcel code.",
        permission=READ_RECORDS.of("village_code")
        .of("town_code", Owner.TOWN)
        .of("district_code", Owner.DISTRICT),
        district_code=graphene.String(description="Only this district's parcels."),
        town_code=graphene.String(description="Only this town's parcels."),
        village_code=graphene.String(description="Only this village's parcels."),
        stage=ParcelStage(description="Only parcels at this stage."),
    )
    parcel = PermittedField(
        Parcel,
        permission=READ_RECORDS.of("id", Owner.PARCEL),
        id=graphene.ID(required=True),
        description="A parcel by id, or null when none has that id.",
    )
    land_district_view = PermittedField(
        graphene.NonNull(LandDistrictView),
        permission=READ_DISTRICT_VIEWS,
        district_code=graphene.String(required=True, description="6-digit district code."),
        description="Parcels by stage and contracted proceeds by town.",
    )
    parcel_policies = PermittedField(
        graphene.NonNull(graphene.List(graphene.NonNull(PolicyInForce))),
        permission=READ_RECORDS.of("parcel_id", Owner.PARCEL),
        parcel_id=graphene.ID(required=True),
        on=graphene.Date(required=True),
        description="Every land policy in force for the parcel's village on a day (the most "
        f"specific jurisdiction wins), by key: {', '.join(LAND_POLICY_KEYS)}. A key with no "
        "value in force is left out.",
    )

    @staticmethod
    def resolve_parcels(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        district_code: str | None = None,
        town_code: str | None = None,
        village_code: str | None = None,
        stage: str | None = None,
    ) -> Row:
        request, scope = page_request(first, after), scope_of(info)
        where = ParcelFilter(district_code, town_code, village_code, stage)
        return read(info, lambda conn: parcel_page(conn, where, request, scope))

    @staticmethod
    def resolve_parcel(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, ParcelById, str(parse_id(id, "id")))

    @staticmethod
    async def resolve_land_district_view(
        root: None, info: GraphQLResolveInfo, district_code: str
    ) -> DistrictLandView:
        if await load(info, DistrictByCode, district_code) is None:
            message = f"no district {district_code!r} is registered"
            raise InvalidInput(message, field="district_code")
        return read(info, lambda conn: queries.district_view(conn, district_code))

    @staticmethod
    async def resolve_parcel_policies(
        root: None, info: GraphQLResolveInfo, parcel_id: str, on: date
    ) -> list[PolicyInForceRow]:
        key = str(parse_id(parcel_id, "parcelId"))
        parcel: ParcelRecord | None = await load(info, ParcelById, key)
        if parcel is None:
            raise ParcelNotFound(f"no parcel {parcel_id}", field="parcel_id")
        policies = context_of(info).registry.policies
        found = []
        for policy_key in LAND_POLICY_KEYS:
            try:
                found.append(policies.in_force(policy_key, parcel.village_code, on))
            except PolicyNotInForce:
                continue
        return found
