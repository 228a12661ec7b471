"""科目余额表, 资产负债表 and 收益及收益分配表 of a village, for the period the queries take:
months for the balances, a day for the balance sheet, a year and a month for the income."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.books.common import as_int, param, today, village_name, village_of, wants_xlsx
from api.web.pages import Web
from api.web.xlsx import Column, xlsx_response

BALANCES = """
query BooksBalances($village: String!, $start: String!, $end: String!, $sub: Boolean) {
  accountBalances(villageCode: $village, startMonth: $start, endMonth: $end, subLedgers: $sub) {
    villageCode startMonth endMonth
    rows { accountCode accountName counterparty reference opening debit credit closing }
  }
}
"""

BALANCE_SHEET = """
query BooksBalanceSheet($village: String!, $asOf: Date) {
  balanceSheet(villageCode: $village, asOf: $asOf) {
    villageCode asOf totalAssets totalLiabilitiesAndEquity
    lines { lineNo name accounts yearStart closing }
  }
}
"""

INCOME = """
query BooksIncome($village: String!, $year: Int!, $month: Int) {
  incomeStatement(villageCode: $village, year: $year, month: $month) {
    villageCode year month netIncome
    lines { lineNo name accounts month yearToDate }
    distribution { lineNo name accounts month yearToDate }
  }
}
"""

MONEY = "money"


async def balances(web: Web) -> Response:
    village, choices = await village_of(web)
    month = today(web).strftime("%Y-%m")
    start = param(web, "start", month[:4] + "-01")
    end = param(web, "end", month)
    sub = web.request.query_params.get("sub") == "1"
    variables = {"village": village, "start": start, "end": end, "sub": sub}
    table = (await web.query(BALANCES, variables))["accountBalances"]
    if wants_xlsx(web):
        rows = [
            [
                r["accountCode"],
                r["accountName"],
                r["counterparty"],
                r["opening"],
                r["debit"],
                r["credit"],
                r["closing"],
            ]
            for r in table["rows"]
        ]
        return xlsx_response(
            f"科目余额表-{table['villageCode']}-{table['startMonth']}-{table['endMonth']}.xlsx",
            "科目余额表",
            [
                Column("科目编码", width=10),
                Column("科目名称", width=22),
                Column("往来", width=20),
                Column("期初余额", MONEY, 16),
                Column("本期借方", MONEY, 16),
                Column("本期贷方", MONEY, 16),
                Column("期末余额", MONEY, 16),
            ],
            rows,
        )
    return web.render(
        "books/balances.html",
        {
            "table": table,
            "village": village,
            "villages": choices,
            "sub": sub,
            "village_name": village_name(village, choices),
        },
    )


async def balance_sheet(web: Web) -> Response:
    village, choices = await village_of(web)
    as_of = param(web, "as_of") or today(web).isoformat()
    sheet = (await web.query(BALANCE_SHEET, {"village": village, "asOf": as_of}))["balanceSheet"]
    if wants_xlsx(web):
        rows: list[list[Any]] = [
            [line["lineNo"], line["name"], line["yearStart"], line["closing"]]
            for line in sheet["lines"]
        ]
        return xlsx_response(
            f"资产负债表-{sheet['villageCode']}-{sheet['asOf']}.xlsx",
            "资产负债表",
            [
                Column("行次", "int", 6),
                Column("项目", width=30),
                Column("年初数", MONEY, 16),
                Column("期末数", MONEY, 16),
            ],
            rows,
        )
    return web.render(
        "books/balance_sheet.html",
        {
            "sheet": sheet,
            "village": village,
            "villages": choices,
            "village_name": village_name(village, choices),
        },
    )


async def income(web: Web) -> Response:
    village, choices = await village_of(web)
    now = today(web)
    year = param(web, "year", str(now.year))
    month = param(web, "month", str(now.month))
    variables: dict[str, Any] = {"village": village, "year": as_int(year)}
    variables["month"] = as_int(month) if month != "0" else None
    statement = (await web.query(INCOME, variables))["incomeStatement"]
    if wants_xlsx(web):
        rows = [
            [line["lineNo"], line["name"], line["month"], line["yearToDate"]]
            for line in statement["lines"] + statement["distribution"]
        ]
        return xlsx_response(
            f"收益及收益分配表-{statement['villageCode']}-{statement['year']}.xlsx",
            "收益及收益分配表",
            [
                Column("行次", "int", 6),
                Column("项目", width=30),
                Column("本月数", MONEY, 16),
                Column("本年累计数", MONEY, 16),
            ],
            rows,
        )
    return web.render(
        "books/income.html",
        {
            "statement": statement,
            "village": village,
            "villages": choices,
            "year": year,
            "month": month,
            "village_name": village_name(village, choices),
        },
    )
