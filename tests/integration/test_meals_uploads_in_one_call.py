"""Several uploads in one call on SQLite and PostgreSQL: one write transaction (one signature)
for all of them, the read models fold them as they fold uploads one by one, and a refused call
leaves the log and its signatures as they were."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from sqlalchemy import func, select

from domain.meals.uploads import BatchResult, UploadInput
from projections.meals.tables import meals as register
from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
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


def _call(
    settings: Settings,
    uploads: list[UploadInput],
    before_save: threading.Barrier,
    results: list[BatchResult],
    conflicts: list[int],
    errors: list[BaseException],
) -> None:
    registry = bootstrap(settings, read_your_writes=False)
    registry.meals.today = lambda: date(2024, 8, 20)
    real_save = registry.store.save
    waited: list[int] = []

    def save_together(*objs: Any, **kwargs: Any) -> Any:
        if not waited:  # both calls have looked up their slots; now they save at once
            waited.append(1)
            before_save.wait(timeout=60)
        try:
            return real_save(*objs, **kwargs)
        except IntegrityError:
            conflicts.append(1)
            raise

    registry.store.save = save_together  # type: ignore[method-assign]
    try:
        results.extend(registry.meals.record_meal_uploads(uploads, OPERATOR))
    except BaseException as error:  # reported by the main thread
        errors.append(error)
        before_save.abort()
    finally:
        registry.close()


def test_two_calls_taking_the_same_slots_at_once_record_one_meal_per_slot(
    settings: Settings, seeded: Registry
) -> None:
    meals = meals_registry(seeded)
    a, b = register_canteen(meals, "ST-A"), register_canteen(meals, "ST-B")
    elders = [enrol_elder(meals, f"老人{n}", sequence=f"{n:03d}") for n in range(6)]
    before_save = threading.Barrier(2)
    results: dict[UUID, list[BatchResult]] = {a: [], b: []}
    conflicts: list[int] = []
    errors: list[BaseException] = []
    threads = [
        threading.Thread(
            target=_call,
            args=(
                settings,
                _uploads(point, takes, f"-{n}"),
                before_save,
                results[point],
                conflicts,
                errors,
            ),
        )
        for n, (point, takes) in enumerate(((a, elders[:4]), (b, elders[2:])))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert conflicts == [1]  # the event store, not luck, refused the second save once
    won: dict[UUID, UUID] = {}
    for point, point_results in results.items():
        for result in point_results:
            for o in result.outcomes:
                if o.status == "accepted":
                    assert o.meal_id is not None and o.meal_id not in won, "two meals in a slot"
                    won[o.meal_id] = point
                else:
                    assert (o.status, o.reason_code) == ("refused", "second_meal_in_slot")
    assert len(won) == len(DAYS) * len(elders)  # every slot taken once, by one of the two
    seeded.runner.catch_up()
    with seeded.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(register)).scalar_one()
    assert count == len(won)
