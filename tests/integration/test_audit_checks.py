"""The ledger checks over real books on SQLite and PostgreSQL: they hold after a lively log and
corrections, and each fails when the journal is corrupted behind the projections' back."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from sqlalchemy import insert

from projections.audit import stored_events
from projections.checks import (
    ACCOUNTS_IN_CHART,
    CONTRA_ACCOUNTS_CREDIT,
    ENTRIES_BALANCE,
    PROJECTIONS_MATCH_LOG,
    all_violations,
    rule_violations,
)
from projections.ledger.tables import entries, lines
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
from tests.support import (
    ACCOUNTANT,
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


def test_an_unbalanced_entry_fails_the_balance_check(books: Registry) -> None:
    smuggle(books, "X-1", ("102", 100, 0), ("501", 0, 99))
    assert violations(books) == {(ENTRIES_BALANCE, "X-1"), (PROJECTIONS_MATCH_LOG, "ledger")}


def test_a_debit_on_accumulated_depreciation_fails_the_contra_check(books: Registry) -> None:
    smuggle(books, "X-2", ("152", 100, 0), ("102", 0, 100))
    assert violations(books) == {
        (CONTRA_ACCOUNTS_CREDIT, f"{VILLAGE}/152"),
        (PROJECTIONS_MATCH_LOG, "ledger"),
    }


def test_an_account_outside_the_chart_fails_the_chart_check(books: Registry) -> None:
    smuggle(books, "X-3", ("999", 100, 0), ("102", 0, 100))
    assert violations(books) == {(ACCOUNTS_IN_CHART, "X-3"), (PROJECTIONS_MATCH_LOG, "ledger")}


def test_an_edited_register_row_fails_the_fresh_fold_check(books: Registry) -> None:
    with books.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE asset_register SET received_fen = received_fen + 1")
    assert violations(books) == {(PROJECTIONS_MATCH_LOG, "asset_register")}


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
