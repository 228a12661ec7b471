"""Reading the dashboard of a district or a town over a run of months (docs/dashboard.md): each
section is one or two set-based, indexed selects over read models that are sums already or
registers bounded by the place (parcels, contracts, invoices, refusals), never a loop over
villages and never a walk of the log. The sections are read in one statement (a UNION ALL of
them in a common shape, built once per level), so the dashboard is one round trip to the
database. Figures are whole fen until the API turns them to yuan.

Breakdowns are by town for a district and by village for a town.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection

from domain.shared.clock import month_of
from projections import dashboard_statement as s
from projections.dashboard_figures import Figures, MealMoney, months_between
from projections.dashboard_statement import DISTRICT, TOWN
from projections.disclosure_findings import overdue_of, versions_of
from projections.meals.findings import REFUSAL_FINDINGS

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
    sections: dict[int, list[s.Row]] = {n: [] for n in range(19)}
    for section, *row in conn.execute(s.statement(level), values):
        sections[section].append(tuple(row))
    if not sections[s.NAME]:
        return None
    name = sections[s.NAME][0][0]
    place = s.Place(place_code, level, place_code[:6])
    months = {m: Figures(m, m) for m in months_between(from_month, to_month)}
    areas = {str(r[0]): Figures(str(r[0]), str(r[1])) for r in sorted(sections[s.AREAS])}
    totals = Figures(place_code, str(name))
    book = _Book(months, areas, totals)
    days = _meals(sections, book)
    _elders(sections, book)
    _income(sections, book)
    _land(sections, book)
    by_mode = _assets(sections[s.ASSETS], first, last, book)
    _arrears(sections[s.ARREARS], book)
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


def _meals(sections: dict[int, list[s.Row]], book: _Book) -> tuple[DayMeals, ...]:
    days = []
    for row in sorted(sections[s.MEAL_DAYS], key=lambda r: r[s.TEXTS]):
        day, counts = row[s.TEXTS], [int(v or 0) for v in row[s.TEXTS + s.DATES :]]
        days.append(DayMeals(day, *counts))
        for figures in (book.month(month_of(day)), book.totals):
            figures.add_meals(counts)
    for row in sections[s.MEAL_AREAS]:
        book.area(str(row[0])).add_meals([int(v or 0) for v in row[s.TEXTS + s.DATES :]])
    return tuple(d for d in days if d.meals or d.price_fen)


def _elders(sections: dict[int, list[s.Row]], book: _Book) -> None:
    n = s.TEXTS + s.DATES
    for row in sections[s.ELDER_MONTHS]:
        book.month(str(row[0])).elders_served = int(row[n])
    for row in sections[s.ELDER_AREAS]:
        book.area(str(row[0])).elders_served = int(row[n])
    book.totals.elders_served = sum(int(row[n] or 0) for row in sections[s.ELDER_TOTAL])


def _income(sections: dict[int, list[s.Row]], book: _Book) -> None:
    n = s.TEXTS + s.DATES
    for row in sections[s.INCOME_MONTHS]:
        book.month(str(row[0])).income_fen += int(row[n] or 0)
        book.totals.income_fen += int(row[n] or 0)
    for row in sections[s.INCOME_AREAS]:
        book.area(str(row[0])).income_fen += int(row[n] or 0)


def _land(sections: dict[int, list[s.Row]], book: _Book) -> None:
    d, n = s.TEXTS, s.TEXTS + s.DATES
    for row in sections[s.LAND_SIGNED]:
        key, area_m2, day, price = row[0], row[1], row[d], row[n]
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            figures.land_contracts += 1
            figures.land_area_m2 += Decimal(area_m2)
            figures.land_price_fen += int(price or 0)
    for row in sections[s.LAND_PAID]:
        kind, key, day, fen = row[0], row[1], row[d], row[n]
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            if kind == "installment":
                figures.installments_fen += int(fen or 0)
            else:
                figures.levy_paid_fen += int(fen or 0)


def _assets(rows: list[s.Row], first: date, last: date, book: _Book) -> tuple[ModeMonth, ...]:
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


def _arrears(rows: list[s.Row], book: _Book) -> None:
    n = s.TEXTS + s.DATES
    for row in rows:
        for figures in (book.area(str(row[0])), book.totals):
            figures.arrears_invoices += int(row[n])
            figures.arrears_fen += int(row[n + 1] or 0)


def _overdue_disclosures(
    sections: dict[int, list[s.Row]], place: s.Place, as_on: date, book: _Book
) -> None:
    """Disclosures (村务公开) due before ``as_on`` and not published by then (逾期未公开), as
    projections/disclosure_findings.py finds them (docs/rules.md D-02); one published late is
    not counted here."""
    for figures in (book.totals, *book.areas.values()):
        figures.overdue_disclosures = 0
    d, n = s.TEXTS, s.TEXTS + s.DATES
    found_all = overdue_of(
        [(r[0], r[1]) for r in sections[s.OD_VILLAGES]],
        [(r[0], r[1]) for r in sections[s.OD_FIRSTS]],
        versions_of((r[0], r[1], r[d], r[n], r[n + 1]) for r in sections[s.OD_VERSIONS]),
        {(r[0], r[1]): r[d] for r in sections[s.OD_PUBLISHED]},
        as_on,
    )
    for found in found_all:
        if found.published_on is not None:
            continue
        key = found.village_code[:9] if place.level == DISTRICT else found.village_code
        for figures in (book.area(key), book.totals):
            figures.overdue_disclosures = (figures.overdue_disclosures or 0) + 1


def _findings(sections: dict[int, list[s.Row]], book: _Book) -> dict[str, int]:
    d, n = s.TEXTS, s.TEXTS + s.DATES
    kinds: dict[str, int] = {}
    counted = [(REFUSAL_FINDINGS[r[0]], r[d], r[1], r[n]) for r in sections[s.REFUSED]]
    counted += [(AFTER_DEATH, r[d], r[0], r[n]) for r in sections[s.MEALS_AFTER_DEATH]]
    for kind, day, key, count in counted:
        kinds[kind] = kinds.get(kind, 0) + int(count)
        for figures in (book.month(month_of(day)), book.area(str(key)), book.totals):
            figures.findings += int(count)
    return kinds
