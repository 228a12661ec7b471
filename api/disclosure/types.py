# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""A disclosure (村务公开) as GraphQL shows it: its figures as recorded, a person's name masked
for the platform and the public (a lessee who is a natural person as 王*, the finance group's
members not named), never an elder's name or ID number (the meal figures are totals)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from decimal import Decimal
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.public import is_public_or_platform
from api.common import Row, context_of, load, utc
from api.disclosure.loaders import DisclosureById
from api.enums import ContractMode, CounterpartyKind, EntryWay, vocabulary
from api.meals.privacy import masked_name
from domain.access.roles import Role
from domain.disclosure.vocabulary import PUBLISHED, STATE_NAMES_ZH, STATES
from projections.disclosure_verify import seal_root

DisclosureState = vocabulary(
    "DisclosureState",
    STATES,
    "Where a disclosure is: drafted → reviewed (approved by the finance group) | rejected "
    "(rebuilt or reviewed again) → published (fixed).",
    STATE_NAMES_ZH,
)
PERSON = "person"


def masked(info: GraphQLResolveInfo) -> bool:
    return is_public_or_platform(context_of(info).principal)


def visible(info: GraphQLResolveInfo, row: Row) -> bool:
    """The public reads published disclosures only; every other reader of the village reads
    its drafts too."""
    principal = context_of(info).principal
    return row["state"] == PUBLISHED or (
        principal is not None and principal.role is not Role.PUBLIC
    )


def figure(key: str) -> Any:
    def resolve(root: Row, info: GraphQLResolveInfo) -> Any:
        return root["figures"].get(key)

    return resolve


def decimal_of(key: str) -> Any:
    def resolve(root: Row, info: GraphQLResolveInfo) -> Decimal | None:
        value = root.get(key) if isinstance(root, dict) else None
        return None if value is None else Decimal(str(value))

    return resolve


def date_of(key: str) -> Any:
    """A day of the figures (stored as ISO text) as a Date."""

    def resolve(root: Row, info: GraphQLResolveInfo) -> date | None:
        value = root.get(key)
        return None if value is None else date.fromisoformat(str(value))

    return resolve


def money(description: str = "Yuan.") -> Any:
    return graphene.Decimal(required=True, description=description)


class IncomeOrExpense(graphene.ObjectType):
    """One line of the income statement (收益及收益分配表) fed by one account: its figure for the
    period (本月数 or 本季数), exactly as the statement gives it."""

    account_code = graphene.String(required=True, description="科目编码, e.g. 501.")
    account_name = graphene.String(required=True, description="科目名称.")
    line_name = graphene.String(
        required=True, description="The statement's line, e.g. 一、经营收入."
    )
    side = graphene.String(required=True, description="credit: income; debit: an expense.")
    amount = money()
    resolve_amount = decimal_of("amount")


class DisclosedLease(graphene.ObjectType):
    """A contract on a collective asset in force at any time in the period."""

    asset_code = graphene.String(required=True)
    asset_name = graphene.String(required=True)
    asset_kind = graphene.String(required=True)
    contract_no = graphene.String(required=True)
    kind = ContractMode(required=True)
    counterparty = graphene.String(
        required=True,
        description="The lessee; a natural person's name masked (王*) for the "
        "platform and the public.",
    )
    counterparty_kind = CounterpartyKind(required=True)
    term_start = graphene.Date(required=True)
    term_end = graphene.Date(required=True)
    terminated_on = graphene.Date()
    annual_rent = money("Yuan: the contract's value per year of its term.")
    received = money("Yuan received in the period.")
    arrears = money("Yuan due by the period's end and not received by then.")
    resolve_term_start = date_of("term_start")
    resolve_term_end = date_of("term_end")
    resolve_terminated_on = date_of("terminated_on")
    resolve_annual_rent = decimal_of("annual_rent")
    resolve_received = decimal_of("received")
    resolve_arrears = decimal_of("arrears")

    @staticmethod
    def resolve_counterparty(root: Row, info: GraphQLResolveInfo) -> str:
        name = str(root["counterparty"])
        if root.get("counterparty_kind") == PERSON and masked(info):
            return masked_name(name)
        return name


class DisclosedLandEntry(graphene.ObjectType):
    """A parcel of the village contracted (入市) by the period's end, with its proceeds."""

    parcel_code = graphene.String(required=True)
    contract_no = graphene.String()
    contract_signed_on = graphene.Date()
    way = EntryWay()
    term_years = graphene.Int()
    contract_price = money()
    levy_assessed = money("Yuan: the land value-added levy (调节金) assessed.")
    levy_paid = money()
    members_share = money()
    retained_share = money()
    resolve_contract_signed_on = date_of("contract_signed_on")
    resolve_contract_price = decimal_of("contract_price")
    resolve_levy_assessed = decimal_of("levy_assessed")
    resolve_levy_paid = decimal_of("levy_paid")
    resolve_members_share = decimal_of("members_share")
    resolve_retained_share = decimal_of("retained_share")


class DisclosedDistribution(graphene.ObjectType):
    """A land proceeds distribution approved or paid in the period."""

    parcel_code = graphene.String(required=True)
    resolution = graphene.String()
    approved_on = graphene.Date()
    paid_on = graphene.Date()
    amount = money()
    members_share = money()
    retained_share = money()
    members_paid = money()
    resolve_approved_on = date_of("approved_on")
    resolve_paid_on = date_of("paid_on")
    resolve_amount = decimal_of("amount")
    resolve_members_share = decimal_of("members_share")
    resolve_retained_share = decimal_of("retained_share")
    resolve_members_paid = decimal_of("members_paid")


