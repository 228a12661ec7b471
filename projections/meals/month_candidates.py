"""The month's claims of many meal points at once, set-based from the meal register
(domain/meals/settling.py ``CandidateSource.months``; the command: domain/meals/settling_bulk.py).

After reading the register's position: the unclaimed meals' ids in the claim's order (one
string per point) and the claim's lines (count and sums in fen by served month, category, slot
and delivery), both from the partial index of unclaimed meals alone (tables.py
``ix_meal_register_unclaimed``), and the clawbacks due. Then the log after that position
(``log_tail``) takes out what the register has not folded yet: meals voided since, meals other
settlements of the point claimed since: a point the tail touches is read meal by meal instead.
A point whose settlement claims meals already (a redraft, a retry) is read the same way as the
others, from the table instead of the partial index. Nothing is read or replayed
per meal from the log; every amount is the register's copy of the meal's ``Meal.Recorded``
event, which no later event changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, String, cast, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from domain.meals.model.claim import AMOUNTS, Claim, Line, LineSums, claim_of, clawback_row
from domain.meals.settling_bulk import Tail, log_tail
from domain.shared.eventstore import EventStore
from projections.db import positions
from projections.meals.projection import MealsProjection
from projections.meals.tables import (
    UNCLAIMED,
    VOIDED,
    VOIDED_INDEX,
    meals,
    points,
    settlements,
)

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
        mine = _claiming_own(conn, own)  # a redraft or a retry: not from the partial index
        first = [p for p in own if p not in mine]
        ids = _ordered_ids(conn, first, period_end)
        sums = _line_sums(conn, first, period_end)
        redrafts = {p: own[p] for p in own if p in mine}
        ids.update(_ordered_ids(conn, list(redrafts), period_end, redrafts))
        sums.update(_line_sums(conn, list(redrafts), period_end, redrafts))
        backs = _clawbacks(conn, own)
    tail = log_tail(store, int(position or 0), own)
    again = {
        p: own[p]
        for p in own
        if p in tail.taken or (tail.voided and not tail.voided.isdisjoint(ids.get(p, ())))
    }
    found = {
        p: _claim(ids.get(p, []), sums.get(p, {}), backs.get(p, []), tail, p)
        for p in own
        if p not in again
    }
    if again:
        with engine.connect() as conn:
            rows = _meal_by_meal(conn, again, period_end, tail)
        for point in again:
            members, line_sums = rows.get(point, ([], {}))
            members.sort()
            hexes = [m[-HEX_LENGTH:] for m in members]
            found[point] = _claim(hexes, line_sums, backs.get(point, []), tail, point)
    return found


def meal_points_in(conn: Connection, place_code: str) -> list[tuple[UUID, str]]:
    rows = conn.execute(
        select(points.c.meal_point_id, points.c.village_code)
        .where(points.c.village_code.startswith(place_code, autoescape=True))
        .order_by(points.c.village_code, points.c.point_code)
    )
    return [(UUID(p), village) for p, village in rows]


def _claim(
    ids: list[str], sums: dict[Line, LineSums], backs: list[Any], tail: Tail, point: UUID
) -> Claim:
    taken_backs = tail.taken.get(point, (frozenset(), frozenset()))[1]
    back = [b for b in backs if b[0] not in taken_backs]
    back.sort(key=lambda b: (b[2], b[0]))
    return claim_of(ids, sums, [clawback_row(b[0], b[1], b[2], b[3], b[4], b[5]) for b in back])


def _claiming_own(conn: Connection, own: Mapping[UUID, UUID]) -> set[UUID]:
    """The points whose settlement being drafted claims meals in the register already."""
    rows = conn.execute(
        select(settlements.c.meal_point_id).where(
            settlements.c.settlement_id.in_([str(s) for s in own.values()]),
            or_(settlements.c.meals > 0, settlements.c.clawback_meals > 0),
        )
    )
    return {UUID(p) for (p,) in rows}


def _unclaimed(points: list[str], period_end: date) -> list[ColumnElement[bool]]:
    """The terms of the partial index ``ix_meal_register_unclaimed`` (tables.py), as it has
    them: the database reads that index alone."""
    point = (
        meals.c.meal_point_id == points[0]
        if len(points) == 1
        else meals.c.meal_point_id.in_(points)
    )
    return [point, meals.c.served_on <= period_end, UNCLAIMED]


def _one_by_one(conn: Connection) -> bool:
    """SQLite answers a point at a time: it then reads the partial index in its order, with no
    sort (given a list of points, it reads another index and sorts), and it has no round
    trips. Its statements are written once, with the partial index's own terms."""
    return conn.dialect.name != "postgresql"


