"""The district's monthly summary, on SQLite and PostgreSQL: kept by the fold as sums, it equals
a fresh computation from the journal and the meal register, survives a rebuild, and the
platform's query reads it."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

import pytest
from sqlalchemy import select

from api.auth.authenticate import authenticate
from api.common import RequestContext
from api.execution import GraphQLRequest, run
from api.schema import build_schema
from domain.meals.application import MealsApplication
from projections.ledger.tables import entries, lines
from projections.meals.tables import meals as register
from projections.meals.tables import points
from projections.summary import INCOME_ACCOUNTS, LAND_PROCEEDS, income, land, meals
from projections.summary_queries import district_month
from qianwan.bootstrap import Registry
from tests.support import (
    ACCOUNTANT,
    ADMIN,
    CIVIL_AFFAIRS,
    DISTRICT,
    OPERATOR,
    approved_building,
    enrol_elder,
    leased_building,
    meal,
    meals_registry,
    parcel_through,
    register_canteen,
    seed_land_policies,
)

MAY = [date(2024, 5, d) for d in range(1, 32)]
SUMMARY_QUERY = """
query ($district: String!, $month: String!) {
  districtMonthlySummary(districtCode: $district, month: $month) {
    districtName month income landContracted landReceived
    incomeByTown { townCode total villages { villageCode total accounts { accountCode amount } } }
    landByTown { townCode contracts contracted installments received }
    meals { meals price government collective coPayment }
    mealsByCategory { category totals { meals government } }
    mealsByPoint { mealPointName category totals { meals } }
  }
}"""


def busy_district(registry: Registry) -> MealsApplication:
    """Rent, a disposal at a gain, land sold and paid, two canteens' meals of May (one voided)
    and the collective-run canteen's May settlement approved (its meals become 501 income)."""
    a = registry.assets
    leased = leased_building(a, "ZC-001")
    a.invoice_rent(
        leased, "FP-1", "36000", date(2024, 4, 1), date(2024, 4, 15), date(2024, 4, 1),
        date(2025, 3, 31), ACCOUNTANT,
    )  # fmt: skip
    a.receive_rent(leased, "SJ-1", "FP-1", "36000", date(2024, 4, 10), ACCOUNTANT)
    sold = approved_building(a, "ZC-003", matter="disposal")
    a.list_for_bidding(sold, "交易中心", "LS-3", date(2024, 3, 5), "100000", ACCOUNTANT)
    a.dispose(sold, date(2024, 5, 20), "150000", "某公司", True, ACCOUNTANT)
    seed_land_policies(registry.policies)
    parcel_through(registry.land, "paid_in_full")

    meals = meals_registry(registry)
    run_by_collective = register_canteen(meals, "ST-01", operator_kind="collective")
    contracted = register_canteen(meals, "ST-02")
    elders = [
        enrol_elder(meals, "张桂英", sequence="123"),
        enrol_elder(meals, "王秀兰", date(1940, 3, 1), "456", (("age_80", date(2024, 1, 1)),)),
    ]
    for day in MAY:
        for point, slot, at in (
            (run_by_collective, "lunch", "11:30"),
            (contracted, "dinner", "18:00"),
        ):
            records = [meal(f"{day}-{n}", e, f"{day} {at}", slot) for n, e in enumerate(elders)]
            assert meals.record_meals(point, f"{day}", records, OPERATOR).refused_count == 0
    voided = meals.meal_id_of(elders[0], date(2024, 5, 3), "lunch")
    meals.void_meal(voided, "not_served", date(2024, 5, 20), ACCOUNTANT)
    sid = meals.draft_settlement(run_by_collective, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    meals.submit_settlement(sid, date(2024, 6, 4), ACCOUNTANT)
    meals.verify_settlement(sid, date(2024, 6, 5), CIVIL_AFFAIRS)
    meals.approve_settlement(sid, date(2024, 6, 6), ACCOUNTANT)
    return cast("MealsApplication", meals)


def as_platform(registry: Registry) -> RequestContext:
    """The request context of the district platform's API token."""
    issued = registry.access.issue_token("platform", [], "district platform", ADMIN)
    principal = authenticate(registry, f"Bearer {issued.secret}")
    assert principal is not None
    return RequestContext(registry, principal.actor, principal=principal)


def month(day: date) -> str:
    return f"{day:%Y-%m}"


def kept(registry: Registry) -> dict[str, Counter[tuple[Any, ...]]]:
    """The summary tables as kept by the fold (rows that sum to nothing left out)."""
    with registry.engine.connect() as conn:
        inc = Counter(
            {
                (r.month, r.village_code, r.account_code): r.credit_fen - r.debit_fen
                for r in conn.execute(select(income))
            }
        )
        lnd = Counter(
            {(r.month, r.town_code, r.kind): r.amount_fen for r in conn.execute(select(land))}
        )
        mls = Counter(
            {
                (r.month, r.village_code, r.meal_point_id, r.category): (
                    r.meals, r.price_fen, r.government_fen, r.collective_fen, r.elder_fen,
                )
                for r in conn.execute(select(meals))
                if r.meals
            }
        )  # fmt: skip
    return {"income": +inc, "land": +lnd, "meals": mls}


def computed(registry: Registry) -> dict[str, Counter[tuple[Any, ...]]]:
    """The same figures computed afresh from the journal and the meal register."""
    inc: Counter[tuple[Any, ...]] = Counter()
    lnd: Counter[tuple[Any, ...]] = Counter()
    sums: dict[tuple[Any, ...], list[int]] = {}
    with registry.engine.connect() as conn:
        for r in conn.execute(select(lines).where(lines.c.account_code.in_(INCOME_ACCOUNTS))):
            inc[(month(r.entry_date), r.village_code, r.account_code)] += r.credit_fen - r.debit_fen
        joined = select(entries.c.source_event_type, lines).join(
            entries, entries.c.entry_id == lines.c.entry_id
        )
        proceeds = {event_class.__qualname__: kind for event_class, kind in LAND_PROCEEDS.items()}
        for r in conn.execute(joined.where(entries.c.source_event_type.in_(list(proceeds)))):
            kind = proceeds[r.source_event_type]
            lnd[(month(r.entry_date), r.village_code[:9], kind)] += r.debit_fen
        village: dict[str, str] = {
            k: v for k, v in conn.execute(select(points.c.meal_point_id, points.c.village_code))
        }
        for r in conn.execute(select(register).where(register.c.voided.is_(False))):
            key = (month(r.served_on), village[r.meal_point_id], r.meal_point_id, r.category)
            row = sums.setdefault(key, [0] * 5)
            for n, value in enumerate(
                (1, r.price_fen, r.government_fen, r.collective_fen, r.elder_fen)
            ):
                row[n] += value
    return {"income": +inc, "land": +lnd, "meals": Counter({k: tuple(v) for k, v in sums.items()})}


def test_the_summary_equals_a_fresh_computation_and_survives_a_rebuild(seeded: Registry) -> None:
    busy_district(seeded)
    live = kept(seeded)
    assert live == computed(seeded)
    assert {k for k, _, _ in live["income"]} >= {"2024-04", "2024-05", "2024-06"}
    assert {kind for _, _, kind in live["land"]} == {"contracted", "received"}
    meal_sums = cast("dict[Any, tuple[int, ...]]", live["meals"])
    assert sum(m[0] for m in meal_sums.values()) == 2 * 2 * 31 - 1  # one voided
    seeded.runner.rebuild()
    assert kept(seeded) == live


def test_the_platform_reads_the_month_in_one_query(seeded: Registry) -> None:
    busy_district(seeded)
    with seeded.engine.connect() as conn:
        april = district_month(conn, DISTRICT, "2024-04")
        may = district_month(conn, DISTRICT, "2024-05")
        june = district_month(conn, DISTRICT, "2024-06")
        assert district_month(conn, "320199", "2024-05") is None
    assert april is not None and may is not None and june is not None
    assert may.meals.meals == 123
    assert may.meals.price == may.meals.government + may.meals.collective + may.meals.elder
    assert sum(c.totals.meals for c in may.meals_by_category) == 123
    assert {line.meal_point_name for line in may.meals_by_point} == {
        "长者食堂ST-01",
        "长者食堂ST-02",
    }
    assert may.land_contracted == Decimal("2600000.05") and may.land_received == 0
    assert june.land_received == Decimal("1300000.00")
    # the approved May claim of the collective-run canteen is its 501 income of June
    collective_meals = [
        line.totals for line in may.meals_by_point if line.meal_point_name == "长者食堂ST-01"
    ]
    assert june.income == sum((t.price for t in collective_meals), Decimal(0))
    assert june.income_by_town[0].villages[0].accounts[0].account_code == "501"
    assert april.income > 0  # the year's rent, earned as invoiced
    assert may.income == may.income_by_town[0].total > 0  # the gain on the disposal (504)

    reply = run(
        build_schema(),
        GraphQLRequest(SUMMARY_QUERY, {"district": DISTRICT, "month": "2024-05"}, None),
        as_platform(seeded),
    )
    assert reply.status == 200, reply.body
    data = reply.body["data"]["districtMonthlySummary"]
    assert Decimal(data["income"]) == may.income
    assert data["meals"]["meals"] == 123
    assert Decimal(data["meals"]["coPayment"]) == may.meals.elder
    assert Decimal(data["landContracted"]) == Decimal("2600000.05")


SUMMARY_PART = """query ($district: String!, $month: String!) {
  districtMonthlySummary(districtCode: $district, month: $month) { %s } }"""


def test_a_month_with_more_lines_than_a_summary_list_holds_refuses_that_list(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary's lists are capped (the limits estimate a query by the caps): a month past a
    cap refuses the list with a code; the totals are still answered."""
    busy_district(seeded)
    monkeypatch.setattr("api.summary.types.MAX_SUMMARY_VILLAGES", 0)
    monkeypatch.setattr("api.summary.types.MAX_SUMMARY_MEAL_LINES", 1)
    variables = {"district": DISTRICT, "month": "2024-05"}

    def answer(fields: str) -> dict[str, Any]:
        request = GraphQLRequest(SUMMARY_PART % fields, variables, None)
        return run(build_schema(), request, as_platform(seeded)).body

    for fields in ("incomeByTown { villages { villageCode } }", "mealsByPoint { category }"):
        (error,) = answer(fields)["errors"]
        assert error["extensions"]["code"] == "summary_list_too_long"
    totals = answer("income meals { meals }")
    assert totals["data"]["districtMonthlySummary"]["meals"] == {"meals": 123}


@pytest.mark.parametrize(
    ("district", "month_text"), [("32011", "2024-05"), (DISTRICT, "2024-13"), (DISTRICT, "May")]
)
def test_a_malformed_district_or_month_is_refused(
    registry: Registry, district: str, month_text: str
) -> None:
    reply = run(
        build_schema(),
        GraphQLRequest(SUMMARY_QUERY, {"district": district, "month": month_text}, None),
        as_platform(registry),
    )
    assert reply.body["errors"][0]["extensions"]["code"] == "invalid_input"
    assert reply.body["data"] == {"districtMonthlySummary": None}


def test_a_day_of_meals_moves_only_its_month(seeded: Registry) -> None:
    meals = meals_registry(seeded)
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    last_of_may = date(2024, 5, 31)
    for day in (last_of_may, last_of_may + timedelta(days=1)):
        meals.record_meals(point, f"{day}", [meal(f"{day}", elder, f"{day} 11:30")], OPERATOR)
    with seeded.engine.connect() as conn:
        may, june = (district_month(conn, DISTRICT, m) for m in ("2024-05", "2024-06"))
    assert may is not None and june is not None
    assert (may.meals.meals, june.meals.meals) == (1, 1)