class DisclosedMeals(graphene.ObjectType):
    """Meal assistance (老年助餐) at the village's meal points in the period, in totals only."""

    elders = graphene.Int(required=True, description="Distinct elders served.")
    meals = graphene.Int(required=True, description="Meals served (voided ones left out).")
    price = money()
    government = money("Yuan: the government's subsidy.")
    collective = money("Yuan: the collective's top-up.")
    co_payment = money("Yuan: the elders' own part.")
    resolve_price = decimal_of("price")
    resolve_government = decimal_of("government")
    resolve_collective = decimal_of("collective")
    resolve_co_payment = decimal_of("co_payment")


class DisclosureReview(graphene.ObjectType):
    """The democratic finance group's (民主理财小组) review of the current figures."""

    held_on = graphene.Date(required=True)
    approved = graphene.Boolean(required=True)
    opinion = graphene.String()
    member_count = graphene.Int(required=True)
    members = graphene.List(
        graphene.NonNull(graphene.String),
        description="Who reviewed; null for the platform and the public.",
    )

    @staticmethod
    def resolve_member_count(root: Row, info: GraphQLResolveInfo) -> int:
        return len(root["members"] or [])

    @staticmethod
    def resolve_members(root: Row, info: GraphQLResolveInfo) -> list[str] | None:
        return None if masked(info) else list(root["members"] or [])


class Disclosure(graphene.ObjectType):
    """A village's disclosure of its finances (村务公开) for a month or quarter: figures built
    from the read models at one position of the log (sealPosition, whose seal root is
    sealRoot), reviewed by the finance group, published; corrected by a new edition."""

    id = graphene.ID(required=True)
    village_code = graphene.String(required=True)
    village_name = graphene.String(required=True)
    period = graphene.String(required=True, description="YYYY-MM or YYYY-Qn.")
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True)
    edition = graphene.Int(required=True, description="1, or the correction's number.")
    state = DisclosureState(required=True)
    corrects = graphene.Field(lambda: Disclosure, description="The edition it corrects.")
    correction_reason = graphene.String()
    corrected_by = graphene.Field(lambda: Disclosure, description="The edition correcting it.")
    built_at = graphene.DateTime(required=True, description="When the figures were built.")
    seal_position = graphene.Int(
        required=True, description="The notification id the figures were built at."
    )
    seal_size = graphene.Int(required=True, description="The seal's tree size there.")
    seal_root = graphene.String(required=True, description="The seal's root there (hex).")
    seal_root_matches = graphene.Boolean(
        required=True,
        description="Whether the audit seal's root over its first sealSize events (the last "
        "being sealPosition) is sealRoot: the figures are anchored in the sealed log. The "
        "figures themselves are re-performed by `qianwan disclosure verify`.",
    )
    income_and_expenses = graphene.List(graphene.NonNull(IncomeOrExpense), required=True)
    total_income = money()
    total_expenses = money()
    net_income = money("Yuan: the period's 收益 (本月数 or 本季数 of 本年收益).")
    leases = graphene.List(graphene.NonNull(DisclosedLease), required=True)
    land_entries = graphene.List(graphene.NonNull(DisclosedLandEntry), required=True)
    distributions = graphene.List(graphene.NonNull(DisclosedDistribution), required=True)
    meals = graphene.Field(DisclosedMeals, required=True)
    review = graphene.Field(DisclosureReview, description="Null before a review.")
    published_on = graphene.Date()

    resolve_income_and_expenses = figure("income_and_expenses")
    resolve_leases = figure("leases")
    resolve_land_entries = figure("land_entries")
    resolve_distributions = figure("distributions")
    resolve_meals = figure("meals")
    resolve_seal_size = figure("seal_size")

    @staticmethod
    def resolve_total_income(root: Row, info: GraphQLResolveInfo) -> Decimal:
        return Decimal(root["figures"]["total_income"])

    @staticmethod
    def resolve_total_expenses(root: Row, info: GraphQLResolveInfo) -> Decimal:
        return Decimal(root["figures"]["total_expenses"])

    @staticmethod
    def resolve_net_income(root: Row, info: GraphQLResolveInfo) -> Decimal:
        return Decimal(root["figures"]["net_income"])

    @staticmethod
    def resolve_seal_root_matches(root: Row, info: GraphQLResolveInfo) -> bool:
        size = int(root["figures"].get("seal_size", 0))
        engine = context_of(info).registry.engine
        return seal_root(engine, size, int(root["seal_position"])) == str(root["seal_root"])

    @staticmethod
    def resolve_built_at(root: Row, info: GraphQLResolveInfo) -> Any:
        return utc(root["built_at"])

    @staticmethod
    def resolve_corrects(root: Row, info: GraphQLResolveInfo) -> Awaitable[Any] | None:
        return None if root["corrects"] is None else load(info, DisclosureById, root["corrects"])

    @staticmethod
    async def resolve_corrected_by(root: Row, info: GraphQLResolveInfo) -> Any:
        """The public sees a correction once it is published."""
        if root["corrected_by"] is None:
            return None
        found = await load(info, DisclosureById, root["corrected_by"])
        return None if found is None or not visible(info, found) else found

    @staticmethod
    def resolve_review(root: Row, info: GraphQLResolveInfo) -> Row | None:
        if root["held_on"] is None:
            return None
        return {
            "held_on": root["held_on"],
            "approved": root["approved"],
            "opinion": root["opinion"],
            "members": root["members"],
        }


class OverdueDisclosure(graphene.ObjectType):
    """A period whose disclosure was due and not published by its due day (docs/rules.md
    D-02): publishedOn null when not published by asOn."""

    village_code = graphene.String(required=True)
    village_name = graphene.String(required=True)
    period = graphene.String(required=True)
    period_end = graphene.Date(required=True)
    due_on = graphene.Date(required=True)
    published_on = graphene.Date()
    days_late = graphene.Int(required=True)
