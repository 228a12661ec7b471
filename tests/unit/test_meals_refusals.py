"""One test per reason a meal record is refused: the code, nothing recorded for it, and the
attempt kept on the batch for auditors."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.meals.application import MealsApplication
from domain.meals.errors import MEAL_REFUSAL_REASONS
from domain.meals.model import MealBatch
from domain.meals.uploads import BatchResult, MealRecordInput
from tests.conftest import Memory
from tests.support import (
    ACCOUNTANT,
    OPERATOR,
    VILLAGE,
    enrol_elder,
    make_id_number,
    meal,
    memory_meals,
    outcome,
    record_one,
    register_canteen,
    stored_notifications,
)

DAY = "2024-05-02"


@pytest.fixture
def meals(memory: Memory) -> MealsApplication:
    return memory_meals(memory.store, memory.places, memory.policies)  # type: ignore[no-any-return]


@pytest.fixture
def point(meals: MealsApplication) -> UUID:
    return register_canteen(meals)


@pytest.fixture
def elder(meals: MealsApplication) -> UUID:
    return enrol_elder(meals)


def assert_refused(meals: MealsApplication, result: BatchResult, code: str) -> None:
    """Refused with ``code``, no meal recorded for it, and the attempt kept on the batch."""
    assert code in MEAL_REFUSAL_REASONS
    (only,) = result.outcomes
    assert (only.status, only.reason_code, only.meal_id) == ("refused", code, None)
    batch: MealBatch = meals.store.repository.get(result.batch_id)
    assert batch.accepted == []
    assert [r["code"] for r in batch.refused] == [code]
    assert not any(n.topic.endswith("Meal.Recorded") for n in _notifications(meals))


def _notifications(meals: MealsApplication) -> list[Any]:
    return stored_notifications(meals.store)


def test_every_reason_code_has_a_test_here() -> None:
    tests = Path(__file__).read_text(encoding="utf-8").split("# -- the tests")[-1]
    assert set(MEAL_REFUSAL_REASONS) <= set(re.findall(r'"([a-z_]+)"', tests))


# -- the tests, one or more per reason ----------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [{"slot": "supper"}, {"id_number": "x"}, {"price_yuan": "12.001"}, {"price_yuan": "0"}],
)
def test_a_malformed_record_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID, changes: dict[str, Any]
) -> None:
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42", **changes))
    assert_refused(meals, result, "record_invalid")


def test_an_unknown_elder_id_is_refused(meals: MealsApplication, point: UUID) -> None:
    result = record_one(meals, point, meal("r1", uuid4(), f"{DAY} 11:42"))
    assert_refused(meals, result, "elder_unknown")


def test_an_unknown_id_number_is_refused_and_never_kept(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    stranger = make_id_number(sequence="777")
    served_at = meal("x", elder, f"{DAY} 11:42").served_at
    record = MealRecordInput("r1", served_at, "lunch", id_number=stranger)
    assert_refused(meals, record_one(meals, point, record), "elder_unknown")
    assert stranger.encode() not in b"".join(n.state for n in _notifications(meals))


def test_an_erased_elder_is_unknown(meals: MealsApplication, point: UUID, elder: UUID) -> None:
    meals.erase_personal_data(elder, "data_subject_request", date(2024, 6, 1), ACCOUNTANT)
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42"))
    assert_refused(meals, result, "elder_unknown")


def test_a_meal_dated_after_today_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    result = record_one(meals, point, meal("r1", elder, "2024-08-21 11:42"))
    assert_refused(meals, result, "served_in_future")


def test_a_meal_at_a_closed_point_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    meals.close_meal_point(point, date(2024, 5, 1), "operator_withdrew", ACCOUNTANT)
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42"))
    assert_refused(meals, result, "meal_point_closed")


def test_a_meal_before_the_point_opened_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    result = record_one(meals, point, meal("r1", elder, "2024-01-01 11:42"))
    assert_refused(meals, result, "meal_point_closed")


def test_a_slot_the_point_does_not_serve_is_refused(meals: MealsApplication, elder: UUID) -> None:
    lunch_only = meals.register_meal_point(
        VILLAGE,
        "ZC-02",
        "助餐点",
        "meal_point",
        "collective",
        40,
        date(2024, 1, 2),
        ACCOUNTANT,
        slots={"lunch": ("11:00", "13:00")},
    )
    result = record_one(meals, lunch_only, meal("r1", elder, f"{DAY} 07:30", "breakfast"))
    assert_refused(meals, result, "slot_not_offered")


def test_delivery_from_a_point_that_does_not_deliver_is_refused(
    meals: MealsApplication, elder: UUID
) -> None:
    point = register_canteen(meals, "ST-09", delivery=False)
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42", delivery=True))
    assert_refused(meals, result, "delivery_not_offered")


def test_a_meal_after_the_death_date_is_refused_and_on_the_death_date_accepted(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    meals.record_death(elder, date(2024, 5, 1), date(2024, 5, 1), ACCOUNTANT)
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42"))
    assert_refused(meals, result, "meal_after_death")
    same_day = record_one(meals, point, meal("r2", elder, "2024-05-01 11:42"), "B2")
    assert outcome(same_day, "r2").status == "accepted"


def test_a_meal_after_moving_away_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    meals.move_elder(elder, date(2024, 5, 1), ACCOUNTANT)
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42"))
    assert_refused(meals, result, "elder_moved_away")


def test_a_meal_while_suspended_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    meals.suspend_elder(elder, date(2024, 5, 1), "hospitalised", ACCOUNTANT)
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42"))
    assert_refused(meals, result, "elder_suspended")


def test_a_meal_when_no_category_is_valid_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    meals.end_category(elder, "dibao", date(2024, 4, 30), ACCOUNTANT)
    result = record_one(meals, point, meal("r1", elder, f"{DAY} 11:42"))
    assert_refused(meals, result, "elder_not_eligible_on_date")


def test_a_category_the_subsidy_policy_does_not_list_is_not_eligible(
    meals: MealsApplication, point: UUID
) -> None:
    young = enrol_elder(meals, "李", sequence="456", categories=(("age_60", date(2024, 1, 1)),))
    result = record_one(meals, point, meal("r1", young, f"{DAY} 11:42"))
    assert_refused(meals, result, "elder_not_eligible_on_date")


def test_a_meal_before_enrolment_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    result = record_one(meals, point, meal("r1", elder, "2024-01-04 11:42"))
    assert_refused(meals, result, "elder_not_eligible_on_date")


@pytest.mark.parametrize("at", ["10:59:59", "13:31:00", "16:00:00"])
def test_a_time_outside_the_slot_window_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID, at: str
) -> None:
    result = record_one(meals, point, meal("r1", elder, f"{DAY} {at}"))
    assert_refused(meals, result, "time_outside_slot_window")


@pytest.mark.parametrize("at", ["11:00:00", "13:30:59"])
def test_the_window_includes_its_first_and_last_minute(
    meals: MealsApplication, point: UUID, elder: UUID, at: str
) -> None:
    assert record_one(meals, point, meal("r1", elder, f"{DAY} {at}")).accepted_count == 1


def test_a_second_meal_in_the_same_slot_of_one_batch_is_refused(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    result = meals.record_meals(
        point,
        "B1",
        [meal("r1", elder, f"{DAY} 11:30"), meal("r2", elder, f"{DAY} 12:30")],
        OPERATOR,
    )
    first, second = outcome(result, "r1"), outcome(result, "r2")
    assert first.status == "accepted"
    assert (second.status, second.reason_code, second.meal_id) == (
        "refused",
        "second_meal_in_slot",
        first.meal_id,
    )


def test_a_second_meal_in_the_slot_at_another_point_is_refused_and_kept_as_an_attempt(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    first = record_one(meals, point, meal("r1", elder, f"{DAY} 11:30"))
    other = register_canteen(meals, "ST-02")
    second = record_one(meals, other, meal("r1", elder, f"{DAY} 12:00"))
    refusal = outcome(second, "r1")
    assert (refusal.reason_code, refusal.meal_id) == (
        "second_meal_in_slot",
        outcome(first, "r1").meal_id,
    )
    batch: MealBatch = meals.store.repository.get(second.batch_id)
    assert batch.refused[0]["existing_meal_point_id"] == point.hex
    assert batch.refused[0]["elder_id"] == elder.hex


def test_other_slots_and_days_are_separate_meals(
    meals: MealsApplication, point: UUID, elder: UUID
) -> None:
    result = meals.record_meals(
        point,
        "B1",
        [
            meal("b", elder, f"{DAY} 07:00", "breakfast"),
            meal("l", elder, f"{DAY} 11:30"),
            meal("d", elder, f"{DAY} 18:00", "dinner"),
            meal("l2", elder, "2024-05-03 11:30"),
        ],
        OPERATOR,
    )
    assert result.accepted_count == 4
