"""Reading the dashboard of a district or a town over a run of months (docs/dashboard.md): each
section is one or two set-based, indexed statements over read models that are sums already or
registers bounded by the place (parcels, contracts, invoices, refusals), never a loop over
villages and never a walk of the log. Figures are whole fen until the API turns them to yuan.

Breakdowns are by town for a district and by village for a town.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, select

from domain.shared.clock import month_of
from projections import assets as asset_tables
from projections.dashboard import meal_days, meal_elders
from projections.dashboard_figures import Figures, MealMoney, months_between
from projections.disclosure_findings import overdue_disclosures
from projections.land.tables import parcels, payments
from projections.meals.findings import REFUSAL_FINDINGS
from projections.meals.tables import elders, meals, points, refusals
from projections.places import districts, towns, villages
from projections.summary import income

DISTRICT, TOWN = "district", "town"
AFTER_DEATH = "meal_after_death"
# Every finding kind the dashboard counts (the statistical signals are on the findings page).
DASHBOARD_FINDING_KINDS = tuple(dict.fromkeys(REFUSAL_FINDINGS.values()))


@dataclass(frozen=True)
class DayMeals(MealMoney):
    day: date
    meals: int
    price_fen: int
    government_fen: int
    collective_fen: int
    elder_fen: int


@dataclass(frozen=True)
class ModeMonth:
    """Assets with a contract of ``mode`` in force on some day of ``month``."""

    month: str
    mode: str
    assets: int


@dataclass(frozen=True)
class KindCount:
    kind: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    place_code: str
    place_name: str
    level: str  # district | town
    from_month: str
    to_month: str
    as_on: date  # the day the rent arrears stand on
    totals: Figures
    months: tuple[Figures, ...]
    days: tuple[DayMeals, ...]
    areas: tuple[Figures, ...]  # towns of a district, villages of a town
    assets_by_mode: tuple[ModeMonth, ...]
    findings_by_kind: tuple[KindCount, ...]
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Place:
    code: str
    level: str
    district: str

    def keyed(self, table: Any) -> list[ColumnElement[bool]]:
        """Where a table with district_code and town_code columns holds the place's rows."""
        where = [table.c.district_code == self.district]
        if self.level == TOWN:
            where.append(table.c.town_code == self.code)
        return where

    def area(self, table: Any) -> Any:
        """The breakdown column of such a table: its town (district) or village (town)."""
        return table.c.town_code if self.level == DISTRICT else table.c.village_code

    def of_village(self, column: Any) -> tuple[ColumnElement[bool], Any]:
        """For a table with a village code only: the place's rows and the breakdown."""
        where = column.like(f"{self.code}%")  # the code is digits only (checked by the API)
        return where, func.substr(column, 1, 9) if self.level == DISTRICT else column


def dashboard(
    conn: Connection, place_code: str, from_month: str, to_month: str, as_on: date
) -> Dashboard | None:
    """The dashboard of a district (6 digits) or a town (9) from ``from_month`` to ``to_month``
    ('YYYY-MM', checked by the caller); None when no such place. Arrears and overdue
    disclosures stand on ``as_on``."""
    level = DISTRICT if len(place_code) == 6 else TOWN
    if level == DISTRICT:
        name = conn.scalar(select(districts.c.name).where(districts.c.code == place_code))
        area_rows = conn.execute(
            select(towns.c.code, towns.c.name)
            .where(towns.c.district_code == place_code)
            .order_by(towns.c.code)
        )
    else:
        name = conn.scalar(select(towns.c.name).where(towns.c.code == place_code))
        area_rows = conn.execute(
            select(villages.c.code, villages.c.name)
            .where(villages.c.town_code == place_code)
            .order_by(villages.c.code)
        )
    if name is None:
        return None
    place = Place(place_code, level, place_code[:6])
    first = date.fromisoformat(f"{from_month}-01")
    last = _month_end(date.fromisoformat(f"{to_month}-01"))
    months = {m: Figures(m, m) for m in months_between(from_month, to_month)}
    areas = {str(code): Figures(str(code), str(n)) for code, n in area_rows}
    totals = Figures(place_code, str(name))
    book = _Book(months, areas, totals)
    days = _meals(conn, place, first, last, book)
    _elders(conn, place, from_month, to_month, book)
    _income(conn, place, from_month, to_month, book)
    _land(conn, place, first, last, book)
    by_mode = _assets(conn, place, first, last, book)
    _arrears(conn, place, as_on, book)
    _overdue_disclosures(conn, place, as_on, book)
    kinds = _findings(conn, place, first, last, book)
    return Dashboard(
        place_code=place_code,
        place_name=str(name),
        level=level,
        from_month=from_month,
        to_month=to_month,
        as_on=as_on,
        totals=totals,
        months=tuple(months.values()),
        days=days,
        areas=tuple(areas.values()),
        assets_by_mode=by_mode,
        findings_by_kind=tuple(KindCount(k, kinds.get(k, 0)) for k in DASHBOARD_FINDING_KINDS),
    )


