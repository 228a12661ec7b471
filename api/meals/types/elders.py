# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Elders enrolled for meal assistance. Their name and ID number are masked unless the caller
may see personal data: the decision is api/meals/privacy.py's alone."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.common import MAX_LIST, Row, context_of, load, related
from api.enums import ElderStatus, MealCategory
from api.meals import privacy
from api.meals.loaders import CategoriesByElder, ElderIdNumberById
from api.pagination import connection_type
from api.places.loaders import VillageByCode
from api.places.types import Village


class ElderCategory(graphene.ObjectType):
    """An eligibility category the elder holds, with its validity window."""

    category = MealCategory(required=True)
    name_zh = graphene.String(required=True, description="e.g. 低保, 特困, 80周岁以上")
    valid_from = graphene.Date(required=True)
    valid_to = graphene.Date(description="Last day; null while it lasts.")


class Elder(graphene.ObjectType):
    """An elder enrolled for meal assistance. The id is random: nothing about it reveals the
    person. Name and ID number are masked unless the caller may see personal data, and null
    for everyone once the personal data was erased."""

    village_key = "village_code"  # its objects belong to this village (api/auth/middleware.py)

    id = graphene.ID(required=True, description="The elder's pseudonymous id.")
    village_code = graphene.String(required=True)
    name = graphene.String(
        description="Masked to its first character (王*) but for an auditor of its village; "
        "null once erased."
    )
    id_number = graphene.String(
        description="The resident ID number, masked but for its first four and last two "
        "characters (3201************34); null once erased."
    )
    personal_data_erased = graphene.Boolean(required=True)
    status = ElderStatus(required=True)
    enrolled_on = graphene.Date(required=True)
    suspended_from = graphene.Date(description="Start of the suspension in force, if any.")
    moved_away_on = graphene.Date()
    died_on = graphene.Date()
    died_reported_on = graphene.Date(description="When the registry learnt of the death.")
    categories = graphene.NonNull(
        graphene.List(graphene.NonNull(ElderCategory)),
        description=f"Categories held, by start (at most {MAX_LIST}).",
    )
    village = graphene.Field(Village)

    # Personal data: who may read it in clear is decided by api/meals/privacy.py alone.
    @staticmethod
    def resolve_name(root: Row, info: GraphQLResolveInfo) -> str | None:
        name: str | None = root["name"]
        if name is None:
            return None
        context = context_of(info)
        if privacy.may_see_personal_data(context, root["village_code"]):
            privacy.note_read(context, root["id"], "name")
            return name
        return privacy.masked_name(name)

    @staticmethod
    def resolve_id_number(root: Row, info: GraphQLResolveInfo) -> Any:
        if root["id_number_masked"] is None:
            return None
        context = context_of(info)
        if privacy.may_see_personal_data(context, root["village_code"]):
            privacy.note_read(context, root["id"], "id_number")
            return load(info, ElderIdNumberById, root["id"])
        return root["id_number_masked"]

    resolve_categories = related(CategoriesByElder, "id")

    resolve_village = related(VillageByCode, "village_code")


ElderConnection = connection_type(Elder, "A page of elders, by village and enrolment.")
