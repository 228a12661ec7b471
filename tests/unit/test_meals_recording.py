"""Recording a meal point's upload: accepted meals, idempotency, one meal per slot, volume."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.meals import recording, uploads
from domain.meals.application import MealsApplication
from domain.meals.uploads import MealOutcome, MealRecordInput
from domain.shared import bulk
from tests.conftest import Memory
from tests.support import (
    OPERATOR,
    OTHER_VILLAGE,
    VILLAGE,
    enrol_elder,
    make_id_number,
    meal,
    memory_meals,
    outcome,
    record_one,
    refused,
    register_canteen,
    stored_notifications,
)

DAY = "2024-05-02"
ONE_DAY = timedelta(days=1)


@pytest.fixture
def meals(memory: Memory) -> MealsApplication:
    return memory_meals(memory.store, memory.places, memory.policies)  # type: ignore[no-any-return]


@pytest.fixture
def point(meals: MealsApplication) -> UUID:
    return register_canteen(meals)


@pytest.fixture
def elder(meals: MealsApplication) -> UUID:
    return enrol_elder(meals)


def _notifications(meals: MealsApplication) -> list[Any]:
    return stored_notifications(meals.store)


# -- accepted -------------------------------------------------------------------------------


def test_an_eligible_meal_is_recorded_with_who_pays_what(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42"))
    accepted = outcome(result, "r1")
    assert (accepted.status, accepted.meal_id) == (
        "accepted",
        meals.meal_id_of(elder, date(2024, 5, 2), "lunch"),
    )
    assert accepted.meal_id is not None
    recorded = meals.get_meal(accepted.meal_id)
    assert (recorded.category, recorded.served_at) == ("dibao", "11:42:00")
    money = (recorded.price_yuan, recorded.government_yuan, recorded.collective_yuan)
    assert money == (Decimal("12.00"), Decimal("2.00"), Decimal("1.00"))
    assert recorded.elder_yuan == 9


def test_the_per_meal_event_stays_small(meals: MealsApplication, point: UUID, elder: UUID) -> None:
    record_one(meals, point, meal("r1", elder, f"{DAY} 11:42"))
    (stored,) = [n for n in _notifications(meals) if n.topic.endswith("Meal.Recorded")]
    assert len(stored.state) < 700


def test_an_elder_can_be_named_by_the_id_number_on_their_card(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    record = MealRecordInput(
        "r1", meal("x", elder, f"{DAY} 11:42").served_at, "lunch", id_number=make_id_number()
    )
    result = record_one(meals, point, record)
    assert outcome(result, "r1").meal_id == meals.meal_id_of(elder, date(2024, 5, 2), "lunch")
    assert make_id_number().encode() not in b"".join(n.state for n in _notifications(meals))


# -- idempotency --------------------------------------------------------------------------------


def test_resubmitting_a_batch_records_nothing_and_returns_the_first_outcomes(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    records = [meal("r1", elder, f"{DAY} 11:30"), meal("r2", uuid4(), f"{DAY} 11:30")]
    first = meals.record_meals(point, "B1", records, OPERATOR)
    before = meals.store.last_notification_id()
    again = meals.record_meals(point, "B1", list(reversed(records)), OPERATOR)
    assert meals.store.last_notification_id() == before
    assert again.replayed and not first.replayed
    assert sorted(again.outcomes, key=lambda o: o.record_id) == sorted(
        first.outcomes, key=lambda o: o.record_id
    )


def test_the_same_batch_number_with_other_records_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    record_one(meals, point, meal("r1", elder, f"{DAY} 11:30"))
    with refused(meals.store, "batch_number_reused"):
        record_one(meals, point, meal("r1", elder, f"{DAY} 11:31"))


def test_a_record_uploaded_again_in_a_later_batch_is_already_recorded(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    shift = record_one(meals, point, meal("r1", elder, f"{DAY} 11:30"))
    day = meals.record_meals(
        point,
        "DAY",
        [meal("r1", elder, f"{DAY} 11:30"), meal("r2", elder, f"{DAY} 18:00", "dinner")],
        OPERATOR,
    )
    assert outcome(day, "r1") == MealOutcome(
        "r1", "already_recorded", None, outcome(shift, "r1").meal_id
    )
    assert outcome(day, "r2").status == "accepted"


def test_repeated_record_ids_and_oversized_batches_are_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    with refused(meals.store, "record_id_repeated_in_batch"):
        meals.record_meals(
            point,
            "B1",
            [meal("r1", elder, f"{DAY} 11:30"), meal("r1", elder, f"{DAY} 18:00", "dinner")],
            OPERATOR,
        )
    with refused(meals.store, "invalid_input"):
        meals.record_meals(point, "B1", [], OPERATOR)
    too_many = [
        meal(f"r{n}", elder, f"{DAY} 11:30") for n in range(uploads.MAX_MEALS_PER_BATCH + 1)
    ]
    with refused(meals.store, "invalid_input"):
        meals.record_meals(point, "B1", too_many, OPERATOR)


def test_an_unknown_meal_point_is_refused(meals: MealsApplication, elder: UUID) -> None:
    with refused(meals.store, "meal_point_not_found"):
        record_one(meals, elder, meal("r1", elder, f"{DAY} 11:30"))


# -- the event store decides between two uploads at the same moment ------------------------------


def test_a_slot_taken_between_look_up_and_save_is_refused_on_the_retry(
    meals: MealsApplication, point: UUID, elder: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other point's meal is invisible to our first look (as if it were saved a moment
    later): our save fails in the event store, nothing of ours is recorded, and the retry
    refuses exactly that record and records the rest."""
    other = register_canteen(meals, "ST-02")
    record_one(meals, other, meal("o1", elder, f"{DAY} 11:30"))
    second = enrol_elder(meals, "李", sequence="456")
    real = bulk.get_many
    looks: list[int] = []

    def stale_first_look(store: Any, ids: Any, cls: Any) -> Any:
        if cls.__name__ == "Meal":
            looks.append(1)
            if len(looks) == 1:
                return {}
        return real(store, ids, cls)

    monkeypatch.setattr(recording, "get_many", stale_first_look)
    result = meals.record_meals(
        point,
        "B1",
        [meal("r1", elder, f"{DAY} 11:40"), meal("r2", second, f"{DAY} 11:40")],
        OPERATOR,
    )
    assert len(looks) == 2
    assert outcome(result, "r1").reason_code == "second_meal_in_slot"
    assert outcome(result, "r2").status == "accepted"
    recorded = [n for n in _notifications(meals) if n.topic.endswith("Meal.Recorded")]
    assert len(recorded) == 2  # the other point's meal and r2: nothing twice