_FROM_SQLITE = f"FROM {meals.name} WHERE meal_point_id = ? AND served_on <= ? "
# The unclaimed meals, in the partial index's own terms; or (a point whose settlement claims
# meals already) those and the settlement's own.
_WHERE_SQLITE = {
    False: f"{_FROM_SQLITE}AND settlement_id IS NULL AND voided IS 0",
    True: f"{_FROM_SQLITE}AND voided IS 0 AND (settlement_id IS NULL OR settlement_id = ?)",
}
_IDS_SQLITE = {
    mine: "SELECT group_concat(h, ',') FROM (SELECT replace(meal_id, '-', '') AS h "
    f"{where} ORDER BY served_on, slot, meal_id)"
    for mine, where in _WHERE_SQLITE.items()
}
_SUMS_SQLITE = {
    mine: "SELECT substr(served_on, 1, 7), category, slot, delivery, sum(n), sum(p), sum(g), "
    "sum(c), sum(e) FROM (SELECT served_on, slot, category, delivery, count(*) AS n, "
    "sum(price_fen) AS p, sum(government_fen) AS g, sum(collective_fen) AS c, "
    f"sum(elder_fen) AS e {where} GROUP BY served_on, slot, category, delivery) "
    "GROUP BY 1, 2, 3, 4"
    for mine, where in _WHERE_SQLITE.items()
}


def _parameters(point: UUID, period_end: date, own: Mapping[UUID, UUID] | None) -> tuple[str, ...]:
    found = (str(point), period_end.isoformat())
    return found if own is None else (*found, str(own[point]))


def _terms(
    points: list[UUID], period_end: date, own: Mapping[UUID, UUID] | None
) -> list[ColumnElement[bool]]:
    if own is None:
        return _unclaimed([str(p) for p in points], period_end)
    return _claimable({p: own[p] for p in points}, period_end)


def _ordered_ids(
    conn: Connection,
    points: list[UUID],
    period_end: date,
    own: Mapping[UUID, UUID] | None = None,
) -> dict[UUID, list[str]]:
    """Per point, the hex ids of its unclaimed meals (own: and of those its settlement claims)
    in the claim's order (served day, slot, id): one string per point, split here."""
    if not points:
        return {}
    if _one_by_one(conn):
        found: dict[UUID, list[str]] = {}
        statement = _IDS_SQLITE[own is not None]
        for p in points:
            joined = conn.exec_driver_sql(statement, _parameters(p, period_end, own)).scalar()
            if joined:
                found[p] = joined.split(",")
        return found
    hexed = func.replace(meals.c.meal_id, "-", "")
    in_order: Any = aggregate_order_by(
        literal_column("','"),
        meals.c.served_on,
        meals.c.slot.collate("C"),
        meals.c.meal_id.collate("C"),
    )
    rows = conn.execute(
        select(meals.c.meal_point_id, func.string_agg(hexed, in_order))
        .where(*_terms(points, period_end, own))
        .group_by(meals.c.meal_point_id)
    )
    return {UUID(p): joined.split(",") for p, joined in rows}


