"""Several uploads in one call on SQLite and PostgreSQL: one write transaction (one signature)
for all of them, the read models fold them as they fold uploads one by one, and a refused call
leaves the log and its signatures as they were."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import func, select

from domain.meals.uploads import UploadInput
from projections.meals.tables import meals as register
from qianwan.bootstrap import Registry
from tests.support import OPERATOR, enrol_elder, meal, meals_registry, refused, register_canteen

DAYS = [date(2024, 5, d) for d in range(6, 11)]


def _uploads(point: UUID, elders: list[UUID], batch_suffix: str = "") -> list[UploadInput]:
    return [
        UploadInput(
            point,
            f"{day}{batch_suffix}",
            [meal(f"{day}-{n}", elder, f"{day} 11:{n:02d}") for n, elder in enumerate(elders)],
        )
        for day in DAYS
    ]


def _signatures(registry: Registry) -> int:
    return len(registry.store.recorder.signatures_from(1, 1_000_000))  # type: ignore[attr-defined]


def test_a_canteens_days_are_one_signed_transaction_and_fold_like_single_uploads(
    seeded: Registry,
) -> None:
    meals = meals_registry(seeded)
    point = register_canteen(meals)
    elders = [enrol_elder(meals, f"老人{n}", sequence=f"{n:03d}") for n in range(5)]
    signatures = _signatures(seeded)
    before = seeded.store.last_notification_id()
    results = meals.record_meal_uploads(_uploads(point, elders), OPERATOR)
    assert _signatures(seeded) == signatures + 1
    assert seeded.store.last_notification_id() == before + len(DAYS) * (len(elders) + 1)
    assert [r.accepted_count for r in results] == [len(elders)] * len(DAYS)
    seeded.runner.catch_up()
    with seeded.engine.connect() as conn:
        rows = conn.execute(
            select(register.c.batch_id, func.count()).group_by(register.c.batch_id)
        ).all()
    assert {b: n for b, n in rows} == {str(r.batch_id): len(elders) for r in results}
    again = meals.record_meal_uploads(_uploads(point, elders), OPERATOR)
    assert all(r.replayed for r in again)
    assert _signatures(seeded) == signatures + 1


def test_a_refused_call_records_nothing(seeded: Registry) -> None:
    meals = meals_registry(seeded)
    point = register_canteen(meals)
    elders = [enrol_elder(meals, f"老人{n}", sequence=f"{n:03d}") for n in range(3)]
    meals.record_meals(point, f"{DAYS[-1]}", _uploads(point, elders[:1])[-1].records, OPERATOR)
    signatures = _signatures(seeded)
    with refused(seeded.store, "batch_number_reused") as info:
        meals.record_meal_uploads(_uploads(point, elders), OPERATOR)
    assert info.value.field == f"uploads.{len(DAYS) - 1}.batch_no"
    assert _signatures(seeded) == signatures
