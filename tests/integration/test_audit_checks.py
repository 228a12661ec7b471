"""The ledger checks over real books on SQLite and PostgreSQL: they hold after a lively log and
corrections, and each fails when the journal is corrupted behind the projections' back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from projections.checks import (
    ACCOUNTS_IN_CHART,
    CONTRA_ACCOUNTS_CREDIT,
    ENTRIES_BALANCE,
    PROJECTIONS_MATCH_LOG,
    all_violations,
)
from projections.ledger.tables import entries, lines
from qianwan.bootstrap import Registry
from tests.audit_support import last_id, lively_log
from tests.support import ACCOUNTANT, VILLAGE


def violations(registry: Registry) -> set[tuple[str, str]]:
    found = all_violations(
        registry.store, registry.engine, registry.runner.projections, last_id(registry)
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
