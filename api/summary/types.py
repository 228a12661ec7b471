# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The district's monthly summary: income, land proceeds and meals, as sums kept up to date."""

from __future__ import annotations

from decimal import Decimal

import graphene
from graphql import GraphQLResolveInfo

from api.enums import MealCategory
from projections.summary_queries import MealTotals as MealTotalsRow

MONEY = "Yuan, to the fen."


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
    income_by_town = graphene.NonNull(graphene.List(graphene.NonNull(TownIncome)))
    land_contracted = graphene.Decimal(required=True, description=MONEY)
    land_received = graphene.Decimal(required=True, description=MONEY)
    land_by_town = graphene.NonNull(graphene.List(graphene.NonNull(TownLandOfMonth)))
    meals = graphene.NonNull(MealTotals)
    meals_by_category = graphene.NonNull(graphene.List(graphene.NonNull(CategoryMeals)))
    meals_by_point = graphene.NonNull(
        graphene.List(graphene.NonNull(MealPointMeals)),
        description="Per meal point and category.",
    )
