# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of disclosures (村务公开): the published ones for anyone (the public pages
included), every edition for the readers of the village, and the overdue findings."""

from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import READ_PUBLISHED, READ_RECORDS, Owner, PermittedField
from api.common import Row, context_of, load, parse_id, read
from api.disclosure.loaders import DisclosureById
from api.disclosure.types import Disclosure, OverdueDisclosure
from domain.disclosure.vocabulary import PUBLISHED
from domain.shared.clock import business_date
from domain.shared.values import check_village_code
from projections.disclosure_findings import overdue_disclosures
from projections.disclosure_queries import disclosures_of


class DisclosureQuery(graphene.ObjectType):
    published_disclosures = PermittedField(
        graphene.NonNull(graphene.List(graphene.NonNull(Disclosure))),
        permission=READ_PUBLISHED,
        village_code=graphene.String(required=True),
        description="A village's published disclosures (村务公开), the newest period first: "
        "anyone may read them, the public included.",
    )
    published_disclosure = PermittedField(
        Disclosure,
        permission=READ_PUBLISHED,
        id=graphene.ID(required=True),
        description="A published disclosure by id; null unless published.",
    )
    disclosures = PermittedField(
        graphene.NonNull(graphene.List(graphene.NonNull(Disclosure))),
        permission=READ_RECORDS.of("village_code"),
        village_code=graphene.String(required=True),
        description="Every edition of a village's disclosures, drafts too, newest period first.",
    )
    disclosure = PermittedField(
        Disclosure,
        permission=READ_RECORDS.of("id", Owner.DISCLOSURE),
        id=graphene.ID(required=True),
        description="A disclosure by id, whatever its state; null when none has that id.",
    )
    overdue_disclosures = PermittedField(
        graphene.NonNull(graphene.List(graphene.NonNull(OverdueDisclosure))),
        permission=READ_RECORDS.of("place_code", Owner.PLACE),
        place_code=graphene.String(required=True, description="A village, town or district."),
        as_on=graphene.Date(description="Defaults to today in the registry's time zone."),
        description="Disclosures due by their schedule and not published by their due day "
        "(or published late), for the villages of a place (docs/rules.md D-02).",
    )

    @staticmethod
    def resolve_published_disclosures(
        root: None, info: GraphQLResolveInfo, village_code: str
    ) -> list[Row]:
        code = check_village_code(village_code)
        return read(info, lambda conn: disclosures_of(conn, code, published_only=True))

    @staticmethod
    async def resolve_published_disclosure(
        root: None, info: GraphQLResolveInfo, id: str
    ) -> Row | None:
        found: Row | None = await load(info, DisclosureById, str(parse_id(id, "id")))
        return found if found is not None and found["state"] == PUBLISHED else None

    @staticmethod
    def resolve_disclosures(root: None, info: GraphQLResolveInfo, village_code: str) -> list[Row]:
        code = check_village_code(village_code)
        return read(info, lambda conn: disclosures_of(conn, code))

    @staticmethod
    def resolve_disclosure(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, DisclosureById, str(parse_id(id, "id")))

    @staticmethod
    def resolve_overdue_disclosures(
        root: None, info: GraphQLResolveInfo, place_code: str, as_on: date | None = None
    ) -> list[Any]:
        day = business_date(as_on, "as_on") if as_on else context_of(info).registry.clock.today()
        return read(info, lambda conn: overdue_disclosures(conn, place_code, day))