def test_a_busy_days_300_meals_take_one_look_up_and_one_save(
    meals: MealsApplication, point: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    elders = [enrol_elder(meals, f"老人{n}", sequence=f"{n:03d}") for n in range(100)]
    records = [
        meal(f"{n}-{slot}", e, f"{DAY} {at}", slot)
        for n, e in enumerate(elders)
        for slot, at in (("breakfast", "07:00"), ("lunch", "11:30"), ("dinner", "18:00"))
    ]
    looks: list[int] = []
    loads: list[str] = []
    saves: list[int] = []
    real_versions, real_get_many, real_save = meals.store.versions, bulk.get_many, meals.store.save

    def counting_versions(ids: Any) -> Any:
        looks.append(len(ids))
        return real_versions(ids)

    def counting_get_many(store: Any, ids: Any, cls: Any) -> Any:
        loads.append(cls.__name__)
        return real_get_many(store, ids, cls)

    def counting_save(*objs: Any, **kwargs: Any) -> Any:
        saves.append(len(objs))
        return real_save(*objs, **kwargs)

    monkeypatch.setattr(meals.store, "versions", counting_versions)
    monkeypatch.setattr(recording, "get_many", counting_get_many)
    monkeypatch.setattr(meals.store, "save", counting_save)
    result = meals.record_meals(point, "DAY", records, OPERATOR)
    assert result.accepted_count == 300
    assert len(looks) == 1  # the batch, its elders, the policies, all 300 slots: one look-up
    # each elder loaded once (as any aggregate: an id from input may name another kind, which
    # is then an unknown elder); the policies once; no meal existed
    assert loads == ["QianwanAggregate", "PolicySetting"]
    assert saves == [301]  # 300 meals and their batch in one transaction

    loads.clear()
    next_day = [
        replace(r, record_id=f"next-{r.record_id}", served_at=r.served_at + ONE_DAY)
        for r in records
    ]
    assert meals.record_meals(point, "NEXT", next_day, OPERATOR).accepted_count == 300
    assert loads == []  # elders and policies unchanged since: nothing decoded again


def test_a_time_with_a_zone_is_read_as_china_standard_time(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    utc = datetime(2024, 5, 2, 3, 30, tzinfo=UTC)  # 11:30 in Lishui
    result = record_one(meals, point, MealRecordInput("r1", utc, "lunch", elder_id=elder))
    assert outcome(result, "r1").meal_id is not None
    assert meals.get_meal(outcome(result, "r1").meal_id).served_at == "11:30:00"


# -- the uploader's villages ----------------------------------------------------------------


def test_an_elder_outside_the_uploaders_villages_is_unknown_whatever_their_state(
    meals: MealsApplication, point: UUID
) -> None:
    # given a dead elder of another village and a living one who ate elsewhere that day
    dead = enrol_elder(meals, village=OTHER_VILLAGE, sequence="201")
    meals.record_death(dead, date(2024, 4, 1), date(2024, 4, 2), OPERATOR)
    alive = enrol_elder(meals, village=OTHER_VILLAGE, sequence="202")
    elsewhere = register_canteen(meals, "TP-01", village=OTHER_VILLAGE)
    record_one(meals, elsewhere, meal("e1", alive, f"{DAY} 11:30"))

    # when an uploader limited to VILLAGE names them, by ID number and by id
    records = [
        meal("dead", None, f"{DAY} 11:40", id_number=make_id_number(sequence="201")),
        meal("alive", alive, f"{DAY} 11:40"),
        meal("nobody", None, f"{DAY} 11:40", id_number=make_id_number(sequence="203")),
    ]
    result = meals.record_meals(point, "B1", records, OPERATOR, frozenset({VILLAGE}))

    # then each reads as an elder nobody knows, and the batch keeps no elder id of theirs
    assert [(o.status, o.reason_code, o.meal_id) for o in result.outcomes] == [
        ("refused", "elder_unknown", None)
    ] * 3
    batch = [n for n in _notifications(meals) if n.topic.endswith("MealBatch.Submitted")][-1]
    stored = batch.state.decode(errors="replace")
    assert "elder_unknown" in stored  # readable: the ids would show
    assert not any(i in stored for e in (dead, alive) for i in (str(e), e.hex))
