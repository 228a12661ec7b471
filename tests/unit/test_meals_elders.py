"""Enrolling elders with sealed personal data, and what may happen to them afterwards."""

from __future__ import annotations

from datetime import date

import pytest

from domain.meals.application import CategoryInput, MealsApplication
from domain.shared.values import deterministic_id
from tests.conftest import Memory
from tests.support import (
    ACCOUNTANT,
    OTHER_VILLAGE,
    VILLAGE,
    enrol_elder,
    make_id_number,
    memory_meals,
    refused,
)


@pytest.fixture
def meals(memory: Memory) -> MealsApplication:
    return memory_meals(memory.store, memory.places, memory.policies)  # type: ignore[no-any-return]


def all_event_bytes(meals: MealsApplication) -> bytes:
    return b"".join(n.state for n in meals.store.recorder.select_notifications(1, 100_000))


def test_the_log_never_holds_the_name_or_the_id_number_in_clear(meals: MealsApplication) -> None:
    elder_id = enrol_elder(meals, "张桂英", date(1944, 5, 6), "123")
    number = make_id_number(date(1944, 5, 6), "123")
    stored = all_event_bytes(meals)
    for secret in ("张桂英", number, number[:17], "19440506", "1944-05-06"):
        assert secret.encode() not in stored
    assert meals.elder_name(elder_id) == "张桂英"


def test_the_elder_id_is_random_not_derived_from_the_id_number(meals: MealsApplication) -> None:
    number = make_id_number()
    elder_id = enrol_elder(meals)
    assert elder_id != deterministic_id("elder", number)
    assert elder_id.version == 4
    assert meals.elder_id_for(number) == elder_id
    assert meals.elder_id_for(number.lower()) == elder_id
    assert meals.elder_id_for(make_id_number(sequence="999")) is None


def test_enrolling_again_with_the_same_details_records_nothing(meals: MealsApplication) -> None:
    first = enrol_elder(meals)
    before = meals.store.last_notification_id()
    assert enrol_elder(meals) == first
    assert meals.store.last_notification_id() == before


def test_the_same_id_number_with_another_name_is_refused(meals: MealsApplication) -> None:
    enrol_elder(meals, "张桂英")
    with refused(meals.store, "elder_already_enrolled"):
        enrol_elder(meals, "张贵英")


def test_an_elder_under_60_is_refused(meals: MealsApplication) -> None:
    with refused(meals.store, "elder_under_60"):
        enrol_elder(meals, born=date(1964, 6, 1))


def test_an_age_band_cannot_start_before_the_birthday(meals: MealsApplication) -> None:
    with refused(meals.store, "category_before_age"):
        enrol_elder(meals, born=date(1944, 5, 6), categories=(("age_80", date(2024, 1, 1)),))
    elder_id = enrol_elder(meals, born=date(1944, 5, 6))
    with refused(meals.store, "category_before_age"):
        meals.grant_category(elder_id, "age_80", date(2024, 5, 5), ACCOUNTANT)
    meals.grant_category(elder_id, "age_80", date(2024, 5, 6), ACCOUNTANT)
    assert "age_80" in meals.get_elder(elder_id).categories_on(date(2024, 5, 6))


def test_an_unknown_category_or_village_is_refused(meals: MealsApplication) -> None:
    with refused(meals.store, "invalid_input"):
        enrol_elder(meals, categories=(("rich", date(2024, 1, 1)),))
    with refused(meals.store, "village_not_registered"):
        enrol_elder(meals, village="320117107999")


def test_categories_have_windows_that_can_end(meals: MealsApplication) -> None:
    elder_id = enrol_elder(meals, categories=(("dibao", date(2024, 1, 1)),))
    with refused(meals.store, "category_already_held"):
        meals.grant_category(elder_id, "dibao", date(2024, 3, 1), ACCOUNTANT)
    meals.end_category(elder_id, "dibao", date(2024, 4, 30), ACCOUNTANT)
    elder = meals.get_elder(elder_id)
    assert elder.categories_on(date(2024, 4, 30)) == ["dibao"]
    assert elder.categories_on(date(2024, 5, 1)) == []
    with refused(meals.store, "category_not_held"):
        meals.end_category(elder_id, "dibao", date(2024, 6, 30), ACCOUNTANT)


