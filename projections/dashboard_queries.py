"""Reading the dashboard of a district or a town over a run of months (docs/dashboard.md): each
section is one or two set-based, indexed selects over read models that are sums already or
registers bounded by the place (parcels, contracts, invoices, refusals), never a loop over
villages and never a walk of the log. The sections are read in one statement (a UNION ALL of
them in a common shape, built once per level), so the dashboard is one round trip to the
database. Figures are whole fen until the API turns them to yuan.

Breakdowns are by town for a district and by village for a town.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from domain.disclosure.vocabulary import PUBLISHED
from domain.shared.clock import month_of
from projections import assets as asset_tables
from projections.dashboard import meal_days, meal_elders
from projections.dashboard_figures import Figures, months_between, yuan
from projections.disclosure import disclosures, schedule_versions
from projections.disclosure_findings import overdue_of, versions_of
from projections.land.tables import parcels, payments
from projections.ledger.tables import balances
from projections.meals.findings import REFUSAL_FINDINGS
from projections.meals.tables import elders, meals, points, refusals
from projections.places import districts, towns, villages
from projections.summary import income

DISTRICT, TOWN = "district", "town"
AFTER_DEATH = "meal_after_death"
# Every finding kind the dashboard counts (the statistical signals are on the findings page).
DASHBOARD_FINDING_KINDS = tuple(dict.fromkeys(REFUSAL_FINDINGS.values()))


@dataclass(frozen=True)
class DayMeals:
    day: date
    meals: int
    price_fen: int
    government_fen: int
    collective_fen: int
    elder_fen: int

    @property
    def price(self) -> Decimal:
        return yuan(self.price_fen)

    @property
    def government(self) -> Decimal:
        return yuan(self.government_fen)

    @property
    def collective(self) -> Decimal:
        return yuan(self.collective_fen)

    @property
    def co_payment(self) -> Decimal:
        return yuan(self.elder_fen)


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


# The sections of the one statement that reads a dashboard, and the columns every section
# fills or leaves null.
(
    _NAME,
    _AREAS,
    _MEAL_DAYS,
    _MEAL_AREAS,
    _ELDER_MONTHS,
    _ELDER_AREAS,
    _ELDER_TOTAL,
    _INCOME_MONTHS,
    _INCOME_AREAS,
    _LAND_SIGNED,
    _LAND_PAID,
    _ASSETS,
    _ARREARS,
    _REFUSED,
    _AFTER_DEATH,
    _OD_VILLAGES,
    _OD_FIRSTS,
    _OD_VERSIONS,
    _OD_PUBLISHED,
) = range(19)
_TEXTS, _DATES, _NUMBERS = 4, 3, 5
Row = tuple[Any, ...]  # (t0 … t3, d0 … d2, n0 … n4) of one section


def dashboard(
    conn: Connection, place_code: str, from_month: str, to_month: str, as_on: date
) -> Dashboard | None:
    """The dashboard of a district (6 digits) or a town (9) from ``from_month`` to ``to_month``
    ('YYYY-MM', checked by the caller); None when no such place. Arrears and overdue
    disclosures stand on ``as_on``. One statement: every section's rows in a common shape."""
    level = DISTRICT if len(place_code) == 6 else TOWN
    first = date.fromisoformat(f"{from_month}-01")
    last = _month_end(date.fromisoformat(f"{to_month}-01"))
    values = {
        "place": place_code,
        "district": place_code[:6],
        "pattern": f"{place_code}%",  # the code is digits only (checked by the API)
        "first": first,
        "last": last,
        "from_month": from_month,
        "to_month": to_month,
        "as_on": as_on,
    }
    sections: dict[int, list[Row]] = {n: [] for n in range(19)}
    for section, *row in conn.execute(_dashboard_query(level), values):
        sections[section].append(tuple(row))
    if not sections[_NAME]:
        return None
    name = sections[_NAME][0][0]
    place = Place(place_code, level, place_code[:6])
    months = {m: Figures(m, m) for m in months_between(from_month, to_month)}
    areas = {str(r[0]): Figures(str(r[0]), str(r[1])) for r in sorted(sections[_AREAS])}
    totals = Figures(place_code, str(name))
    book = _Book(months, areas, totals)
    days = _meals(sections, book)
    _elders(sections, book)
    _income(sections, book)
    _land(sections, book)
    by_mode = _assets(sections[_ASSETS], first, last, book)
    _arrears(sections[_ARREARS], book)
    _overdue_disclosures(sections, place, as_on, book)
    kinds = _findings(sections, book)
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


