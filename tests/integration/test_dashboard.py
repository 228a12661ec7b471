"""The dashboard of a district or a town, on SQLite and PostgreSQL: its figures equal the
district's monthly summary and the meal register for the same months, it survives a rebuild,
and it counts the findings, the elders served and the rent arrears."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from domain.meals.application import MealsApplication
from projections.dashboard import meal_days, meal_elders
from projections.dashboard_queries import Dashboard, dashboard
from projections.disclosure_findings import overdue_disclosures
from projections.meals.tables import meals as register
from projections.summary_queries import district_month
from qianwan.bootstrap import Registry
from tests.integration.test_summary import busy_district
from tests.support import (
    ACCOUNTANT,
    CIVIL_AFFAIRS,
    DISTRICT,
    OPERATOR,
    TOWN,
    VILLAGE,
    enrol_elder,
    meal,
    register_canteen,
)

TODAY = date(2026, 12, 7)


def with_findings(registry: Registry) -> MealsApplication:
    """busy_district, then a second claim for a May lunch at another point (refused) and an
    elder's death on 25 May reported on the 31st (her meals after it voided)."""
    meals = busy_district(registry)
    elders = _elders_of(registry)  # the two elders of busy_district
    third = register_canteen(meals, "ST-03")
    record = meal("dup-1", elders[0], "2024-05-07 11:40")
    assert meals.record_meals(third, "dup", [record], OPERATOR).refused_count == 1
    meals.record_death(elders[1], date(2024, 5, 25), date(2024, 5, 31), CIVIL_AFFAIRS)
    return meals


def _elders_of(registry: Registry) -> list[Any]:
    with registry.engine.connect() as conn:
        found = conn.scalars(select(register.c.elder_id).distinct().order_by("elder_id"))
        return [UUID(e) for e in found]


def read(registry: Registry, place: str, first: str, last: str) -> Dashboard:
    with registry.engine.connect() as conn:
        found = dashboard(conn, place, first, last, TODAY)
    assert found is not None
    return found


def test_the_dashboard_equals_the_summary_and_the_register(seeded: Registry) -> None:
    with_findings(seeded)
    board = read(seeded, DISTRICT, "2024-04", "2024-06")
    assert [m.key for m in board.months] == ["2024-04", "2024-05", "2024-06"]
    with seeded.engine.connect() as conn:
        for figures in board.months:
            summary = district_month(conn, DISTRICT, figures.key)
            assert summary is not None
            assert figures.meals == summary.meals.meals
            assert (figures.price, figures.government) == (
                summary.meals.price,
                summary.meals.government,
            )
            assert (figures.collective, figures.co_payment) == (
                summary.meals.collective,
                summary.meals.elder,
            )
            assert figures.income == summary.income
            assert figures.land_price == summary.land_contracted
            assert figures.installments_received == summary.land_received
        standing = conn.scalar(
            select(func.count()).select_from(register).where(register.c.voided.is_(False))
        )
    may = board.months[1]
    assert board.totals.meals == standing == sum(d.meals for d in board.days)
    assert may.meals == 123 - 12  # one voided by hand, 6 days' lunches and dinners after a death
    assert may.price == may.government + may.collective + may.co_payment
    assert may.elders_served == 2 and board.totals.elders_served == 2
    assert board.months[0].elders_served == 0
    assert board.totals.land_contracts == 1 and board.totals.land_area_m2 > 0
    # a district's breakdown is by town: the one town holds everything
    (town,) = [a for a in board.areas if a.meals]
    assert town.key == TOWN and town.meals == board.totals.meals
    assert town.income == board.totals.income
    assert board.totals.assets_in_force == 1  # the lease (the other asset was sold)
    modes = {(m.month, m.mode): m.assets for m in board.assets_by_mode}
    assert modes[("2024-05", "lease")] == 1


def test_findings_by_kind_and_arrears(seeded: Registry) -> None:
    meals = with_findings(seeded)
    del meals
    board = read(seeded, DISTRICT, "2024-05", "2024-05")
    kinds = {k.kind: k.count for k in board.findings_by_kind}
    assert kinds["duplicate_claim"] == 1
    assert kinds["meal_after_death"] == 12  # recorded for 26–31 May, voided since
    assert board.totals.findings == 13 == board.months[0].findings
    # the rent of busy_district was received in full: no arrears until an invoice is unpaid
    assert board.totals.arrears_invoices == 0
    assets = seeded.assets
    asset = _asset(seeded)
    assets.invoice_rent(
        asset, "FP-2", "12000", date(2025, 4, 1), date(2025, 4, 15), date(2025, 4, 1),
        date(2026, 3, 31), ACCOUNTANT,
    )  # fmt: skip
    assets.receive_rent(asset, "SJ-2", "FP-2", "2000", date(2025, 4, 10), ACCOUNTANT)
    board = read(seeded, DISTRICT, "2024-05", "2024-05")
    assert board.totals.arrears_invoices == 1
    assert board.totals.arrears == Decimal("10000.00")
    (village,) = [a for a in read(seeded, TOWN, "2024-05", "2024-05").areas if a.arrears]
    assert village.key == VILLAGE and village.arrears == Decimal("10000.00")
    with seeded.engine.connect() as conn:
        early = dashboard(conn, DISTRICT, "2024-05", "2024-05", date(2025, 4, 15))
    assert early is not None and early.totals.arrears_invoices == 0  # due on that day: not yet


