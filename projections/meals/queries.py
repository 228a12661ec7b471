"""Reading meal assistance: meal points, elders, meals, uploads, daily counts, settlements.

Every function returns dataclasses. Elders' names and ID numbers are opened with the key store
at read time; after erasure they are None. ID numbers are only ever returned masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, case, func, select

from domain.shared.values import from_fen
from projections.meals.elder_queries import CategoryView, ElderView, elder, elders_of
from projections.meals.findings import FINDING_KINDS, Finding, findings
from projections.meals.settlement_queries import (
    ClawbackView,
    ProjectedCandidates,
    SettlementLineView,
    SettlementView,
    settlement,
    settlement_candidates,
    settlements_of,
)
from projections.meals.tables import batches, meals, points, refusals

MAX_ROWS = 5000

__all__ = [
    "FINDING_KINDS",
    "BatchView",
    "CategoryView",
    "ClawbackView",
    "DailyCount",
    "ElderView",
    "Finding",
    "MealPointView",
    "MealView",
    "ProjectedCandidates",
    "RefusalView",
    "SettlementLineView",
    "SettlementView",
    "batch",
    "batches_of",
    "daily_counts",
    "elder",
    "elders_of",
    "findings",
    "meal_point",
    "meal_points",
    "meals_of",
    "settlement",
    "settlement_candidates",
    "settlements_of",
]


@dataclass(frozen=True)
class MealPointView:
    meal_point_id: str
    village_code: str
    point_code: str
    name: str
    kind: str
    operator_kind: str
    operator_name: str
    capacity_meals_per_day: int
    delivery_offered: bool
    slots: str
    registered_on: date
    closed_on: date | None


def meal_points(conn: Connection, village_code: str | None = None) -> list[MealPointView]:
    query = select(points).order_by(points.c.village_code, points.c.point_code)
    if village_code is not None:
        query = query.where(points.c.village_code == village_code)
    return [_point(r) for r in conn.execute(query.limit(MAX_ROWS)).mappings()]


def meal_point(conn: Connection, meal_point_id: UUID | str) -> MealPointView | None:
    row = conn.execute(select(points).where(points.c.meal_point_id == str(meal_point_id)))
    found = row.mappings().first()
    return _point(found) if found else None


def _point(r: Any) -> MealPointView:
    return MealPointView(**{k: r[k] for k in MealPointView.__dataclass_fields__})


@dataclass(frozen=True)
class MealView:
    """price = government + collective + elder_share (yuan)."""

    meal_id: str
    meal_point_id: str
    elder_id: str
    served_on: date
    slot: str
    served_at: str
    delivery: bool
    category: str
    price: Decimal
    government: Decimal
    collective: Decimal
    elder_share: Decimal
    record_id: str
    batch_id: str | None
    voided: bool
    void_reason: str | None
    voided_on: date | None
    settlement_id: str | None
    clawback_settlement_id: str | None
    recorded_notification_id: int


def meals_of(
    conn: Connection,
    meal_point_id: UUID | str | None = None,
    elder_id: UUID | str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    include_voided: bool = True,
    limit: int = MAX_ROWS,
) -> list[MealView]:
    query = select(meals).order_by(meals.c.served_on, meals.c.served_at, meals.c.meal_id)
    if meal_point_id is not None:
        query = query.where(meals.c.meal_point_id == str(meal_point_id))
    if elder_id is not None:
        query = query.where(meals.c.elder_id == str(elder_id))
    if date_from is not None:
        query = query.where(meals.c.served_on >= date_from)
    if date_to is not None:
        query = query.where(meals.c.served_on <= date_to)
    if not include_voided:
        query = query.where(meals.c.voided.is_(False))
    return [_meal(r) for r in conn.execute(query.limit(min(limit, MAX_ROWS))).mappings()]


def _meal(r: Any) -> MealView:
    money: dict[str, Any] = {
        "price": from_fen(r["price_fen"]),
        "government": from_fen(r["government_fen"]),
        "collective": from_fen(r["collective_fen"]),
        "elder_share": from_fen(r["elder_fen"]),
    }
    plain = {k: r[k] for k in MealView.__dataclass_fields__ if k not in money}
    return MealView(**plain, **money)


@dataclass(frozen=True)
class RefusalView:
    batch_id: str
    record_id: str
    meal_point_id: str
    code: str
    elder_id: str | None
    served_on: date | None
    slot: str | None
    served_at: str | None
    delivery: bool | None
    existing_meal_id: str | None
    existing_meal_point_id: str | None
    source_notification_id: int


@dataclass(frozen=True)
class BatchView:
    batch_id: str
    meal_point_id: str
    batch_no: str
    records: int
    accepted: int
    refused: int
    actor: str
    recorded_at: datetime
    source_notification_id: int
    refusals: tuple[RefusalView, ...]


def batch(conn: Connection, batch_id: UUID | str) -> BatchView | None:
    found = batches_of(conn, batch_id=batch_id)
    return found[0] if found else None


def batches_of(
    conn: Connection,
    meal_point_id: UUID | str | None = None,
    batch_id: UUID | str | None = None,
    limit: int = 200,
) -> list[BatchView]:
    query = select(batches).order_by(batches.c.source_notification_id.desc())
    if meal_point_id is not None:
        query = query.where(batches.c.meal_point_id == str(meal_point_id))
    if batch_id is not None:
        query = query.where(batches.c.batch_id == str(batch_id))
    rows = list(conn.execute(query.limit(min(limit, MAX_ROWS))).mappings())
    refused: dict[str, list[RefusalView]] = {}
    ids = [r["batch_id"] for r in rows]
    if ids:
        query = select(refusals).where(refusals.c.batch_id.in_(ids)).order_by(refusals.c.record_id)
        for f in conn.execute(query).mappings():
            view = RefusalView(**{k: f[k] for k in RefusalView.__dataclass_fields__})
            refused.setdefault(f["batch_id"], []).append(view)
    fields = [k for k in BatchView.__dataclass_fields__ if k != "refusals"]
    return [
        BatchView(**{k: r[k] for k in fields}, refusals=tuple(refused.get(r["batch_id"], ())))
        for r in rows
    ]


@dataclass(frozen=True)
class DailyCount:
    """Meals (not voided) a point served on a day, by slot, beside its daily capacity."""

    meal_point_id: str
    served_on: date
    breakfast: int
    lunch: int
    dinner: int
    total: int
    capacity_meals_per_day: int


def daily_counts(
    conn: Connection, meal_point_id: UUID | str, date_from: date, date_to: date
) -> list[DailyCount]:
    per_slot = {
        s: func.sum(case((meals.c.slot == s, 1), else_=0)) for s in ("breakfast", "lunch", "dinner")
    }
    capacity = conn.scalar(
        select(points.c.capacity_meals_per_day).where(points.c.meal_point_id == str(meal_point_id))
    )
    rows = conn.execute(
        select(meals.c.served_on, *per_slot.values(), func.count())
        .where(
            meals.c.meal_point_id == str(meal_point_id),
            meals.c.voided.is_(False),
            meals.c.served_on >= date_from,
            meals.c.served_on <= date_to,
        )
        .group_by(meals.c.served_on)
        .order_by(meals.c.served_on)
    ).all()
    return [
        DailyCount(str(meal_point_id), d, int(b), int(lu), int(di), int(t), int(capacity or 0))
        for d, b, lu, di, t in rows
    ]
