"""The demo district loads through the applications without tripping a single rule, loads only
once, resumes after an interruption, and leaves balanced books with rent income; its parcels
entering the market stand at several stages, one paid out to the members with reconciled books."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from tqdm import tqdm

from domain.land.model import Parcel
from domain.meals.policy_keys import DEFAULT_MEAL_SUBSIDIES
from domain.shared.errors import DomainError
from domain.shared.values import Provenance
from projections.disclosure_findings import overdue_disclosures
from projections.disclosure_queries import disclosures_of
from projections.land.queries import list_parcels, parcel_proceeds
from projections.ledger.queries import (
    AccountStatement,
    TrialBalance,
    account_statement,
    trial_balance,
)
from projections.meals import queries as mq
from projections.meals import tables as mt
from qianwan.bootstrap import Registry, bootstrap
from scripts import demo, demo_land
from scripts.demo import (
    DemoSummary,
    asset_version,
    demo_loaded,
    load_demo,
    load_places,
    planned_events,
    read_assets,
    read_places,
)
from scripts.demo_books import planned_books_events
from scripts.demo_disclosure import WUCUNQIAO, overdue_village, planned_disclosure_events
from scripts.demo_disclosure import periods as disclosure_periods
from scripts.demo_land import land_demo_loaded, load_land_demo, planned_land_events, read_land
from scripts.demo_meals import SETTLEMENT_DAYS, planned_meal_events
from scripts.demo_meals_plan import PLANTED, read_meals
from tests.conftest import STORAGES, drop_schema, make_settings

AS_OF = date(2026, 10, 31)  # the last day of the demo's facts
README_VILLAGE = "320117107206"  # 乌村桥村: the README's first query asks for its trial balance


def balances(tb: TrialBalance) -> dict[str, tuple[Any, Any]]:
    return {line.account_code: (line.debit, line.credit) for line in tb.lines}


def demo_village_codes() -> list[str]:
    return sorted({a["village_code"] for a in read_assets()})


@pytest.fixture(scope="module", params=STORAGES)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Registry, DemoSummary]]:
    """The whole demo loaded once per storage for this module's read-only checks (a load takes
    tens of seconds; the tests that interrupt or repeat a load make their own registry)."""
    settings, schema = make_settings(request.param, tmp_path_factory.mktemp("demo"))
    registry = bootstrap(settings)
    try:
        yield registry, load_demo(registry, progress=False)
    finally:
        registry.close()
        if schema:
            drop_schema(schema)


def test_the_demo_trips_no_rule_and_a_second_load_records_nothing(
    loaded: tuple[Registry, DemoSummary],
) -> None:
    registry, summary = loaded

    assets = read_assets()
    planned = planned_events(read_places(), assets) + planned_land_events(read_land())
    planned += planned_meal_events()  # elderly meal assistance (助餐)
    planned += planned_books_events(read_places())  # vouchers, 2025 closed (凭证与结账)
    planned += planned_disclosure_events(read_places())  # published disclosures (村务公开)
    assert summary.events == planned
    assert (summary.villages, summary.assets) == (32, len(assets))
    # No step was refused: each asset holds its registration and one event per step.
    for asset in assets:
        assert asset_version(registry.assets, asset) == 1 + len(asset["steps"]), asset["asset_code"]
    assert demo_loaded(registry)
    assert len(demo_village_codes()) >= 12
    assert {a["village_code"][:9] for a in assets} == {t["code"] for t in read_places()["towns"]}

    last = registry.store.last_notification_id()
    again = load_demo(registry, progress=False)

    assert again.events == 0
    assert registry.store.last_notification_id() == last


def test_an_interrupted_load_resumes_after_the_last_recorded_step(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run_step = demo.run_step
    calls = 0

    def failing_after_50_steps(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > 50:
            raise KeyboardInterrupt
        real_run_step(*args)

    monkeypatch.setattr(demo, "run_step", failing_after_50_steps)
    with pytest.raises(KeyboardInterrupt):
        load_demo(registry, progress=False)
    monkeypatch.undo()

    load_demo(registry, progress=False)

    everything = planned_events(read_places(), read_assets()) + planned_land_events(read_land())
    everything += planned_meal_events()
    everything += planned_books_events(read_places())
    everything += planned_disclosure_events(read_places())
    assert registry.store.last_notification_id() == everything
    assert demo_loaded(registry)


def test_the_demo_leaves_balanced_books_with_rent_income_and_every_kind_of_outcome(
    loaded: tuple[Registry, DemoSummary],
) -> None:
    registry, _ = loaded

    with registry.engine.connect() as conn:
        books = {code: trial_balance(conn, code, AS_OF) for code in demo_village_codes()}

    for code, tb in books.items():
        assert tb.total_debit == tb.total_credit, code
    with_rent = [c for c, tb in books.items() if balances(tb).get("501", (0, 0))[1] > 0]
    assert len(with_rent) >= 3
    assert README_VILLAGE in with_rent
    assert balances(books["320117003292"])["211"][1] > 0  # 长乐村: five years' rent prepaid
    assert balances(books["320117002291"])["112"][0] == 60000  # 梅山村: half of 2025 unpaid
    assert balances(books["320117004210"])["504"][1] == 88000  # 向阳村: old school sold at a gain
    statuses = {
        registry.assets.get(registry.assets.id_of(a["village_code"], a["asset_code"])).status
        for a in read_assets()
    }
    assert {"contracted", "in_arrears", "terminated", "disposed", "rejected"} <= statuses


# -- land entering the market (入市) ------------------------------------------------------------

PAID_OUT_VILLAGE = "320117002293"  # 新淮村: its parcel went all the way to the members' payout
START = date(2024, 1, 1)


def parcel_of(registry: Registry, parcel: dict[str, Any]) -> Parcel:
    land = registry.land
    return land.get(land.id_of(parcel["village_code"], parcel["parcel_code"]))


def places_only(registry: Registry) -> int:
    """Load the demo's places (what the land demo needs); returns the events recorded so far."""
    with tqdm(disable=True) as bar:
        load_places(registry, read_places(), bar)
    return registry.store.last_notification_id()


