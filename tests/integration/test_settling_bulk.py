"""Drafting a month's settlements of a whole town in one command, on both storages: the same
claims as drafting one by one, a retry records nothing, clawbacks, a draft racing it, a meal
register behind the log, and refusals that record nothing (domain/meals/settling_bulk.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.meals.application import MealsApplication
from domain.meals.model import Meal, MealSettlement
from domain.meals.model.claim import build_claim
from domain.meals.settling_bulk import DRAFTED, REDRAFTED, REFUSED, UNCHANGED
from domain.shared.bulk import get_many
from domain.shared.errors import DomainError
from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from tests.support import (
    ACCOUNTANT,
    CIVIL_AFFAIRS,
    OPERATOR,
    OTHER_VILLAGE,
    TOWN,
    VILLAGE,
    enrol_elder,
    meal,
    meals_registry,
    register_canteen,
)

MAY = [date(2024, 5, d) for d in range(1, 32)]
JUNE = [date(2024, 6, d) for d in range(1, 31)]
AFTER_MAY, AFTER_JUNE = date(2024, 6, 3), date(2024, 7, 2)


@pytest.fixture
def meals(seeded: Registry) -> MealsApplication:
    return meals_registry(seeded)  # type: ignore[no-any-return]


def serve(meals: MealsApplication, point: UUID, elders: list[UUID], days: list[date]) -> None:
    """Lunch every day, a delivered dinner on even days; one upload per point and day."""
    for day in days:
        records = []
        for n, elder in enumerate(elders):
            records.append(meal(f"{day}-{n}-l", elder, f"{day} 11:{10 + n:02d}"))
            if day.day % 2 == 0:
                at = f"{day} 18:{n:02d}"
                records.append(meal(f"{day}-{n}-d", elder, at, "dinner", delivery=True))
        assert meals.record_meals(point, f"{point}-{day}", records, OPERATOR).refused_count == 0


def town(meals: MealsApplication) -> tuple[list[UUID], list[list[UUID]]]:
    """Three canteens in two villages, with their elders, served in May."""
    points = [
        register_canteen(meals, "ST-01"),
        register_canteen(meals, "ST-02", operator_kind="collective"),
        register_canteen(meals, "ST-03", village=OTHER_VILLAGE),
    ]
    elders = [
        [
            enrol_elder(meals, "张桂英", sequence="123"),
            enrol_elder(meals, "王秀兰", sequence="456"),
        ],
        [enrol_elder(meals, "李德明", date(1938, 7, 9), "789", (("age_80", date(2024, 1, 1)),))],
        [enrol_elder(meals, "赵玉梅", date(1940, 3, 1), "321", village=OTHER_VILLAGE)],
    ]
    for point, theirs in zip(points, elders, strict=True):
        serve(meals, point, theirs, MAY)
    return points, elders


def events(registry: Registry) -> int:
    return registry.store.last_notification_id()


def claim_fields(s: MealSettlement) -> tuple[Any, ...]:
    return (s.meal_ids, s.lines, s.clawbacks, s.totals)


def check_against_the_log(registry: Registry, settlement_ids: list[UUID]) -> None:
    """Every claim recomputed from the meals' own events; no meal claimed twice."""
    settlements = get_many(registry.store, settlement_ids, MealSettlement)
    seen: set[str] = set()
    for s in settlements.values():
        claimed = get_many(registry.store, [UUID(hex=i) for i in s.meal_ids], Meal)
        assert len(claimed) == len(s.meal_ids)
        assert not any(m.voided for m in claimed.values())
        assert not seen & set(s.meal_ids)
        seen |= set(s.meal_ids)
        again = build_claim(claimed.values(), [])
        assert (again.meal_ids, again.lines) == (s.meal_ids, s.lines)
        assert {k: v for k, v in again.totals.items() if not k.startswith("clawback")} == {
            k: v for k, v in s.totals.items() if not k.startswith("clawback")
        }


def test_drafting_a_town_claims_what_drafting_one_by_one_claims(
    seeded: Registry, meals: MealsApplication
) -> None:
    points, elders = town(meals)
    serve(meals, points[0], elders[0], [date(2024, 6, 1)])  # not claimed by May
    meals.void_meal(
        meals.meal_id_of(elders[0][1], date(2024, 5, 9), "lunch"),
        "recorded_in_error",
        date(2024, 5, 20),
        ACCOUNTANT,
    )
    one_by_one = [meals.draft_settlement(p, "2024-05", AFTER_MAY, ACCOUNTANT) for p in points]
    drafted = {s: claim_fields(meals.get_settlement(s)) for s in one_by_one}
    before = events(seeded)

    outcomes = meals.draft_settlements(TOWN, "2024-05", AFTER_MAY, ACCOUNTANT)

    assert [(o.meal_point_id, o.settlement_id, o.status) for o in outcomes] == [
        (p, s, UNCHANGED) for p, s in zip(points, one_by_one, strict=True)
    ]
    assert events(seeded) == before  # nothing recorded: the same claims
    assert {s: claim_fields(meals.get_settlement(s)) for s in one_by_one} == drafted
    assert [o.meals for o in outcomes] == [len(drafted[s][0]) for s in one_by_one]


