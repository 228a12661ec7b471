# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The district's monthly summary: income, land proceeds and meals, as sums kept up to date."""

from __future__ import annotations

from decimal import Decimal

import graphene
from graphql import GraphQLResolveInfo

from api.enums import MealCategory
from domain.shared.errors import DomainError
from projections.summary_queries import DistrictMonth, MealLine
from projections.summary_queries import MealTotals as MealTotalsRow
from projections.summary_queries import TownIncome as TownIncomeRow

MONEY = "Yuan, to the fen."
# What the summary's lists may hold, so that a query's cost can be estimated before it runs
# (api/list_bounds.py): a district of ~200 villages has a few hundred lines of each.
MAX_SUMMARY_VILLAGES = 2000  # villages with income in the month, in all towns together
MAX_SUMMARY_MEAL_LINES = 3000  # meal points × categories with meals in the month


class SummaryTooLarge(DomainError):
    """The district's month has more lines than the summary lists (2,000 villages with income,
    3,000 meal lines): ask for the totals, or read the villages' books one by one."""

    code = "summary_list_too_long"


class AccountIncome(graphene.ObjectType):
    """One income account of a village in the month: its net credit (income less reversals)."""

    account_code = graphene.String(required=True, description="501, 502, 503 or 504.")
    account_name = graphene.String(required=True)
    amount = graphene.Decimal(required=True, description=MONEY)


class VillageIncome(graphene.ObjectType):
    village_code = graphene.String(required=True)
    village_name = graphene.String(required=True)
    total = graphene.Decimal(required=True, description=MONEY)
    accounts = graphene.NonNull(graphene.List(graphene.NonNull(AccountIncome)))


class TownIncome(graphene.ObjectType):
    town_code = graphene.String(required=True)
    town_name = graphene.String(required=True)
    total = graphene.Decimal(required=True, description=MONEY)
    villages = graphene.NonNull(graphene.List(graphene.NonNull(VillageIncome)))


class TownLandOfMonth(graphene.ObjectType):
    """Land entering the market (入市) in one town: contracts signed and installments received
    in the month."""

    town_code = graphene.String(required=True)
    town_name = graphene.String(required=True)
    contracts = graphene.Int(required=True)
    contracted = graphene.Decimal(required=True, description="Contract prices. " + MONEY)
    installments = graphene.Int(required=True)
    received = graphene.Decimal(required=True, description="Installments received. " + MONEY)


class MealTotals(graphene.ObjectType):
    """Meals served in the month and not voided, and who paid for them."""

    meals = graphene.Int(required=True)
    price = graphene.Decimal(required=True, description=MONEY)
    government = graphene.Decimal(required=True, description="The government subsidy. " + MONEY)
    collective = graphene.Decimal(required=True, description="The collective's top-up. " + MONEY)
    co_payment = graphene.Decimal(
        required=True, description="What the elders paid themselves. " + MONEY
    )

    @staticmethod
    def resolve_co_payment(root: MealTotalsRow, info: GraphQLResolveInfo) -> Decimal:
        return root.elder


class CategoryMeals(graphene.ObjectType):
    category = MealCategory(required=True, description="The category the subsidy applied.")
    totals = graphene.NonNull(MealTotals)


class MealPointMeals(graphene.ObjectType):
    meal_point_id = graphene.ID(required=True)
    meal_point_name = graphene.String(required=True)
    village_code = graphene.String(required=True)
    category = MealCategory(required=True)
    totals = graphene.NonNull(MealTotals)


class DistrictMonthlySummary(graphene.ObjectType):
    """What the district's collectives earned, what its land brought and which meals it served
    in one month. Every figure is a sum kept up to date as events are recorded: reading it never
    walks the log or the journal."""

    district_code = graphene.String(required=True)
    district_name = graphene.String(required=True)
    month = graphene.String(required=True, description="YYYY-MM")
    income = graphene.Decimal(
        required=True, description="Net credit of 501–504 of every village. " + MONEY
    )
    income_by_town = graphene.NonNull(
        graphene.List(graphene.NonNull(TownIncome)),
        description=f"By town, each by village (at most {MAX_SUMMARY_VILLAGES} villages in all).",
    )
    land_contracted = graphene.Decimal(required=True, description=MONEY)
    land_received = graphene.Decimal(required=True, description=MONEY)
    land_by_town = graphene.NonNull(graphene.List(graphene.NonNull(TownLandOfMonth)))
    meals = graphene.NonNull(MealTotals)
    meals_by_category = graphene.NonNull(graphene.List(graphene.NonNull(CategoryMeals)))
    meals_by_point = graphene.NonNull(
        graphene.List(graphene.NonNull(MealPointMeals)),
        description=f"Per meal point and category (at most {MAX_SUMMARY_MEAL_LINES}).",
    )

    @staticmethod
    def resolve_income_by_town(
        root: DistrictMonth, info: GraphQLResolveInfo
    ) -> tuple[TownIncomeRow, ...]:
        villages = sum(len(town.villages) for town in root.income_by_town)
        if villages > MAX_SUMMARY_VILLAGES:
            raise SummaryTooLarge(
                f"{villages} villages had income in the month; the summary lists at most "
                f"{MAX_SUMMARY_VILLAGES}",
                field="income_by_town",
            )
        return root.income_by_town

    @staticmethod
    def resolve_meals_by_point(
        root: DistrictMonth, info: GraphQLResolveInfo
    ) -> tuple[MealLine, ...]:
        if len(root.meal_rows) > MAX_SUMMARY_MEAL_LINES:
            raise SummaryTooLarge(
                f"{len(root.meal_rows)} meal lines in the month; the summary lists at most "
                f"{MAX_SUMMARY_MEAL_LINES}",
                field="meals_by_point",
            )
        return root.meals_by_point
