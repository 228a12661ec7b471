# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The dashboard of a district or a town: totals, series by month and day, and a breakdown by
town or village. Counts and sums only: no person is named or identified anywhere in it."""

from __future__ import annotations

import graphene

from api.enums import ContractMode, FindingKind
from domain.assets.vocabulary import MODES
from projections.dashboard_queries import DASHBOARD_FINDING_KINDS

MONEY = "Yuan, to the fen."
MAX_DASHBOARD_MONTHS = 24  # the longest run of months one dashboard covers
MAX_DASHBOARD_DAYS = MAX_DASHBOARD_MONTHS * 31
AREAS_MAX = 1000  # three digits of a code: towns of a district, villages of a town
ASSET_MODE_ROWS_MAX = MAX_DASHBOARD_MONTHS * len(MODES)
FINDING_KINDS_MAX = len(DASHBOARD_FINDING_KINDS)


class DashboardFigures(graphene.ObjectType):
    """The figures of a month, a town or village, or the place in all."""

    key = graphene.String(
        required=True, description="The month (YYYY-MM), or the town's or village's code."
    )
    name = graphene.String(required=True, description="The month, or the place's name.")
    meals = graphene.Int(required=True, description="Meals served and not voided.")
    price = graphene.Decimal(required=True, description="The meals' prices. " + MONEY)
    government = graphene.Decimal(required=True, description="The government subsidy. " + MONEY)
    collective = graphene.Decimal(required=True, description="The collective's top-up. " + MONEY)
    co_payment = graphene.Decimal(required=True, description="What elders paid. " + MONEY)
    elders_served = graphene.Int(
        required=True, description="Distinct elders with a meal not voided (over the run: once)."
    )
    income = graphene.Decimal(
        required=True, description="Net credit of 501–504 (collective income). " + MONEY
    )
    assets_in_force = graphene.Int(
        required=True,
        description="Assets with a contract (lease, equity, cooperation, self-operation) in "
        "force: in the month; for a place or in all, in the last month of the run.",
    )
    land_contracts = graphene.Int(required=True, description="Land contracts signed (入市).")
    land_area_m2 = graphene.Decimal(required=True, description="Their area, m².")
    land_price = graphene.Decimal(required=True, description="Their contract prices. " + MONEY)
    installments_received = graphene.Decimal(required=True, description=MONEY)
    levy_paid = graphene.Decimal(required=True, description="调节金 paid. " + MONEY)
    arrears_invoices = graphene.Int(
        required=True, description="Rent invoices past due on asOn with money outstanding."
    )
    arrears = graphene.Decimal(required=True, description="What they still owe. " + MONEY)
    findings = graphene.Int(required=True, description="Meal findings (see findingsByKind).")
    overdue_disclosures = graphene.Int(
        description="Disclosures (村务公开) due before asOn and not published by then "
        "(逾期未公开): in all and per town or village; null for a month."
    )


class DashboardDay(graphene.ObjectType):
    day = graphene.Date(required=True)
    meals = graphene.Int(required=True)
    price = graphene.Decimal(required=True, description=MONEY)
    government = graphene.Decimal(required=True, description=MONEY)
    collective = graphene.Decimal(required=True, description=MONEY)
    co_payment = graphene.Decimal(required=True, description=MONEY)


class DashboardAssetMode(graphene.ObjectType):
    month = graphene.String(required=True, description="YYYY-MM")
    mode = ContractMode(required=True)
    assets = graphene.Int(required=True, description="Assets with such a contract in force.")


class DashboardFindingKind(graphene.ObjectType):
    kind = FindingKind(required=True, description="As mealFindings names them.")
    count = graphene.Int(required=True)


class Dashboard(graphene.ObjectType):
    """The big screen (大屏) of a district or a town: every figure is read from read models that
    are sums already or registers of the place, in a few set-based statements."""

    place_code = graphene.String(required=True)
    place_name = graphene.String(required=True)
    level = graphene.String(required=True, description="district or town.")
    from_month = graphene.String(required=True)
    to_month = graphene.String(required=True)
    as_on = graphene.Date(required=True, description="The day rent arrears stand on (today).")
    totals = graphene.NonNull(DashboardFigures)
    months = graphene.NonNull(
        graphene.List(graphene.NonNull(DashboardFigures)), description="Every month of the run."
    )
    days = graphene.NonNull(
        graphene.List(graphene.NonNull(DashboardDay)), description="Days with meals."
    )
    areas = graphene.NonNull(
        graphene.List(graphene.NonNull(DashboardFigures)),
        description="By town (a district) or by village (a town).",
    )
    assets_by_mode = graphene.NonNull(graphene.List(graphene.NonNull(DashboardAssetMode)))
    findings_by_kind = graphene.NonNull(graphene.List(graphene.NonNull(DashboardFindingKind)))