def test_a_town_drafted_at_once_is_what_one_by_one_would_draft(
    seeded: Registry, meals: MealsApplication
) -> None:
    points, elders = town(meals)
    serve(meals, points[0], elders[0], [date(2024, 4, 30)])  # a late upload of April
    own = {p: meals.settlement_id_of(p, "2024-05") for p in points}
    single = {p: meals._claim(meals.get_meal_point(p), date(2024, 5, 31), own[p]) for p in points}

    outcomes = meals.draft_settlements(TOWN, "2024-05", AFTER_MAY, ACCOUNTANT)

    assert [o.status for o in outcomes] == [DRAFTED] * 3
    for p in points:
        s = meals.get_settlement(own[p])
        assert claim_fields(s) == (
            single[p].meal_ids,
            single[p].lines,
            single[p].clawbacks,
            single[p].totals,
        )
    assert len(meals.get_settlement(own[points[0]]).lines) > len(
        meals.get_settlement(own[points[1]]).lines
    )  # April's late meals on lines of their own
    check_against_the_log(seeded, list(own.values()))


def test_a_retry_records_nothing_and_a_returned_claim_is_redrafted(
    seeded: Registry, meals: MealsApplication
) -> None:
    town(meals)
    first = meals.draft_settlements(TOWN, "2024-05", AFTER_MAY, ACCOUNTANT)
    before = events(seeded)

    again = meals.draft_settlements(TOWN, "2024-05", AFTER_MAY, ACCOUNTANT)

    assert [o.status for o in first] == [DRAFTED] * 3
    assert [o.status for o in again] == [UNCHANGED] * 3
    assert events(seeded) == before
    sid = first[0].settlement_id
    meals.submit_settlement(sid, AFTER_MAY, ACCOUNTANT)
    meals.return_settlement(sid, AFTER_MAY, "meals_disputed", CIVIL_AFFAIRS)
    redrafted = meals.draft_settlements(VILLAGE, "2024-05", AFTER_MAY, ACCOUNTANT)
    assert [o.status for o in redrafted] == [REDRAFTED, UNCHANGED]
    assert meals.get_settlement(sid).status == "drafted"


def test_a_meal_voided_after_payment_is_clawed_back_by_the_next_month(
    seeded: Registry, meals: MealsApplication
) -> None:
    points, elders = town(meals)
    may = meals.draft_settlements(TOWN, "2024-05", AFTER_MAY, ACCOUNTANT)
    for o in may:
        meals.submit_settlement(o.settlement_id, AFTER_MAY, ACCOUNTANT)
        meals.verify_settlement(o.settlement_id, AFTER_MAY, CIVIL_AFFAIRS)
        meals.approve_settlement(o.settlement_id, AFTER_MAY, ACCOUNTANT)
        meals.pay_settlement(o.settlement_id, AFTER_MAY, ACCOUNTANT)
    for point, theirs in zip(points, elders, strict=True):
        serve(meals, point, theirs, JUNE)
    voided = meals.meal_id_of(elders[0][0], date(2024, 5, 30), "dinner")
    meals.void_meal(voided, "recorded_in_error", date(2024, 6, 10), ACCOUNTANT)
    june = {p: meals.settlement_id_of(p, "2024-06") for p in points}
    single = {p: meals._claim(meals.get_meal_point(p), date(2024, 6, 30), june[p]) for p in points}

    outcomes = meals.draft_settlements(TOWN, "2024-06", AFTER_JUNE, ACCOUNTANT)

    assert [(o.status, o.clawbacks) for o in outcomes] == [(DRAFTED, 1), (DRAFTED, 0), (DRAFTED, 0)]
    s = meals.get_settlement(june[points[0]])
    assert [c["meal_id"] for c in s.clawbacks] == [voided.hex]
    assert s.clawbacks[0]["from_settlement_id"] == may[0].settlement_id.hex
    assert s.totals["clawback_government"] > 0
    for p in points:
        assert claim_fields(meals.get_settlement(june[p])) == (
            single[p].meal_ids,
            single[p].lines,
            single[p].clawbacks,
            single[p].totals,
        )


