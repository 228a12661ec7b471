"""The district platform's questions, as the benchmark sends them (scripts/bench/graphql.py)
and a few more lists, with variables for the ``busy_district`` of the tests."""

from __future__ import annotations

from typing import Any

from scripts.bench import graphql as bench
from tests.support import DISTRICT, VILLAGE

MEALS = """query ($village: String!, $from: Date!, $to: Date!) {
  meals(villageCode: $village, dateFrom: $from, dateTo: $to, first: 50) {
    edges { node { id servedOn slot category price government collective } }
    pageInfo { hasNextPage endCursor } } }"""
DISCLOSURES = """query ($village: String!) {
  disclosures(villageCode: $village) { id period state totalIncome netIncome } }"""
OVERDUE = """query ($place: String!) {
  overdueDisclosures(placeCode: $place) { villageCode period dueOn daysLate } }"""
MEAL_POINTS = """query ($village: String!) {
  mealPoints(villageCode: $village, first: 20) { edges { node { name village { name } } } } }"""

PLATFORM: dict[str, tuple[str, dict[str, Any]]] = {
    "trialBalance": (bench.TRIAL_BALANCE, {"village": VILLAGE, "asOf": "2024-06-30"}),
    "districtMonthlySummary": (
        bench.DISTRICT_SUMMARY,
        {"district": DISTRICT, "month": "2024-05"},
    ),
    "balanceSheet": (bench.BALANCE_SHEET, {"village": VILLAGE, "asOf": "2024-06-30"}),
    "incomeStatement": (bench.INCOME_STATEMENT, {"village": VILLAGE, "year": 2024, "month": 5}),
    "dashboard": (bench.DASHBOARD, {"place": DISTRICT, "from": "2024-04", "to": "2024-06"}),
    "assets": (bench.ASSET_PAGE, {"village": VILLAGE}),
    "landDistrictView": (bench.LAND_VIEW, {"district": DISTRICT}),
    "meals": (MEALS, {"village": VILLAGE, "from": "2024-05-01", "to": "2024-05-31"}),
    "mealPoints": (MEAL_POINTS, {"village": VILLAGE}),
    "disclosures": (DISCLOSURES, {"village": VILLAGE}),
    "overdueDisclosures": (OVERDUE, {"place": DISTRICT}),
}
