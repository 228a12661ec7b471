# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Collective operating construction land entering the market (入市): parcels, their proceeds
ledger and payments, and the district's view. Objects are the land projection's own records
(projections/land/queries.py); money fields drop the ``_yuan`` of their source: always yuan."""

from __future__ import annotations

from collections.abc import Awaitable
from decimal import Decimal
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.common import load
from api.enums import (
    EntryWay,
    LandClass,
    LevyBase,
    ListingMethod,
    MeetingKind,
    ParcelPaymentKind,
    ParcelStage,
    PaymentChannel,
    PlannedUse,
    WinnerKind,
)
from api.land.loaders import PaymentPagesByParcel, ProceedsByParcel
from api.pagination import connection_field, connection_type, load_page
from api.places.loaders import VillageByCode
from api.places.types import Village
from projections.land.queries import ParcelRecord, Proceeds

MONEY = "Yuan, to the fen."


def yuan_field(name: str, description: str, required: bool = False) -> graphene.Decimal:
    """Money, named ``name`` in the schema: the attribute holding it is its domain name
    (``price_yuan``, read from the projections' records as they carry it)."""
    return graphene.Decimal(required=required, name=name, description=description)


class ParcelPayment(graphene.ObjectType):
    """Money in or out behind a parcel's proceeds ledger."""

    kind = ParcelPaymentKind(required=True)
    reference = graphene.String(required=True, description="The receipt or batch number.")
    amount_yuan = yuan_field("amount", MONEY, required=True)
    paid_on = graphene.Date(required=True)
    channel = PaymentChannel(required=True)
    members_count = graphene.Int(description="Members paid by a members batch.")


class ParcelProceeds(graphene.ObjectType):
    """The proceeds ledger of a contracted parcel, from the contract price to the members.
    It reconciles: received = levyAssessed + retained + membersShare + undistributed, and
    contractPrice = received + outstanding."""

    contract_price_yuan = yuan_field("contractPrice", MONEY, required=True)
    received_yuan = yuan_field(
        "received",
        "Yuan of the price received (for a capital contribution, the equity at signing).",
        required=True,
    )
    receivable_yuan = yuan_field(
        "outstanding", "Yuan of the price still owed: contractPrice − received.", True
    )
    levy_base_kind = LevyBase(description="Once assessed.")
    levy_base_yuan = yuan_field("levyBase", "Yuan the adjustment-fund rate applied to.")
    levy_rate = graphene.Decimal(description="The adjustment-fund rate applied, e.g. 0.20.")
    levy_policy_jurisdiction = graphene.String(
        description="Whose `land.adjustment_fund` version applied (CN or a place code)."
    )
    levy_policy_effective_from = graphene.Date(description="That version's first day.")
    levy_assessed_yuan = yuan_field(
        "levyAssessed", "Yuan of adjustment fund (调节金) assessed.", True
    )
    levy_paid_yuan = yuan_field("levyPaid", "Yuan of adjustment fund paid.", True)
    levy_unpaid_yuan = yuan_field("levyUnpaid", "Yuan assessed and not yet paid.", True)
    distribution_yuan = yuan_field(
        "proposedDistribution",
        "Yuan of net proceeds proposed (then approved) for distribution.",
        True,
    )
    distributed = graphene.Decimal(
        required=True,
        description="Yuan distributed by an approved resolution: retained + membersShare.",
    )
    retained_yuan = yuan_field(
        "retained", "Yuan approved for the collective's retained funds (311).", True
    )
    members_share_yuan = yuan_field(
        "membersShare", "Yuan approved for the members (211 until paid).", True
    )
    members_paid_yuan = yuan_field("membersPaid", "Yuan paid to members so far.", True)
    members_unpaid_yuan = yuan_field("membersUnpaid", "membersShare − membersPaid.", True)
    undistributed_yuan = yuan_field(
        "undistributed",
        "Yuan received, neither levied nor distributed: received − levyAssessed − distributed.",
        True,
    )

    @staticmethod
    def resolve_distributed(root: Proceeds, info: GraphQLResolveInfo) -> Decimal:
        return root.retained_yuan + root.members_share_yuan


class Parcel(graphene.ObjectType):
    """A parcel of collective operating construction land and how far it has come on its way
    to the market (docs/rules.md L-01 to L-14). Fields of steps not reached yet are null."""

    village_key = "village_code"  # its objects belong to this village (api/auth/middleware.py)

    id = graphene.ID(
        required=True, source="parcel_id", description="The parcel's id (its history's id)."
    )
    village_code = graphene.String(required=True, description="The owning collective's village.")
    town_code = graphene.String(required=True)
    district_code = graphene.String(required=True)
    parcel_code = graphene.String(required=True, description="宗地代码, unique in the village.")
    area_m2 = graphene.Decimal(required=True, description="Area in square metres.")
    location = graphene.String(required=True)
    planned_use = PlannedUse(required=True, description="From the land-use plan.")
    land_class = LandClass(required=True)
    certificate_no = graphene.String(required=True, description="The land certificate.")
    registered_on = graphene.Date(required=True)
    stage = ParcelStage(required=True)
    planning_conditions_no = graphene.String(description="The planning conditions (规划条件).")
    planning_conditions_on = graphene.Date()
    way = EntryWay(description="The entry plan's way.")
    listing_method = ListingMethod(description="The entry plan's listing method.")
    reserve_price_yuan = yuan_field("reservePrice", "Yuan: the plan's reserve price (底价).")
    term_years = graphene.Int(description="The plan's use term.")
    term_years_max = graphene.Int(description="The maximum in force for the use on the plan date.")
    retained_share = graphene.Decimal(
        description="Part of the net proceeds the plan keeps in the retained funds (0–1)."
    )
    plan_drafted_on = graphene.Date()
    plan_resolution_reference = graphene.String(description="The resolution approving the plan.")
    plan_meeting_kind = MeetingKind()
    plan_votes_for = graphene.Int()
    plan_members_total = graphene.Int(description="All members of that meeting.")
    plan_approved_on = graphene.Date()
    filed_with = graphene.String(description="The government the plan was filed with (备案).")
    filing_no = graphene.String()
    plan_filed_on = graphene.Date()
    exchange = graphene.String(description="Where the parcel was listed.")
    listing_no = graphene.String()
    listed_on = graphene.Date()
    filing_working_days = graphene.Int(description="Working days between filing and listing.")
    winner_name = graphene.String()
    winner_kind = WinnerKind()
    awarded_on = graphene.Date()
    price_yuan = yuan_field("price", "Yuan: the winning price (成交价), the contract price.")
    contract_no = graphene.String()
    contract_signed_on = graphene.Date()
    term_start_on = graphene.Date()
    term_end_on = graphene.Date(description="The term's last day.")
    use_right_certificate_no = graphene.String()
    use_right_registered_on = graphene.Date()
    distribution_proposed_on = graphene.Date()
    distribution_resolution_reference = graphene.String()
    distribution_votes_for = graphene.Int()
    distribution_members_total = graphene.Int()
    distribution_approved_on = graphene.Date()
    distribution_disclosed_on = graphene.Date(description="Disclosed to villagers (村务公开).")
    disclosure_reference = graphene.String()
    distribution_paid_on = graphene.Date(description="When the members' share was paid in full.")
    version = graphene.Int(required=True, description="The last event applied (its version).")
    village = graphene.Field(Village, description="The owning collective's village.")
    proceeds = graphene.Field(
        ParcelProceeds, description="The proceeds ledger; null until the contract is signed."
    )
    payments = connection_field(
        "api.land.types.ParcelPaymentConnection",
        "Installments, levy and member batches, in the order recorded.",
    )

    @staticmethod
    def resolve_village(root: ParcelRecord, info: GraphQLResolveInfo) -> Awaitable[Any]:
        return load(info, VillageByCode, root.village_code)

    @staticmethod
    def resolve_proceeds(root: ParcelRecord, info: GraphQLResolveInfo) -> Awaitable[Any]:
        return load(info, ProceedsByParcel, root.parcel_id)

    @staticmethod
    def resolve_payments(
        root: ParcelRecord,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
    ) -> Awaitable[Any]:
        return load_page(info, PaymentPagesByParcel, root.parcel_id, first, after)


ParcelConnection = connection_type(Parcel, "A page of parcels, by village and parcel code.")
ParcelPaymentConnection = connection_type(ParcelPayment, "A page of payments, as recorded.")


class StageCount(graphene.ObjectType):
    stage = ParcelStage(required=True)
    parcels = graphene.Int(required=True, description="Parcels of the district at this stage.")


class TownLandProceeds(graphene.ObjectType):
    """The contracted parcels of one town, their proceeds summed."""

    town_code = graphene.String(required=True)
    town_name = graphene.String()
    parcels = graphene.Int(required=True, description="Contracted parcels.")
    contract_price_yuan = yuan_field("contractPrice", MONEY, required=True)
    received_yuan = yuan_field("received", MONEY, required=True)
    levy_assessed_yuan = yuan_field("levyAssessed", MONEY, required=True)
    levy_paid_yuan = yuan_field("levyPaid", MONEY, required=True)
    retained_yuan = yuan_field("retained", MONEY, required=True)
    members_paid_yuan = yuan_field("membersPaid", MONEY, required=True)


class LandDistrictView(graphene.ObjectType):
    """Land entry in a district at a glance."""

    district_code = graphene.String(required=True)
    stages = graphene.NonNull(
        graphene.List(graphene.NonNull(StageCount)),
        description="Every stage in lifecycle order, with how many parcels are at it.",
    )
    towns = graphene.NonNull(
        graphene.List(graphene.NonNull(TownLandProceeds)),
        description="Proceeds of contracted parcels by town, by town code.",
    )
