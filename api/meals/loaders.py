"""Batched reads of the meal-assistance read models (projections/meals/tables.py): the root
lists and one DataLoader per relation, each one SQL statement per batch of keys.

The full ID number is opened only by ``ElderIdNumberById``, which the types call only for a
caller who may see personal data (api/meals/privacy.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, case, func, select

from api.common import RegistryLoader, Row, children_per_key, one_per_key
from api.meals.views import (
    batch_view,
    category_view,
    elder_views,
    meal_view,
    money_view,
    point_view,
    settlement_view,
)
from api.pagination import (
    Order,
    PageLoader,
    PageRequest,
    fetch_page,
    in_villages,
    pages_per_parent,
)
from domain.meals.model.elder import ID_NUMBER_FIELD
from domain.meals.vocabulary import SLOTS
from domain.shared.keystore import KeyStore
from domain.shared.values import from_fen
from projections.meals.tables import (
    batches,
    categories,
    clawbacks,
    elders,
    meals,
    points,
    refusals,
    settlement_lines,
    settlements,
)
from projections.summary import meals as month_sums
from projections.summary_queries import MealTotals

# -- root lists (pages, limited to the caller's villages) ---------------------------------------

POINT_ORDER = Order("meal_point", ("village_code", "point_code"))
ELDER_ORDER = Order("elder", ("village_code", "enrolled_on", "elder_id"))
NEWEST_FIRST = frozenset({"source_notification_id"})
BATCH_ORDER = Order("meal_batch", ("source_notification_id",), NEWEST_FIRST)
SETTLEMENT_ORDER = Order("settlement", ("month", "village_code", "meal_point_id"))


def _point_view(row: Row) -> Row:
    view = point_view(row)
    assert view is not None
    return view


def _batch_view(row: Row) -> Row:
    view = batch_view(row)
    assert view is not None
    return view


def _settlement_view(row: Row) -> Row:
    view = settlement_view(row)
    assert view is not None
    return view


def meal_point_page(
    conn: Connection,
    village_code: str | None,
    town_code: str | None,
    request: PageRequest,
    scope: frozenset[str] | None,
) -> Row:
    c = points.c
    where = in_villages(c.village_code, scope)
    if village_code is not None:
        where.append(c.village_code == village_code)
    if town_code is not None:
        where.append(c.village_code.startswith(town_code, autoescape=True))
    return fetch_page(conn, points, where, POINT_ORDER, request, _point_view)


def elder_page(
    conn: Connection,
    keys: KeyStore,
    village_code: str | None,
    status: str | None,
    request: PageRequest,
    scope: frozenset[str] | None,
) -> Row:
    where = in_villages(elders.c.village_code, scope)
    if village_code is not None:
        where.append(elders.c.village_code == village_code)
    if status is not None:
        where.extend(ELDER_STATUS_FILTERS[status])

    def views(found: list[Row]) -> list[Any]:
        return elder_views(keys, found)

    return fetch_page(conn, elders, where, ELDER_ORDER, request, dict, views=views)


ELDER_STATUS_FILTERS = {
    "deceased": (elders.c.died_on.is_not(None),),
    "moved_away": (elders.c.died_on.is_(None), elders.c.moved_away_on.is_not(None)),
    "suspended": (
        elders.c.died_on.is_(None),
        elders.c.moved_away_on.is_(None),
        elders.c.suspended_from.is_not(None),
    ),
    "active": (
        elders.c.died_on.is_(None),
        elders.c.moved_away_on.is_(None),
        elders.c.suspended_from.is_(None),
    ),
}


def batch_page(conn: Connection, meal_point_id: str, request: PageRequest) -> Row:
    where = [batches.c.meal_point_id == meal_point_id]
    return fetch_page(conn, batches, where, BATCH_ORDER, request, _batch_view)


@dataclass(frozen=True)
class SettlementFilter:
    meal_point_id: str | None = None
    village_code: str | None = None
    town_code: str | None = None
    month: str | None = None
    status: str | None = None

    def conditions(self, scope: frozenset[str] | None) -> list[ColumnElement[bool]]:
        t = settlements.c
        found = in_villages(t.village_code, scope)
        for column, value in (
            (t.meal_point_id, self.meal_point_id),
            (t.village_code, self.village_code),
            (t.month, self.month),
            (t.status, self.status),
        ):
            if value is not None:
                found.append(column == value)
        if self.town_code is not None:
            found.append(t.village_code.startswith(self.town_code, autoescape=True))
        return found


def settlement_page(
    conn: Connection, where: SettlementFilter, request: PageRequest, scope: frozenset[str] | None
) -> Row:
    return fetch_page(
        conn, settlements, where.conditions(scope), SETTLEMENT_ORDER, request, _settlement_view
    )


# -- loaders ------------------------------------------------------------------------------------


class MealPointById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return [point_view(r) for r in one_per_key(conn, points, points.c.meal_point_id, keys)]


class ElderById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = one_per_key(conn, elders, elders.c.elder_id, keys)
        return elder_views(self.registry.meals.keys, found)


class ElderIdNumberById(RegistryLoader):
    """The full ID number (None once erased). Only for callers who may see personal data."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = one_per_key(conn, elders, elders.c.elder_id, keys)
        sealed = [(UUID(r["elder_id"]), ID_NUMBER_FIELD, r["id_number_sealed"]) for r in found if r]
        opened = iter(self.registry.meals.keys.open_many(sealed)) if sealed else iter(())
        return [None if r is None else next(opened) for r in found]


