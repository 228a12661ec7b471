"""The ledger checks over real books on SQLite and PostgreSQL: they hold after a lively log and
corrections, and each fails when the journal is corrupted behind the projections' back."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from sqlalchemy import insert, select, update

from projections.audit import stored_events
from projections.checks import (
    ACCOUNTS_IN_CHART,
    BALANCES_MATCH_LINES,
    CONTRA_ACCOUNTS_CREDIT,
    ENTRIES_BALANCE,
    PROFIT_AND_LOSS_CLOSED,
    PROJECTIONS_MATCH_LOG,
    VOUCHER_NUMBERS,
    all_violations,
    book_violations,
    rule_violations,
)
from projections.ledger.tables import balances, entries, lines, years
from qianwan.bootstrap import Registry
from tests.audit_support import (
    attack,
    forge,
    forge_receipt,
    last_id,
    lively_log,
    receipt_sj_003,
    state_of,
)
from tests.integration.test_ledger_books import a_year_of_vouchers
from tests.support import (
    ACCOUNTANT,
    ADMIN,
    CIVIL_AFFAIRS,
    VILLAGE,
    enrol_elder,
    meal,
    meals_registry,
    outcome,
    record_one,
    register_canteen,
)


def violations(registry: Registry) -> set[tuple[str, str]]:
    found = all_violations(
        registry.store,
        registry.engine,
        registry.runner.projections,
        last_id(registry),
        registry.policies,
    )
    return {(v.check, v.subject) for v in found}


@pytest.fixture
def books(seeded: Registry) -> Registry:
    asset = lively_log(seeded)
    seeded.assets.correct_invoice(asset, "FP-003", "31000", "billing_error", ACCOUNTANT)
    seeded.assets.reverse_receipt(asset, "SJ-002", "duplicate_entry", ACCOUNTANT)
    return seeded


def smuggle(registry: Registry, entry_id: str, *postings: tuple[str, int, int]) -> None:
    """An entry written straight into the journal, as no event ever posted it."""
    day = date(2024, 6, 1)
    with registry.engine.begin() as conn:
        conn.execute(
            insert(entries).values(
                entry_id=entry_id,
                village_code=VILLAGE,
                entry_date=day,
                chart_version="2023",
                description="smuggled",
                source_notification_id=1,
                source_aggregate_id="x",
                source_version=1,
                source_event_type="none",
                actor="intruder",
                recorded_at=day,
                voucher_no=f"记-2024-06-{entry_id}",
                fact_date=day,
                kind="programme",
            )
        )
        conn.execute(
            insert(lines),
            [
                {
                    "entry_id": entry_id,
                    "line_no": n,
                    "village_code": VILLAGE,
                    "entry_date": day,
                    "account_code": account,
                    "debit_fen": debit,
                    "credit_fen": credit,
                }
                for n, (account, debit, credit) in enumerate(postings, start=1)
            ],
        )


def test_the_checks_hold_on_books_folded_from_the_log(books: Registry) -> None:
    assert violations(books) == set()


def smuggled(*accounts: str) -> set[tuple[str, str]]:
    """What a smuggled entry of June 2024 breaks besides: its number is not in the month's
    sequence, and its lines are in no monthly balance."""
    return {(VOUCHER_NUMBERS, f"{VILLAGE}/2024-06")} | {
        (BALANCES_MATCH_LINES, f"{VILLAGE}/{account}/2024-06") for account in accounts
    }


def test_an_unbalanced_entry_fails_the_balance_check(books: Registry) -> None:
    smuggle(books, "X-1", ("102", 100, 0), ("501", 0, 99))
    assert violations(books) == {
        (ENTRIES_BALANCE, "X-1"),
        (PROJECTIONS_MATCH_LOG, "ledger"),
    } | smuggled("102", "501")


def test_a_debit_on_accumulated_depreciation_fails_the_contra_check(books: Registry) -> None:
    smuggle(books, "X-2", ("152", 100, 0), ("102", 0, 100))
    assert violations(books) == {
        (CONTRA_ACCOUNTS_CREDIT, f"{VILLAGE}/152"),
        (PROJECTIONS_MATCH_LOG, "ledger"),
    } | smuggled("102", "152")


def test_an_account_outside_the_chart_fails_the_chart_check(books: Registry) -> None:
    smuggle(books, "X-3", ("999", 100, 0), ("102", 0, 100))
    assert violations(books) == {
        (ACCOUNTS_IN_CHART, "X-3"),
        (PROJECTIONS_MATCH_LOG, "ledger"),
    } | smuggled("102", "999")


def test_a_renumbered_voucher_fails_the_voucher_number_check(books: Registry) -> None:
    with books.engine.begin() as conn:
        entry_id, number = conn.execute(
            select(entries.c.entry_id, entries.c.voucher_no)
            .where(entries.c.village_code == VILLAGE)
            .order_by(entries.c.entry_date, entries.c.voucher_no)
            .limit(1)
        ).one()
        renumbered = number[:-4] + "9999"
        conn.execute(
            update(entries).where(entries.c.entry_id == entry_id).values(voucher_no=renumbered)
        )
    assert violations(books) == {
        (VOUCHER_NUMBERS, f"{VILLAGE}/{number[2:9]}"),
        (PROJECTIONS_MATCH_LOG, "ledger"),
    }


def test_an_edited_monthly_balance_fails_the_balances_check(books: Registry) -> None:
    with books.engine.begin() as conn:
        account, month = conn.execute(
            select(balances.c.account_code, balances.c.month)
            .where(balances.c.village_code == VILLAGE)
            .limit(1)
        ).one()
        conn.execute(
            update(balances)
            .where(
                balances.c.village_code == VILLAGE,
                balances.c.account_code == account,
                balances.c.month == month,
            )
            .values(debit_fen=balances.c.debit_fen + 1)
        )
    assert violations(books) == {
        (BALANCES_MATCH_LINES, f"{VILLAGE}/{account}/{month}"),
        (PROJECTIONS_MATCH_LOG, "ledger"),
    }


def test_a_year_marked_closed_without_its_closing_vouchers_fails_the_closing_check(
    books: Registry,
) -> None:
    with books.engine.begin() as conn:
        conn.execute(insert(years).values(village_code=VILLAGE, year=2024, closed=True))
    found = violations(books)
    assert (PROJECTIONS_MATCH_LOG, "ledger") in found
    assert (PROFIT_AND_LOSS_CLOSED, f"{VILLAGE}/2024/501") in found
    assert {check for check, _ in found} == {PROJECTIONS_MATCH_LOG, PROFIT_AND_LOSS_CLOSED}


def test_the_checks_hold_on_vouchers_a_closed_a_reopened_and_a_closed_again_year(
    seeded: Registry,
) -> None:
    lively_log(seeded)
    a_year_of_vouchers(seeded)
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    seeded.books.reopen_period(VILLAGE, "2025-12", "补记利息", ADMIN)
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    assert violations(seeded) == set()


def test_a_closed_year_passes_the_closing_check_and_fails_once_its_closing_is_reversed(
    seeded: Registry,
) -> None:
    a_year_of_vouchers(seeded)
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    assert book_violations(seeded.engine) == ()
    seeded.books.reopen_period(VILLAGE, "2025-12", "补记利息", ADMIN)
    assert book_violations(seeded.engine) == ()
    with seeded.engine.begin() as conn:  # the reopened year marked closed behind the books
        conn.execute(update(years).values(closed=True))
    assert {(v.check, v.subject) for v in book_violations(seeded.engine)} == {
        (PROFIT_AND_LOSS_CLOSED, f"{VILLAGE}/2025/{account}") for account in ("503", "504", "513")
    }


# -- the domain rules re-run over the log (issue 11, item 5) -------------------------------------


def rule_findings(registry: Registry) -> set[tuple[str, str]]:
    """(subject, code) of every event the rules refuse."""
    return {
        (v.subject, v.message.split("]")[0].lstrip("["))
        for v in rule_violations(registry.store, registry.policies)
    }


def test_the_rules_hold_over_a_genuine_log(books: Registry) -> None:
    assert rule_violations(books.store, books.policies) == ()


def test_a_forged_receipt_above_what_is_due_is_one_the_rules_refuse(books: Registry) -> None:
    forged = forge_receipt(books)

    assert rule_findings(books) == {
        (f"notification {forged} (Asset.RentReceived)", "payment_exceeds_amount_due")
    }


def test_a_lease_rewritten_to_30_years_is_one_the_rules_refuse(books: Registry) -> None:
    contracted = next(
        n.id for n in stored_events(books.store) if n.topic.endswith("Asset.Contracted")
    )
    state = state_of(books, contracted)
    longer = state.replace(b'"_data_":"2029-03-31"', b'"_data_":"2054-03-31"')
    assert longer != state
    attack(
        books,
        "UPDATE {events} SET state = :state WHERE notification_id = :nid",
        state=longer,
        nid=contracted,
    )

    assert rule_findings(books) == {
        (f"notification {contracted} (Asset.Contracted)", "lease_term_exceeds_20_years")
    }


def test_a_meal_forged_after_the_elders_death_is_one_the_rules_refuse(seeded: Registry) -> None:
    meals = meals_registry(seeded)
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    served = record_one(meals, point, meal("R1", elder, "2024-08-01 12:00"))
    assert outcome(served, "R1").status == "accepted"
    meals.record_death(elder, date(2024, 8, 5), date(2024, 8, 6), CIVIL_AFFAIRS)
    recorded = next(n.id for n in stored_events(seeded.store) if n.topic.endswith("Meal.Recorded"))

    forged = forge(
        seeded,
        recorded,
        {b'"_data_":"2024-08-01"': b'"_data_":"2024-08-10"'},
        originator=uuid4(),
        version=1,
    )

    assert rule_findings(seeded) == {(f"notification {forged} (Meal.Recorded)", "meal_after_death")}


def test_an_event_that_cannot_even_be_applied_is_reported(books: Registry) -> None:
    forged = forge(
        books,
        receipt_sj_003(books),
        {b'"FP-003"': b'"FP-404"', b'"SJ-003"': b'"SJ-404"'},
    )

    found = rule_findings(books)
    assert (f"notification {forged} (Asset.RentReceived)", "invoice_not_found") in found
    assert (f"notification {forged} (Asset.RentReceived)", "event_cannot_be_applied") in found
