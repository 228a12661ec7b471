"""Several uploads in one call (``record_meal_uploads``): each checked and idempotent as one
upload alone, all saved in one transaction, and a refusal of any one refuses the call, names
the upload and records nothing."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.meals import uploads
from domain.meals.application import MealsApplication
from domain.meals.uploads import UploadInput
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared.eventstore import EventStore
from qianwan.bootstrap import policy_keys
from tests.conftest import Memory
from tests.support import (
    OPERATOR,
    enrol_elder,
    meal,
    memory_meals,
    outcome,
    refused,
    register_canteen,
    seed_places,
    stored_notifications,
)

DAYS = ("2024-05-02", "2024-05-03", "2024-05-06")


@pytest.fixture
def meals(memory: Memory) -> MealsApplication:
    return memory_meals(memory.store, memory.places, memory.policies)  # type: ignore[no-any-return]


@pytest.fixture
def points(meals: MealsApplication) -> tuple[UUID, UUID]:
    return register_canteen(meals, "ST-01"), register_canteen(meals, "ST-02")


@pytest.fixture
def elders(meals: MealsApplication) -> tuple[UUID, UUID]:
    return enrol_elder(meals), enrol_elder(meals, "李秀兰", sequence="456")


def day_upload(point: UUID, day: str, elders: tuple[UUID, ...], batch: str = "") -> UploadInput:
    records = [
        meal(f"{day}-{n}-{slot}", elder, f"{day} {hour}", slot)
        for n, elder in enumerate(elders)
        for slot, hour in (("lunch", "11:40"), ("dinner", "17:40"))
    ]
    return UploadInput(point, batch or day, records)


def test_a_canteens_days_are_recorded_in_one_call_with_one_result_each(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    uploads = [day_upload(points[0], day, elders) for day in DAYS]
    results = meals.record_meal_uploads(uploads, OPERATOR)
    assert [r.batch_no for r in results] == list(DAYS)
    assert all(not r.replayed and r.accepted_count == 4 for r in results)
    first = outcome(results[0], f"{DAYS[0]}-1-dinner")
    assert first.meal_id == meals.meal_id_of(elders[1], date(2024, 5, 2), "dinner")
    assert first.meal_id is not None
    assert meals.get_meal(first.meal_id).meal_point_id == points[0]


def test_one_call_records_exactly_what_the_uploads_one_by_one_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same events (all but their timestamps) as three separate calls: the same checks."""
    logs = []
    for together in (True, False):
        ids = iter(UUID(int=n + 1) for n in range(100))
        monkeypatch.setattr("domain.meals.application.uuid4", lambda ids=ids: next(ids))
        store = EventStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        places, policies = ReferenceApplication(store), PolicyApplication(store, policy_keys())
        seed_places(places, policies)
        meals = memory_meals(store, places, policies)
        point = register_canteen(meals, "ST-01")
        elders = (enrol_elder(meals), enrol_elder(meals, "李秀兰", sequence="456"))
        uploads = [day_upload(point, day, elders) for day in DAYS]
        before = meals.store.last_notification_id()
        if together:
            meals.record_meal_uploads(uploads, OPERATOR)
        else:
            for u in uploads:
                meals.record_meals(u.meal_point_id, u.batch_no, u.records, OPERATOR)
        logs.append([_content(meals, n) for n in stored_notifications(meals.store)[before:]])
        store.close()
    assert len(logs[0]) == len(DAYS) * 5
    assert logs[0] == logs[1]


def _content(meals: MealsApplication, notification: Any) -> tuple[str, dict[str, Any]]:
    event = meals.store.decode(notification)
    fields = {k: v for k, v in vars(event).items() if k != "timestamp"}
    return notification.topic, fields


