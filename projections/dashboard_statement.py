"""The one statement that reads a dashboard (projections/dashboard_queries.py folds its rows):
each section of the dashboard a select in a common shape (its number, then ``TEXTS`` texts,
``DATES`` dates and ``NUMBERS`` numbers, nulls where it has fewer), all of them one UNION ALL,
so that a dashboard is one round trip to the database whatever it shows. Built once per level
(district or town): building and keying some twenty selects in SQLAlchemy costs more than
running them; the place, the months and the day are bound at each execution.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
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
from projections import assets as asset_tables
from projections.dashboard import meal_days, meal_elders
from projections.disclosure import disclosures, schedule_versions
from projections.land.tables import parcels, payments
from projections.ledger.tables import balances
from projections.meals.findings import REFUSAL_FINDINGS
from projections.meals.tables import elders, meals, points, refusals
from projections.places import districts, towns, villages
from projections.summary import income

DISTRICT, TOWN = "district", "town"


@dataclass(frozen=True)
class Place:
    """A district (level ``district``, broken down by town) or a town (by village)."""

    code: str
    level: str
    district: str

    def area(self, table: Any) -> Any:
        """The breakdown column of such a table: its town (district) or village (town)."""
        return table.c.town_code if self.level == DISTRICT else table.c.village_code


# The sections of the one statement that reads a dashboard, and the columns every section
# fills or leaves null.
(
    NAME,
    AREAS,
    MEAL_DAYS,
    MEAL_AREAS,
    ELDER_MONTHS,
    ELDER_AREAS,
    ELDER_TOTAL,
    INCOME_MONTHS,
    INCOME_AREAS,
    LAND_SIGNED,
    LAND_PAID,
    ASSETS,
    ARREARS,
    REFUSED,
    MEALS_AFTER_DEATH,
    OD_VILLAGES,
    OD_FIRSTS,
    OD_VERSIONS,
    OD_PUBLISHED,
) = range(19)
TEXTS, DATES, NUMBERS = 4, 3, 5
Row = tuple[Any, ...]  # (t0 … t3, d0 … d2, n0 … n4) of one section
_MEAL_SUMS = ("meals", "price_fen", "government_fen", "collective_fen", "elder_fen")


def section(
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
        *padded(texts, TEXTS, String, "t"),
        *padded(dates, DATES, Date, "d"),
        *padded(numbers, NUMBERS, BigInteger, "n"),
    ]


@functools.cache
def statement(level: str) -> Select[Any]:
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
        name = select(*section(NAME, [districts.c.name])).where(districts.c.code == code)
        areas = select(*section(AREAS, [towns.c.code, towns.c.name])).where(
            towns.c.district_code == code
        )
    else:
        name = select(*section(NAME, [towns.c.name])).where(towns.c.code == code)
        areas = select(*section(AREAS, [villages.c.code, villages.c.name])).where(
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
        select(*section(MEAL_DAYS, dates=[meal_days.c.served_on], numbers=sums))
        .where(*where)
        .group_by(meal_days.c.served_on),
        select(*section(MEAL_AREAS, [area], numbers=sums)).where(*where).group_by(area),
    ]


def _elder_parts(place: Place, keyed: Keyed, from_month: Any, to_month: Any) -> list[Any]:
    """Distinct elders with a standing meal: per month, per area over the run, in all."""
    t = meal_elders.c
    where = [*keyed(meal_elders), t.month.between(from_month, to_month), t.meals > 0]
    area = place.area(meal_elders)
    distinct = func.count(t.elder_id.distinct())
    return [
        select(*section(ELDER_MONTHS, [t.month], numbers=[func.count()]))
        .where(*where)
        .group_by(t.month),
        select(*section(ELDER_AREAS, [area], numbers=[distinct])).where(*where).group_by(area),
        select(*section(ELDER_TOTAL, numbers=[distinct])).where(*where),
    ]


def _income_parts(place: Place, keyed: Keyed, from_month: Any, to_month: Any) -> list[Any]:
    """Net credit of 501–504 (projections/summary.py ``summary_income``)."""
    net = func.sum(income.c.credit_fen - income.c.debit_fen)
    where = [*keyed(income), income.c.month.between(from_month, to_month)]
    area = place.area(income)
    return [
        select(*section(INCOME_MONTHS, [income.c.month], numbers=[net]))
        .where(*where)
        .group_by(income.c.month),
        select(*section(INCOME_AREAS, [area], numbers=[net])).where(*where).group_by(area),
    ]


def _land_parts(place: Place, keyed: Keyed, first: Any, last: Any) -> list[Any]:
    """Contracts signed (count, area, price) and installments and levy paid, by their days."""
    area = place.area(parcels)
    signed = select(
        *section(
            LAND_SIGNED,
            [area, parcels.c.area_m2],
            [parcels.c.contract_signed_on],
            [parcels.c.price_fen],
        )
    ).where(*keyed(parcels), parcels.c.contract_signed_on.between(first, last))
    paid = (
        select(
            *section(
                LAND_PAID,
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


def _assets_part(of_village: OfVillage, first: Any, last: Any) -> Any:
    c = asset_tables.contracts.c
    where, area = of_village(c.village_code)
    return select(
        *section(ASSETS, [c.asset_id, c.mode, area], [c.start_on, c.end_on, c.terminated_on])
    ).where(where, c.start_on <= last, c.end_on >= first)


def _arrears_part(of_village: OfVillage, as_on: Any) -> Any:
    """Rent past due on ``as_on`` and still outstanding, as the asset register holds it (the
    test of domain/assets/billing.py ``overdue``: due before the day, something outstanding)."""
    i, r = asset_tables.invoices.c, asset_tables.register.c
    where, area = of_village(r.village_code)
    outstanding = i.amount_fen - i.received_fen - i.cancelled_fen
    return (
        select(*section(ARREARS, [area], numbers=[func.count(), func.sum(outstanding)]))
        .join_from(asset_tables.invoices, asset_tables.register, i.asset_id == r.asset_id)
        .where(where, i.due_on < as_on, outstanding > 0)
        .group_by(area)
    )


def _overdue_parts(pattern: Any) -> list[Any]:
    """What projections/disclosure_findings.py ``overdue_disclosures`` reads for the place:
    its villages, their first posted months, the schedule's versions, the first publications."""
    in_place = select(villages.c.code).where(villages.c.code.like(pattern)).scalar_subquery()
    v, d = schedule_versions.c, disclosures.c
    return [
        select(*section(OD_VILLAGES, [villages.c.code, villages.c.name])).where(
            villages.c.code.like(pattern)
        ),
        select(*section(OD_FIRSTS, [balances.c.village_code, func.min(balances.c.month)]))
        .where(balances.c.village_code.in_(in_place))
        .group_by(balances.c.village_code),
        select(
            *section(
                OD_VERSIONS,
                [v.jurisdiction, v.frequency],
                [v.effective_from],
                [v.due_days, v.source_notification_id],
            )
        ),
        select(*section(OD_PUBLISHED, [d.village_code, d.period], [func.min(d.published_on)]))
        .where(d.village_code.in_(in_place), d.state == PUBLISHED)
        .group_by(d.village_code, d.period),
    ]


def _finding_parts(of_village: OfVillage, first: Any, last: Any) -> list[Any]:
    """Meal findings by kind (projections/meals/findings.py): refused claims that look like
    fraud, by the day claimed, and meals recorded for a day after the elder's death."""
    where, area = of_village(points.c.village_code)
    refused = (
        select(*section(REFUSED, [refusals.c.code, area], [refusals.c.served_on], [func.count()]))
        .join_from(refusals, points, points.c.meal_point_id == refusals.c.meal_point_id)
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
    after_death = (
        select(*section(MEALS_AFTER_DEATH, [area], [meals.c.served_on], [func.count()]))
        .select_from(meals)
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
    return [refused, after_death]
