# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Input objects of the land mutations, and their translation into the domain's inputs
(a resolution is api/resolution.py's ``ResolutionInput``, as for assets)."""

from __future__ import annotations

from typing import Any

import graphene

from api.enums import EntryWay, ListingMethod
from domain.land.inputs import EntryPlanInput as DomainEntryPlan


class EntryPlanInput(graphene.InputObjectType):
    """The entry plan (入市方案) the collective will vote on. The term may not exceed the maximum
    in force for the parcel's planned use; a private agreement only for the uses the policy
    `land.private_agreement_uses` allows."""

    way = EntryWay(required=True)
    listing_method = ListingMethod(required=True)
    reserve_price_yuan = graphene.Decimal(
        name="reservePrice", required=True, description="Yuan: the reserve price (底价)."
    )
    term_years = graphene.Int(required=True, description="The use term in whole years.")
    retained_share = graphene.Decimal(
        required=True,
        description="Part of the net proceeds kept in the collective's retained funds, 0–1 with "
        'at most four decimals (e.g. "0.30"); the members get the rest.',
    )
    drafted_on = graphene.Date(required=True)


def entry_plan(raw: Any) -> DomainEntryPlan:
    return DomainEntryPlan(
        way=raw.way,
        listing_method=raw.listing_method,
        reserve_price_yuan=raw.reserve_price_yuan,
        term_years=raw.term_years,
        retained_share=raw.retained_share,
        drafted_on=raw.drafted_on,
    )
