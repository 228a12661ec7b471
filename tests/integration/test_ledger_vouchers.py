"""Voucher numbers, monthly balances and sub-ledgers of the programme postings, on SQLite and
PostgreSQL (docs/rules.md B-12, B-13)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from projections.ledger.tables import (
    balances,
    entries,
    lines,
    sub_balances,
    voucher_counters,
)
from qianwan.bootstrap import Registry
from tests.integration.test_ledger import rented_building
from tests.integration.test_meals_journey import serve_month, settle, three_elders
from tests.integration.test_projections import busy_village
from tests.support import (
    ACCOUNTANT,
    PARCEL,
    meals_registry,
    parcel_through,
    register_canteen,
    seed_land_policies,
)


def voucher_numbers(registry: Registry) -> dict[tuple[str, str], list[str]]:
    """Each village's and month's voucher numbers, in the order of the log."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    with registry.engine.connect() as conn:
        rows = conn.execute(
            select(entries.c.village_code, entries.c.entry_date, entries.c.voucher_no).order_by(
                entries.c.source_notification_id, entries.c.entry_id
            )
        ).all()
    for village, day, number in rows:
        found[(village, f"{day:%Y-%m}")].append(number)
    return found


def test_every_entry_has_a_voucher_number_per_village_and_month_without_gaps(
    seeded: Registry,
) -> None:
    busy_village(seeded)
    numbers = voucher_numbers(seeded)
    assert numbers
    for (_, month), found in numbers.items():
        assert found == [f"记-{month}-{n:04d}" for n in range(1, len(found) + 1)]
    with seeded.engine.connect() as conn:
        counters = {
            (r.village_code, r.month): r.last_no for r in conn.execute(select(voucher_counters))
        }
    assert counters == {key: len(found) for key, found in numbers.items()}


def test_voucher_numbers_are_the_same_after_a_rebuild(seeded: Registry) -> None:
    busy_village(seeded)
    before = voucher_numbers(seeded)
    seeded.runner.rebuild()
    assert voucher_numbers(seeded) == before


def test_a_programme_entry_is_of_kind_programme_with_its_own_date_as_fact_date(
    seeded: Registry,
) -> None:
    rented_building(seeded)
    with seeded.engine.connect() as conn:
        rows = conn.execute(select(entries.c.kind, entries.c.fact_date, entries.c.entry_date)).all()
    assert rows
    assert {r.kind for r in rows} == {"programme"}
    assert all(r.fact_date == r.entry_date for r in rows)


def test_the_monthly_balances_are_the_sums_of_the_lines(seeded: Registry) -> None:
    busy_village(seeded)
    expected: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    with seeded.engine.connect() as conn:
        for r in conn.execute(select(lines)):
            key = (r.village_code, r.account_code, f"{r.entry_date:%Y-%m}")
            expected[key][0] += r.debit_fen
            expected[key][1] += r.credit_fen
        kept = {
            (r.village_code, r.account_code, r.month): [r.debit_fen, r.credit_fen]
            for r in conn.execute(select(balances))
        }
    assert kept == dict(expected)


def test_rent_receivables_are_kept_per_lessee_and_contract(seeded: Registry) -> None:
    rented_building(seeded)
    with seeded.engine.connect() as conn:
        tagged = conn.execute(
            select(lines.c.account_code, lines.c.counterparty, lines.c.reference).where(
                lines.c.account_code.in_(("112", "211"))
            )
        ).all()
        subs = conn.execute(select(sub_balances).where(sub_balances.c.account_code == "112")).all()
    assert tagged
    assert {(r.counterparty, r.reference) for r in tagged} == {("南京某文旅有限公司", "HT-001")}
    assert {(s.month, s.debit_fen, s.credit_fen, s.last_date) for s in subs} == {
        ("2024-04", 3_650_000, 3_650_000, date(2024, 4, 10))
    }


def tags(registry: Registry) -> set[tuple[str, str | None, str | None, str | None]]:
    """(account, counterparty, kind, reference) of every tagged line."""
    with registry.engine.connect() as conn:
        rows = conn.execute(
            select(
                lines.c.account_code,
                lines.c.counterparty,
                lines.c.counterparty_kind,
                lines.c.reference,
            ).where(lines.c.counterparty.is_not(None) | lines.c.reference.is_not(None))
        ).all()
    return {tuple(r) for r in rows}


def test_land_proceeds_are_kept_per_buyer_and_parcel_and_the_members_share_per_parcel(
    seeded: Registry,
) -> None:
    seed_land_policies(seeded.policies)
    parcel_through(seeded.land, "distribution_paid")
    found = tags(seeded)
    assert {(a, k) for a, _, k, _ in found} == {("112", "organization"), ("211", "members")}
    assert {ref for *_, ref in found} == {PARCEL}
    assert ("211", "全体成员", "members", PARCEL) in found


def test_a_meal_settlement_is_kept_per_operator_and_month_and_the_subsidy_per_government(
    seeded: Registry,
) -> None:
    meals = meals_registry(seeded)
    point = register_canteen(meals)
    serve_month(meals, point, three_elders(meals))
    sid = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    settle(meals, sid, date(2024, 6, 4))
    found = tags(seeded)
    assert {(a, k, ref) for a, _, k, ref in found} == {
        ("211", "operator", "2024-05"),
        ("241", "government", "2024-05"),
    }
    assert {c for a, c, _, _ in found if a == "241"} == {"民政部门"}
    assert None not in {c for a, c, _, _ in found if a == "211"}


def test_a_busy_village_has_every_kind_of_entry_and_a_late_fact(seeded: Registry) -> None:
    busy_village(seeded)
    with seeded.engine.connect() as conn:
        rows = conn.execute(select(entries.c.kind, entries.c.entry_date, entries.c.fact_date)).all()
    assert {r.kind for r in rows} == {"programme", "voucher", "reversal", "closing"}
    late = {(r.entry_date, r.fact_date) for r in rows if r.entry_date != r.fact_date}
    assert late == {(date(2025, 1, 1), date(2024, 12, 1))}