def _section(
    number: int,
    texts: Sequence[Any] = (),
    dates: Sequence[Any] = (),
    numbers: Sequence[Any] = (),
) -> list[Any]:
    """A section's columns in the common shape: its number, texts, dates, numbers, each
    padded with typed nulls (PostgreSQL types a UNION's columns by the first select's)."""

    def padded(values: Sequence[Any], width: int, kind: Any, prefix: str) -> list[Any]:
        nulls = [cast(null(), kind) for _ in range(width - len(values))]
        return [v.label(f"{prefix}{n}") for n, v in enumerate([*values, *nulls])]

    return [
        literal_column(str(number), Integer).label("section"),
        *padded(texts, _TEXTS, String, "t"),
        *padded(dates, _DATES, Date, "d"),
        *padded(numbers, _NUMBERS, BigInteger, "n"),
    ]


@functools.cache
def _dashboard_query(level: str) -> Select[Any]:
    """Every section of a district's or a town's dashboard as one UNION ALL, built once per
    level (building and keying fifteen selects costs more than running them); the values are
    bound at each execution (``dashboard``)."""
    place = Place("", level, "")
    code, district = bindparam("place", type_=String), bindparam("district", type_=String)
    pattern = bindparam("pattern", type_=String)
    first, last = bindparam("first", type_=Date), bindparam("last", type_=Date)
    from_month = bindparam("from_month", type_=String)
    to_month = bindparam("to_month", type_=String)
    as_on = bindparam("as_on", type_=Date)

    def keyed(table: Any) -> list[ColumnElement[bool]]:
        where = [table.c.district_code == district]
        if level == TOWN:
            where.append(table.c.town_code == code)
        return where

    def of_village(column: Any) -> tuple[ColumnElement[bool], Any]:
        return column.like(pattern), func.substr(column, 1, 9) if level == DISTRICT else column

    if level == DISTRICT:
        name = select(*_section(_NAME, [districts.c.name])).where(districts.c.code == code)
        areas = select(*_section(_AREAS, [towns.c.code, towns.c.name])).where(
            towns.c.district_code == code
        )
    else:
        name = select(*_section(_NAME, [towns.c.name])).where(towns.c.code == code)
        areas = select(*_section(_AREAS, [villages.c.code, villages.c.name])).where(
            villages.c.town_code == code
        )
    parts = [
        name,
        areas,
        *_meal_parts(place, keyed, first, last),
        *_elder_parts(place, keyed, from_month, to_month),
        *_income_parts(place, keyed, from_month, to_month),
        *_land_parts(place, keyed, first, last),
        _assets_part(of_village, first, last),
        _arrears_part(of_village, as_on),
        *_finding_parts(of_village, first, last),
        *_overdue_parts(pattern),
    ]
    return union_all(*parts)  # type: ignore[return-value]


Keyed = Callable[[Any], list[ColumnElement[bool]]]
OfVillage = Callable[[Any], tuple[ColumnElement[bool], Any]]


def _meal_parts(place: Place, keyed: Keyed, first: Any, last: Any) -> list[Any]:
    sums = [func.sum(meal_days.c[c]) for c in _MEAL_SUMS]
    where = [*keyed(meal_days), meal_days.c.served_on.between(first, last)]
    area = place.area(meal_days)
    return [
        select(*_section(_MEAL_DAYS, dates=[meal_days.c.served_on], numbers=sums))
        .where(*where)
        .group_by(meal_days.c.served_on),
        select(*_section(_MEAL_AREAS, [area], numbers=sums)).where(*where).group_by(area),
    ]


def _meals(sections: dict[int, list[Row]], book: _Book) -> tuple[DayMeals, ...]:
    days = []
    for row in sorted(sections[_MEAL_DAYS], key=lambda r: r[_TEXTS]):
        day, counts = row[_TEXTS], [int(v or 0) for v in row[_TEXTS + _DATES :]]
        days.append(DayMeals(day, *counts))
        for figures in (book.month(month_of(day)), book.totals):
            figures.add_meals(counts)
    for row in sections[_MEAL_AREAS]:
        book.area(str(row[0])).add_meals([int(v or 0) for v in row[_TEXTS + _DATES :]])
    return tuple(d for d in days if d.meals or d.price_fen)


def _elder_parts(place: Place, keyed: Keyed, from_month: Any, to_month: Any) -> list[Any]:
    """Distinct elders with a standing meal: per month, per area over the run, in all."""
    t = meal_elders.c
    where = [*keyed(meal_elders), t.month.between(from_month, to_month), t.meals > 0]
    area = place.area(meal_elders)
    distinct = func.count(t.elder_id.distinct())
    return [
        select(*_section(_ELDER_MONTHS, [t.month], numbers=[func.count()]))
        .where(*where)
        .group_by(t.month),
        select(*_section(_ELDER_AREAS, [area], numbers=[distinct])).where(*where).group_by(area),
        select(*_section(_ELDER_TOTAL, numbers=[distinct])).where(*where),
    ]


