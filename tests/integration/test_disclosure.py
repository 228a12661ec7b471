"""Disclosures (村务公开) on SQLite and PostgreSQL: the income and expenses are exactly the
income statement's, for a month and for a quarter; the leases, land entries and meals agree with
their read models; a correction chain; a rebuild gives exactly the live read model; the overdue
findings (docs/rules.md D-01 … D-09, F-02)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import func, select, update

from domain.books.inputs import VoucherLineInput
from domain.disclosure.errors import ProjectionsBehind
from domain.disclosure.periods import parse_period
from projections.db import positions
from projections.disclosure import DisclosureProjection
from projections.disclosure_building import built_at_one_position
from projections.disclosure_findings import overdue_disclosures
from projections.disclosure_queries import disclosures_of
from projections.land.tables import proceeds
from projections.ledger.statements import income_statement
from projections.meals.tables import meals as meal_rows
from projections.replay import projection_digests
from qianwan.bootstrap import Registry
from tests.support import (
    ACCOUNTANT,
    ADMIN,
    OTHER_VILLAGE,
    TOWN,
    VILLAGE,
    enrol_elder,
    leased_building,
    meal,
    meals_registry,
    parcel_through,
    register_canteen,
    seed_land_policies,
)
from tests.support_books import REVIEWER, office_voucher

MEMBERS = ["王一", "李二", "张三"]


def post(registry: Registry, on: date, village: str = VILLAGE, amount: str = "120.00") -> None:
    lines = [
        VoucherLineInput("513", debit_yuan=amount),
        VoucherLineInput("101", credit_yuan=amount),
    ]
    voucher = office_voucher(registry.books, on, lines, village_code=village)
    registry.books.review_voucher(voucher, REVIEWER, on, ACCOUNTANT)


def busy_village(registry: Registry) -> UUID:
    """Rent invoiced in March 2026 and received in March and May; office costs in March and
    May; lunches in March; a parcel through to its paid distribution."""
    asset = leased_building(registry.assets)
    assets = registry.assets
    assets.invoice_rent(
        asset, "FP-2026", "30000", date(2026, 3, 1), date(2026, 3, 15), date(2026, 4, 1),
        date(2027, 3, 31), ACCOUNTANT,
    )  # fmt: skip
    assets.receive_rent(asset, "SK-1", "FP-2026", "10000", date(2026, 3, 20), ACCOUNTANT)
    assets.receive_rent(asset, "SK-2", "FP-2026", "5000", date(2026, 5, 3), ACCOUNTANT)
    post(registry, date(2026, 3, 5))
    post(registry, date(2026, 5, 6), amount="80.50")
    meals = meals_registry(registry)
    meals.today = registry.clock.today
    point = register_canteen(meals)
    one, two = enrol_elder(meals), enrol_elder(meals, "李秀兰", sequence="456")
    records = [
        meal("a", one, "2026-03-02 11:30"),
        meal("b", one, "2026-03-03 11:30"),
        meal("c", two, "2026-03-03 11:40"),
        meal("d", two, "2026-04-01 11:40"),
    ]
    meals.record_meals(point, "B-2026-03", records, ACCOUNTANT)
    seed_land_policies(registry.policies)
    parcel_through(registry.land, "distribution_paid")
    return asset


def quarterly_from_april(registry: Registry, place: str = VILLAGE) -> None:
    schedule = {"frequency": "quarterly", "due_days": 15}
    registry.policies.set_policy(
        "disclosure.schedule", place, date(2026, 4, 1), schedule, "村民代表会议决议", ADMIN
    )


def figures(registry: Registry, disclosure_id: UUID) -> dict[str, Any]:
    found: dict[str, Any] = registry.disclosure.disclosure(disclosure_id).figures
    return found


def test_the_income_and_expenses_are_the_income_statements_month_and_quarter(
    seeded: Registry,
) -> None:
    busy_village(seeded)
    quarterly_from_april(seeded)
    march = figures(seeded, seeded.disclosure.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT))
    second = figures(seeded, seeded.disclosure.draft(VILLAGE, "2026-Q2", None, None, ACCOUNTANT))
    with seeded.engine.connect() as conn:
        statements = (
            (march, income_statement(conn, VILLAGE, 2026, 3)),
            (second, income_statement(conn, VILLAGE, 2026, None, 2)),
        )
    for found, statement in statements:
        lines = [line for line in statement.lines if len(line.accounts) == 1]
        assert [r["account_code"] for r in found["income_and_expenses"]] == [
            line.accounts[0] for line in lines
        ]
        assert [Decimal(r["amount"]) for r in found["income_and_expenses"]] == [
            line.year_start for line in lines
        ]
        net = next(line for line in statement.lines if line.line_no == 13).year_start
        assert Decimal(found["net_income"]) == net
        income = sum(
            Decimal(r["amount"]) for r in found["income_and_expenses"] if r["side"] == "credit"
        )
        assert Decimal(found["total_income"]) == income
    # the figures are not all zero: rent (501) in March and the costs (513)
    by_account = {r["account_code"]: r["amount"] for r in march["income_and_expenses"]}
    assert Decimal(by_account["513"]) == Decimal("120.00")
    assert Decimal(by_account["501"]) > 0
    by_account = {r["account_code"]: r["amount"] for r in second["income_and_expenses"]}
    assert Decimal(by_account["513"]) == Decimal("80.50")


def test_leases_land_and_meals_agree_with_their_read_models(seeded: Registry) -> None:
    busy_village(seeded)
    quarterly_from_april(seeded)
    march = figures(seeded, seeded.disclosure.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT))
    second = figures(seeded, seeded.disclosure.draft(VILLAGE, "2026-Q2", None, None, ACCOUNTANT))
    [lease] = march["leases"]
    assert (lease["asset_code"], lease["contract_no"]) == ("ZC-001", "HT-001")
    assert (lease["received"], lease["arrears"]) == ("10000.00", "20000.00")
    assert lease["annual_rent"] == "30000.00"
    [lease] = second["leases"]
    assert (lease["received"], lease["arrears"]) == ("5000.00", "15000.00")
    with seeded.engine.connect() as conn:
        row = conn.execute(select(proceeds)).one()
        m = meal_rows.c
        served = conn.execute(
            select(
                func.count(), func.count(func.distinct(m.elder_id)), func.sum(m.price_fen)
            ).where(m.served_on.between(date(2026, 3, 1), date(2026, 3, 31)))
        ).one()
    [entry] = march["land_entries"]
    assert Decimal(entry["contract_price"]) * 100 == row.contract_price_fen
    assert Decimal(entry["levy_assessed"]) * 100 == row.levy_assessed_fen
    assert Decimal(entry["members_share"]) * 100 == row.members_share_fen
    assert Decimal(entry["retained_share"]) * 100 == row.retained_fen
    assert march["meals"]["meals"] == served[0] == 3
    assert march["meals"]["elders"] == served[1] == 2
    assert Decimal(march["meals"]["price"]) * 100 == served[2]
    assert second["meals"]["meals"] == 1
    # totals only: no elder's id, name or ID number anywhere in the figures
    assert "张桂英" not in str(march) and "elder_id" not in str(march)


def test_a_correction_chain_and_a_rebuild_gives_exactly_the_live_read_model(
    seeded: Registry,
) -> None:
    busy_village(seeded)
    app = seeded.disclosure
    first = app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    app.review(first, date(2026, 4, 2), MEMBERS, False, "租金收入待核实", ACCOUNTANT)
    app.rebuild(first, ACCOUNTANT)
    assert app.disclosure(first).state == "drafted"
    app.review(first, date(2026, 4, 3), MEMBERS, True, None, ACCOUNTANT)
    app.publish(first, date(2026, 4, 5), ACCOUNTANT)
    second = app.draft(VILLAGE, "2026-03", first, "漏记办公费", ACCOUNTANT)
    app.review(second, date(2026, 4, 8), MEMBERS, True, None, ACCOUNTANT)
    app.publish(second, date(2026, 4, 9), ACCOUNTANT)
    with seeded.engine.connect() as conn:
        rows = disclosures_of(conn, VILLAGE)
        published = disclosures_of(conn, VILLAGE, published_only=True)
    assert [(r["edition"], r["state"]) for r in rows] == [(2, "published"), (1, "published")]
    assert rows[0]["corrects"] == str(first) and rows[1]["corrected_by"] == str(second)
    assert rows[0]["correction_reason"] == "漏记办公费" and len(published) == 2
    assert rows[1]["members"] == MEMBERS and rows[1]["seal_position"] > 0
    projection = [p for p in seeded.runner.projections if isinstance(p, DisclosureProjection)]
    live = projection_digests(seeded.engine, projection)
    seeded.runner.rebuild()
    assert projection_digests(seeded.engine, projection) == live


def test_overdue_findings_by_the_schedule_in_force(seeded: Registry) -> None:
    post(seeded, date(2026, 3, 5), village=OTHER_VILLAGE)  # its first posting month
    app = seeded.disclosure

    def publish(period: str, on: date) -> None:
        made = app.draft(OTHER_VILLAGE, period, None, None, ACCOUNTANT)
        app.review(made, on, MEMBERS, True, None, ACCOUNTANT)
        app.publish(made, on, ACCOUNTANT)

    publish("2026-03", date(2026, 4, 20))  # ten days late
    publish("2026-04", date(2026, 5, 8))  # on time
    with seeded.engine.connect() as conn:
        found = overdue_disclosures(conn, OTHER_VILLAGE, date(2026, 6, 15))
    assert [(f.period, f.published_on, f.days_late) for f in found] == [
        ("2026-03", date(2026, 4, 20), 10),
        ("2026-05", None, 5),
    ]
    quarterly_from_april(seeded, TOWN)  # the town's villages disclose by quarter from April
    with seeded.engine.connect() as conn:
        found = overdue_disclosures(conn, TOWN, date(2026, 12, 1))
        ours = [(f.period, f.due_on) for f in found if f.village_code == OTHER_VILLAGE]
        nothing = overdue_disclosures(conn, "320117107999", date(2026, 12, 1))
    # the periods start at the schedule's effective date now, later than the first posting
    assert ours == [("2026-Q2", date(2026, 7, 15)), ("2026-Q3", date(2026, 10, 15))]
    assert nothing == []


def test_read_models_at_different_positions_are_refused_projections_behind(
    seeded: Registry,
) -> None:
    busy_village(seeded)
    names = [p.name for p in seeded.runner.projections]
    period = parse_period("2026-03")
    with seeded.engine.connect() as conn:
        built = built_at_one_position(conn, names, VILLAGE, period)
        assert built.seal_position == seeded.store.last_notification_id()
        conn.execute(
            update(positions).where(positions.c.name == "ledger").values(position=1)
        )  # as if the ledger had not folded yet: never mix positions
        with pytest.raises(ProjectionsBehind):
            built_at_one_position(conn, names, VILLAGE, period)
        conn.rollback()
    before = seeded.store.last_notification_id()
    seeded.disclosure.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)  # caught up: fine
    assert seeded.store.last_notification_id() == before + 1
