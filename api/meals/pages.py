"""Pages of the meal register (api/pagination.py): keyset pages in a stable order (served on,
served at, meal id) with the filters the platform needs, limited to the caller's villages
(the villages of the meals' points)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, select

from api.common import Row
from api.meals.views import meal_view
from api.pagination import Order, PageRequest, fetch_page
from projections.meals.tables import meals, points

MEAL_ORDER = Order("meal", ("served_on", "served_at", "meal_id"))


def _view(row: Row) -> Row:
    view = meal_view(row)
    assert view is not None
    return view


@dataclass(frozen=True)
class MealFilter:
    meal_point_id: str | None = None
    elder_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    include_voided: bool = True
    village_code: str | None = None
    town_code: str | None = None
    category: str | None = None

    def conditions(self, scope: frozenset[str] | None) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        c = meals.c
        for column, value in (
            (c.meal_point_id, self.meal_point_id),
            (c.elder_id, self.elder_id),
            (c.category, self.category),
        ):
            if value is not None:
                found.append(column == value)
        if self.date_from is not None:
            found.append(c.served_on >= self.date_from)
        if self.date_to is not None:
            found.append(c.served_on <= self.date_to)
        if not self.include_voided:
            found.append(c.voided.is_(False))
        places: list[ColumnElement[bool]] = []
        if scope is not None:
            places.append(points.c.village_code.in_(sorted(scope)))
        if self.village_code is not None:
            places.append(points.c.village_code == self.village_code)
        if self.town_code is not None:
            places.append(points.c.village_code.startswith(self.town_code, autoescape=True))
        if places:
            found.append(c.meal_point_id.in_(select(points.c.meal_point_id).where(*places)))
        return found


def meal_page(
    conn: Connection, where: MealFilter, request: PageRequest, scope: frozenset[str] | None
) -> Row:
    return fetch_page(conn, meals, where.conditions(scope), MEAL_ORDER, request, _view)