def _elders(sections: dict[int, list[Row]], book: _Book) -> None:
    n = _TEXTS + _DATES
    for row in sections[_ELDER_MONTHS]:
        book.month(str(row[0])).elders_served = int(row[n])
    for row in sections[_ELDER_AREAS]:
        book.area(str(row[0])).elders_served = int(row[n])
    book.totals.elders_served = sum(int(row[n] or 0) for row in sections[_ELDER_TOTAL])


def _income_parts(place: Place, keyed: Keyed, from_month: Any, to_month: Any) -> list[Any]:
    """Net credit of 501–504 (projections/summary.py ``summary_income``)."""
    net = func.sum(income.c.credit_fen - income.c.debit_fen)
    where = [*keyed(income), income.c.month.between(from_month, to_month)]
    area = place.area(income)
    return [
        select(*_section(_INCOME_MONTHS, [income.c.month], numbers=[net]))
        .where(*where)
        .group_by(income.c.month),
        select(*_section(_INCOME_AREAS, [area], numbers=[net])).where(*where).group_by(area),
    ]


def _income(sections: dict[int, list[Row]], book: _Book) -> None:
    n = _TEXTS + _DATES
    for row in sections[_INCOME_MONTHS]:
        book.month(str(row[0])).income_fen += int(row[n] or 0)
        book.totals.income_fen += int(row[n] or 0)
    for row in sections[_INCOME_AREAS]:
        book.area(str(row[0])).income_fen += int(row[n] or 0)


def _land_parts(place: Place, keyed: Keyed, first: Any, last: Any) -> list[Any]:
    """Contracts signed (count, area, price) and installments and levy paid, by their days."""
    area = place.area(parcels)
    signed = select(
        *_section(
            _LAND_SIGNED,
            [area, parcels.c.area_m2],
            [parcels.c.contract_signed_on],
            [parcels.c.price_fen],
        )
    ).where(*keyed(parcels), parcels.c.contract_signed_on.between(first, last))
    paid = (
        select(
            *_section(
                _LAND_PAID,
                [payments.c.kind, area],
                [payments.c.paid_on],
                [func.sum(payments.c.amount_fen)],
            )
        )
        .join_from(payments, parcels, parcels.c.parcel_id == payments.c.parcel_id)
        .where(
            *keyed(parcels),
            payments.c.kind.in_(("installment", "levy")),
            payments.c.paid_on.between(first, last),
        )
        .group_by(payments.c.kind, payments.c.paid_on, area)
    )
    return [signed, paid]


def _land(sections: dict[int, list[Row]], book: _Book) -> None:
    d, n = _TEXTS, _TEXTS + _DATES
    for row in sections[_LAND_SIGNED]:
        key, area_m2, day, price = row[0], row[1], row[d], row[n]
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            figures.land_contracts += 1
            figures.land_area_m2 += Decimal(area_m2)
            figures.land_price_fen += int(price or 0)
    for row in sections[_LAND_PAID]:
        kind, key, day, fen = row[0], row[1], row[d], row[n]
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            if kind == "installment":
                figures.installments_fen += int(fen or 0)
            else:
                figures.levy_paid_fen += int(fen or 0)


def _assets_part(of_village: OfVillage, first: Any, last: Any) -> Any:
    c = asset_tables.contracts.c
    where, area = of_village(c.village_code)
    return select(
        *_section(_ASSETS, [c.asset_id, c.mode, area], [c.start_on, c.end_on, c.terminated_on])
    ).where(where, c.start_on <= last, c.end_on >= first)


def _assets(rows: list[Row], first: date, last: date, book: _Book) -> tuple[ModeMonth, ...]:
    """Assets put to use (a lease, equity, cooperation or self-operation contract) in force on
    some day of each month, by mode; per area and in all: in force in the last month."""
    by_mode: dict[tuple[str, str], set[str]] = {}
    by_month: dict[str, set[str]] = {}  # an asset whose mode changed in the month: once
    last_month: dict[str, set[str]] = {}
    month_keys = list(book.months)
    for asset, mode, key, _, start, end, terminated, *_ in rows:
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


def _arrears_part(of_village: OfVillage, as_on: Any) -> Any:
    """Rent past due on ``as_on`` and still outstanding, as the asset register holds it (the
    test of domain/assets/billing.py ``overdue``: due before the day, something outstanding)."""
    i, r = asset_tables.invoices.c, asset_tables.register.c
    where, area = of_village(r.village_code)
    outstanding = i.amount_fen - i.received_fen - i.cancelled_fen
    return (
        select(*_section(_ARREARS, [area], numbers=[func.count(), func.sum(outstanding)]))
        .join_from(asset_tables.invoices, asset_tables.register, i.asset_id == r.asset_id)
        .where(where, i.due_on < as_on, outstanding > 0)
        .group_by(area)
    )