def test_a_draft_recorded_meanwhile_makes_it_plan_again_and_no_meal_is_claimed_twice(
    seeded: Registry, meals: MealsApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    points, elders = town(meals)
    for point, theirs in zip(points, elders, strict=True):
        serve(meals, point, theirs, JUNE)
    months = meals.candidates.months
    raced: list[UUID] = []

    def racing(own: Any, period_end: date) -> Any:
        found = months(own, period_end)  # June's claims, May's meals among them …
        if not raced:  # … when May is drafted before June is saved
            raced.append(meals.draft_settlement(points[0], "2024-05", AFTER_MAY, ACCOUNTANT))
        return found

    monkeypatch.setattr(meals.candidates, "months", racing)
    outcomes = meals.draft_settlements(VILLAGE, "2024-06", AFTER_JUNE, ACCOUNTANT)

    assert [o.status for o in outcomes] == [DRAFTED, DRAFTED]
    may, june = meals.get_settlement(raced[0]), meals.get_settlement(outcomes[0].settlement_id)
    assert may.meal_ids and june.meal_ids
    assert not set(may.meal_ids) & set(june.meal_ids)
    check_against_the_log(seeded, [raced[0], outcomes[0].settlement_id])


@pytest.fixture
def lagging(settings: Settings, seeded: Registry) -> Iterator[Registry]:
    """A second registry on the same database whose commands do not fold: the meal register
    stays behind what it records."""
    behind = bootstrap(settings, read_your_writes=False)
    meals_registry(behind)
    yield behind
    behind.close()


def test_a_register_behind_the_log_delays_meals_but_never_claims_a_wrong_one(
    seeded: Registry, meals: MealsApplication, lagging: Registry
) -> None:
    points, elders = town(meals)
    for point, theirs in zip(points, elders, strict=True):
        serve(meals, point, theirs, JUNE)
    seeded.runner.catch_up()
    position = events(seeded)
    late = lagging.meals
    # Behind the register: a void, a late upload, and May drafted for the second canteen.
    gone = late.meal_id_of(elders[0][0], date(2024, 6, 12), "dinner")
    late.void_meal(gone, "recorded_in_error", date(2024, 6, 20), ACCOUNTANT)
    serve(late, points[0], elders[0][1:], [date(2024, 4, 29)])
    may = late.draft_settlements(VILLAGE, "2024-05", AFTER_MAY, ACCOUNTANT)
    assert [o.status for o in may] == [DRAFTED, DRAFTED]
    assert seeded.runner.positions()["meals"] == position

    june = late.draft_settlements(TOWN, "2024-06", AFTER_JUNE, ACCOUNTANT)

    assert [o.status for o in june] == [DRAFTED] * 3
    first = late.get_settlement(june[0].settlement_id)
    assert gone.hex not in first.meal_ids
    april = late.meal_id_of(elders[0][1], date(2024, 4, 29), "lunch")
    assert april.hex not in first.meal_ids  # delayed to the next draft
    check_against_the_log(seeded, [o.settlement_id for o in june])
    seeded.runner.catch_up()
    again = late.draft_settlements(TOWN, "2024-06", AFTER_JUNE, ACCOUNTANT)
    assert [o.status for o in again] == [REDRAFTED, UNCHANGED, UNCHANGED]
    assert april.hex in late.get_settlement(june[0].settlement_id).meal_ids


def test_each_canteen_refused_on_its_own_records_nothing_for_it(
    seeded: Registry, meals: MealsApplication
) -> None:
    points, _ = town(meals)
    empty = register_canteen(meals, "ST-04", village=OTHER_VILLAGE)
    submitted = meals.draft_settlement(points[0], "2024-05", AFTER_MAY, ACCOUNTANT)
    meals.submit_settlement(submitted, AFTER_MAY, ACCOUNTANT)

    outcomes = meals.draft_settlements(TOWN, "2024-05", AFTER_MAY, ACCOUNTANT)

    found = {o.meal_point_id: (o.status, o.code) for o in outcomes}
    assert found == {
        points[0]: (REFUSED, "settlement_already_submitted"),
        points[1]: (DRAFTED, None),
        points[2]: (DRAFTED, None),
        empty: (REFUSED, "settlement_has_no_meals"),
    }
    assert meals.get_settlement(submitted).status == "submitted"
    assert seeded.store.repository.get(empty).version == 1  # nothing noted on the point


@pytest.mark.parametrize(
    ("place", "month", "on", "villages", "code"),
    [
        (TOWN, "2024-05", date(2024, 5, 31), None, "settlement_month_not_ended"),
        (TOWN, "2024-5", AFTER_MAY, None, "invalid_input"),
        ("3201171", "2024-05", AFTER_MAY, None, "invalid_input"),
        ("32011710x", "2024-05", AFTER_MAY, None, "town_code_invalid"),
        ("320117108", "2024-05", AFTER_MAY, None, "meal_point_not_found"),
        (TOWN, "2024-05", AFTER_MAY, frozenset({"320117107999"}), "meal_point_not_found"),
    ],
)
def test_refused_input_records_nothing(
    seeded: Registry,
    meals: MealsApplication,
    place: str,
    month: str,
    on: date,
    villages: frozenset[str] | None,
    code: str,
) -> None:
    town(meals)
    before = events(seeded)

    with pytest.raises(DomainError) as refused:
        meals.draft_settlements(place, month, on, ACCOUNTANT, villages)

    assert refused.value.code == code
    assert events(seeded) == before


def test_only_the_callers_villages_are_drafted(seeded: Registry, meals: MealsApplication) -> None:
    points, _ = town(meals)
    outcomes = meals.draft_settlements(
        TOWN, "2024-05", AFTER_MAY, ACCOUNTANT, frozenset({OTHER_VILLAGE})
    )
    assert [(o.meal_point_id, o.status) for o in outcomes] == [(points[2], DRAFTED)]
