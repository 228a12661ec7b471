"""Two meal points upload overlapping batches at the same moment, each through its own
``bootstrap()`` on the same database: exactly one meal per elder, date and slot results, and
the event store's concurrency control (not luck) decides which upload gets it."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from sqlalchemy import func, select

from domain.meals.uploads import BatchResult
from projections.meals.tables import meals as register
from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from tests.support import (
    OPERATOR,
    enrol_elder,
    make_id_number,
    meal,
    meals_registry,
    register_canteen,
)

DAYS = [date(2024, 5, d) for d in range(6, 11)]
ELDERS = 60
A_TAKES = range(0, 40)
B_TAKES = range(20, 60)  # 20–39 are claimed by both points every day


def upload(
    settings: Settings,
    point: UUID,
    elders: list[UUID],
    takes: range,
    start: threading.Barrier,
    before_save: threading.Barrier,
    results: dict[date, BatchResult],
    conflicts: list[int],
    errors: list[BaseException],
) -> None:
    registry = bootstrap(settings, read_your_writes=False)
    registry.meals.today = lambda: date(2024, 8, 20)
    real_save = registry.store.save
    first_attempt = threading.local()

    def save_together(*objs: Any, **kwargs: Any) -> Any:
        # Both uploads have looked up the slots already; now they save at the same moment.
        if getattr(first_attempt, "pending", False):
            first_attempt.pending = False
            before_save.wait(timeout=60)
        try:
            return real_save(*objs, **kwargs)
        except IntegrityError:
            conflicts.append(1)
            raise

    registry.store.save = save_together  # type: ignore[method-assign]
    try:
        for day in DAYS:
            records = [
                meal(f"{point}-{day}-{n}", elders[n], f"{day} 11:{n % 60:02d}")
                if n % 2
                else _by_card(f"{point}-{day}-{n}", n, f"{day} 11:{n % 60:02d}")
                for n in takes
            ]
            start.wait(timeout=60)
            first_attempt.pending = True
            results[day] = registry.meals.record_meals(point, f"{day}", records, OPERATOR)
    except BaseException as error:  # reported by the main thread
        errors.append(error)
        start.abort()
        before_save.abort()
    finally:
        registry.close()


def _by_card(record_id: str, n: int, at: str) -> Any:
    """Half the records name the elder by the ID number on their card."""
    base = meal(record_id, None, at)
    return type(base)(base.record_id, base.served_at, base.slot, id_number=_number(n))


def _number(n: int) -> str:
    return make_id_number(sequence=f"{n:03d}")


def test_two_points_uploading_at_once_get_exactly_one_meal_per_slot(
    settings: Settings, seeded: Registry
) -> None:
    meals = meals_registry(seeded)
    a, b = register_canteen(meals, "ST-A"), register_canteen(meals, "ST-B")
    elders = [enrol_elder(meals, f"老人{n}", sequence=f"{n:03d}") for n in range(ELDERS)]
    start, before_save = threading.Barrier(2), threading.Barrier(2)
    results_a: dict[date, BatchResult] = {}
    results_b: dict[date, BatchResult] = {}
    conflicts: list[int] = []
    errors: list[BaseException] = []
    threads = [
        threading.Thread(
            target=upload,
            args=(settings, p, elders, takes, start, before_save, out, conflicts, errors),
        )
        for p, takes, out in ((a, A_TAKES, results_a), (b, B_TAKES, results_b))
    ]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(conflicts) == len(DAYS)  # every day, one save lost the race in the event store
    seeded.runner.catch_up()
    for day in DAYS:
        won: dict[int, str] = {}
        for name, takes, result in (("a", A_TAKES, results_a[day]), ("b", B_TAKES, results_b[day])):
            for n, o in zip(takes, result.outcomes, strict=True):
                assert o.meal_id == meals.meal_id_of(elders[n], day, "lunch")
                if o.status == "accepted":
                    assert n not in won, f"elder {n} got two meals on {day}"
                    won[n] = name
                else:
                    assert (o.status, o.reason_code) == ("refused", "second_meal_in_slot")
        assert sorted(won) == list(range(ELDERS))
    with seeded.engine.connect() as conn:
        per_slot = conn.execute(
            select(register.c.elder_id, register.c.served_on, func.count()).group_by(
                register.c.elder_id, register.c.served_on, register.c.slot
            )
        ).all()
    assert len(per_slot) == ELDERS * len(DAYS)
    assert {count for _, _, count in per_slot} == {1}
    print(f"\n{len(DAYS)} rounds of two concurrent uploads: {time.perf_counter() - began:.2f} s")
