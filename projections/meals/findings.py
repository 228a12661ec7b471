"""Audit findings on meal assistance, each with the events that prove it.

Findings are queries over the meal-assistance read models (a fold of the log like any other,
rebuilt with them). Each names the notification ids and aggregate ids an auditor opens to see
the facts: the refused upload, the meal, the death, the void.

- refused attempts that look like fraud: a claim after death, a second claim for the same elder,
  date and slot (at this or another point), a meal outside its slot's window, a claim for an
  unknown elder;
- meals recorded for a day after the elder's death (voided or, worse, still standing);
- daily counts above the point's capacity; a sudden spike at one point; an elder who never
  missed a day for months (invented meals are regular; real people fall ill and travel).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import Connection, func, select

from projections.meals.tables import elders, meals, points, refusals

FINDING_KINDS = {
    "meal_after_death": "a meal claimed for a day after the elder's death",
    "duplicate_claim": "a second claim for an elder, date and slot (same or another point)",
    "meal_outside_window": "a meal claimed outside its slot's time window",
    "claim_for_unknown_elder": "a meal claimed for someone the registry does not know",
    "daily_count_above_capacity": "a point served more meals in a day than its capacity",
    "sudden_spike": "a point's daily count jumped far above its recent average",
    "never_absent": "an elder had meals every single day for months",
}
FINDING_STATUSES = {
    "refused": "an attempt the registry turned down",
    "voided": "recorded, then voided",
    "standing": "recorded and still counted",
    "pattern": "a statistical signal",
}
REFUSAL_FINDINGS = {
    "meal_after_death": "meal_after_death",
    "second_meal_in_slot": "duplicate_claim",
    "time_outside_slot_window": "meal_outside_window",
    "elder_unknown": "claim_for_unknown_elder",
}
SPIKE_RATIO = 2  # a day at least twice the average of the days before …
SPIKE_MIN_MEALS = 20  # … and at least this many meals (small points vary a lot)
SPIKE_WINDOW_DAYS = 14
SPIKE_MIN_HISTORY_DAYS = 5
NEVER_ABSENT_DAYS = 90
MAX_EVIDENCE = 50
MAX_FINDINGS = 5000


@dataclass(frozen=True)
class Finding:
    """status: refused (an attempt the registry turned down) | voided (recorded, then voided) |
    standing (recorded and still counted) | pattern (a statistical signal). on: the day (a run:
    its last day)."""

    kind: str
    on: date
    meal_point_id: str | None
    elder_id: str | None
    slot: str | None
    status: str
    detail: str
    evidence_notification_ids: tuple[int, ...]
    evidence_aggregate_ids: tuple[str, ...]


def findings(
    conn: Connection,
    date_from: date,
    date_to: date,
    meal_point_id: UUID | str | None = None,
    kinds: Iterable[str] | None = None,
) -> list[Finding]:
    wanted = set(kinds) if kinds is not None else set(FINDING_KINDS)
    point = str(meal_point_id) if meal_point_id is not None else None
    found: list[Finding] = []
    if wanted & set(REFUSAL_FINDINGS.values()):
        found += refused_attempts(conn, date_from, date_to, point)
    if "meal_after_death" in wanted:
        found += meals_after_death(conn, date_from, date_to, point)
    if "daily_count_above_capacity" in wanted:
        found += above_capacity(conn, date_from, date_to, point)
    if "sudden_spike" in wanted:
        found += spikes(conn, date_from, date_to, point)
    if "never_absent" in wanted:
        found += never_absent(conn, date_from, date_to, point)
    found = [f for f in found if f.kind in wanted]
    found.sort(key=lambda f: (f.on, f.kind, f.meal_point_id or "", f.elder_id or ""))
    return found[:MAX_FINDINGS]


def refused_attempts(
    conn: Connection, date_from: date, date_to: date, point: str | None
) -> list[Finding]:
    existing = meals.alias("existing")
    query = (
        select(refusals, existing.c.recorded_notification_id, elders.c.died_notification_id)
        .outerjoin(existing, existing.c.meal_id == refusals.c.existing_meal_id)
        .outerjoin(elders, elders.c.elder_id == refusals.c.elder_id)
        .where(
            refusals.c.code.in_(list(REFUSAL_FINDINGS)),
            refusals.c.served_on >= date_from,
            refusals.c.served_on <= date_to,
        )
    )
    if point is not None:
        query = query.where(refusals.c.meal_point_id == point)
    result = []
    for r in conn.execute(query).mappings():
        kind = REFUSAL_FINDINGS[r["code"]]
        detail = f"refused {r['code']}: {r['slot']} {r['served_on']} {r['served_at']}"
        if kind == "duplicate_claim":
            other = r["existing_meal_point_id"] != r["meal_point_id"]
            detail += " (the meal was claimed at another point)" if other else " (same point)"
        proof = (r["source_notification_id"], r["recorded_notification_id"])
        proof += (r["died_notification_id"],) if kind == "meal_after_death" else ()
        ids = (r["batch_id"], r["meal_point_id"], r["elder_id"], r["existing_meal_id"])
        ids_more = (r["existing_meal_point_id"],)
        result.append(
            Finding(
                kind,
                r["served_on"],
                r["meal_point_id"],
                r["elder_id"],
                r["slot"],
                "refused",
                detail,
                _notifications(proof),
                _aggregates((*ids, *ids_more)),
            )
        )
    return result


def meals_after_death(
    conn: Connection, date_from: date, date_to: date, point: str | None
) -> list[Finding]:
    query = (
        select(meals, elders.c.died_on, elders.c.died_notification_id)
        .join(elders, elders.c.elder_id == meals.c.elder_id)
        .where(
            elders.c.died_on.is_not(None),
            meals.c.served_on > elders.c.died_on,
            meals.c.served_on >= date_from,
            meals.c.served_on <= date_to,
        )
    )
    if point is not None:
        query = query.where(meals.c.meal_point_id == point)
    return [
        Finding(
            "meal_after_death",
            r["served_on"],
            r["meal_point_id"],
            r["elder_id"],
            r["slot"],
            "voided" if r["voided"] else "standing",
            f"{r['slot']} on {r['served_on']}, the elder died on {r['died_on']}",
            _notifications(
                (
                    r["recorded_notification_id"],
                    r["died_notification_id"],
                    r["voided_notification_id"],
                )
            ),
            _aggregates((r["meal_id"], r["elder_id"], r["meal_point_id"], r["batch_id"])),
        )
        for r in conn.execute(query).mappings()
    ]


def _day_counts(
    conn: Connection, date_from: date, date_to: date, point: str | None
) -> list[tuple[str, date, int, int]]:
    query = (
        select(
            meals.c.meal_point_id, meals.c.served_on, func.count(), points.c.capacity_meals_per_day
        )
        .join(points, points.c.meal_point_id == meals.c.meal_point_id)
        .where(meals.c.voided.is_(False), meals.c.served_on.between(date_from, date_to))
        .group_by(meals.c.meal_point_id, meals.c.served_on, points.c.capacity_meals_per_day)
        .order_by(meals.c.meal_point_id, meals.c.served_on)
    )
    if point is not None:
        query = query.where(meals.c.meal_point_id == point)
    return [(p, d, int(n), int(c)) for p, d, n, c in conn.execute(query)]


def _proof_of_day(conn: Connection, point: str, day: date) -> tuple[int, ...]:
    query = (
        select(meals.c.recorded_notification_id)
        .where(meals.c.meal_point_id == point, meals.c.served_on == day, meals.c.voided.is_(False))
        .order_by(meals.c.recorded_notification_id)
        .limit(MAX_EVIDENCE)
    )
    return tuple(conn.scalars(query))


def above_capacity(
    conn: Connection, date_from: date, date_to: date, point: str | None
) -> list[Finding]:
    return [
        Finding(
            "daily_count_above_capacity",
            day,
            p,
            None,
            None,
            "pattern",
            f"{count} meals on {day}, capacity {capacity} a day",
            _proof_of_day(conn, p, day),
            (p,),
        )
        for p, day, count, capacity in _day_counts(conn, date_from, date_to, point)
        if count > capacity
    ]


def spikes(conn: Connection, date_from: date, date_to: date, point: str | None) -> list[Finding]:
    start = date_from - timedelta(SPIKE_WINDOW_DAYS)
    by_point: dict[str, dict[date, int]] = {}
    for p, day, count, _ in _day_counts(conn, start, date_to, point):
        by_point.setdefault(p, {})[day] = count
    result = []
    for p, days in by_point.items():
        for day, count in days.items():
            if day < date_from or count < SPIKE_MIN_MEALS:
                continue
            before = [n for d, n in days.items() if day - timedelta(SPIKE_WINDOW_DAYS) <= d < day]
            if len(before) < SPIKE_MIN_HISTORY_DAYS:
                continue
            average = sum(before) / len(before)
            if count >= SPIKE_RATIO * average:
                result.append(
                    Finding(
                        "sudden_spike",
                        day,
                        p,
                        None,
                        None,
                        "pattern",
                        f"{count} meals on {day} against an average of {average:.1f} over the "
                        f"{len(before)} days with meals in the {SPIKE_WINDOW_DAYS} days before",
                        _proof_of_day(conn, p, day),
                        (p,),
                    )
                )
    return result


def never_absent(
    conn: Connection, date_from: date, date_to: date, point: str | None
) -> list[Finding]:
    query = (
        select(
            meals.c.elder_id,
            meals.c.served_on,
            func.min(meals.c.recorded_notification_id),
            func.min(meals.c.meal_point_id),
        )
        .where(meals.c.voided.is_(False), meals.c.served_on.between(date_from, date_to))
        .group_by(meals.c.elder_id, meals.c.served_on)
        .order_by(meals.c.elder_id, meals.c.served_on)
    )
    if point is not None:
        query = query.where(meals.c.meal_point_id == point)
    runs: list[list[tuple[str, date, int, str]]] = []
    for elder, day, proof, where in conn.execute(query):
        last = runs[-1][-1] if runs else None
        if last is not None and last[0] == elder and last[1] + timedelta(1) == day:
            runs[-1].append((elder, day, proof, where))
        else:
            runs.append([(elder, day, proof, where)])
    return [
        Finding(
            "never_absent",
            run[-1][1],
            run[-1][3],
            run[0][0],
            None,
            "pattern",
            f"meals on every one of {len(run)} days from {run[0][1]} to {run[-1][1]}",
            (run[0][2], run[-1][2]),
            _aggregates((run[0][0], *sorted({r[3] for r in run}))),
        )
        for run in runs
        if len(run) >= NEVER_ABSENT_DAYS
    ]


def _notifications(values: Iterable[int | None]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(v for v in values if v is not None))


def _aggregates(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v is not None))
