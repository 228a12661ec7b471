"""The 2023 chart of accounts (财会〔2023〕14号, in force 2024-01-01)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.ledger import accounts
from domain.ledger.chart import chart_in_force, chart_version, charts
from domain.shared.errors import DomainError
from projections.ledger import postings

CATEGORIES = {"asset", "liability", "equity", "cost", "income", "expense"}


def test_the_2023_chart_has_42_first_level_accounts_with_unique_codes() -> None:
    chart = chart_version("2023")
    codes = [a.code for a in chart.accounts]
    assert len(codes) == 42
    assert len(set(codes)) == 42
    assert codes == sorted(codes)
    assert codes[0] == "101"
    assert codes[-1] == "521"


def test_every_account_has_names_a_category_and_a_normal_side() -> None:
    for account in chart_version("2023").accounts:
        assert account.name_zh and account.name_en
        assert account.category in CATEGORIES
        assert account.normal_side in {"debit", "credit"}


@pytest.mark.parametrize(
    ("code", "name_zh"),
    [
        ("101", "库存现金"),
        ("102", "银行存款"),
        ("112", "应收款"),
        ("151", "固定资产"),
        ("154", "固定资产清理"),
        ("211", "应付款"),
        ("311", "公积公益金"),
        ("321", "本年收益"),
        ("322", "收益分配"),
        ("501", "经营收入"),
        ("502", "投资收益"),
        ("504", "其他收入"),
        ("515", "其他支出"),
    ],
)
def test_the_accounts_the_ledger_uses_carry_their_2023_names(code: str, name_zh: str) -> None:
    assert chart_version("2023").account(code).name_zh == name_zh


def test_exactly_133_152_and_162_are_contra_accounts_with_credit_balances() -> None:
    contra = {a.code for a in chart_version("2023").accounts if a.is_contra}
    assert contra == {"133", "152", "162"}
    for code in contra:
        account = chart_version("2023").account(code)
        assert (account.category, account.normal_side) == ("asset", "credit")


def test_income_accounts_are_credit_and_expense_accounts_debit() -> None:
    for account in chart_version("2023").accounts:
        if account.category in {"liability", "equity", "income"}:
            assert account.normal_side == "credit", account.code
        if account.category in {"expense", "cost"}:
            assert account.normal_side == "debit", account.code


def test_every_account_the_posting_table_names_is_in_the_chart() -> None:
    chart = chart_version("2023")
    used = {
        *postings.INCOME_ACCOUNT_BY_MODE.values(),
        *accounts.CASH_ACCOUNT_BY_CHANNEL.values(),
        accounts.RECEIVABLES,
        accounts.PAYABLES,
        accounts.RESERVE_FUND,
        accounts.FIXED_ASSET_DISPOSAL,
        accounts.OTHER_INCOME,
        accounts.OTHER_EXPENSES,
    }
    assert {code for code in used if not chart.has(code)} == set()


def test_the_2023_chart_is_in_force_from_1_january_2024() -> None:
    assert chart_in_force(date(2024, 1, 1)).version == "2023"
    assert chart_in_force(date(2031, 6, 30)).version == "2023"
    assert charts()[0].effective_from == date(2024, 1, 1)


def test_no_chart_is_in_force_before_2024() -> None:
    with pytest.raises(DomainError) as error:
        chart_in_force(date(2023, 12, 31))
    assert error.value.code == "date_before_chart_of_accounts"


def test_an_unknown_account_or_version_is_a_programmer_error() -> None:
    chart = chart_version("2023")
    assert not chart.has("999")
    with pytest.raises(KeyError):
        chart.account("999")
    with pytest.raises(KeyError):
        chart_version("2004")
