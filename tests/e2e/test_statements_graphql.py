"""The statements over GraphQL (docs/statements.md), on SQLite and PostgreSQL: the books of
tests/integration/test_statements_books.py read through balanceSheet, incomeStatement,
accountBalances, generalLedger and detailLedger, a town summing its villages, and the
refusals with their codes (nothing recorded)."""

from __future__ import annotations

from typing import Any

from projections.ledger.statements.checks import statement_findings
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.integration.test_ledger_books import a_year_of_vouchers
from tests.support import ADMIN, DISTRICT, TOWN, VILLAGE

SHEET = """query($v: String!, $d: Date) { balanceSheet(villageCode: $v, asOf: $d) {
  villageCode asOf totalAssets totalLiabilitiesAndEquity
  lines { lineNo name accounts yearStart closing } } }"""
INCOME = """query($v: String!, $y: Int!, $m: Int) { incomeStatement(villageCode: $v, year: $y,
  month: $m) { netIncome lines { lineNo name month yearToDate }
  distribution { lineNo name yearToDate } } }"""
QUARTER = """query($v: String!) { incomeStatement(villageCode: $v, year: 2025, quarter: 2) {
  quarter lines { name month yearToDate } } }"""
BALANCES = """query($v: String!) { accountBalances(villageCode: $v, startMonth: "2025-01",
  endMonth: "2025-12", subLedgers: true) { rows { accountCode accountName counterparty opening
  debit credit closing } aged { accountCode counterparty balance bucket } } }"""
GENERAL = """query($v: String!) { generalLedger(villageCode: $v, accountCode: "102", year: 2025)
  { accountName opening closing months { month debit credit balance } } }"""
DETAIL = """query($v: String!) { detailLedger(villageCode: $v, accountCode: "102",
  from: "2025-01-01", to: "2025-12-31") { opening closing lines { voucherNo entryDate summary
  debit credit balance } } }"""


def closed_books(api: Api) -> None:
    a_year_of_vouchers(api.registry)
    api.registry.books.close_year(VILLAGE, 2025, ADMIN)


def code_of(response: Any) -> str:
    body = response.json()
    assert "data" not in body or not any((body.get("data") or {}).values()), body
    return str(body["errors"][0]["extensions"]["code"])


def test_the_balance_sheet_and_income_statement_of_a_village(api: Api) -> None:
    closed_books(api)
    sheet = api.data(SHEET, {"v": VILLAGE, "d": "2025-12-31"})["balanceSheet"]
    assert sheet["totalAssets"] == sheet["totalLiabilitiesAndEquity"] == "4910.50"
    lines = {x["name"]: x for x in sheet["lines"]}
    assert lines["货币资金"]["accounts"] == ["101", "102"]
    assert lines["未分配收益"]["closing"] == "4910.50"
    income = api.data(INCOME, {"v": VILLAGE, "y": 2025})["incomeStatement"]
    assert income["netIncome"] == "4910.50"
    rows = {x["name"]: x for x in income["lines"]}
    assert rows["加：补助收入"]["yearToDate"] == "5000.00"
    assert rows["加：补助收入"]["month"] is None
    assert income["distribution"][-1]["yearToDate"] == "4910.50"
    march = api.data(INCOME, {"v": VILLAGE, "y": 2025, "m": 3})["incomeStatement"]
    assert {x["name"]: x["month"] for x in march["lines"]}["管理费用"] == "120.00"
    quarter = api.data(QUARTER, {"v": VILLAGE})["incomeStatement"]
    assert {x["name"]: x["month"] for x in quarter["lines"]}["其他收入"] == "30.50"


def test_balances_and_ledgers_show_voucher_numbers(api: Api) -> None:
    closed_books(api)
    balances = api.data(BALANCES, {"v": VILLAGE})["accountBalances"]
    cash = next(r for r in balances["rows"] if r["accountCode"] == "102")
    assert (cash["opening"], cash["debit"], cash["closing"]) == ("0.00", "5030.50", "5030.50")
    general = api.data(GENERAL, {"v": VILLAGE})["generalLedger"]
    assert general["accountName"] == "银行存款"
    assert general["closing"] == "5030.50"
    detail = api.data(DETAIL, {"v": VILLAGE})["detailLedger"]
    assert [x["voucherNo"] for x in detail["lines"]] == ["记-2025-03-0001", "记-2025-06-0001"]
    assert detail["closing"] == "5030.50"


def test_a_town_or_district_sums_its_villages_for_an_unscoped_token(api: Api) -> None:
    closed_books(api)
    for place in (TOWN, DISTRICT):
        sheet = api.auditor.data(SHEET, {"v": place, "d": "2025-12-31"})["balanceSheet"]
        assert sheet["totalAssets"] == "4910.50"


def test_a_token_limited_to_villages_reads_only_its_own(api: Api, seeded: Registry) -> None:
    closed_books(api)
    response = api.post(SHEET, {"v": TOWN, "d": "2025-12-31"})
    assert code_of(response) == "FORBIDDEN"
    other = api.as_role("accountant", ["320117107291"])
    assert code_of(other.post(SHEET, {"v": VILLAGE, "d": "2025-12-31"})) == "FORBIDDEN"


def test_refusals_have_codes_and_record_nothing(api: Api, seeded: Registry) -> None:
    closed_books(api)
    auditor = api.auditor
    assert auditor.token  # issued now: the count below is of the queries' events (none)
    before = seeded.store.last_notification_id()
    cases: list[tuple[str, dict[str, Any], str]] = [
        (SHEET, {"v": "320117107999", "d": "2025-12-31"}, "village_not_registered"),
        (SHEET, {"v": "3201171", "d": "2025-12-31"}, "village_code_invalid"),
        (INCOME, {"v": VILLAGE, "y": 2025, "m": 13}, "statement_period_invalid"),
        (
            GENERAL.replace('accountCode: "102"', 'accountCode: "999"'),
            {"v": VILLAGE},
            "statement_account_not_in_chart",
        ),
        (DETAIL, {"v": TOWN}, "village_code_invalid"),
    ]
    for query, variables, code in cases:
        assert code_of(auditor.post(query, variables)) == code, (query, variables)
    assert seeded.store.last_notification_id() == before


def test_the_demo_district_s_statements_hold(demo_api: Api) -> None:
    """The demo district (2025 closed, carried into 2026, ordinary vouchers in every village):
    every balance sheet balances and 本年收益 matches 321 (F-03, F-04), and the district's
    balance sheet sums to the same totals on both sides."""
    assert statement_findings(demo_api.registry.engine) == ()
    sheet = demo_api.data(SHEET, {"v": DISTRICT, "d": "2025-12-31"})["balanceSheet"]
    assert sheet["totalAssets"] == sheet["totalLiabilitiesAndEquity"] != "0.00"
    income = demo_api.data(INCOME, {"v": DISTRICT, "y": 2025})["incomeStatement"]
    assert income["netIncome"] == income["distribution"][0]["yearToDate"]