def test_an_upload_recorded_before_answers_with_its_first_outcomes_and_the_rest_are_recorded(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    first = meals.record_meals(
        points[0], DAYS[0], day_upload(points[0], DAYS[0], elders).records, OPERATOR
    )
    results = meals.record_meal_uploads([day_upload(points[0], d, elders) for d in DAYS], OPERATOR)
    assert results[0].replayed and results[0].outcomes == first.outcomes
    assert [r.replayed for r in results[1:]] == [False, False]
    before = meals.store.last_notification_id()
    again = meals.record_meal_uploads([day_upload(points[0], d, elders) for d in DAYS], OPERATOR)
    assert all(r.replayed for r in again)
    assert meals.store.last_notification_id() == before


def test_a_slot_taken_by_an_earlier_upload_of_the_call_is_refused_naming_its_point(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    a = day_upload(points[0], DAYS[0], elders, "A")
    b = day_upload(points[1], DAYS[0], elders[:1], "B")
    first, second = meals.record_meal_uploads([a, b], OPERATOR)
    taken = outcome(second, f"{DAYS[0]}-0-lunch")
    assert (taken.status, taken.reason_code) == ("refused", "second_meal_in_slot")
    assert taken.meal_id == outcome(first, f"{DAYS[0]}-0-lunch").meal_id
    batch: Any = meals.store.repository.get(second.batch_id)
    assert {r["existing_meal_point_id"] for r in batch.refused} == {points[0].hex}


def test_a_preview_of_several_uploads_records_nothing(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    before = meals.store.last_notification_id()
    results = meals.record_meal_uploads(
        [day_upload(points[0], d, elders) for d in DAYS], OPERATOR, dry_run=True
    )
    assert [r.accepted_count for r in results] == [4, 4, 4]
    assert meals.store.last_notification_id() == before


# -- all or nothing ------------------------------------------------------------------------------


def _refuses(meals: MealsApplication, uploads: list[UploadInput], code: str, field: str) -> None:
    with refused(meals.store, code) as info:
        meals.record_meal_uploads(uploads, OPERATOR)
    assert info.value.field == field
    n = field.split(".")[1] if field.startswith("uploads.") else None
    if n is not None:
        assert info.value.message.startswith(f"upload {n} ")


def test_a_reused_batch_number_in_one_upload_refuses_the_whole_call(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    meals.record_meal_uploads([day_upload(points[0], DAYS[1], elders)], OPERATOR)
    other_records = day_upload(points[0], DAYS[1], elders[:1], DAYS[1])
    uploads = [day_upload(points[0], DAYS[0], elders), other_records]
    _refuses(meals, uploads, "batch_number_reused", "uploads.1.batch_no")


def test_an_unknown_point_refuses_the_whole_call(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    uploads = [day_upload(points[0], DAYS[0], elders), day_upload(uuid4(), DAYS[1], elders)]
    _refuses(meals, uploads, "meal_point_not_found", "uploads.1.meal_point_id")


def test_a_malformed_upload_refuses_the_whole_call(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    good = day_upload(points[0], DAYS[0], elders)
    twice = UploadInput(points[0], "R", [meal("r1", elders[0], f"{DAYS[1]} 11:30")] * 2)
    _refuses(
        meals, [good, good.__class__(points[1], "X", [])], "invalid_input", "uploads.1.records"
    )
    _refuses(meals, [good, twice], "record_id_repeated_in_batch", "uploads.1.records")
    _refuses(
        meals,
        [good, UploadInput(points[0], " ", good.records)],
        "invalid_input",
        "uploads.1.batch_no",
    )


def test_the_same_batch_twice_in_a_call_is_refused(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    upload = day_upload(points[0], DAYS[0], elders)
    _refuses(meals, [upload, upload], "upload_repeated_in_call", "uploads.1.batch_no")


def test_calls_are_capped_in_uploads_and_in_records(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    _refuses(meals, [], "invalid_input", "uploads")
    many = [
        day_upload(points[0], DAYS[0], elders, f"B{n}")
        for n in range(uploads.MAX_UPLOADS_PER_CALL + 1)
    ]
    _refuses(meals, many, "invalid_input", "uploads")
    per_upload = uploads.MAX_MEALS_PER_BATCH
    big = [
        UploadInput(
            points[0],
            f"B{n}",
            [meal(f"r{k}", elders[0], f"{DAYS[0]} 11:30") for k in range(per_upload)],
        )
        for n in range(uploads.MAX_MEALS_PER_CALL // per_upload + 1)
    ]
    _refuses(meals, big, "invalid_input", "uploads")


def test_a_refusal_found_only_at_the_replay_after_a_conflict_still_records_nothing(
    meals: MealsApplication,
    points: tuple[UUID, UUID],
    elders: tuple[UUID, UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process records our second upload's number with other records between our look
    and our save: the save fails, the look again finds the reused number, nothing is kept."""
    uploads = [day_upload(points[0], DAYS[0], elders), day_upload(points[0], DAYS[1], elders)]
    real_save = meals.store.save
    raced: list[Any] = []

    def racing_save(*objs: Any, **kwargs: Any) -> Any:
        if not raced:
            raced.append(1)
            other = day_upload(points[0], DAYS[1], elders[:1], DAYS[1]).records
            meals.store.save = real_save  # type: ignore[method-assign]
            meals.record_meals(points[0], DAYS[1], other, OPERATOR)
            meals.store.save = racing_save  # type: ignore[method-assign]
        return real_save(*objs, **kwargs)

    monkeypatch.setattr(meals.store, "save", racing_save)
    before = meals.store.last_notification_id()
    with pytest.raises(Exception) as info:
        meals.record_meal_uploads(uploads, OPERATOR)
    assert getattr(info.value, "code", None) == "batch_number_reused"
    assert getattr(info.value, "field", None) == "uploads.1.batch_no"
    # only the racing upload (its two meals and its batch) was recorded, nothing of the call
    assert meals.store.last_notification_id() == before + 3


def test_an_id_of_another_kind_is_an_unknown_point_or_an_unknown_elder(
    meals: MealsApplication, points: tuple[UUID, UUID], elders: tuple[UUID, UUID]
) -> None:
    """User input may name any aggregate's id: not found, never a programmer's error."""
    named_elder = UploadInput(elders[0], "B1", day_upload(points[0], DAYS[0], elders).records)
    _refuses(meals, [named_elder], "meal_point_not_found", "uploads.0.meal_point_id")
    point_as_elder = meal("r1", points[1], f"{DAYS[0]} 11:40")
    (result,) = meals.record_meal_uploads(
        [UploadInput(points[0], "B2", [point_as_elder])], OPERATOR
    )
    alone = meals.record_meals(points[0], "B3", [point_as_elder], OPERATOR)
    for outcome_ in (result.outcomes[0], alone.outcomes[0]):
        assert (outcome_.status, outcome_.reason_code) == ("refused", "elder_unknown")
