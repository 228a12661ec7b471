"""Reading the district's monthly summary (projections/summary.py): a handful of indexed reads
of rows that are sums already, whatever the size of the log. Money comes back as yuan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, select

from domain.ledger.chart import chart_in_force
from domain.meals.vocabulary import CATEGORY_ORDER
from domain.shared.values import from_fen
from projections.meals.tables import points
from projections.places import districts, towns, villages
from projections.summary import LAND_CONTRACTED, LAND_RECEIVED, income, land, meals

MEAL_AMOUNTS = ("price", "government", "collective", "elder")


@dataclass(frozen=True)
class AccountIncome:
    account_code: str
    account_name: str
    amount: Decimal  # net credit: income less reversals


@dataclass(frozen=True)
class VillageIncome:
    village_code: str
    village_name: str
    total: Decimal
    accounts: tuple[AccountIncome, ...]


@dataclass(frozen=True)
class TownIncome:
    town_code: str
    town_name: str
    total: Decimal
    villages: tuple[VillageIncome, ...]


@dataclass(frozen=True)
class TownLand:
    town_code: str
    town_name: str
    contracts: int
    contracted: Decimal
    installments: int
    received: Decimal


@dataclass(frozen=True)
class MealTotals:
    """meals: standing (not voided) meals served. elder: the elders' co-payments."""

    meals: int
    price: Decimal
    government: Decimal
    collective: Decimal
    elder: Decimal


@dataclass(frozen=True)
class MealLine:
    meal_point_id: str
    meal_point_name: str
    village_code: str
    category: str
    totals: MealTotals


@dataclass(frozen=True)
class CategoryMeals:
    category: str
    totals: MealTotals


@dataclass(frozen=True)
class DistrictMonth:
    district_code: str
    district_name: str
    month: str
    income: Decimal
    income_by_town: tuple[TownIncome, ...]
    land_contracted: Decimal
    land_received: Decimal
    land_by_town: tuple[TownLand, ...]
    meals: MealTotals
    meals_by_category: tuple[CategoryMeals, ...]
    meal_rows: tuple[tuple[Any, ...], ...] = field(repr=False)  # (point, name, village, …)

    @cached_property
    def meals_by_point(self) -> tuple[MealLine, ...]:
        """Per meal point and category: made when asked for (hundreds of lines a month)."""
        return tuple(
            MealLine(point, name, village, category, _meal_totals([counts]))
            for point, name, village, category, *counts in self.meal_rows
        )


def district_month(conn: Connection, district_code: str, month: str) -> DistrictMonth | None:
    """The district's summary of ``month`` ('YYYY-MM'); None when no such district."""
    name = conn.scalar(select(districts.c.name).where(districts.c.code == district_code))
    if name is None:
        return None
    town_rows = conn.execute(
        select(towns.c.code, towns.c.name).where(towns.c.district_code == district_code)
    )
    town_names = {str(code): str(name) for code, name in town_rows}
    village_rows = conn.execute(
        select(villages.c.code, villages.c.name).where(villages.c.town_code.in_(list(town_names)))
    )
    village_names = {str(code): str(name) for code, name in village_rows}
    by_town = _income(conn, district_code, month, town_names, village_names)
    land_by_town = _land(conn, district_code, month, town_names)
    meal_rows, by_category, totals = _meals(conn, district_code, month)
    return DistrictMonth(
        district_code=district_code,
        district_name=str(name),
        month=month,
        income=sum((t.total for t in by_town), Decimal("0.00")),
        income_by_town=by_town,
        land_contracted=sum((t.contracted for t in land_by_town), Decimal("0.00")),
        land_received=sum((t.received for t in land_by_town), Decimal("0.00")),
        land_by_town=land_by_town,
        meals=totals,
        meals_by_category=by_category,
        meal_rows=meal_rows,
    )


def _income(
    conn: Connection,
    district_code: str,
    month: str,
    town_names: dict[str, str],
    village_names: dict[str, str],
) -> tuple[TownIncome, ...]:
    chart = chart_in_force(date.fromisoformat(f"{month}-01"))
    query = (
        select(income)
        .where(income.c.district_code == district_code, income.c.month == month)
        .order_by(income.c.town_code, income.c.village_code, income.c.account_code)
    )
    per_village: dict[str, dict[str, list[AccountIncome]]] = {}
    for r in conn.execute(query):
        account = AccountIncome(
            r.account_code,
            chart.account(r.account_code).name_zh if chart.has(r.account_code) else r.account_code,
            from_fen(int(r.credit_fen) - int(r.debit_fen)),
        )
        per_village.setdefault(r.town_code, {}).setdefault(r.village_code, []).append(account)
    result = []
    for town, village_accounts in per_village.items():
        village_rows = tuple(
            VillageIncome(
                code,
                village_names.get(code, code),
                _total(a.amount for a in accounts),
                tuple(accounts),
            )
            for code, accounts in village_accounts.items()
        )
        result.append(
            TownIncome(
                town,
                town_names.get(town, town),
                _total(v.total for v in village_rows),
                village_rows,
            )
        )
    return tuple(result)


def _land(
    conn: Connection, district_code: str, month: str, town_names: dict[str, str]
) -> tuple[TownLand, ...]:
    query = (
        select(land)
        .where(land.c.district_code == district_code, land.c.month == month)
        .order_by(land.c.town_code)
    )
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for r in conn.execute(query):
        found.setdefault(r.town_code, {})[r.kind] = (int(r.entries), int(r.amount_fen))
    return tuple(
        TownLand(
            town,
            town_names.get(town, town),
            kinds.get(LAND_CONTRACTED, (0, 0))[0],
            from_fen(kinds.get(LAND_CONTRACTED, (0, 0))[1]),
            kinds.get(LAND_RECEIVED, (0, 0))[0],
            from_fen(kinds.get(LAND_RECEIVED, (0, 0))[1]),
        )
        for town, kinds in found.items()
    )


def _meals(
    conn: Connection, district_code: str, month: str
) -> tuple[tuple[tuple[Any, ...], ...], tuple[CategoryMeals, ...], MealTotals]:
    """The month's rows per point and category (plain tuples: the lines are made only when
    asked for), the sums per category, and in all; integer fen until the end."""
    query = (
        select(
            meals.c.meal_point_id,
            points.c.name,
            meals.c.village_code,
            meals.c.category,
            meals.c.meals,
            *(meals.c[f"{a}_fen"] for a in MEAL_AMOUNTS),
        )
        .join(points, points.c.meal_point_id == meals.c.meal_point_id)
        .where(meals.c.district_code == district_code, meals.c.month == month, meals.c.meals != 0)
        .order_by(meals.c.village_code, points.c.point_code, meals.c.category)
    )
    rows = tuple(tuple(row) for row in conn.execute(query).all())
    categories: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        categories.setdefault(row[3], []).append(row[4:])
    by_category = tuple(
        CategoryMeals(c, _meal_totals(categories[c]))
        for c in sorted(categories, key=lambda c: CATEGORY_ORDER.get(c, len(CATEGORY_ORDER)))
    )
    return rows, by_category, _meal_totals([row[4:] for row in rows])


def _meal_totals(rows: Iterable[Iterable[Any]]) -> MealTotals:
    """Sums of (meals, then each of MEAL_AMOUNTS in fen) rows."""
    sums = [0] * (1 + len(MEAL_AMOUNTS))
    for counts in rows:
        for n, value in enumerate(counts):
            sums[n] += int(value)
    return MealTotals(sums[0], *(from_fen(fen) for fen in sums[1:]))


def _total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal("0.00"))
