"""Audit findings, each with the notification ids and aggregate ids that prove it."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.meals.application import MealsApplication
from projections.meals.findings import NEVER_ABSENT_DAYS, Finding, findings
from qianwan.bootstrap import Registry
from tests.support import ACCOUNTANT, OPERATOR, enrol_elder, meal, meals_registry, register_canteen

YEAR = (date(2024, 1, 1), date(2024, 12, 31))


@pytest.fixture
def meals(seeded: Registry) -> MealsApplication:
    return meals_registry(seeded)  # type: ignore[no-any-return]


def found(registry: Registry, kind: str) -> list[Finding]:
    with registry.engine.connect() as conn:
        return findings(conn, *YEAR, kinds=[kind])


def topics_of(registry: Registry, ids: tuple[int, ...]) -> list[str]:
    """The event types behind the evidence: each id must name a real notification."""
    result = []
    for n in ids:
        (notification,) = registry.store.recorder.select_notifications(n, 1, stop=n)
        result.append(notification.topic.rsplit(":", 1)[1])
    return result


def test_a_duplicate_claim_at_another_point_is_a_finding_with_both_claims(
    seeded: Registry, meals: MealsApplication
) -> None:
    a, b = register_canteen(meals, "ST-A"), register_canteen(meals, "ST-B")
    elder = enrol_elder(meals)
    first = meals.record_meals(a, "A1", [meal("x", elder, "2024-05-02 11:30")], OPERATOR)
    meals.record_meals(b, "B1", [meal("y", elder, "2024-05-02 12:10")], OPERATOR)
    (finding,) = found(seeded, "duplicate_claim")
    assert (finding.status, finding.meal_point_id, finding.elder_id) == (
        "refused",
        str(b),
        str(elder),
    )
    assert "another point" in finding.detail
    assert topics_of(seeded, finding.evidence_notification_ids) == [
        "MealBatch.Submitted",
        "Meal.Recorded",
    ]
    assert {str(a), str(b), str(first.outcomes[0].meal_id)} <= set(finding.evidence_aggregate_ids)


def test_meals_after_a_death_are_findings_whether_voided_or_refused(
    seeded: Registry, meals: MealsApplication
) -> None:
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    days = [date(2024, 5, d) for d in range(1, 6)]
    meals.record_meals(point, "B1", [meal(f"{d}", elder, f"{d} 11:30") for d in days], OPERATOR)
    meals.record_death(elder, date(2024, 5, 3), date(2024, 5, 10), ACCOUNTANT)
    meals.record_meals(point, "B2", [meal("late", elder, "2024-05-06 11:30")], OPERATOR)
    after_death = found(seeded, "meal_after_death")
    assert [(f.on.day, f.status) for f in after_death] == [
        (4, "voided"),
        (5, "voided"),
        (6, "refused"),
    ]
    assert topics_of(seeded, after_death[0].evidence_notification_ids) == [
        "Meal.Recorded",
        "Elder.Died",
        "Meal.Voided",
    ]
    assert topics_of(seeded, after_death[2].evidence_notification_ids) == [
        "MealBatch.Submitted",
        "Elder.Died",
    ]


def test_a_claim_outside_the_window_and_one_for_a_stranger_are_findings(
    seeded: Registry, meals: MealsApplication
) -> None:
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    meals.record_meals(
        point,
        "B1",
        [meal("early", elder, "2024-05-02 10:15"), meal("who", UUID(int=7), "2024-05-02 11:30")],
        OPERATOR,
    )
    (outside,) = found(seeded, "meal_outside_window")
    (stranger,) = found(seeded, "claim_for_unknown_elder")
    assert (outside.slot, outside.status) == ("lunch", "refused")
    assert stranger.elder_id is None and stranger.evidence_notification_ids


def test_a_day_above_capacity_and_a_sudden_spike_are_findings(
    seeded: Registry, meals: MealsApplication
) -> None:
    point = register_canteen(meals, capacity=24)
    elders = [enrol_elder(meals, f"老人{n}", sequence=f"{n:03d}") for n in range(13)]
    quiet = [date(2024, 5, d) for d in range(1, 8)]
    records = [
        meal(f"{d}-{n}-{s}", e, f"{d} {t}", s)
        for d in quiet
        for n, e in enumerate(elders[:5])
        for s, t in (("lunch", "11:30"), ("dinner", "18:00"))
    ]
    meals.record_meals(point, "QUIET", records, OPERATOR)
    busy = date(2024, 5, 8)
    records = [
        meal(f"{busy}-{n}-{s}", e, f"{busy} {t}", s)
        for n, e in enumerate(elders)
        for s, t in (("lunch", "11:30"), ("dinner", "18:00"))
    ]
    meals.record_meals(point, "BUSY", records, OPERATOR)
    (capacity,) = found(seeded, "daily_count_above_capacity")
    (spike,) = found(seeded, "sudden_spike")
    for f in (capacity, spike):
        assert (f.on, f.meal_point_id, f.status) == (busy, str(point), "pattern")
        assert len(f.evidence_notification_ids) == 26
        assert set(topics_of(seeded, f.evidence_notification_ids)) == {"Meal.Recorded"}
    assert "26 meals" in capacity.detail and "average of 10.0" in spike.detail


def test_an_elder_who_never_missed_a_day_for_months_is_a_finding(
    seeded: Registry, meals: MealsApplication
) -> None:
    point = register_canteen(meals)
    regular, human = enrol_elder(meals), enrol_elder(meals, "李", sequence="456")
    days = [date(2024, 2, 1) + timedelta(n) for n in range(NEVER_ABSENT_DAYS)]
    records = [meal(f"r-{d}", regular, f"{d} 11:30") for d in days]
    records += [meal(f"h-{d}", human, f"{d} 11:30") for d in days if d.day != 15]
    meals.record_meals(point, "Q1", records, OPERATOR)
    (finding,) = found(seeded, "never_absent")
    assert (finding.elder_id, finding.on) == (str(regular), days[-1])
    assert f"{NEVER_ABSENT_DAYS} days" in finding.detail
    assert finding.evidence_aggregate_ids == (str(regular), str(point))
