"""Land entering the market on SQLite and PostgreSQL: one parcel's whole journey ends with a
balanced trial balance whose proceeds, levy and distribution reconcile to the contract price;
the parcel register, the proceeds ledger and the district view read it back; a rebuild
reproduces them exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from projections.land import queries
from projections.land.tables import parcels, payments, proceeds
from projections.ledger.queries import account_statement, trial_balance
from projections.ledger.tables import entries, lines, owners
from qianwan.bootstrap import Registry
from tests.support import (
    ACCOUNTANT,
    LAND_LEVY,
    LAND_MEMBERS,
    LAND_NET,
    LAND_PRICE,
    LAND_RETAINED,
    OTHER_VILLAGE,
    TOWN,
    VILLAGE,
    parcel_through,
    refused,
    seed_land_policies,
)

YEAR_END = date(2024, 12, 31)


@pytest.fixture
def land_registry(seeded: Registry) -> Registry:
    seed_land_policies(seeded.policies)
    return seeded


def balances(registry: Registry, as_of: date) -> dict[str, Decimal]:
    """Debit minus credit of every account moved up to ``as_of``; checks the balance first."""
    with registry.engine.connect() as conn:
        tb = trial_balance(conn, VILLAGE, as_of)
    assert tb.total_debit == tb.total_credit
    return {line.account_code: line.debit - line.credit for line in tb.lines}


def test_a_whole_journey_balances_and_reconciles_to_the_contract_price(
    land_registry: Registry,
) -> None:
    pid = parcel_through(land_registry.land, "distribution_paid")
    price, levy = Decimal(LAND_PRICE), Decimal(LAND_LEVY)
    retained, members = Decimal(LAND_RETAINED), Decimal(LAND_MEMBERS)
    # After the levy was assessed, before it was paid: installments and levy on the books.
    assert balances(land_registry, date(2024, 9, 25)) == {
        "102": price,
        "112": Decimal("0.00"),
        "214": -levy,
        "241": -Decimal(LAND_NET),
    }
    # At the year end: the members are paid and the collective keeps its share.
    assert balances(land_registry, YEAR_END) == {
        "102": retained,
        "112": Decimal("0.00"),
        "211": Decimal("0.00"),
        "214": Decimal("0.00"),
        "241": Decimal("0.00"),
        "311": -retained,
    }
    with land_registry.engine.connect() as conn:
        ledger = queries.parcel_proceeds(conn, str(pid))
    assert ledger is not None
    assert ledger.contract_price_yuan == ledger.received_yuan == price
    assert ledger.levy_assessed_yuan == ledger.levy_paid_yuan == levy
    assert (ledger.retained_yuan, ledger.members_paid_yuan) == (retained, members)
    assert ledger.receivable_yuan == ledger.levy_unpaid_yuan == Decimal("0.00")
    assert ledger.members_unpaid_yuan == ledger.undistributed_yuan == Decimal("0.00")
    assert (
        ledger.levy_assessed_yuan
        + ledger.retained_yuan
        + ledger.members_paid_yuan
        + ledger.undistributed_yuan
        == ledger.contract_price_yuan
    )
    assert (ledger.levy_rate, ledger.levy_base_kind) == (Decimal("0.20"), "value_added_income")
    assert ledger.levy_policy_jurisdiction == "320117"


def test_every_journal_line_of_the_proceeds_points_back_to_a_parcel_event(
    land_registry: Registry,
) -> None:
    pid = parcel_through(land_registry.land, "distribution_paid")
    with land_registry.engine.connect() as conn:
        statement = account_statement(conn, VILLAGE, "241", date(2024, 1, 1), YEAR_END)
    assert [(line.source_event_type, line.debit, line.credit) for line in statement.lines] == [
        ("Parcel.ContractSigned", Decimal("0.00"), Decimal(LAND_PRICE)),
        ("Parcel.LevyAssessed", Decimal(LAND_LEVY), Decimal("0.00")),
        ("Parcel.DistributionApproved", Decimal(LAND_NET), Decimal("0.00")),
    ]
    assert {line.source_aggregate_id for line in statement.lines} == {str(pid)}
    assert statement.closing_balance == Decimal("0.00")


def test_the_register_shows_stage_dates_approvals_price_and_term(
    land_registry: Registry,
) -> None:
    pid = parcel_through(land_registry.land, "distribution_paid")
    with land_registry.engine.connect() as conn:
        record = queries.parcel(conn, str(pid))
        aligned = queries.parcels_by_id(conn, [str(pid), "no-such-parcel"])
        pays = queries.parcel_payments(conn, str(pid))
    assert record is not None and aligned == [record, None]
    assert record.stage == "distribution_paid"
    assert (record.planned_use, record.area_m2, record.town_code) == (
        "industrial",
        Decimal("12000.5"),
        TOWN,
    )
    assert (record.way, record.listing_method, record.term_years, record.term_years_max) == (
        "grant",
        "listing",
        50,
        50,
    )
    assert record.retained_share == Decimal("0.30")
    assert record.reserve_price_yuan == Decimal("2000000.00")
    assert (record.plan_votes_for, record.plan_members_total) == (21, 30)
    assert record.plan_resolution_reference == "乌村桥村决〔2024〕7号"
    assert (record.plan_approved_on, record.plan_filed_on, record.listed_on) == (
        date(2024, 3, 25),
        date(2024, 4, 1),
        date(2024, 4, 17),
    )
    assert record.filing_working_days == 10
    assert (record.price_yuan, record.winner_name) == (
        Decimal(LAND_PRICE),
        "南京某智能制造有限公司",
    )
    assert (record.term_start_on, record.term_end_on) == (date(2024, 6, 1), date(2074, 5, 31))
    assert (record.distribution_votes_for, record.distribution_approved_on) == (
        21,
        date(2024, 10, 28),
    )
    assert (record.distribution_disclosed_on, record.distribution_paid_on) == (
        date(2024, 11, 1),
        date(2024, 11, 20),
    )
    assert [(p.kind, p.reference, p.amount_yuan) for p in pays] == [
        ("installment", "SK-001", Decimal("1300000.00")),
        ("installment", "SK-002", Decimal("1300000.05")),
        ("levy", "FS-2024-0931", Decimal(LAND_LEVY)),
        ("members", "FF-2024-01", Decimal("1000000.00")),
        ("members", "FF-2024-02", Decimal("540000.03")),
    ]


def test_the_district_view_counts_parcels_by_stage_and_sums_proceeds_by_town(
    land_registry: Registry,
) -> None:
    land = land_registry.land
    parcel_through(land, "distribution_paid")
    parcel_through(land, "paid_in_full", code="320117107206JA00102", planned_use="warehousing")
    other = land.register_parcel(
        OTHER_VILLAGE,
        "320117107291JA00001",
        "800",
        "测试村南",
        "commercial",
        "collective_construction_land",
        "证-3",
        date(2024, 5, 1),
        ACCOUNTANT,
    )
    with land_registry.engine.connect() as conn:
        view = queries.district_view(conn, "320117")
        listed = queries.list_parcels(conn, town_code=TOWN)
        contracted = queries.list_parcels(conn, district_code="320117", stage="contracted")
    counts = {s.stage: s.parcels for s in view.stages if s.parcels}
    assert counts == {"registered": 1, "contracted": 1, "distribution_paid": 1}
    assert view.stages[0].stage == "registered" and len(view.stages) == 15
    (town,) = view.towns
    assert (town.town_code, town.town_name, town.parcels) == (TOWN, "和凤镇", 2)
    assert town.contract_price_yuan == town.received_yuan == 2 * Decimal(LAND_PRICE)
    assert (town.levy_assessed_yuan, town.levy_paid_yuan) == (Decimal(LAND_LEVY),) * 2
    assert (town.retained_yuan, town.members_paid_yuan) == (
        Decimal(LAND_RETAINED),
        Decimal(LAND_MEMBERS),
    )
    assert [p.parcel_code for p in listed][-1] == "320117107291JA00001"
    assert [p.planned_use for p in contracted] == ["warehousing"]
    assert str(other) in {p.parcel_id for p in listed}


def test_a_refused_step_changes_neither_the_books_nor_the_read_models(
    land_registry: Registry,
) -> None:
    pid = parcel_through(land_registry.land, "levy_assessed")
    before = snapshot(land_registry)
    with refused(land_registry.store, "distribution_before_levy_paid"):
        land_registry.land.propose_distribution(pid, "1", date(2024, 10, 1), ACCOUNTANT)
    assert snapshot(land_registry) == before


LAND_AND_LEDGER_TABLES = (parcels, proceeds, payments, entries, lines, owners)


def snapshot(registry: Registry) -> dict[str, list[tuple[Any, ...]]]:
    with registry.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in LAND_AND_LEDGER_TABLES
        }


def test_rebuilding_reproduces_the_register_the_proceeds_ledger_and_the_books(
    land_registry: Registry,
) -> None:
    parcel_through(land_registry.land, "distribution_paid")
    parcel_through(land_registry.land, "listed", code="320117107206JA00102")
    built = snapshot(land_registry)
    assert all(built[t.name] for t in LAND_AND_LEDGER_TABLES)
    land_registry.runner.rebuild()
    assert snapshot(land_registry) == built