class CategoriesByElder(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        order = ["valid_from", "category"]
        found = children_per_key(conn, categories, categories.c.elder_id, keys, order)
        return [[category_view(r) for r in group] for group in found]


class MealById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return [meal_view(r) for r in one_per_key(conn, meals, meals.c.meal_id, keys)]


class BatchById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return [batch_view(r) for r in one_per_key(conn, batches, batches.c.batch_id, keys)]


class RefusalsByBatch(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return children_per_key(conn, refusals, refusals.c.batch_id, keys, ["record_id"])


class AcceptedByBatch(RegistryLoader):
    """The meals each batch created: (record id, meal id) rows, by record id. A batch holds at
    most MAX_MEALS_PER_BATCH records; MAX_LIST of them are listed."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = children_per_key(conn, meals, meals.c.batch_id, keys, ["record_id"])
        return [[{"record_id": r["record_id"], "meal_id": r["meal_id"]} for r in g] for g in found]


class SettlementById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = one_per_key(conn, settlements, settlements.c.settlement_id, keys)
        return [settlement_view(r) for r in found]


class SettlementPagesByPoint(PageLoader):
    """A meal point's settlements by month."""

    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        where = in_villages(settlements.c.village_code, scope)
        return pages_per_parent(
            conn,
            settlements,
            "meal_point_id",
            parents,
            where,
            SETTLEMENT_ORDER,
            request,
            _settlement_view,
        )


class LinesBySettlement(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        t = settlement_lines
        found = children_per_key(conn, t, t.c.settlement_id, keys, ["line_no"])
        return [[money_view(r) for r in group] for group in found]


class ClawbacksBySettlement(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        order = ["served_on", "meal_id"]
        found = children_per_key(conn, clawbacks, clawbacks.c.settlement_id, keys, order)
        return [[money_view(r) for r in group] for group in found]


class DailyCountsByPoint(RegistryLoader):
    """Keys: (meal point id, first day, last day). One statement per distinct date range."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        ranges: dict[tuple[date, date], list[str]] = {}
        for point, first, last in keys:
            ranges.setdefault((first, last), []).append(point)
        found: dict[tuple[str, date, date], list[Row]] = {k: [] for k in keys}
        per_slot = [func.sum(case((meals.c.slot == s, 1), else_=0)).label(s) for s in SLOTS]
        for (first, last), ids in ranges.items():
            query = (
                select(meals.c.meal_point_id, meals.c.served_on, *per_slot, func.count())
                .where(
                    meals.c.meal_point_id.in_(ids),
                    meals.c.voided.is_(False),
                    meals.c.served_on.between(first, last),
                )
                .group_by(meals.c.meal_point_id, meals.c.served_on)
                .order_by(meals.c.meal_point_id, meals.c.served_on)
            )
            for point, day, breakfast, lunch, dinner, total in conn.execute(query):
                counts = (int(breakfast), int(lunch), int(dinner), int(total))
                found[(point, first, last)].append(
                    dict(zip(("served_on", *SLOTS, "total"), (day, *counts), strict=True))
                )
        return [found[k] for k in keys]


class MonthTotalsByPoint(RegistryLoader):
    """Keys: (meal point id, month). The month's standing meals of each point and who pays
    them, summed over categories from the summary kept up to date (projections/summary.py)."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        t = month_sums.c
        amounts = ("price", "government", "collective", "elder")
        sums = [func.sum(t.meals), *(func.sum(t[f"{a}_fen"]) for a in amounts)]
        query = (
            select(t.meal_point_id, t.month, *sums)
            .where(t.meal_point_id.in_(sorted({p for p, _ in keys})))
            .where(t.month.in_(sorted({m for _, m in keys})))
            .group_by(t.meal_point_id, t.month)
        )
        found = {(r[0], r[1]): r[2:] for r in conn.execute(query)}
        empty = (0,) * (1 + len(amounts))
        totals = [found.get((p, m)) or empty for p, m in keys]
        return [MealTotals(int(c[0]), *(from_fen(int(v or 0)) for v in c[1:])) for c in totals]
