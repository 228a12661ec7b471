"""The statements of a small set of books worked out by hand (tests/statements_books.py), before
and after the year-end closing, per village and summed for the town and the district
(docs/statements.md; docs/rules.md F-01…F-05)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from domain.ledger.statement_errors import (
    AccountNotInChart,
    PlaceCodeInvalid,
    StatementPeriodInvalid,
)
from projections.ledger.statements import (
    account_balances,
    aged_balances,
    amount_in_words,
    balance_sheet,
    detail_ledger,
    general_ledger,
    income_statement,
)
from projections.ledger.statements.checks import (
    check_balance_sheet_balances,
    check_net_income_matches_321,
    movement_of_321,
    statement_findings,
)
from tests.statements_books import (
    BOOKS_2025,
    BOOKS_2026,
    CLOSING_2025,
    DISTRIBUTION_2025,
    DISTRICT,
    TOWN,
    V1,
    books_engine,
    post,
    yuan,
)


@pytest.fixture
def closed() -> Iterator[Engine]:
    """2025 closed (C1, C2) and 2026 to February."""
    engine = books_engine()
    with engine.begin() as conn:
        post(conn, BOOKS_2025 + CLOSING_2025 + DISTRIBUTION_2025 + BOOKS_2026)
    yield engine
    engine.dispose()


@pytest.fixture
def open_year() -> Iterator[Engine]:
    """2025 without its closing vouchers."""
    engine = books_engine()
    with engine.begin() as conn:
        post(conn, BOOKS_2025 + DISTRIBUTION_2025)
    yield engine
    engine.dispose()


def figures(lines: object) -> dict[str, tuple[Decimal, Decimal]]:
    return {line.name_zh: (line.year_start, line.closing) for line in lines}  # type: ignore[attr-defined]


def test_balance_sheet_at_the_year_end_after_closing(closed: Engine) -> None:
    with closed.connect() as conn:
        sheet = balance_sheet(conn, V1, date(2025, 12, 31))
    f = figures(sheet.lines)
    assert f["货币资金"][1] == yuan("61800")
    assert f["应收款项"][1] == yuan("7000")
    assert f["固定资产原值"][1] == yuan("60000")
    assert f["减：累计折旧"][1] == yuan("1500")
    assert f["固定资产净值"][1] == yuan("58500")
    assert f["流动资产合计"][1] == yuan("68800")
    assert f["应付款项"][1] == yuan("7300")
    assert f["资本"][1] == yuan("100000")
    assert f["未分配收益"][1] == yuan("20000")
    assert sheet.total_assets == yuan("127300")
    assert sheet.total_liabilities_and_equity == yuan("127300")
    assert f["资产总计"][0] == yuan("0")  # 年初数: nothing before 2025


def test_balance_sheet_is_the_same_before_closing(open_year: Engine) -> None:
    with open_year.connect() as conn:
        sheet = balance_sheet(conn, V1, date(2025, 12, 31))
    assert figures(sheet.lines)["未分配收益"][1] == yuan("20000")
    assert sheet.total_assets == sheet.total_liabilities_and_equity == yuan("127300")


def test_balance_sheet_inside_a_month_reads_the_days_from_the_journal(closed: Engine) -> None:
    with closed.connect() as conn:
        sheet = balance_sheet(conn, V1, date(2026, 2, 15))
    f = figures(sheet.lines)
    assert f["货币资金"] == (yuan("61800"), yuan("63600"))
    assert f["应收款项"][1] == yuan("4000")
    assert f["未分配收益"] == (yuan("20000"), yuan("18800"))
    assert sheet.total_assets == sheet.total_liabilities_and_equity == yuan("126100")


def test_balance_sheet_shows_counterparties_gross(closed: Engine) -> None:
    """李四 was repaid more than his deposit: his debit 200 is a receivable, not a smaller
    payable (docs/rules.md F-01)."""
    with closed.connect() as conn:
        sheet = balance_sheet(conn, V1, date(2026, 2, 28))
    f = figures(sheet.lines)
    assert f["货币资金"][1] == yuan("63300")
    assert f["应收款项"][1] == yuan("4200")
    assert f["应付款项"][1] == yuan("6500")
    assert f["未分配收益"][1] == yuan("19500")
    assert sheet.total_assets == sheet.total_liabilities_and_equity == yuan("126000")


def test_town_and_district_sum_their_villages(closed: Engine) -> None:
    with closed.connect() as conn:
        town = balance_sheet(conn, TOWN, date(2025, 12, 31))
        district = balance_sheet(conn, DISTRICT, date(2025, 12, 31))
    assert town.total_assets == district.total_assets == yuan("128300")
    assert figures(town.lines)["资本"][1] == yuan("101000")


def test_income_statement_of_the_year_leaves_the_closing_out(closed: Engine) -> None:
    with closed.connect() as conn:
        statement = income_statement(conn, V1, 2025, None)
    f = figures(statement.lines)
    assert f["一、经营收入"][1] == yuan("12000")
    assert f["管理费用"][1] == yuan("1500")
    assert f["二、经营收益"][1] == yuan("10500")
    assert f["加：补助收入"][1] == yuan("20000")
    assert f["减：公益支出"][1] == yuan("4000")
    assert f["三、收益总额"][1] == yuan("26500")
    assert statement.net_income == yuan("26500")
    d = {line.name_zh: line.closing for line in statement.distribution}
    assert d == {
        "四、本年收益": yuan("26500"),
        "加：年初未分配收益": yuan("0"),
        "其他转入": yuan("0"),
        "五、可分配收益": yuan("26500"),
        "减：各项分配": yuan("6500"),
        "六、年末未分配收益": yuan("20000"),
    }


def test_income_statement_is_the_same_before_closing(open_year: Engine) -> None:
    with open_year.connect() as conn:
        statement = income_statement(conn, V1, 2025, None)
    assert statement.net_income == yuan("26500")
    assert statement.distribution[-1].closing == yuan("20000")


def test_income_statement_of_a_month(closed: Engine) -> None:
    with closed.connect() as conn:
        statement = income_statement(conn, V1, 2026, 2)
        january = income_statement(conn, V1, 2026, 1)
    f = figures(statement.lines)
    assert f["管理费用"] == (yuan("1200"), yuan("1200"))  # (本月数, 本年累计数)
    assert f["其他收入"] == (yuan("700"), yuan("700"))
    assert f["二、经营收益"] == (yuan("-1200"), yuan("-1200"))
    assert statement.net_income == yuan("-500")
    assert january.net_income == yuan("0")
    d = {line.name_zh: line.closing for line in statement.distribution}
    assert d["加：年初未分配收益"] == yuan("20000")
    assert d["六、年末未分配收益"] == yuan("19500")


def test_income_statement_of_a_quarter(closed: Engine) -> None:
    with closed.connect() as conn:
        first = income_statement(conn, V1, 2025, None, quarter=1)
        third = income_statement(conn, V1, 2025, None, quarter=3)
        fourth = income_statement(conn, V1, 2025, None, quarter=4)
    assert figures(first.lines)["一、经营收入"] == (yuan("12000"), yuan("12000"))
    assert figures(third.lines)["加：补助收入"] == (yuan("20000"), yuan("20000"))
    assert figures(third.lines)["减：公益支出"] == (yuan("4000"), yuan("4000"))
    assert third.net_income == yuan("26500")  # 本年累计数 to September
    assert figures(fourth.lines)["四、本年收益"] == (yuan("0"), yuan("26500"))  # closing left out


def test_account_balances_with_sub_ledgers(closed: Engine) -> None:
    with closed.connect() as conn:
        rows = account_balances(conn, V1, "2026-01", "2026-02", sub_ledgers=True)
    by = {(r.account_code, r.counterparty): r for r in rows}
    cash = by[("102", None)]
    assert (cash.opening, cash.debit, cash.credit, cash.closing) == (
        yuan("61800"),
        yuan("3700"),
        yuan("2200"),
        yuan("63300"),
    )
    payables = by[("211", None)]
    assert (payables.opening, payables.debit, payables.closing) == (
        yuan("7300"),
        yuan("1000"),
        yuan("6300"),
    )
    assert by[("211", "李四")].closing == yuan("-200")
    assert by[("211", "成员")].closing == yuan("6500")
    assert by[("112", "张三")].closing == yuan("4000")
    assert ("501", None) not in by  # closed to zero in 2025, no movement in 2026
    assert [r.account_code for r in rows if r.counterparty is None] == sorted(
        r.account_code for r in rows if r.counterparty is None
    )


def test_aged_receivables_and_payables(closed: Engine) -> None:
    with closed.connect() as conn:
        aged = aged_balances(conn, V1, "2026-02")
    by = {(a.account_code, a.counterparty): (a.balance, a.days, a.bucket) for a in aged}
    assert by == {
        ("112", "张三"): (yuan("4000"), 49, "31-90"),
        ("211", "李四"): (yuan("-200"), 3, "0-30"),
        ("211", "成员"): (yuan("6500"), 59, "31-90"),
    }


def test_general_ledger_month_by_month(closed: Engine) -> None:
    with closed.connect() as conn:
        ledger = general_ledger(conn, V1, "102", 2026)
    assert ledger.name_zh == "银行存款"
    assert ledger.opening == yuan("61800")
    assert ledger.months[0].balance == yuan("64800")
    assert (ledger.months[1].debit, ledger.months[1].credit) == (yuan("700"), yuan("2200"))
    assert ledger.closing == ledger.months[-1].balance == yuan("63300")


def test_detail_ledger_with_voucher_numbers_and_running_balance(closed: Engine) -> None:
    with closed.connect() as conn:
        ledger = detail_ledger(conn, V1, "102", date(2026, 2, 1), date(2026, 2, 28))
        later = detail_ledger(conn, V1, "102", date(2026, 2, 10), date(2026, 2, 28))
        tenant = detail_ledger(conn, V1, "112", date(2025, 1, 1), date(2026, 2, 28), "张三")
    assert ledger.opening == yuan("64800")
    assert [(line.credit, line.balance) for line in ledger.lines] == [
        (yuan("1200"), yuan("63600")),
        (yuan("0"), yuan("64300")),
        (yuan("1000"), yuan("63300")),
    ]
    assert all(line.voucher_no.startswith("记-2026-02-") for line in ledger.lines)
    assert later.opening == yuan("63600")
    assert [line.balance for line in tenant.lines] == [yuan("12000"), yuan("7000"), yuan("4000")]
    with closed.connect() as conn:
        deposit = detail_ledger(conn, V1, "211", date(2026, 1, 1), date(2026, 2, 28), "李四")
    assert deposit.opening == yuan("-800")  # his deposit: a credit balance
    assert deposit.closing == yuan("200")


D1, D2 = date(2025, 1, 1), date(2025, 2, 1)
PERIOD = (StatementPeriodInvalid, "statement_period_invalid")
PLACE = (PlaceCodeInvalid, "place_code_invalid")
REFUSALS = [
    (lambda c: balance_sheet(c, "3201", D2), *PLACE),
    (lambda c: income_statement(c, V1, 2025, 13), *PERIOD),
    (lambda c: income_statement(c, V1, 2025, None, 5), *PERIOD),
    (lambda c: income_statement(c, V1, 2025, 3, 1), *PERIOD),
    (lambda c: account_balances(c, V1, "2026-3", "2026-04"), *PERIOD),
    (lambda c: account_balances(c, V1, "2026-04", "2026-03"), *PERIOD),
    (
        lambda c: general_ledger(c, V1, "999", 2025),
        AccountNotInChart,
        "statement_account_not_in_chart",
    ),
    (lambda c: detail_ledger(c, TOWN, "102", D1, D2), *PLACE),
    (lambda c: detail_ledger(c, V1, "102", D2, D1), *PERIOD),
]


@pytest.mark.parametrize(("call", "error", "code"), REFUSALS)
def test_a_statement_refuses_what_it_cannot_show(
    closed: Engine, call: object, error: type[Exception], code: str
) -> None:
    with closed.connect() as conn, pytest.raises(error) as raised:
        call(conn)  # type: ignore[operator]
    assert raised.value.code == code  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("100", "壹佰元整"),
        ("1005", "壹仟零伍元整"),
        ("10050", "壹万零伍拾元整"),
        ("100010001", "壹亿零壹万零壹元整"),
        ("30000500", "叁仟万零伍佰元整"),
        ("1.05", "壹元零伍分"),
        ("20.30", "贰拾元叁角整"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("-3", "负叁元整"),
    ],
)
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_the_checks_find_nothing_in_sound_books(closed: Engine, open_year: Engine) -> None:
    """F-03 and F-04 over the hand-computed books, closed and not."""
    assert statement_findings(closed) == ()
    assert statement_findings(open_year) == ()
    with closed.connect() as conn, open_year.connect() as before:
        assert movement_of_321(conn, V1, 2025) == yuan("26500")
        assert movement_of_321(before, V1, 2025) == yuan("26500")
        assert movement_of_321(conn, V1, 2026) == yuan("-500")


def test_the_checks_report_what_does_not_hold() -> None:
    day = date(2025, 12, 31)
    sheets = [(V1, day, yuan("10"), yuan("10")), (V1, day, yuan("10"), yuan("9"))]
    assert [f.check for f in check_balance_sheet_balances(sheets)] == ["balance_sheet_balances"]
    years = [(V1, 2025, yuan("5"), yuan("5")), (V1, 2026, yuan("5"), yuan("4"))]
    found = check_net_income_matches_321(years)
    assert [(f.check, f.subject) for f in found] == [("net_income_matches_321", f"{V1}/2026")]


def test_a_year_never_closed_counts_as_undistributed_not_as_transferred() -> None:
    """2025 left open: 2026 opens with its 20,000.00 as 年初未分配收益 (26,500 − 6,500), and
    nothing is 其他转入 (docs/rules.md F-02)."""
    engine = books_engine()
    with engine.begin() as conn:
        post(conn, BOOKS_2025 + DISTRIBUTION_2025 + BOOKS_2026)
    with engine.connect() as conn:
        statement = income_statement(conn, V1, 2026, 2)
    d = {line.name_zh: line.closing for line in statement.distribution}
    assert d["加：年初未分配收益"] == yuan("20000")
    assert d["其他转入"] == yuan("0")
    assert d["六、年末未分配收益"] == yuan("19500")
    engine.dispose()
