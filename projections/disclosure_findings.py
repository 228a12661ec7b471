"""Overdue disclosures (村务公开, docs/rules.md D-02): for a place and a day, each village and
each period its schedule in force asked for, ended before the day, whose due day (the period's
end + due_days) has passed without a publication by then; one published late is listed with its
publication day and the days it was late. A pure read of the read models: the schedule's
versions are folded by projections/disclosure.py, the first posting month is the ledger's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from domain.disclosure.periods import Period, period_containing
from domain.disclosure.policy_keys import DEFAULT_SCHEDULE, Schedule
from domain.disclosure.vocabulary import KIND_OF_FREQUENCY, PUBLISHED
from domain.shared.values import jurisdiction_chain
from projections.disclosure import disclosures, schedule_versions
from projections.ledger.tables import balances
from projections.places import villages

MAX_OVERDUE = 2000  # findings of one place at once, the first by village and period


@dataclass(frozen=True)
class OverdueDisclosure:
    """published_on: None when not published by ``as_on``; days_late: to the publication, or
    to ``as_on`` when none."""

    village_code: str
    village_name: str
    period: str
    period_end: date
    due_on: date
    published_on: date | None
    days_late: int


def _place_filter(place_code: str) -> Any:
    if len(place_code) == 12:
        return villages.c.code == place_code
    return villages.c.code.startswith(place_code, autoescape=True)


Versions = dict[str, list[tuple[date, int, Schedule]]]


def _versions(conn: Connection) -> Versions:
    rows = conn.execute(
        select(
            schedule_versions.c.jurisdiction,
            schedule_versions.c.frequency,
            schedule_versions.c.effective_from,
            schedule_versions.c.due_days,
            schedule_versions.c.source_notification_id,
        )
    )
    return versions_of(rows)


def versions_of(rows: Iterable[Sequence[Any]]) -> Versions:
    """The schedule's versions by jurisdiction, from rows (jurisdiction, frequency,
    effective_from, due_days, source notification id)."""
    found: Versions = {}
    for jurisdiction, frequency, effective_from, due_days, source in rows:
        schedule = Schedule(frequency, int(due_days), effective_from)
        found.setdefault(jurisdiction, []).append((effective_from, int(source), schedule))
    return found


def schedule_on(versions: Versions, code: str, on: date) -> Schedule:
    """The schedule in force for the village ``code`` on ``on`` (docs/rules.md P-01, D-02)."""
    for jurisdiction in jurisdiction_chain(code):
        candidates = [v for v in versions.get(jurisdiction, []) if v[0] <= on]
        if candidates:
            return max(candidates, key=lambda v: (v[0], v[1]))[2]
    return Schedule(DEFAULT_SCHEDULE["frequency"], DEFAULT_SCHEDULE["due_days"])


def _first_publications(conn: Connection, codes: list[str]) -> dict[tuple[str, str], date]:
    query = (
        select(
            disclosures.c.village_code, disclosures.c.period, func.min(disclosures.c.published_on)
        )
        .where(disclosures.c.village_code.in_(codes), disclosures.c.state == PUBLISHED)
        .group_by(disclosures.c.village_code, disclosures.c.period)
    )
    return {(v, p): d for v, p, d in conn.execute(query)}


def _periods(start: date, as_on: date, code: str, versions: Any) -> list[tuple[Period, date]]:
    """The periods from ``start`` that ended before ``as_on``, each with its due day."""
    found: list[tuple[Period, date]] = []
    day = start
    while True:
        schedule = schedule_on(versions, code, day)
        period = period_containing(day, KIND_OF_FREQUENCY[schedule.frequency])
        if period.end >= as_on:
            return found
        in_force = schedule_on(versions, code, period.end)
        found.append((period, period.end + timedelta(days=in_force.due_days)))
        day = period.end + timedelta(days=1)


def overdue_disclosures(conn: Connection, place_code: str, as_on: date) -> list[OverdueDisclosure]:
    """Every overdue disclosure of the villages of ``place_code`` (a village, town or district
    code) on ``as_on``, by village and period."""
    rows = conn.execute(
        select(villages.c.code, villages.c.name)
        .where(_place_filter(place_code))
        .order_by(villages.c.code)
    ).all()
    codes = [str(code) for code, _ in rows]
    if not codes:
        return []
    firsts = conn.execute(
        select(balances.c.village_code, func.min(balances.c.month))
        .where(balances.c.village_code.in_(codes))
        .group_by(balances.c.village_code)
    )
    return overdue_of(rows, firsts, _versions(conn), _first_publications(conn, codes), as_on)


def overdue_of(
    villages_found: Iterable[Sequence[Any]],
    first_months: Iterable[Sequence[Any]],
    versions: Versions,
    published: dict[tuple[str, str], date],
    as_on: date,
) -> list[OverdueDisclosure]:
    """The overdue disclosures of ``villages_found`` (code, name), from their first posted
    months (code, 'YYYY-MM'), the schedule's versions and the first publication of each
    (village, period): what ``overdue_disclosures`` reads, folded."""
    firsts: dict[str, str] = {
        str(code): str(month) for code, month in first_months if month is not None
    }
    found: list[OverdueDisclosure] = []
    for code, name in sorted((str(c), n) for c, n in villages_found):
        first_month = firsts.get(code)
        if first_month is None:
            continue  # nothing posted yet: nothing to disclose
        start = date.fromisoformat(f"{first_month}-01")
        chain = jurisdiction_chain(code)
        effective = [v[0] for j in chain for v in versions.get(j, [])]
        if effective:
            start = max(start, min(effective))
        for period, due_on in _periods(start, as_on, code, versions):
            if due_on >= as_on:
                continue
            on = published.get((code, period.text))
            if on is not None and on <= due_on:
                continue
            late_to = on if on is not None and on <= as_on else None
            end = late_to or as_on
            found.append(
                OverdueDisclosure(
                    code, str(name), period.text, period.end, due_on, late_to, (end - due_on).days
                )
            )
            if len(found) >= MAX_OVERDUE:
                return found
    return found
