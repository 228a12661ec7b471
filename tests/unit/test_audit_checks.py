"""The ledger-wide checks as pure functions: each passes on good input and fails once on bad."""

from __future__ import annotations

from datetime import date

from projections.checks import (
    ACCOUNTS_IN_CHART,
    BALANCES_MATCH_LINES,
    CONTRA_ACCOUNTS_CREDIT,
    ENTRIES_BALANCE,
    PROFIT_AND_LOSS_CLOSED,
    PROJECTIONS_MATCH_LOG,
    VOUCHER_NUMBERS,
    check_accounts_in_chart,
    check_balances_match_lines,
    check_closed_years,
    check_contra_accounts,
    check_entries_balance,
    check_projections_match,
    check_voucher_numbers,
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


V = "320117107206"


def test_voucher_numbers_with_a_gap_or_a_repeat_or_off_the_counter_are_violations() -> None:
    numbers = [(V, "2026-03", "记-2026-03-0001"), (V, "2026-03", "记-2026-03-0002")]
    assert check_voucher_numbers(numbers, {(V, "2026-03"): 2}) == ()
    gap = [(V, "2026-03", "记-2026-03-0001"), (V, "2026-03", "记-2026-03-0003")]
    repeat = [(V, "2026-04", "记-2026-04-0001"), (V, "2026-04", "记-2026-04-0001")]
    found = check_voucher_numbers(
        gap + repeat, {(V, "2026-03"): 3, (V, "2026-04"): 2, (V, "2026-05"): 1}
    )
    assert [(f.check, f.subject) for f in found] == [
        (VOUCHER_NUMBERS, f"{V}/2026-03"),
        (VOUCHER_NUMBERS, f"{V}/2026-04"),
        (VOUCHER_NUMBERS, f"{V}/2026-05"),  # a counter with no voucher
    ]


def test_a_monthly_balance_that_is_not_the_sum_of_its_lines_is_a_violation() -> None:
    kept = {(V, "102", "2026-03"): (500, 0), (V, "501", "2026-03"): (0, 500)}
    assert check_balances_match_lines(kept, dict(kept)) == ()
    summed = {**kept, (V, "501", "2026-03"): (0, 499), (V, "101", "2026-04"): (1, 0)}
    found = check_balances_match_lines(kept, summed)
    assert [f.subject for f in found] == [f"{V}/101/2026-04", f"{V}/501/2026-03"]
    assert {f.check for f in found} == {BALANCES_MATCH_LINES}


def test_a_profit_and_loss_account_or_321_moving_in_a_closed_year_is_a_violation() -> None:
    moved = {(V, 2025, "501"): 0, (V, 2025, "322"): -500, (V, 2026, "501"): -700}
    assert check_closed_years([(V, 2025)], moved) == ()
    found = check_closed_years(
        [(V, 2025), (V, 2026)], {**moved, (V, 2025, "321"): -5, (V, 2025, "513"): 5}
    )
    assert [(f.check, f.subject) for f in found] == [
        (PROFIT_AND_LOSS_CLOSED, f"{V}/2025/321"),
        (PROFIT_AND_LOSS_CLOSED, f"{V}/2025/513"),
        (PROFIT_AND_LOSS_CLOSED, f"{V}/2026/501"),
    ]