def movements(statement: AccountStatement) -> list[tuple[Decimal, Decimal]]:
    return [(line.debit, line.credit) for line in statement.lines]


def test_the_demo_carries_parcels_to_several_stages_and_one_to_the_members_payout(
    loaded: tuple[Registry, DemoSummary],
) -> None:
    registry, _ = loaded

    parcels = read_land()
    for parcel in parcels:  # no step was refused
        assert parcel_of(registry, parcel).version == 1 + len(parcel["steps"])
    stages = [parcel_of(registry, p).stage for p in parcels]
    assert len(parcels) >= 5 and len(set(stages)) == len(parcels)  # each at a stage of its own
    assert {"registered", "plan_drafted", "listed", "contracted", "distribution_paid"} <= set(
        stages
    )
    assert len({p["village_code"][:9] for p in parcels}) >= 5  # spread over the district

    with registry.engine.connect() as conn:
        books = {p["village_code"]: trial_balance(conn, p["village_code"], AS_OF) for p in parcels}
        (paid_out,) = list_parcels(conn, village_code=PAID_OUT_VILLAGE)
        ledger = parcel_proceeds(conn, paid_out.parcel_id)
        levy, earmarked, reserve = (
            account_statement(conn, PAID_OUT_VILLAGE, account, START, AS_OF)
            for account in ("214", "241", "311")
        )

    for code, tb in books.items():
        assert tb.total_debit == tb.total_credit, code
    assert paid_out.stage == "distribution_paid" and ledger is not None
    price, levied = ledger.contract_price_yuan, ledger.levy_assessed_yuan
    retained, members = ledger.retained_yuan, ledger.members_paid_yuan
    assert (price, levied, retained, members) == (
        Decimal("3480000.00"),
        Decimal("520000.00"),  # (3,480,000 − 880,000 of costs) × 20 %
        Decimal("888000.00"),  # 30 % of the net proceeds
        Decimal("2072000.00"),
    )
    assert levied + retained + members == price
    assert ledger.undistributed_yuan == ledger.members_unpaid_yuan == Decimal("0.00")
    # the village's books: 214 and 241 moved and are back at zero, 311 holds the retained share
    lines = balances(books[PAID_OUT_VILLAGE])
    zero = (Decimal("0.00"), Decimal("0.00"))
    assert lines["214"] == lines["241"] == lines["211"] == lines["112"] == zero
    assert lines["311"] == (Decimal("0.00"), retained)
    assert lines["102"] == (retained, Decimal("0.00"))
    assert movements(levy) == [(Decimal("0.00"), levied), (levied, Decimal("0.00"))]
    assert movements(earmarked) == [
        (Decimal("0.00"), price),
        (levied, Decimal("0.00")),
        (retained + members, Decimal("0.00")),
    ]
    assert movements(reserve) == [(Decimal("0.00"), retained)]
    # the capital contribution is held as equity (141) against the earmarked proceeds (241)
    assert balances(books["320117106293"])["141"] == (Decimal("1650000.00"), Decimal("0.00"))