@dataclass
class _Book:
    """Where the sections put their sums: by month, by area, in all."""

    months: dict[str, Figures]
    areas: dict[str, Figures]
    totals: Figures

    def month(self, key: str) -> Figures:
        return self.months.get(key) or Figures(key, key)  # outside the range: dropped

    def area(self, key: str) -> Figures:
        found = self.areas.get(key)
        if found is None:  # a village registered without its town row: still counted
            found = self.areas[key] = Figures(key, key)
        return found


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


_MEAL_SUMS = ("meals", "price_fen", "government_fen", "collective_fen", "elder_fen")


def _meals(
    conn: Connection, place: Place, first: date, last: date, book: _Book
) -> tuple[DayMeals, ...]:
    sums = [func.sum(meal_days.c[c]) for c in _MEAL_SUMS]
    where = [*place.keyed(meal_days), meal_days.c.served_on.between(first, last)]
    by_day = conn.execute(
        select(meal_days.c.served_on, *sums)
        .where(*where)
        .group_by(meal_days.c.served_on)
        .order_by(meal_days.c.served_on)
    ).all()
    days = []
    for day, *values in by_day:
        counts = [int(v or 0) for v in values]
        days.append(DayMeals(day, *counts))
        for figures in (book.month(month_of(day)), book.totals):
            figures.add_meals(counts)
    area = place.area(meal_days)
    for key, *values in conn.execute(select(area, *sums).where(*where).group_by(area)):
        book.area(str(key)).add_meals([int(v or 0) for v in values])
    return tuple(d for d in days if d.meals or d.price_fen)


def _elders(conn: Connection, place: Place, from_month: str, to_month: str, book: _Book) -> None:
    """Distinct elders with a standing meal: per month, per area over the run, in all."""
    t = meal_elders.c
    where = [*place.keyed(meal_elders), t.month.between(from_month, to_month), t.meals > 0]
    query = select(t.month, func.count()).where(*where).group_by(t.month)
    for month, count in conn.execute(query):
        book.month(str(month)).elders_served = int(count)
    area = place.area(meal_elders)
    query = select(area, func.count(t.elder_id.distinct())).where(*where).group_by(area)
    for key, count in conn.execute(query):
        book.area(str(key)).elders_served = int(count)
    book.totals.elders_served = int(
        conn.scalar(select(func.count(t.elder_id.distinct())).where(*where)) or 0
    )


def _income(conn: Connection, place: Place, from_month: str, to_month: str, book: _Book) -> None:
    """Net credit of 501–504 (projections/summary.py ``summary_income``)."""
    net = func.sum(income.c.credit_fen - income.c.debit_fen)
    where = [*place.keyed(income), income.c.month.between(from_month, to_month)]
    for month, fen in conn.execute(select(income.c.month, net).where(*where).group_by("month")):
        book.month(str(month)).income_fen += int(fen or 0)
        book.totals.income_fen += int(fen or 0)
    area = place.area(income)
    for key, fen in conn.execute(select(area, net).where(*where).group_by(area)):
        book.area(str(key)).income_fen += int(fen or 0)


def _land(conn: Connection, place: Place, first: date, last: date, book: _Book) -> None:
    """Contracts signed (count, area, price) and installments and levy paid, by their days."""
    area = place.area(parcels)
    signed = conn.execute(
        select(parcels.c.contract_signed_on, area, parcels.c.area_m2, parcels.c.price_fen).where(
            *place.keyed(parcels), parcels.c.contract_signed_on.between(first, last)
        )
    )
    for day, key, area_m2, price in signed:
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            figures.land_contracts += 1
            figures.land_area_m2 += Decimal(area_m2)
            figures.land_price_fen += int(price or 0)
    paid = conn.execute(
        select(payments.c.kind, payments.c.paid_on, area, func.sum(payments.c.amount_fen))
        .join(parcels, parcels.c.parcel_id == payments.c.parcel_id)
        .where(
            *place.keyed(parcels),
            payments.c.kind.in_(("installment", "levy")),
            payments.c.paid_on.between(first, last),
        )
        .group_by(payments.c.kind, payments.c.paid_on, area)
    )
    for kind, day, key, fen in paid:
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            if kind == "installment":
                figures.installments_fen += int(fen or 0)
            else:
                figures.levy_paid_fen += int(fen or 0)


