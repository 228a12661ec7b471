"""The meal-assistance projection: handlers that fill projections/meals/tables.py.

Handlers are simple inserts and updates. The two of the hot path defer their rows to the end of
the runner's batch (projections/batching.py): a meal is one row of one bulk INSERT per batch, and
the upload that names it sets its ``batch_id`` in that row when it is still pending. Settlement
handlers (which mark the meals a settlement claims) are in settlements.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import Connection, insert, select, update

from domain.meals.model.elder import Elder
from domain.meals.model.meal import Meal, MealBatch
from domain.meals.model.meal_point import MealPoint
from domain.shared.values import to_fen
from projections import dashboard, summary
from projections.batching import batched, deferred_row, insert_later
from projections.meals.settlements import IDS_PER_STATEMENT, SETTLEMENT_HANDLERS, canonical_id
from projections.meals.tables import (
    ALL_TABLES,
    batches,
    categories,
    elders,
    meals,
    points,
    refusals,
)
from projections.projection import Handlers, Projection, Source


def hex_to_str(value: str | None) -> str | None:
    """Ids inside lists of events are hex; the tables use the canonical 8-4-4-4-12 form."""
    return canonical_id(value) if value else None


def on_point_registered(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(points).values(
            meal_point_id=str(s.aggregate_id),
            village_code=e.village_code,
            point_code=e.point_code,
            name=e.name,
            kind=e.kind,
            operator_kind=e.operator_kind,
            operator_name=e.operator_name,
            capacity_meals_per_day=e.capacity_meals_per_day,
            delivery_offered=e.delivery_offered,
            slots="; ".join(f"{k} {a}-{b}" for k, (a, b) in e.slots.items()),
            registered_on=e.registered_on,
            closed_on=None,
            source_notification_id=s.notification_id,
        )
    )


def on_point_closed(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        update(points)
        .where(points.c.meal_point_id == str(s.aggregate_id))
        .values(closed_on=e.closed_on)
    )


def touch_elder(conn: Connection, s: Source, **values: Any) -> None:
    conn.execute(
        update(elders)
        .where(elders.c.elder_id == str(s.aggregate_id))
        .values(version=s.version, updated_at=s.recorded_at, **values)
    )


def on_enrolled(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(elders).values(
            elder_id=str(s.aggregate_id),
            village_code=e.village_code,
            name_sealed=e.name_sealed,
            id_number_sealed=e.id_number_sealed,
            enrolled_on=e.enrolled_on,
            erased=False,
            version=s.version,
            updated_at=s.recorded_at,
        )
    )
    if e.categories:
        conn.execute(
            insert(categories),
            [{"elder_id": str(s.aggregate_id), **c} for c in e.categories],
        )


def on_category_granted(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(categories).values(
            elder_id=str(s.aggregate_id),
            category=e.category,
            valid_from=e.valid_from,
            valid_to=e.valid_to,
        )
    )
    touch_elder(conn, s)


def on_category_ended(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        update(categories)
        .where(
            categories.c.elder_id == str(s.aggregate_id),
            categories.c.category == e.category,
            categories.c.valid_from == e.valid_from,
        )
        .values(valid_to=e.valid_to)
    )
    touch_elder(conn, s)


def on_suspended(conn: Connection, e: Any, s: Source) -> None:
    touch_elder(conn, s, suspended_from=e.from_on)


def on_resumed(conn: Connection, e: Any, s: Source) -> None:
    touch_elder(conn, s, suspended_from=None)


def on_moved(conn: Connection, e: Any, s: Source) -> None:
    if e.to_village_code is None:
        touch_elder(conn, s, moved_away_on=e.moved_on)
    else:
        touch_elder(conn, s, village_code=e.to_village_code, moved_away_on=None)


def on_died(conn: Connection, e: Any, s: Source) -> None:
    touch_elder(
        conn,
        s,
        died_on=e.died_on,
        died_reported_on=e.reported_on,
        died_notification_id=s.notification_id,
    )


def on_erased(conn: Connection, e: Any, s: Source) -> None:
    touch_elder(conn, s, erased=True, erased_on=e.erased_on)


@batched
def on_meal_recorded(conn: Connection, e: Any, s: Source) -> None:
    price, government = to_fen(e.price_yuan), to_fen(e.government_yuan)
    collective = to_fen(e.collective_yuan)
    meal_id = str(s.aggregate_id)
    row = {
        "meal_id": meal_id,
        "meal_point_id": str(e.meal_point_id),
        "elder_id": str(e.elder_id),
        "served_on": e.served_on,
        "slot": e.slot,
        "served_at": e.served_at,
        "delivery": e.delivery,
        "category": e.category,
        "price_fen": price,
        "government_fen": government,
        "collective_fen": collective,
        "elder_fen": price - government - collective,
        "record_id": e.record_id,
        "batch_id": None,
        "recorded_notification_id": s.notification_id,
        "voided": False,
        "void_reason": None,
        "voided_on": None,
        "voided_notification_id": None,
        "settlement_id": None,
        "clawback_settlement_id": None,
    }
    insert_later(conn, meals, row, key=meal_id)
    village = village_of_point(conn, row["meal_point_id"])
    summary.add_meal(conn, village, row, +1)
    dashboard.add_meal(conn, village, row, +1)


# A meal point's id is uuid5 of its village and code: the village of an id never changes, in
# any database, so it may be remembered for the life of the process.
_VILLAGE_OF_POINT: dict[str, str] = {}


def village_of_point(conn: Connection, meal_point_id: str) -> str:
    village = _VILLAGE_OF_POINT.get(meal_point_id)
    if village is None:
        found = conn.scalar(
            select(points.c.village_code).where(points.c.meal_point_id == meal_point_id)
        )
        assert found is not None, f"meal point {meal_point_id} is not registered"
        village = _VILLAGE_OF_POINT[meal_point_id] = str(found)
    return village


def on_meal_voided(conn: Connection, e: Any, s: Source) -> None:
    meal_id = str(s.aggregate_id)
    row = conn.execute(select(meals).where(meals.c.meal_id == meal_id)).mappings().one()
    village = village_of_point(conn, row["meal_point_id"])
    summary.add_meal(conn, village, dict(row), -1)
    dashboard.add_meal(conn, village, dict(row), -1)
    conn.execute(
        update(meals)
        .where(meals.c.meal_id == meal_id)
        .values(
            voided=True,
            void_reason=e.reason,
            voided_on=e.voided_on,
            voided_notification_id=s.notification_id,
        )
    )


@batched
def on_batch_submitted(conn: Connection, e: Any, s: Source) -> None:
    batch_id = str(s.aggregate_id)
    insert_later(
        conn,
        batches,
        {
            "batch_id": batch_id,
            "meal_point_id": str(e.meal_point_id),
            "batch_no": e.batch_no,
            "records": e.records,
            "accepted": len(e.accepted),
            "refused": len(e.refused),
            "actor": s.actor,
            "recorded_at": s.recorded_at,
            "source_notification_id": s.notification_id,
        },
    )
    for r in e.refused:
        insert_later(
            conn,
            refusals,
            {
                "batch_id": batch_id,
                "record_id": r["record_id"],
                "meal_point_id": str(e.meal_point_id),
                "code": r["code"],
                "elder_id": hex_to_str(r["elder_id"]),
                "served_on": date.fromisoformat(r["served_on"]) if r["served_on"] else None,
                "slot": r["slot"],
                "served_at": r["served_at"],
                "delivery": r["delivery"],
                "existing_meal_id": hex_to_str(r["existing_meal_id"]),
                "existing_meal_point_id": hex_to_str(r["existing_meal_point_id"]),
                "source_notification_id": s.notification_id,
            },
        )
    # The batch is saved last, in the transaction of its meals: their rows are usually still
    # pending in this projection batch, and get the batch id there; the others are updated.
    created: list[str] = []
    for _, meal_id, status in e.accepted:
        if status != "accepted":
            continue
        row_id = canonical_id(meal_id)
        pending = deferred_row(meals, row_id)
        if pending is None:
            created.append(row_id)
        else:
            pending["batch_id"] = batch_id
    for start in range(0, len(created), IDS_PER_STATEMENT):
        conn.execute(
            update(meals)
            .where(meals.c.meal_id.in_(created[start : start + IDS_PER_STATEMENT]))
            .values(batch_id=batch_id)
        )


class MealsProjection(Projection):
    name = "meals"
    tables = (*ALL_TABLES, *summary.MEALS_TABLES, *dashboard.MEALS_TABLES)
    indexes_after_rebuild = frozenset(
        {
            "ix_meal_register_point_day",
            "ix_meal_register_elder_day",
            "ix_meal_register_unclaimed",
            "ix_meal_register_voided",
            "ix_meal_refusals_code",
        }
    )
    handlers: ClassVar[Handlers] = {
        MealPoint.Registered: on_point_registered,  # type: ignore[attr-defined]
        MealPoint.Closed: on_point_closed,  # type: ignore[attr-defined]
        Elder.Enrolled: on_enrolled,  # type: ignore[attr-defined]
        Elder.CategoryGranted: on_category_granted,  # type: ignore[attr-defined]
        Elder.CategoryEnded: on_category_ended,  # type: ignore[attr-defined]
        Elder.Suspended: on_suspended,  # type: ignore[attr-defined]
        Elder.Resumed: on_resumed,  # type: ignore[attr-defined]
        Elder.Moved: on_moved,  # type: ignore[attr-defined]
        Elder.Died: on_died,  # type: ignore[attr-defined]
        Elder.PersonalDataErased: on_erased,  # type: ignore[attr-defined]
        Meal.Recorded: on_meal_recorded,  # type: ignore[attr-defined]
        Meal.Voided: on_meal_voided,  # type: ignore[attr-defined]
        MealBatch.Submitted: on_batch_submitted,  # type: ignore[attr-defined]
        **SETTLEMENT_HANDLERS,
    }