def test_a_suspension_runs_until_resumed(meals: MealsApplication) -> None:
    elder_id = enrol_elder(meals)
    with refused(meals.store, "elder_not_suspended"):
        meals.resume_elder(elder_id, date(2024, 3, 1), ACCOUNTANT)
    meals.suspend_elder(elder_id, date(2024, 3, 1), "hospitalised", ACCOUNTANT)
    with refused(meals.store, "elder_already_suspended"):
        meals.suspend_elder(elder_id, date(2024, 3, 5), "other", ACCOUNTANT)
    meals.resume_elder(elder_id, date(2024, 3, 10), ACCOUNTANT)
    elder = meals.get_elder(elder_id)
    assert elder.meal_refusal(date(2024, 3, 9)) == "elder_suspended"
    assert elder.meal_refusal(date(2024, 3, 10)) is None


def test_a_death_is_recorded_once(meals: MealsApplication) -> None:
    elder_id = enrol_elder(meals)
    with refused(meals.store, "invalid_input"):
        meals.record_death(elder_id, date(2024, 6, 2), date(2024, 6, 1), ACCOUNTANT)
    meals.record_death(elder_id, date(2024, 6, 1), date(2024, 6, 3), ACCOUNTANT)
    with refused(meals.store, "death_recorded_differently"):
        meals.record_death(elder_id, date(2024, 6, 2), date(2024, 6, 3), ACCOUNTANT)
    with refused(meals.store, "elder_deceased"):
        meals.suspend_elder(elder_id, date(2024, 6, 5), "other", ACCOUNTANT)


def test_a_move_within_the_registry_keeps_the_elder_and_a_move_away_ends_meals(
    meals: MealsApplication,
) -> None:
    elder_id = enrol_elder(meals)
    meals.move_elder(elder_id, date(2024, 3, 1), ACCOUNTANT, to_village_code=OTHER_VILLAGE)
    assert meals.get_elder(elder_id).village_code == OTHER_VILLAGE
    meals.move_elder(elder_id, date(2024, 4, 1), ACCOUNTANT)
    assert meals.get_elder(elder_id).meal_refusal(date(2024, 4, 1)) == "elder_moved_away"
    with refused(meals.store, "village_not_registered"):
        meals.move_elder(elder_id, date(2024, 5, 1), ACCOUNTANT, to_village_code="320117107999")


def test_erasure_destroys_the_key_and_keeps_every_event(meals: MealsApplication) -> None:
    elder_id = enrol_elder(meals, born=date(1944, 5, 6))
    number = make_id_number(date(1944, 5, 6))
    events_before = len(list(meals.store.events.get(elder_id)))
    meals.erase_personal_data(elder_id, "retention_expired", date(2024, 8, 1), ACCOUNTANT)
    assert meals.elder_name(elder_id) is None
    assert meals.elder_id_for(number) is None
    assert len(list(meals.store.events.get(elder_id))) == events_before + 1
    with refused(meals.store, "personal_data_erased"):
        meals.grant_category(elder_id, "age_80", date(2024, 5, 6), ACCOUNTANT)
    before = meals.store.last_notification_id()
    meals.erase_personal_data(elder_id, "retention_expired", date(2024, 8, 2), ACCOUNTANT)
    assert meals.store.last_notification_id() == before


def test_after_erasure_the_same_person_can_be_enrolled_as_someone_new(
    meals: MealsApplication,
) -> None:
    old = enrol_elder(meals)
    meals.erase_personal_data(old, "enrolled_in_error", date(2024, 2, 1), ACCOUNTANT)
    new = meals.enrol_elder(
        VILLAGE,
        "张桂英",
        make_id_number(),
        [CategoryInput("dibao", date(2024, 2, 1))],
        date(2024, 2, 2),
        ACCOUNTANT,
    )
    assert new != old


def test_an_unknown_elder_is_not_found(meals: MealsApplication) -> None:
    point = meals.meal_point_id_of(VILLAGE, "none")
    with refused(meals.store, "elder_not_found"):
        meals.suspend_elder(point, date(2024, 3, 1), "other", ACCOUNTANT)
