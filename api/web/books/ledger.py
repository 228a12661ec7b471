"""试算平衡表 and the account's 明细账: a village's balances as of a day, each account opening
on its lines with the running balance and its side (借/贷/平), each line opening its entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.responses import Response

from api.web.books.common import (
    amount,
    magnitude,
    param,
    side,
    today,
    village_name,
    village_of,
    wants_xlsx,
    year_start,
)
from api.web.pages import Web
from api.web.xlsx import Column, xlsx_response

TRIAL_BALANCE = """
query BooksTrialBalance($village: String!, $asOf: Date, $knownAt: DateTime) {
  trialBalance(villageCode: $village, asOf: $asOf, knownAt: $knownAt) {
    villageCode asOf knownAt chartVersion totalDebit totalCredit
    lines { accountCode accountName debit credit }
  }
}
"""

ACCOUNT_STATEMENT = """
query BooksStatement($village: String!, $account: String!, $from: Date!, $to: Date!) {
  accountStatement(villageCode: $village, accountCode: $account, from: $from, to: $to) {
    villageCode accountCode accountName from to openingBalance closingBalance
    lines {
      entryId voucherNo entryDate factDate kind counterparty reference description
      debit credit balance
      source { notificationId aggregateId version eventType actor authority recordedAt }
    }
  }
}
"""


async def trial_balance(web: Web) -> Response:
    village, choices = await village_of(web)
    as_of = param(web, "as_of") or today(web).isoformat()
    known_at = param(web, "known_at")
    variables = {"village": village, "asOf": as_of, "knownAt": known_at or None}
    data = await web.query(TRIAL_BALANCE, variables)
    books = data["trialBalance"]
    if wants_xlsx(web):
        rows: list[list[Any]] = [
            [line["accountCode"], line["accountName"], line["debit"], line["credit"]]
            for line in books["lines"]
        ]
        rows.append(["合计", "", books["totalDebit"], books["totalCredit"]])
        return xlsx_response(
            f"试算平衡表-{books['villageCode']}-{books['asOf']}.xlsx",
            "试算平衡表",
            [
                Column("科目编码", width=10),
                Column("科目名称", width=24),
                Column("借方余额", "money", 16),
                Column("贷方余额", "money", 16),
            ],
            rows,
        )
    return web.render(
        "books/trial_balance.html",
        {
            "books": books,
            "village": village,
            "village_name": village_name(village, choices),
            "villages": choices,
            "as_of": books["asOf"],
            "known_at": known_at,
        },
    )


async def account_statement(web: Web) -> Response:
    account = web.request.path_params["code"][:8]
    village, choices = await village_of(web)
    to = param(web, "to") or today(web).isoformat()
    since = param(web, "from") or year_start(to, today(web))
    variables = {"village": village, "account": account, "from": since, "to": to}
    statement = (await web.query(ACCOUNT_STATEMENT, variables))["accountStatement"]
    lines = [
        {**line, "side": side(line["balance"]), "amount": magnitude(line["balance"])}
        for line in statement["lines"]
    ]
    if wants_xlsx(web):
        rows: list[list[Any]] = [
            [
                statement["from"],
                "",
                "期初余额",
                None,
                None,
                side(statement["openingBalance"]),
                magnitude(statement["openingBalance"]),
            ]
        ]
        rows += [
            [
                line["entryDate"],
                line["voucherNo"],
                line["description"],
                line["debit"],
                line["credit"],
                line["side"],
                line["amount"],
            ]
            for line in lines
        ]
        rows.append(
            [
                statement["to"],
                "",
                "期末余额",
                None,
                None,
                side(statement["closingBalance"]),
                magnitude(statement["closingBalance"]),
            ]
        )
        return xlsx_response(
            f"明细账-{statement['accountCode']}-{statement['villageCode']}.xlsx",
            "明细账",
            [
                Column("日期", "date", 12),
                Column("凭证号", width=18),
                Column("摘要", width=32),
                Column("借方", "money", 14),
                Column("贷方", "money", 14),
                Column("方向", width=6),
                Column("余额", "money", 16),
            ],
            rows,
        )
    return web.render(
        "books/statement.html",
        {
            "statement": statement,
            "lines": lines,
            "village": village,
            "village_name": village_name(village, choices),
            "villages": choices,
            "opening_side": side(statement["openingBalance"]),
            "opening": magnitude(statement["openingBalance"]),
            "closing_side": side(statement["closingBalance"]),
            "closing": magnitude(statement["closingBalance"]),
            "total_debit": sum((amount(line["debit"]) for line in lines), Decimal(0)),
            "total_credit": sum((amount(line["credit"]) for line in lines), Decimal(0)),
        },
    )
