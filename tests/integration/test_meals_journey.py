"""A meal point's month on both storages: uploads, the register, the settlement, the books."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from domain.meals.application import MealsApplication
from projections.ledger.queries import account_statement, trial_balance
from projections.ledger.tables import entries, lines
from projections.meals import queries as q
from projections.meals.tables import ALL_TABLES
from qianwan.bootstrap import Registry
from tests.support import (
    ACCOUNTANT,
    CIVIL_AFFAIRS,
    OPERATOR,
    VILLAGE,
    enrol_elder,
    meal,
    meals_registry,
    register_canteen,
)

MAY = [date(2024, 5, d) for d in range(1, 32)]
END_OF_YEAR = date(2024, 12, 31)


@pytest.fixture
def meals(seeded: Registry) -> MealsApplication:
    return meals_registry(seeded)  # type: ignore[no-any-return]


def serve_month(meals: MealsApplication, point: UUID, elders: list[UUID]) -> None:
    """Each elder: lunch every day of May, a delivered dinner on even days; one upload a day."""
    for day in MAY:
        records = []
        for n, elder in enumerate(elders):
            records.append(meal(f"{day}-{n}-l", elder, f"{day} 11:{10 + n:02d}"))
            if day.day % 2 == 0:
                records.append(
                    meal(f"{day}-{n}-d", elder, f"{day} 18:{n:02d}", "dinner", delivery=True)
                )
        assert meals.record_meals(point, f"{day}", records, OPERATOR).refused_count == 0


def three_elders(meals: MealsApplication) -> list[UUID]:
    return [
        enrol_elder(meals, "张桂英", sequence="123"),
        enrol_elder(meals, "王秀兰", date(1940, 3, 1), "456", (("age_80", date(2024, 1, 1)),)),
        enrol_elder(
            meals,
            "李德明",
            date(1938, 7, 9),
            "789",
            (("age_80", date(2024, 1, 1)), ("care_dependent", date(2024, 5, 10))),
        ),
    ]


def settle(meals: MealsApplication, sid: UUID, on: date) -> None:
    meals.submit_settlement(sid, on, ACCOUNTANT)
    meals.verify_settlement(sid, on + timedelta(1), CIVIL_AFFAIRS)
    meals.approve_settlement(sid, on + timedelta(2), ACCOUNTANT)
    net = meals.get_settlement(sid).net_government_yuan
    meals.record_subsidy_received(sid, net, on + timedelta(5), ACCOUNTANT)
    meals.pay_settlement(sid, on + timedelta(6), ACCOUNTANT)


def balances(registry: Registry) -> dict[str, Decimal]:
    with registry.engine.connect() as conn:
        tb = trial_balance(conn, VILLAGE, END_OF_YEAR)
    assert tb.total_debit == tb.total_credit
    return {
        line.account_code: line.debit - line.credit
        for line in tb.lines
        if line.debit or line.credit
    }


def test_a_contractors_month_reconciles_from_meals_to_claim_to_books(
    seeded: Registry, meals: MealsApplication
) -> None:
    point = register_canteen(meals)
    serve_month(meals, point, three_elders(meals))
    sid = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    settle(meals, sid, date(2024, 6, 4))
    with seeded.engine.connect() as conn:
        view = q.settlement(conn, sid)
        register = q.meals_of(conn, meal_point_id=point)
    assert view is not None and view.status == "paid"
    # meals × subsidy by category = the claim (demo policy, one line per category and slot)
    per_meal = {
        ("dibao", "lunch"): Decimal(2),
        ("dibao", "dinner"): Decimal(5),
        ("age_80", "lunch"): Decimal(1),
        ("age_80", "dinner"): Decimal(1),
        ("care_dependent", "lunch"): Decimal(2),
        ("care_dependent", "dinner"): Decimal(5),
    }
    for line in view.lines:
        assert line.government == line.meals * per_meal[(line.category, line.slot)]
        assert line.collective == line.meals * 1
    # 李德明 is 80+ until 9 May and care-dependent (more favourable) from 10 May
    li = {(line.category, line.slot): line.meals for line in view.lines}
    assert li[("care_dependent", "lunch")] == 22 and li[("age_80", "lunch")] == 31 + 9
    assert view.meals == len(register) == 3 * 31 + 3 * 15
    assert view.government == sum((m.government for m in register), Decimal(0))
    assert view.collective == sum((m.collective for m in register), Decimal(0))
    assert view.price == view.government + view.collective + view.elder_share
    assert {m.settlement_id for m in register} == {str(sid)}
    # the books: subsidy through 241 (closed by the receipt), operator through 211 (closed by
    # the payment), the collective's own top-up in 514, paid out of 102
    assert balances(seeded) == {
        "102": -view.collective,
        "514": view.collective,
    }
    with seeded.engine.connect() as conn:
        payable = account_statement(conn, VILLAGE, "211", date(2024, 6, 1), date(2024, 6, 30))
    assert [line.source_event_type for line in payable.lines] == [
        "MealSettlement.Approved",
        "MealSettlement.Paid",
    ]
    assert payable.lines[0].credit == view.net_payable and payable.closing_balance == 0


def test_a_collective_run_canteen_books_its_meal_income(
    seeded: Registry, meals: MealsApplication
) -> None:
    point = register_canteen(meals, "ST-C", operator_kind="collective")
    serve_month(meals, point, three_elders(meals)[:1])
    sid = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    settle(meals, sid, date(2024, 6, 4))
    s = meals.get_settlement(sid)
    assert balances(seeded) == {
        "101": s.totals["elder"],
        "102": s.totals["government"],
        "501": -s.totals["price"],
        "514": s.totals["collective"],
    }


def test_a_late_death_is_voided_and_clawed_back_and_the_books_follow(
    seeded: Registry, meals: MealsApplication
) -> None:
    point = register_canteen(meals)
    elders = three_elders(meals)
    serve_month(meals, point, elders)
    may = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    settle(meals, may, date(2024, 6, 4))
    voided = meals.record_death(elders[0], date(2024, 5, 25), date(2024, 6, 15), ACCOUNTANT)
    assert len(voided) == 6 + 3  # lunches 26–31 May, dinners on 26, 28, 30 May
    june = meals.draft_settlement(point, "2024-06", date(2024, 7, 1), ACCOUNTANT)
    settle(meals, june, date(2024, 7, 2))
    with seeded.engine.connect() as conn:
        view = q.settlement(conn, june)
        gone = q.meals_of(conn, elder_id=elders[0], date_from=date(2024, 5, 26))
    assert view is not None
    assert (view.meals, view.clawback_meals) == (0, 9)
    assert view.clawback_government == 6 * 2 + 3 * 5 and view.clawback_collective == 9
    assert {c.from_settlement_id for c in view.clawbacks} == {str(may)}
    assert all(m.voided and m.void_reason == "meal_after_death" for m in gone)
    assert {m.clawback_settlement_id for m in gone} == {str(june)}
    may_view = meals.get_settlement(may)
    assert balances(seeded) == {
        "102": -(may_view.totals["collective"] - 9),
        "514": may_view.totals["collective"] - 9,
    }


def test_the_read_models_answer_the_screens(seeded: Registry, meals: MealsApplication) -> None:
    point = register_canteen(meals)
    elders = three_elders(meals)
    result = meals.record_meals(
        point,
        "B1",
        [
            meal("a", elders[0], "2024-05-02 11:30"),
            meal("b", elders[0], "2024-05-02 11:35"),
            meal("c", elders[1], "2024-05-02 07:30", "breakfast"),
        ],
        OPERATOR,
    )
    with seeded.engine.connect() as conn:
        batch = q.batch(conn, result.batch_id)
        counts = q.daily_counts(conn, point, date(2024, 5, 1), date(2024, 5, 31))
        people = q.elders_of(conn, seeded.meals.keys, VILLAGE)
        points = q.meal_points(conn, VILLAGE)
    assert batch is not None and (batch.records, batch.accepted, batch.refused) == (3, 2, 1)
    assert [r.code for r in batch.refusals] == ["second_meal_in_slot"]
    assert [(c.served_on, c.breakfast, c.lunch, c.total) for c in counts] == [
        (date(2024, 5, 2), 1, 1, 2)
    ]
    assert {p.name for p in people} == {"张桂英", "王秀兰", "李德明"}
    assert all(p.id_number_masked and "*" in p.id_number_masked for p in people)
    assert [p.meal_point_id for p in points] == [str(point)]


def rows(registry: Registry) -> dict[str, list[Any]]:
    with registry.engine.connect() as conn:
        found = {t.name: sorted(map(tuple, conn.execute(select(t)).all())) for t in ALL_TABLES}
        found["ledger_entries"] = sorted(map(tuple, conn.execute(select(entries)).all()))
        found["ledger_lines"] = sorted(map(tuple, conn.execute(select(lines)).all()))
    return found


def test_rebuilding_the_projections_gives_the_same_rows(
    seeded: Registry, meals: MealsApplication
) -> None:
    point = register_canteen(meals)
    elders = three_elders(meals)
    serve_month(meals, point, elders)
    may = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    settle(meals, may, date(2024, 6, 4))
    meals.record_death(elders[1], date(2024, 5, 28), date(2024, 6, 15), ACCOUNTANT)
    meals.draft_settlement(point, "2024-06", date(2024, 7, 1), ACCOUNTANT)
    before = rows(seeded)
    seeded.runner.rebuild()
    assert rows(seeded) == before