def _line_sums(
    conn: Connection,
    points: list[UUID],
    period_end: date,
    own: Mapping[UUID, UUID] | None = None,
) -> dict[UUID, dict[Line, LineSums]]:
    """Per point, the count and the sums in fen of each line (of the meals ``_ordered_ids``
    lists). SQLite sums by day in the partial index's order (no sort), then by month."""
    found: dict[UUID, dict[Line, LineSums]] = {}
    if not points:
        return found
    if _one_by_one(conn):
        text = _SUMS_SQLITE[own is not None]
        for p in points:
            rows = conn.exec_driver_sql(text, _parameters(p, period_end, own))
            found[p] = _sums(rows)
        return {p: sums for p, sums in found.items() if sums}
    # PostgreSQL sums by month at once: a hash of a few hundred lines, where a first sum by day
    # would spill to disk with the default work_mem.
    month = func.substr(cast(meals.c.served_on, String), 1, 7)
    line = (month, meals.c.category, meals.c.slot, meals.c.delivery)
    statement = (
        select(
            meals.c.meal_point_id,
            *line,
            func.count(),
            *(func.sum(meals.c[f"{a}_fen"]) for a in AMOUNTS),
        )
        .where(*_terms(points, period_end, own))
        .group_by(meals.c.meal_point_id, *line)
    )
    rows_by_point: dict[str, list[Any]] = {}
    for point, *rest in conn.execute(statement):
        rows_by_point.setdefault(point, []).append(rest)
    return {UUID(p): _sums(rows) for p, rows in rows_by_point.items()}


def _sums(rows: Any) -> dict[Line, LineSums]:
    """(served month, category, slot, delivery, count, the AMOUNTS' sums) rows by line."""
    return {
        (served_month, category, slot, bool(delivery)): {
            "meals": int(count),
            **{a: int(v) for a, v in zip(AMOUNTS, fen, strict=True)},
        }
        for served_month, category, slot, delivery, count, *fen in rows
    }


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
    points, mine = [str(p) for p in own], [str(s) for s in own.values()]
    if _one_by_one(conn) and _has_index(conn, VOIDED_INDEX):
        rows = conn.exec_driver_sql(_clawbacks_sqlite(len(points)), (*points, *mine, *mine))
    else:
        rows = conn.execute(
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
                meals.c.meal_point_id.in_(points),
                VOIDED,
                settlements.c.status == "paid",
                meals.c.settlement_id.not_in(mine),
                or_(
                    meals.c.clawback_settlement_id.is_(None),
                    meals.c.clawback_settlement_id.in_(mine),
                ),
            )
        )
    found: dict[UUID, list[Any]] = {}
    for point, meal, paid_by, served_on, category, slot, *fen in rows:
        amounts = {a: int(v) for a, v in zip(AMOUNTS, fen, strict=True)}
        row = (UUID(meal).hex, UUID(paid_by).hex, str(served_on), category, slot, amounts)
        found.setdefault(UUID(point), []).append(row)
    return found


def _has_index(conn: Connection, name: str) -> bool:
    """SQLite: whether the index exists (a rebuild builds it only at its end)."""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
    )
    return found.first() is not None


def _clawbacks_sqlite(points: int) -> str:
    """The clawbacks of ``points`` points from the index of voided meals, which SQLite without
    statistics would not choose over the index of a point's days (all its meals)."""
    marks = ", ".join("?" * points)
    return (
        "SELECT r.meal_point_id, r.meal_id, r.settlement_id, r.served_on, r.category, r.slot, "
        "r.price_fen, r.government_fen, r.collective_fen, r.elder_fen "
        f"FROM {meals.name} AS r INDEXED BY {VOIDED_INDEX} "
        f"JOIN {settlements.name} AS s ON s.settlement_id = r.settlement_id "
        f"WHERE r.meal_point_id IN ({marks}) AND r.voided IS 1 AND s.status = 'paid' "
        f"AND r.settlement_id NOT IN ({marks}) "
        f"AND (r.clawback_settlement_id IS NULL OR r.clawback_settlement_id IN ({marks}))"
    )