def _arrears(rows: list[Row], book: _Book) -> None:
    n = _TEXTS + _DATES
    for row in rows:
        for figures in (book.area(str(row[0])), book.totals):
            figures.arrears_invoices += int(row[n])
            figures.arrears_fen += int(row[n + 1] or 0)


def _overdue_parts(pattern: Any) -> list[Any]:
    """What projections/disclosure_findings.py ``overdue_disclosures`` reads for the place:
    its villages, their first posted months, the schedule's versions, the first publications."""
    in_place = select(villages.c.code).where(villages.c.code.like(pattern)).scalar_subquery()
    v, d = schedule_versions.c, disclosures.c
    return [
        select(*_section(_OD_VILLAGES, [villages.c.code, villages.c.name])).where(
            villages.c.code.like(pattern)
        ),
        select(*_section(_OD_FIRSTS, [balances.c.village_code, func.min(balances.c.month)]))
        .where(balances.c.village_code.in_(in_place))
        .group_by(balances.c.village_code),
        select(
            *_section(
                _OD_VERSIONS,
                [v.jurisdiction, v.frequency],
                [v.effective_from],
                [v.due_days, v.source_notification_id],
            )
        ),
        select(*_section(_OD_PUBLISHED, [d.village_code, d.period], [func.min(d.published_on)]))
        .where(d.village_code.in_(in_place), d.state == PUBLISHED)
        .group_by(d.village_code, d.period),
    ]


def _overdue_disclosures(
    sections: dict[int, list[Row]], place: Place, as_on: date, book: _Book
) -> None:
    """Disclosures (村务公开) due before ``as_on`` and not published by then (逾期未公开), as
    projections/disclosure_findings.py finds them (docs/rules.md D-02); one published late is
    not counted here."""
    for figures in (book.totals, *book.areas.values()):
        figures.overdue_disclosures = 0
    d, n = _TEXTS, _TEXTS + _DATES
    found_all = overdue_of(
        [(r[0], r[1]) for r in sections[_OD_VILLAGES]],
        [(r[0], r[1]) for r in sections[_OD_FIRSTS]],
        versions_of((r[0], r[1], r[d], r[n], r[n + 1]) for r in sections[_OD_VERSIONS]),
        {(r[0], r[1]): r[d] for r in sections[_OD_PUBLISHED]},
        as_on,
    )
    for found in found_all:
        if found.published_on is not None:
            continue
        key = found.village_code[:9] if place.level == DISTRICT else found.village_code
        for figures in (book.area(key), book.totals):
            figures.overdue_disclosures = (figures.overdue_disclosures or 0) + 1


def _finding_parts(of_village: OfVillage, first: Any, last: Any) -> list[Any]:
    """Meal findings by kind (projections/meals/findings.py): refused claims that look like
    fraud, by the day claimed, and meals recorded for a day after the elder's death."""
    where, area = of_village(points.c.village_code)
    refused = (
        select(*_section(_REFUSED, [refusals.c.code, area], [refusals.c.served_on], [func.count()]))
        .join_from(refusals, points, points.c.meal_point_id == refusals.c.meal_point_id)
        .where(
            where,
            refusals.c.code.in_(list(REFUSAL_FINDINGS)),
            refusals.c.served_on.between(first, last),
        )
        .group_by(refusals.c.code, refusals.c.served_on, area)
    )
    after_death = (
        select(*_section(_AFTER_DEATH, [area], [meals.c.served_on], [func.count()]))
        .select_from(meals)
        .join(elders, elders.c.elder_id == meals.c.elder_id)
        .join(points, points.c.meal_point_id == meals.c.meal_point_id)
        .where(
            where,
            and_(elders.c.died_on.is_not(None), meals.c.served_on > elders.c.died_on),
            meals.c.served_on.between(first, last),
        )
        .group_by(meals.c.served_on, area)
    )
    return [refused, after_death]


def _findings(sections: dict[int, list[Row]], book: _Book) -> dict[str, int]:
    d, n = _TEXTS, _TEXTS + _DATES
    kinds: dict[str, int] = {}
    counted = [(REFUSAL_FINDINGS[r[0]], r[d], r[1], r[n]) for r in sections[_REFUSED]]
    counted += [(AFTER_DEATH, r[d], r[0], r[n]) for r in sections[_AFTER_DEATH]]
    for kind, day, key, count in counted:
        kinds[kind] = kinds.get(kind, 0) + int(count)
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            figures.findings += int(count)
    return kinds
