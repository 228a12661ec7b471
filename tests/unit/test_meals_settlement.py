"""Monthly settlements: the claim, its lifecycle, corrections by voiding, and clawbacks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.meals import settling_bulk
from domain.meals.application import MealsApplication
from domain.meals.settling_bulk import DRAFTED, REFUSED, UNCHANGED
from domain.shared.errors import DatabaseBusy
from tests.conftest import Memory
from tests.support import (
    ACCOUNTANT,
    CIVIL_AFFAIRS,
    OPERATOR,
    OTHER_VILLAGE,
    TOWN,
    enrol_elder,
    meal,
    memory_meals,
    refused,
    register_canteen,
)

MAY = [date(2024, 5, d) for d in range(1, 32)]


@pytest.fixture
def meals(memory: Memory) -> MealsApplication:
    return memory_meals(memory.store, memory.places, memory.policies)  # type: ignore[no-any-return]


@pytest.fixture
def point(meals: MealsApplication) -> UUID:
    return register_canteen(meals)


def serve(
    meals: MealsApplication, point: UUID, elder: UUID, days: list[date], batch: str
) -> list[UUID]:
    """Lunch every day of ``days`` (and a delivered dinner on even days)."""
    records = []
    for d in days:
        records.append(meal(f"{elder}-{d}-l", elder, f"{d} 11:30"))
        if d.day % 2 == 0:
            records.append(meal(f"{elder}-{d}-d", elder, f"{d} 18:00", "dinner", delivery=True))
    result = meals.record_meals(point, batch, records, OPERATOR)
    assert result.refused_count == 0
    return [o.meal_id for o in result.outcomes if o.meal_id]


def settle(meals: MealsApplication, sid: UUID, on: date) -> None:
    meals.submit_settlement(sid, on, ACCOUNTANT)
    meals.verify_settlement(sid, on + timedelta(1), CIVIL_AFFAIRS)
    meals.approve_settlement(sid, on + timedelta(2), ACCOUNTANT)
    s = meals.get_settlement(sid)
    meals.record_subsidy_received(sid, s.net_government_yuan, on + timedelta(5), ACCOUNTANT)
    meals.pay_settlement(sid, on + timedelta(6), ACCOUNTANT)


def test_a_months_claim_is_meals_times_subsidy_by_category(
    meals: MealsApplication, point: UUID
) -> None:
    assisted = enrol_elder(meals, "张", sequence="123")
    aged = enrol_elder(meals, "王", date(1940, 3, 1), "456", (("age_80", date(2024, 1, 1)),))
    serve(meals, point, assisted, MAY, "A")
    serve(meals, point, aged, MAY[:10], "B")
    sid = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    s = meals.get_settlement(sid)
    per_meal = {  # demo policy: government subsidy (delivery included) per meal
        ("dibao", "lunch", False): Decimal(2),
        ("dibao", "dinner", True): Decimal(5),
        ("age_80", "lunch", False): Decimal(1),
        ("age_80", "dinner", True): Decimal(1),
    }
    for line in s.lines:
        key = (line["category"], line["slot"], line["delivery"])
        assert line["government_yuan"] == line["meals"] * per_meal[key]
        assert line["collective_yuan"] == line["meals"] * 1  # the village's top-up
    assert [(line["category"], line["slot"], line["meals"]) for line in s.lines] == [
        ("age_80", "dinner", 5),
        ("age_80", "lunch", 10),
        ("dibao", "dinner", 15),
        ("dibao", "lunch", 31),
    ]
    assert s.meals == 61
    assert s.totals["government"] == 31 * 2 + 15 * 5 + 10 * 1 + 5 * 1
    assert s.totals["collective"] == 61
    assert s.totals["price"] == s.totals["government"] + s.totals["collective"] + s.totals["elder"]
    assert s.net_payable_yuan == s.totals["government"] + s.totals["collective"]


def test_the_lifecycle_runs_in_order_and_each_step_once(
    meals: MealsApplication, point: UUID
) -> None:
    elder = enrol_elder(meals)
    serve(meals, point, elder, MAY[:5], "A")
    with refused(meals.store, "settlement_month_not_ended"):
        meals.draft_settlement(point, "2024-05", date(2024, 5, 31), ACCOUNTANT)
    with refused(meals.store, "invalid_input"):
        meals.draft_settlement(point, "May", date(2024, 6, 3), ACCOUNTANT)
    sid = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    before = meals.store.last_notification_id()
    assert meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT) == sid
    assert meals.store.last_notification_id() == before  # an unchanged redraft is a retry
    with refused(meals.store, "settlement_step_not_allowed"):
        meals.approve_settlement(sid, date(2024, 6, 4), ACCOUNTANT)
    with refused(meals.store, "step_dated_before_previous_step"):
        meals.submit_settlement(sid, date(2024, 6, 2), ACCOUNTANT)
    meals.submit_settlement(sid, date(2024, 6, 4), ACCOUNTANT)
    with refused(meals.store, "settlement_already_submitted"):
        meals.draft_settlement(point, "2024-05", date(2024, 6, 5), ACCOUNTANT)
    meals.verify_settlement(sid, date(2024, 6, 5), CIVIL_AFFAIRS)
    meals.approve_settlement(sid, date(2024, 6, 6), ACCOUNTANT)
    with refused(meals.store, "subsidy_received_differs_from_claim"):
        meals.record_subsidy_received(sid, "1.00", date(2024, 6, 7), ACCOUNTANT)
    net = meals.get_settlement(sid).net_government_yuan
    meals.record_subsidy_received(sid, net, date(2024, 6, 7), ACCOUNTANT)
    with refused(meals.store, "subsidy_already_received"):
        meals.record_subsidy_received(sid, net, date(2024, 6, 7), ACCOUNTANT)
    meals.pay_settlement(sid, date(2024, 6, 8), ACCOUNTANT)
    paid = meals.get_settlement(sid)
    assert (paid.status, paid.paid_yuan) == ("paid", paid.net_payable_yuan)
    with refused(meals.store, "settlement_step_not_allowed"):
        meals.pay_settlement(sid, date(2024, 6, 9), ACCOUNTANT)


def test_nothing_to_claim_is_refused(meals: MealsApplication, point: UUID) -> None:
    with refused(meals.store, "settlement_has_no_meals"):
        meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)


def test_a_meal_voided_after_drafting_stops_verification_until_redrafted(
    meals: MealsApplication, point: UUID
) -> None:
    elder = enrol_elder(meals)
    ids = serve(meals, point, elder, MAY[:3], "A")
    sid = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    meals.submit_settlement(sid, date(2024, 6, 4), ACCOUNTANT)
    meals.void_meal(ids[0], "not_served", date(2024, 6, 4), CIVIL_AFFAIRS)
    with refused(meals.store, "settlement_basis_changed"):
        meals.verify_settlement(sid, date(2024, 6, 5), CIVIL_AFFAIRS)
    meals.return_settlement(sid, date(2024, 6, 5), "meals_disputed", CIVIL_AFFAIRS)
    meals.draft_settlement(point, "2024-05", date(2024, 6, 6), ACCOUNTANT)
    s = meals.get_settlement(sid)
    assert (s.status, s.meals) == ("drafted", len(ids) - 1)
    assert ids[0].hex not in s.meal_ids


def test_a_late_upload_goes_into_the_next_settlement_under_its_own_month(
    meals: MealsApplication, point: UUID
) -> None:
    elder = enrol_elder(meals)
    serve(meals, point, elder, MAY[:3], "A")
    may = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    serve(meals, point, elder, [date(2024, 5, 30)], "LATE")
    serve(meals, point, elder, [date(2024, 6, 3)], "JUNE")
    june = meals.draft_settlement(point, "2024-06", date(2024, 7, 2), ACCOUNTANT)
    lines = meals.get_settlement(june).lines
    assert sorted((line["served_month"], line["slot"]) for line in lines) == [
        ("2024-05", "dinner"),
        ("2024-05", "lunch"),
        ("2024-06", "lunch"),
    ]
    assert not set(meals.get_settlement(june).meal_ids) & set(meals.get_settlement(may).meal_ids)


def test_a_death_reported_late_voids_the_meals_after_it_and_the_next_settlement_claws_back(
    meals: MealsApplication, point: UUID
) -> None:
    elder = enrol_elder(meals)
    serve(meals, point, elder, MAY, "A")
    may = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    settle(meals, may, date(2024, 6, 4))
    voided = meals.record_death(elder, date(2024, 5, 20), date(2024, 6, 20), ACCOUNTANT)
    # 21..31 May: 11 lunches and the dinners of 22, 24, 26, 28, 30 May
    assert len(voided) == 16
    assert all(meals.get_meal(m).void_reason == "meal_after_death" for m in voided)
    assert meals.record_death(elder, date(2024, 5, 20), date(2024, 6, 21), ACCOUNTANT) == []
    june = meals.draft_settlement(point, "2024-06", date(2024, 7, 2), ACCOUNTANT)
    s = meals.get_settlement(june)
    assert (s.meals, len(s.clawbacks)) == (0, 16)
    assert {c["from_settlement_id"] for c in s.clawbacks} == {may.hex}
    assert s.totals["clawback_government"] == 11 * 2 + 5 * 5
    assert s.totals["clawback_collective"] == 16
    assert s.net_payable_yuan == -(11 * 2 + 5 * 5 + 16)
    settle(meals, june, date(2024, 7, 3))
    with refused(meals.store, "settlement_has_no_meals"):  # clawed back once, never twice
        meals.draft_settlement(point, "2024-07", date(2024, 8, 2), ACCOUNTANT)


def test_meals_voided_before_payment_are_never_clawed_back(
    meals: MealsApplication, point: UUID
) -> None:
    elder = enrol_elder(meals)
    ids = serve(meals, point, elder, MAY[:2], "A")
    meals.void_meal(ids[0], "recorded_in_error", date(2024, 5, 5), ACCOUNTANT)
    with refused(meals.store, "meal_already_voided"):
        meals.void_meal(ids[0], "recorded_in_error", date(2024, 5, 5), ACCOUNTANT)
    may = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    assert ids[0].hex not in meals.get_settlement(may).meal_ids
    settle(meals, may, date(2024, 6, 4))
    serve(meals, point, elder, [date(2024, 6, 3)], "J")
    june = meals.get_settlement(
        meals.draft_settlement(point, "2024-06", date(2024, 7, 2), ACCOUNTANT)
    )
    assert june.clawbacks == []


def test_drafting_a_town_at_once_claims_what_drafting_each_point_claims(
    meals: MealsApplication, point: UUID
) -> None:
    other = register_canteen(meals, "ST-02", village=OTHER_VILLAGE)
    elder = enrol_elder(meals)
    serve(meals, point, elder, MAY, "MAY")
    may = meals.settlement_id_of(point, "2024-05")
    alone = meals._claim(meals.get_meal_point(point), date(2024, 5, 31), may)

    outcomes = meals.draft_settlements(TOWN, "2024-05", date(2024, 6, 3), ACCOUNTANT)

    assert [(o.meal_point_id, o.status, o.code) for o in outcomes] == [
        (point, DRAFTED, None),
        (other, REFUSED, "settlement_has_no_meals"),
    ]
    s = meals.get_settlement(may)
    assert (s.meal_ids, s.lines, s.clawbacks, s.totals) == (
        alone.meal_ids,
        alone.lines,
        alone.clawbacks,
        alone.totals,
    )
    again = meals.draft_settlements(TOWN, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    assert [o.status for o in again] == [UNCHANGED, REFUSED]


def test_a_save_that_fails_refuses_its_points_only_and_the_others_stay_drafted(
    meals: MealsApplication, point: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = register_canteen(meals, "ST-02", village=OTHER_VILLAGE)
    serve(meals, point, enrol_elder(meals), MAY, "MAY")
    serve(
        meals, other, enrol_elder(meals, "王秀兰", sequence="456", village=OTHER_VILLAGE), MAY, "M"
    )
    monkeypatch.setattr(settling_bulk, "POINTS_PER_SAVE", 1)
    save, calls = meals.store.save, []

    def busy_the_second_time(*objects: Any) -> Any:
        calls.append(objects)
        if len(calls) == 2:
            raise DatabaseBusy("too many writes at once")
        return save(*objects)

    monkeypatch.setattr(meals.store, "save", busy_the_second_time)
    outcomes = meals.draft_settlements(TOWN, "2024-05", date(2024, 6, 3), ACCOUNTANT)

    assert [(o.meal_point_id, o.status, o.code) for o in outcomes] == [
        (point, DRAFTED, None),
        (other, REFUSED, "database_busy"),
    ]
    assert meals.get_settlement(outcomes[0].settlement_id).status == "drafted"
    with refused(meals.store, "settlement_not_found"):
        meals.get_settlement(outcomes[1].settlement_id)