def _assets(
    conn: Connection, place: Place, first: date, last: date, book: _Book
) -> tuple[ModeMonth, ...]:
    """Assets put to use (a lease, equity, cooperation or self-operation contract) in force on
    some day of each month, by mode; per area and in all: in force in the last month."""
    c = asset_tables.contracts.c
    where, area = place.of_village(c.village_code)
    rows = conn.execute(
        select(c.asset_id, c.mode, area, c.start_on, c.end_on, c.terminated_on).where(
            where, c.start_on <= last, c.end_on >= first
        )
    ).all()
    by_mode: dict[tuple[str, str], set[str]] = {}
    by_month: dict[str, set[str]] = {}  # an asset whose mode changed in the month: once
    last_month: dict[str, set[str]] = {}
    month_keys = list(book.months)
    for asset, mode, key, start, end, terminated in rows:
        ends = min(end, terminated) if terminated is not None else end
        for month in month_keys:
            month_first = date.fromisoformat(f"{month}-01")
            if start <= _month_end(month_first) and ends >= month_first:
                by_mode.setdefault((month, mode), set()).add(asset)
                by_month.setdefault(month, set()).add(asset)
                if month == month_keys[-1]:
                    last_month.setdefault(str(key), set()).add(asset)
    for month, assets in by_month.items():
        book.months[month].assets_in_force = len(assets)
    for key, assets in last_month.items():
        book.area(key).assets_in_force = len(assets)
    book.totals.assets_in_force = sum(len(a) for a in last_month.values())
    return tuple(
        ModeMonth(month, mode, len(assets)) for (month, mode), assets in sorted(by_mode.items())
    )


def _arrears(conn: Connection, place: Place, as_on: date, book: _Book) -> None:
    """Rent past due on ``as_on`` and still outstanding, as the asset register holds it (the
    test of domain/assets/billing.py ``overdue``: due before the day, something outstanding)."""
    i, r = asset_tables.invoices.c, asset_tables.register.c
    where, area = place.of_village(r.village_code)
    outstanding = i.amount_fen - i.received_fen - i.cancelled_fen
    query = (
        select(area, func.count(), func.sum(outstanding))
        .join_from(asset_tables.invoices, asset_tables.register, i.asset_id == r.asset_id)
        .where(where, i.due_on < as_on, outstanding > 0)
        .group_by(area)
    )
    for key, count, fen in conn.execute(query):
        for figures in (book.area(str(key)), book.totals):
            figures.arrears_invoices += int(count)
            figures.arrears_fen += int(fen or 0)


def _overdue_disclosures(conn: Connection, place: Place, as_on: date, book: _Book) -> None:
    """Disclosures (村务公开) due before ``as_on`` and not published by then (逾期未公开), as
    projections/disclosure_findings.py finds them (docs/rules.md D-02); one published late is
    not counted here."""
    for figures in (book.totals, *book.areas.values()):
        figures.overdue_disclosures = 0
    for found in overdue_disclosures(conn, place.code, as_on):
        if found.published_on is not None:
            continue
        key = found.village_code[:9] if place.level == DISTRICT else found.village_code
        for figures in (book.area(key), book.totals):
            figures.overdue_disclosures = (figures.overdue_disclosures or 0) + 1


def _findings(
    conn: Connection, place: Place, first: date, last: date, book: _Book
) -> dict[str, int]:
    """Meal findings by kind (projections/meals/findings.py): refused claims that look like
    fraud, by the day claimed, and meals recorded for a day after the elder's death."""
    where, area = place.of_village(points.c.village_code)
    kinds: dict[str, int] = {}
    refused = conn.execute(
        select(refusals.c.code, refusals.c.served_on, area, func.count())
        .join(points, points.c.meal_point_id == refusals.c.meal_point_id)
        .where(
            where,
            refusals.c.code.in_(list(REFUSAL_FINDINGS)),
            refusals.c.served_on.between(first, last),
        )
        .group_by(refusals.c.code, refusals.c.served_on, area)
    )
    # From the elders who died before the run's end to their meals by the (elder, day) index:
    # a walk of the few dead elders' meals, never of every meal of the run.
    dead = select(elders.c.elder_id).where(elders.c.died_on.is_not(None), elders.c.died_on < last)
    after_death = conn.execute(
        select(meals.c.served_on, area, func.count())
        .join(elders, elders.c.elder_id == meals.c.elder_id)
        .join(points, points.c.meal_point_id == meals.c.meal_point_id)
        .where(
            where,
            meals.c.elder_id.in_(dead),
            and_(elders.c.died_on.is_not(None), meals.c.served_on > elders.c.died_on),
            meals.c.served_on.between(first, last),
        )
        .group_by(meals.c.served_on, area)
    )
    counted = [(REFUSAL_FINDINGS[code], *rest) for code, *rest in refused]
    counted += [(AFTER_DEATH, *row) for row in after_death]
    for kind, day, key, count in counted:
        kinds[kind] = kinds.get(kind, 0) + int(count)
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            figures.findings += int(count)
    return kinds