def test_the_voted_down_plan_stays_drafted_and_the_registry_refuses_its_approval(
    registry: Registry,
) -> None:
    places_only(registry)
    load_land_demo(registry, progress=False)
    (voted_down,) = [p for p in read_land() if "refused" in p]
    refused = voted_down["refused"]
    pid = registry.land.id_of(voted_down["village_code"], voted_down["parcel_code"])
    before = registry.store.last_notification_id()

    with pytest.raises(DomainError) as info:
        demo_land.run_step(
            registry.land, pid, refused["step"], Provenance("test", refused["step"]["authority"])
        )

    assert info.value.code == refused["code"] == "approval_below_two_thirds_of_total"
    assert registry.store.last_notification_id() == before
    assert registry.land.get(pid).stage == "plan_drafted"


def test_an_interrupted_land_load_resumes_and_a_second_load_records_nothing(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_places = places_only(registry)
    real_run_step = demo_land.run_step
    calls = 0

    def failing_after_20_steps(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > 20:
            raise KeyboardInterrupt
        real_run_step(*args)

    monkeypatch.setattr(demo_land, "run_step", failing_after_20_steps)
    with pytest.raises(KeyboardInterrupt):
        load_land_demo(registry, progress=False)
    monkeypatch.undo()
    assert not land_demo_loaded(registry)

    resumed = load_land_demo(registry, progress=False)
    again = load_land_demo(registry, progress=False)

    everything = with_places + planned_land_events(read_land())
    assert registry.store.last_notification_id() == everything
    assert 0 < resumed.events < planned_land_events(read_land())
    assert again.events == 0
    assert land_demo_loaded(registry)


# -- elderly meal assistance (老年助餐) ---------------------------------------------------------

MEAL_PERIOD = (date(2026, 7, 1), date(2026, 9, 30))
JULY_END = date(2026, 7, 31)


def per_meal(slot: str, category: str, delivery: bool) -> Decimal:
    """The demo subsidy of one meal (domain/policy/keys.py), delivery supplement included."""
    row = next(r for r in DEFAULT_MEAL_SUBSIDIES if r["category"] == category)
    return Decimal(row[f"{slot}_yuan"]) + (Decimal(row["delivery_yuan"]) if delivery else 0)


def meal_lines(statement: AccountStatement) -> list[tuple[Decimal, Decimal]]:
    return [
        (x.debit, x.credit)
        for x in statement.lines
        if x.source_event_type.startswith("MealSettlement.")
    ]


def test_the_demo_meals_hold_every_planted_fraud_and_reconcile_to_the_books(
    loaded: tuple[Registry, DemoSummary],
) -> None:
    registry, summary = loaded
    data, meals = read_meals(), registry.meals
    points = {
        p["code"]: str(meals.meal_point_id_of(p["village_code"], p["code"]))
        for p in data["meal_points"]
    }
    elders = {e["ref"]: str(meals.elder_id_for(e["id_number"])) for e in data["elders"]}
    with registry.engine.connect() as conn:
        found = mq.findings(conn, *MEAL_PERIOD)
        daily = select(mt.meals.c.served_on, func.count()).where(mt.meals.c.voided.is_(False))
        per_day: dict[date, int] = {d: n for d, n in conn.execute(daily.group_by("served_on"))}
        served = mq.meals_of(conn, points["WCQ-ZT"], date_from=MEAL_PERIOD[0], date_to=JULY_END)
        settlements = {
            (s.meal_point_id, s.month): s
            for s in mq.settlements_of(conn)
            if s.meal_point_id in points.values()
        }
    assert summary.events > 10_000 and demo_loaded(registry)

    # every planted fraud is among the findings, at its point, on its day, for its elder
    seen = {(f.kind, f.meal_point_id, f.on, f.elder_id) for f in found}
    for fraud in PLANTED:
        elder = elders[fraud.elder] if fraud.elder else None
        assert (fraud.kind, points[fraud.meal_point], fraud.on, elder) in seen, fraud
    kinds = {f.kind for f in found}
    assert kinds == {p.kind for p in PLANTED}
    # realistic volumes: 100–300 meals a day across the district, three months of them
    assert len(per_day) == 92 and min(per_day.values()) >= 100 and max(per_day.values()) <= 300

    # July and August paid, September drafted, at every point
    assert {(m, s.status) for (_, m), s in settlements.items()} == {
        ("2026-07", "paid"),
        ("2026-08", "paid"),
        ("2026-09", "drafted"),
    }
    assert len(settlements) == len(points) * len(SETTLEMENT_DAYS)

    # a contractor's July reconciles: meals × subsidy by category and slot = the claim
    wcq = settlements[(points["WCQ-ZT"], "2026-07")]
    claimed = [m for m in served if m.settlement_id == wcq.settlement_id]
    assert wcq.meals == len(claimed) == sum(x.meals for x in wcq.lines) > 500
    top_up = {"breakfast": Decimal("0.50"), "lunch": Decimal("1.00"), "dinner": Decimal("1.00")}
    for x in wcq.lines:
        assert x.government == x.meals * per_meal(x.slot, x.category, x.delivery), x
        assert x.collective == x.meals * top_up[x.slot], x
        assert x.price == x.government + x.collective + x.elder_share
    assert wcq.government == sum((m.government for m in claimed), Decimal(0))
    assert wcq.price == sum((m.price for m in claimed), Decimal(0))
    assert wcq.paid == wcq.net_payable and wcq.subsidy_received == wcq.net_government
    # the late death: August claws back the July lunches paid after it
    cj = settlements[(points["CJ-ZT"], "2026-08")]
    july = settlements[(points["CJ-ZT"], "2026-07")]
    assert cj.clawback_meals == 11 and {c.from_settlement_id for c in cj.clawbacks} == {
        july.settlement_id
    }

    # the village's books balance, and the meal money passed through 241 and 211 to zero
    village = "320117107206"
    with registry.engine.connect() as conn:
        tb = trial_balance(conn, village, AS_OF)
        subsidy, payable, welfare = (
            account_statement(conn, village, code, date(2026, 7, 1), AS_OF)
            for code in ("241", "211", "514")
        )
    assert tb.total_debit == tb.total_credit
    paid_months = [settlements[(points["WCQ-ZT"], m)] for m in ("2026-07", "2026-08")]
    net_government = sum((s.net_government for s in paid_months), Decimal(0))
    assert sum(c for _, c in meal_lines(subsidy)) == net_government
    assert sum(d for d, _ in meal_lines(subsidy)) == net_government
    assert sum(d - c for d, c in meal_lines(payable)) == 0
    assert sum(d for d, _ in meal_lines(welfare)) == sum(
        (s.net_collective for s in paid_months), Decimal(0)
    )


def test_the_demo_publishes_disclosures_and_leaves_one_village_overdue(
    loaded: tuple[Registry, DemoSummary],
) -> None:
    registry, _ = loaded
    today = registry.clock.today()
    earlier, last = disclosure_periods(today)
    with registry.engine.connect() as conn:
        published = disclosures_of(conn, WUCUNQIAO, published_only=True)
        found = overdue_disclosures(conn, "320117", today)
    assert [d["period"] for d in published] == [last.text, earlier.text]
    assert all(d["figures"]["leases"] is not None for d in published)
    late = overdue_village(read_places())
    assert (late, earlier.text) in {(f.village_code, f.period) for f in found}
    assert not [f for f in found if f.village_code == WUCUNQIAO]
    assert not [f for f in found if f.period == earlier.text and f.village_code != late]