def _asset(registry: Registry) -> Any:
    from projections.assets import register as assets

    with registry.engine.connect() as conn:
        return UUID(conn.scalar(select(assets.c.asset_id).where(assets.c.status == "contracted")))


def test_a_town_is_broken_down_by_village(seeded: Registry) -> None:
    with_findings(seeded)
    town = read(seeded, TOWN, "2024-05", "2024-05")
    district = read(seeded, DISTRICT, "2024-05", "2024-05")
    assert town.level == "town" and district.level == "district"
    assert all(a.key.startswith(TOWN) and len(a.key) == 12 for a in town.areas)
    (village,) = [a for a in town.areas if a.meals]
    assert village.key == VILLAGE and village.meals == district.totals.meals
    assert town.totals.meals == district.totals.meals
    with seeded.engine.connect() as conn:
        assert dashboard(conn, "320199", "2024-05", "2024-05", TODAY) is None
        assert dashboard(conn, "320117999", "2024-05", "2024-05", TODAY) is None


def test_the_dashboard_survives_a_rebuild(seeded: Registry) -> None:
    with_findings(seeded)

    def tables() -> dict[str, list[Any]]:
        with seeded.engine.connect() as conn:
            return {
                t.name: sorted(tuple(r) for r in conn.execute(select(t)))
                for t in (meal_days, meal_elders)
            }

    live_tables = tables()
    live = asdict(read(seeded, DISTRICT, "2024-01", "2025-12"))
    assert live_tables["dashboard_meal_days"]
    seeded.runner.rebuild()
    assert tables() == live_tables
    assert asdict(read(seeded, DISTRICT, "2024-01", "2025-12")) == live


def test_elders_served_count_an_elder_once_however_many_meals(seeded: Registry) -> None:
    meals = busy_district(seeded)
    elder = enrol_elder(meals, "李四", sequence="789")
    point = register_canteen(meals, "ST-09")
    meals.record_meals(point, "x", [meal("x-1", elder, "2024-05-02 11:30")], OPERATOR)
    board = read(seeded, DISTRICT, "2024-05", "2024-06")
    assert board.months[0].elders_served == 3 and board.totals.elders_served == 3
    meals.void_meal(meals.meal_id_of(elder, date(2024, 5, 2), "lunch"), "not_served",
                    date(2024, 5, 20), ACCOUNTANT)  # fmt: skip
    assert read(seeded, DISTRICT, "2024-05", "2024-06").totals.elders_served == 2


def test_overdue_disclosures_are_counted_by_town_and_village(seeded: Registry) -> None:
    busy_district(seeded)
    with seeded.engine.connect() as conn:
        unpublished = [
            d for d in overdue_disclosures(conn, DISTRICT, TODAY) if d.published_on is None
        ]
    assert unpublished  # the village has posted since 2024 and published nothing
    district = read(seeded, DISTRICT, "2024-05", "2024-05")
    town = read(seeded, TOWN, "2024-05", "2024-05")
    assert district.totals.overdue_disclosures == town.totals.overdue_disclosures
    assert district.totals.overdue_disclosures == len(unpublished)
    by_village = {a.key: a.overdue_disclosures for a in town.areas}
    assert by_village[VILLAGE] == len([d for d in unpublished if d.village_code == VILLAGE])
    assert {a.key: a.overdue_disclosures for a in district.areas}[TOWN] == len(unpublished)
    assert all(m.overdue_disclosures is None for m in district.months)


def test_an_asset_counts_in_the_months_its_contract_is_in_force(seeded: Registry) -> None:
    busy_district(seeded)
    seeded.assets.terminate_contract(
        _asset(seeded), date(2024, 9, 30), "mutual_agreement", ACCOUNTANT
    )
    board = read(seeded, DISTRICT, "2024-03", "2024-10")
    in_force = {m.key: m.assets_in_force for m in board.months}
    assert in_force == {
        "2024-03": 0, "2024-04": 1, "2024-05": 1, "2024-06": 1, "2024-07": 1, "2024-08": 1,
        "2024-09": 1, "2024-10": 0,
    }  # fmt: skip
    assert board.totals.assets_in_force == 0  # none in the last month
    modes = {(m.month, m.mode) for m in board.assets_by_mode}
    assert ("2024-09", "lease") in modes and ("2024-10", "lease") not in modes
