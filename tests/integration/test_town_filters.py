"""The meal lists filter by town with LIKE (a prefix of the village code): a user's string is
matched as it is, never as a pattern. The API refuses a malformed town code before it gets here
(tests/e2e/test_scope.py); this is the second line, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection

from api.meals.loaders import SettlementFilter, meal_point_page, settlement_page
from api.meals.pages import MealFilter, meal_page
from api.pagination import PageRequest
from qianwan.bootstrap import Registry
from tests.support import OPERATOR, TOWN, enrol_elder, meal, meals_registry, register_canteen

EVERYTHING = PageRequest(first=0, after=None)
Count = Callable[[Connection, str], Any]
LISTS: dict[str, Count] = {
    "meal points": lambda conn, town: meal_point_page(conn, None, town, EVERYTHING, None),
    "meals": lambda conn, town: meal_page(conn, MealFilter(town_code=town), EVERYTHING, None),
    "settlements": lambda conn, town: settlement_page(
        conn, SettlementFilter(town_code=town), EVERYTHING, None
    ),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_town_code_with_like_wildcards_matches_nothing(seeded: Registry, name: str) -> None:
    # given a meal point of the town with a meal and a settlement
    meals = meals_registry(seeded)
    point = register_canteen(meals)
    meals.record_meals(point, "B1", [meal("r1", enrol_elder(meals), "2024-05-02 11:30")], OPERATOR)
    meals.draft_settlement(point, "2024-05", date(2024, 6, 1), OPERATOR)
    count = LISTS[name]

    with seeded.engine.connect() as conn:
        # the town's own code finds the row
        assert count(conn, TOWN)["total_count"] == 1
        # patterns that LIKE would have matched find nothing
        for pattern in ("%", "_________", TOWN[:-1] + "_", "3201%", TOWN + "%", "\\"):
            assert count(conn, pattern)["total_count"] == 0, pattern
