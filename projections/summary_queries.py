"""Reading the district's monthly summary (projections/summary.py): one statement of indexed
reads of rows that are sums already, whatever the size of the log (the names of the district,
its towns and villages, income, land and meals, each a section of a UNION ALL in one shape).
Money comes back as yuan."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    literal_column,
    null,
    select,
    union_all,
)

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


# The sections of the one statement that reads a district's month, in its order.
_DISTRICT, _TOWNS, _VILLAGES, _INCOME, _LAND, _MEALS = range(6)
_TEXTS, _NUMBERS, _ORDER = 4, 5, 3  # columns of each kind every section fills or leaves null


def district_month(conn: Connection, district_code: str, month: str) -> DistrictMonth | None:
    """The district's summary of ``month`` ('YYYY-MM'); None when no such district. One
    statement, whatever the size of the log: each section's rows in a common shape."""
    sections: dict[int, list[Any]] = {n: [] for n in range(6)}
    for row in conn.execute(_month_query(), {"district": district_code, "month": month}):
        sections[row[0]].append(row[1:])
    if not sections[_DISTRICT]:
        return None
    name = sections[_DISTRICT][0][0]
    town_names = {str(r[0]): str(r[1]) for r in sections[_TOWNS]}
    village_names = {str(r[0]): str(r[1]) for r in sections[_VILLAGES]}
    by_town = _income(sections[_INCOME], month, town_names, village_names)
    land_by_town = _land(sections[_LAND], town_names)
    meal_rows, by_category, totals = _meals(sections[_MEALS])
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


def _section(
    number: int,
    texts: Sequence[ColumnElement[Any]],
    numbers: Sequence[ColumnElement[Any]] = (),
    order: Sequence[ColumnElement[Any]] = (),
) -> list[ColumnElement[Any]]:
    """A section's columns: its number, then texts, numbers and sort keys, nulls after each."""

    def padded(values: Sequence[ColumnElement[Any]], width: int, kind: Any) -> list[Any]:
        return [*values, *(cast(null(), kind) for _ in range(width - len(values)))]

    return [
        literal_column(str(number), Integer).label("section"),
        *(c.label(f"t{n}") for n, c in enumerate(padded(texts, _TEXTS, String))),
        *(c.label(f"n{n}") for n, c in enumerate(padded(numbers, _NUMBERS, BigInteger))),
        *(c.label(f"o{n}") for n, c in enumerate(padded(order, _ORDER, String))),
    ]


@functools.cache
def _month_query() -> Select[Any]:
    """Built once (its parameters ``district`` and ``month`` bound at each execution):
    building and keying a statement of six selects costs more than running it."""
    district_code, month = bindparam("district", type_=String), bindparam("month", type_=String)
    in_district = select(towns.c.code).where(towns.c.district_code == district_code)
    parts = [
        select(*_section(_DISTRICT, [districts.c.name])).where(districts.c.code == district_code),
        select(*_section(_TOWNS, [towns.c.code, towns.c.name])).where(
            towns.c.district_code == district_code
        ),
        select(*_section(_VILLAGES, [villages.c.code, villages.c.name])).where(
            villages.c.town_code.in_(in_district.scalar_subquery())
        ),
        select(
            *_section(
                _INCOME,
                [income.c.town_code, income.c.village_code, income.c.account_code],
                [income.c.credit_fen, income.c.debit_fen],
                [income.c.town_code, income.c.village_code, income.c.account_code],
            )
        ).where(income.c.district_code == district_code, income.c.month == month),
        select(
            *_section(
                _LAND,
                [land.c.town_code, land.c.kind],
                [land.c.entries, land.c.amount_fen],
                [land.c.town_code],
            )
        ).where(land.c.district_code == district_code, land.c.month == month),
        select(
            *_section(
                _MEALS,
                [meals.c.meal_point_id, points.c.name, meals.c.village_code, meals.c.category],
                [meals.c.meals, *(meals.c[f"{a}_fen"] for a in MEAL_AMOUNTS)],
                [meals.c.village_code, points.c.point_code, meals.c.category],
            )
        )
        .select_from(meals.join(points, points.c.meal_point_id == meals.c.meal_point_id))
        .where(meals.c.district_code == district_code, meals.c.month == month, meals.c.meals != 0),
    ]
    everything = union_all(*parts).subquery()
    c = everything.c
    return select(everything).order_by(c.section, c.o0, c.o1, c.o2)


def _income(
    rows: Iterable[Sequence[Any]],
    month: str,
    town_names: dict[str, str],
    village_names: dict[str, str],
) -> tuple[TownIncome, ...]:
    """From rows (town, village, account, _, credit fen, debit fen, …) in that order."""
    chart = chart_in_force(date.fromisoformat(f"{month}-01"))
    per_village: dict[str, dict[str, list[AccountIncome]]] = {}
    for town_code, village_code, account_code, _, credit_fen, debit_fen, *_ in rows:
        account = AccountIncome(
            account_code,
            chart.account(account_code).name_zh if chart.has(account_code) else account_code,
            from_fen(int(credit_fen) - int(debit_fen)),
        )
        per_village.setdefault(town_code, {}).setdefault(village_code, []).append(account)
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


def _land(rows: Iterable[Sequence[Any]], town_names: dict[str, str]) -> tuple[TownLand, ...]:
    """From rows (town, kind, _, _, entries, amount fen, …) by town."""
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for town_code, kind, _, _, entries, amount_fen, *_ in rows:
        found.setdefault(town_code, {})[kind] = (int(entries), int(amount_fen))
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
    rows: Iterable[Sequence[Any]],
) -> tuple[tuple[tuple[Any, ...], ...], tuple[CategoryMeals, ...], MealTotals]:
    """The month's rows per point and category (plain tuples (point, name, village, category,
    meals, then each of MEAL_AMOUNTS in fen): the lines are made only when asked for), the sums
    per category, and in all; integer fen until the end."""
    kept = tuple(tuple(row[:_TEXTS]) + tuple(row[_TEXTS : _TEXTS + _NUMBERS]) for row in rows)
    categories: dict[str, list[tuple[Any, ...]]] = {}
    for row in kept:
        categories.setdefault(row[3], []).append(row[4:])
    by_category = tuple(
        CategoryMeals(c, _meal_totals(categories[c]))
        for c in sorted(categories, key=lambda c: CATEGORY_ORDER.get(c, len(CATEGORY_ORDER)))
    )
    return kept, by_category, _meal_totals([row[4:] for row in kept])


def _meal_totals(rows: Iterable[Iterable[Any]]) -> MealTotals:
    """Sums of (meals, then each of MEAL_AMOUNTS in fen) rows."""
    sums = [0] * (1 + len(MEAL_AMOUNTS))
    for counts in rows:
        for n, value in enumerate(counts):
            sums[n] += int(value)
    return MealTotals(sums[0], *(from_fen(fen) for fen in sums[1:]))


def _total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal("0.00"))
