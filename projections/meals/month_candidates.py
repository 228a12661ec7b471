"""The month's claims of many meal points at once, set-based from the meal register
(domain/meals/settling.py ``CandidateSource.months``; the command: domain/meals/settling_bulk.py).

One query groups every claimable meal of the points into the claim's lines (count and sums in
fen by served month, category, slot and delivery; the meal ids of each line in one string), one
more lists the clawbacks due; both after reading the register's position, and then the log after
that position (``log_tail``) takes out what the register has not folded yet: meals voided since,
meals other settlements of the point claimed since. A point the tail touches is read again meal
by meal, without those. Nothing is read or replayed per meal from the log; every amount is the
register's copy of the meal's ``Meal.Recorded`` event, which no later event changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, String, cast, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from domain.meals.model.claim import AMOUNTS, Claim, Line, LineSums, claim_of, clawback_row
from domain.meals.settling_bulk import Tail, log_tail
from domain.shared.eventstore import EventStore
from projections.db import positions
from projections.meals.projection import MealsProjection
from projections.meals.tables import meals, points, settlements

HEX_LENGTH = 32
Members = list[str]  # "served_on slot hex" of each meal: sorted, the order of the claim's ids


def month_claims(
    engine: Engine, store: EventStore, own: Mapping[UUID, UUID], period_end: date
) -> dict[UUID, Claim]:
    """Per meal point of ``own`` (point → its settlement being drafted), its claim up to
    ``period_end``, as of the log now (module docstring)."""
    if not own:
        return {}
    with engine.connect() as conn:
        position = conn.scalar(  # first: the rows read next are at least this far
            select(positions.c.position).where(positions.c.name == MealsProjection.name)
        )
        lines = _grouped(conn, own, period_end)
        backs = _clawbacks(conn, own)
    tail = log_tail(store, int(position or 0), own)
    found: dict[UUID, Claim] = {}
    touched: list[UUID] = []
    for point in own:
        members, sums = lines.get(point, ([], {}))
        if point in tail.taken or any(m[-HEX_LENGTH:] in tail.voided for m in members):
            touched.append(point)
            continue
        found[point] = _claim(members, sums, backs.get(point, []), tail, point)
    if touched:
        with engine.connect() as conn:
            again = _meal_by_meal(conn, {p: own[p] for p in touched}, period_end, tail)
        for point in touched:
            members, sums = again.get(point, ([], {}))
            found[point] = _claim(members, sums, backs.get(point, []), tail, point)
    return found


def meal_points_in(conn: Connection, place_code: str) -> list[tuple[UUID, str]]:
    rows = conn.execute(
        select(points.c.meal_point_id, points.c.village_code)
        .where(points.c.village_code.startswith(place_code, autoescape=True))
        .order_by(points.c.village_code, points.c.point_code)
    )
    return [(UUID(p), village) for p, village in rows]


def _claim(
    members: Members, sums: dict[Line, LineSums], backs: list[Any], tail: Tail, point: UUID
) -> Claim:
    members.sort()
    taken_backs = tail.taken.get(point, (frozenset(), frozenset()))[1]
    back = [b for b in backs if b[0] not in taken_backs]
    back.sort(key=lambda b: (b[2], b[0]))
    return claim_of(
        [m[-HEX_LENGTH:] for m in members],
        sums,
        [clawback_row(b[0], b[1], b[2], b[3], b[4], b[5]) for b in back],
    )


def _claimable(own: Mapping[UUID, UUID], period_end: date) -> list[ColumnElement[bool]]:
    mine = [str(s) for s in own.values()]
    return [
        meals.c.meal_point_id.in_([str(p) for p in own]),
        meals.c.served_on <= period_end,
        meals.c.voided.is_(False),
        or_(meals.c.settlement_id.is_(None), meals.c.settlement_id.in_(mine)),
    ]


def _day() -> Any:
    return cast(meals.c.served_on, String)  # 'YYYY-MM-DD' on both databases


def _member() -> Any:
    return _day() + " " + meals.c.slot + " " + func.replace(meals.c.meal_id, "-", "")


def _grouped(
    conn: Connection, own: Mapping[UUID, UUID], period_end: date
) -> dict[UUID, tuple[Members, dict[Line, LineSums]]]:
    """One row per point and line: its count, sums and meals (one string)."""
    month = func.substr(_day(), 1, 7)
    member = _member()
    joined = (
        func.string_agg(member, ",")
        if conn.dialect.name == "postgresql"
        else func.group_concat(member, ",")
    )
    key = (meals.c.meal_point_id, month, meals.c.category, meals.c.slot, meals.c.delivery)
    statement = (
        select(
            *key,
            func.count(),
            *(func.sum(meals.c[f"{a}_fen"]) for a in AMOUNTS),
            joined,
        )
        .where(*_claimable(own, period_end))
        .group_by(*key)
    )
    found: dict[UUID, tuple[Members, dict[Line, LineSums]]] = {}
    for row in conn.execute(statement):
        point, served_month, category, slot, delivery, count, *fen, ids = row
        members, sums = found.setdefault(UUID(point), ([], {}))
        members += ids.split(",")
        sums[(served_month, category, slot, bool(delivery))] = {
            "meals": int(count),
            **{a: int(v) for a, v in zip(AMOUNTS, fen, strict=True)},
        }
    return found


def _meal_by_meal(
    conn: Connection, own: Mapping[UUID, UUID], period_end: date, tail: Tail
) -> dict[UUID, tuple[Members, dict[Line, LineSums]]]:
    """As ``_grouped``, meal by meal, without the meals the tail takes out."""
    statement = select(
        meals.c.meal_point_id,
        _member(),
        meals.c.category,
        meals.c.slot,
        meals.c.delivery,
        *(meals.c[f"{a}_fen"] for a in AMOUNTS),
    ).where(*_claimable(own, period_end))
    found: dict[UUID, tuple[Members, dict[Line, LineSums]]] = {}
    for point, member, category, slot, delivery, *fen in conn.execute(statement):
        point_id = UUID(point)
        meal = member[-HEX_LENGTH:]
        if meal in tail.voided or meal in tail.taken.get(point_id, (frozenset(),))[0]:
            continue
        members, sums = found.setdefault(point_id, ([], {}))
        members.append(member)
        line = sums.setdefault(
            (member[:7], category, slot, bool(delivery)),
            {"meals": 0, **dict.fromkeys(AMOUNTS, 0)},
        )
        line["meals"] += 1
        for a, v in zip(AMOUNTS, fen, strict=True):
            line[a] += int(v)
    return found


def _clawbacks(conn: Connection, own: Mapping[UUID, UUID]) -> dict[UUID, list[Any]]:
    """Per point: (meal hex, paying settlement hex, served on, category, slot, fen) of every
    voided meal a paid settlement claimed that no other settlement claws back."""
    mine = [str(s) for s in own.values()]
    statement = (
        select(
            meals.c.meal_point_id,
            meals.c.meal_id,
            meals.c.settlement_id,
            _day(),
            meals.c.category,
            meals.c.slot,
            *(meals.c[f"{a}_fen"] for a in AMOUNTS),
        )
        .join(settlements, settlements.c.settlement_id == meals.c.settlement_id)
        .where(
            meals.c.meal_point_id.in_([str(p) for p in own]),
            meals.c.voided.is_(True),
            settlements.c.status == "paid",
            meals.c.settlement_id.not_in(mine),
            or_(
                meals.c.clawback_settlement_id.is_(None),
                meals.c.clawback_settlement_id.in_(mine),
            ),
        )
    )
    found: dict[UUID, list[Any]] = {}
    for point, meal, paid_by, served_on, category, slot, *fen in conn.execute(statement):
        amounts = {a: int(v) for a, v in zip(AMOUNTS, fen, strict=True)}
        row = (UUID(meal).hex, UUID(paid_by).hex, served_on, category, slot, amounts)
        found.setdefault(UUID(point), []).append(row)
    return found
