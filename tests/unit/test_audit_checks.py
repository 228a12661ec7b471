"""The ledger-wide checks as pure functions: each passes on good input and fails once on bad."""

from __future__ import annotations

from datetime import date

from projections.checks import (
    ACCOUNTS_IN_CHART,
    CONTRA_ACCOUNTS_CREDIT,
    ENTRIES_BALANCE,
    PROJECTIONS_MATCH_LOG,
    check_accounts_in_chart,
    check_contra_accounts,
    check_entries_balance,
    check_projections_match,
    contra_accounts,
)

DAY = date(2024, 6, 1)


def test_the_contra_accounts_are_those_the_chart_marks_credit_assets() -> None:
    assert contra_accounts() == {"133", "152", "162"}


def test_an_unbalanced_entry_is_a_violation() -> None:
    assert check_entries_balance([("1-1", 500, 500), ("2-1", 0, 0)]) == ()
    (found,) = check_entries_balance([("1-1", 500, 500), ("3-1", 500, 499)])
    assert (found.check, found.subject) == (ENTRIES_BALANCE, "3-1")


def test_a_contra_account_with_a_debit_balance_is_a_violation() -> None:
    good = [("320117107206", "152", -100), ("320117107206", "151", 100), ("v", "162", 0)]
    assert check_contra_accounts(good) == ()
    (found,) = check_contra_accounts([*good, ("320117107206", "133", 1)])
    assert (found.check, found.subject) == (CONTRA_ACCOUNTS_CREDIT, "320117107206/133")


def test_an_account_missing_from_the_chart_in_force_is_a_violation() -> None:
    assert check_accounts_in_chart([("1-1", DAY, "501"), ("1-1", DAY, "112")]) == ()
    (unknown,) = check_accounts_in_chart([("1-1", DAY, "501"), ("2-1", DAY, "599")])
    assert (unknown.check, unknown.subject) == (ACCOUNTS_IN_CHART, "2-1")
    (too_early,) = check_accounts_in_chart([("3-1", date(2023, 12, 31), "501")])
    assert "no chart is in force" in too_early.message


def test_a_projection_that_differs_from_a_fresh_fold_is_a_violation() -> None:
    assert check_projections_match({"ledger": "a", "seal": "b"}, {"ledger": "a", "seal": "b"}) == ()
    found = check_projections_match({"ledger": "a", "seal": "b"}, {"ledger": "x", "seal": "b"})
    assert [(v.check, v.subject) for v in found] == [(PROJECTIONS_MATCH_LOG, "ledger")]
    (missing,) = check_projections_match({"ledger": "a"}, {"ledger": "a", "meals": "m"})
    assert missing.subject == "meals"
