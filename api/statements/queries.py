# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the statements (docs/statements.md). ``villageCode`` takes a village, or a
town or district code to sum its villages (a token limited to villages: one of its villages)."""

from __future__ import annotations

from datetime import date

import graphene
from graphql import GraphQLResolveInfo
from sqlalchemy import Connection

from api.auth.permissions import READ_RECORDS, Owner, PermittedField
from api.common import Row, context_of, read
from api.statements import types
from projections.ledger import statements as s
from projections.ledger.statements.source import place_name

PLACE = "12-digit village code, or a 9-digit town or 6-digit district code to sum its villages."
READ_PLACE = READ_RECORDS.of("village_code", Owner.PLACE)


def _place(conn: Connection, code: str) -> str:
    place_name(conn, code)  # place_code_invalid or village_not_registered
    return code


def _today(info: GraphQLResolveInfo) -> date:
    return context_of(info).registry.clock.today()


class StatementsQuery(graphene.ObjectType):
    balance_sheet = PermittedField(
        graphene.NonNull(types.BalanceSheet),
        permission=READ_PLACE,
        village_code=graphene.String(required=True, description=PLACE),
        as_of=graphene.Date(description="Defaults to today in the registry's time zone."),
        description="资产负债表 at the end of a day (财会〔2023〕14号).",
    )
    income_statement = PermittedField(
        graphene.NonNull(types.IncomeStatement),
        permission=READ_PLACE,
        village_code=graphene.String(required=True, description=PLACE),
        year=graphene.Int(required=True),
        month=graphene.Int(description="1–12: 本月数 and 本年累计数 to it; none: the year."),
        quarter=graphene.Int(description="1–4 (without month): 本季数 and 本年累计数 to it."),
        description="收益及收益分配表 (财会〔2023〕14号), the closing vouchers left out.",
    )
    account_balances = PermittedField(
        graphene.NonNull(types.AccountBalances),
        permission=READ_PLACE,
        village_code=graphene.String(required=True, description=PLACE),
        start_month=graphene.String(required=True, description="YYYY-MM."),
        end_month=graphene.String(required=True, description="YYYY-MM, at most 120 months on."),
        sub_ledgers=graphene.Boolean(default_value=False, description="Rows per counterparty."),
        description="科目余额表: opening, debit, credit and closing of every account.",
    )
    general_ledger = PermittedField(
        graphene.NonNull(types.GeneralLedger),
        permission=READ_PLACE,
        village_code=graphene.String(required=True, description=PLACE),
        account_code=graphene.String(required=True),
        year=graphene.Int(required=True),
        description="总账 of an account: its opening and each month's debit, credit, balance.",
    )
    detail_ledger = PermittedField(
        graphene.NonNull(types.DetailLedger),
        permission=READ_RECORDS.of("village_code"),
        village_code=graphene.String(required=True, description="12-digit village code."),
        account_code=graphene.String(required=True),
        first=graphene.Date(required=True, name="from"),
        last=graphene.Date(required=True, name="to"),
        counterparty=graphene.String(description="Only this counterparty's lines."),
        description="明细账: each line with its voucher number and the running balance "
        f"(at most {s.journal.MAX_DETAIL_LINES} lines).",
    )

    @staticmethod
    def resolve_balance_sheet(
        root: None, info: GraphQLResolveInfo, village_code: str, as_of: date | None = None
    ) -> Row:
        day = as_of or _today(info)
        sheet = read(info, lambda conn: s.balance_sheet(conn, _place(conn, village_code), day))
        return {
            "village_code": village_code,
            "as_of": day,
            "lines": [
                {
                    "line_no": line.line_no,
                    "name": line.name_zh,
                    "accounts": line.accounts,
                    "year_start": line.year_start,
                    "closing": line.closing,
                }
                for line in sheet.lines
            ],
            "total_assets": sheet.total_assets,
            "total_liabilities_and_equity": sheet.total_liabilities_and_equity,
        }

    @staticmethod
    def resolve_income_statement(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        year: int,
        month: int | None = None,
        quarter: int | None = None,
    ) -> Row:
        found = read(
            info,
            lambda conn: s.income_statement(conn, _place(conn, village_code), year, month, quarter),
        )
        in_period = month is not None or quarter is not None

        def line(x: s.StatementLine, with_month: bool) -> Row:
            return {
                "line_no": x.line_no,
                "name": x.name_zh,
                "accounts": x.accounts,
                "month": x.year_start if with_month else None,
                "year_to_date": x.closing,
            }

        return {
            "village_code": village_code,
            "year": year,
            "month": month,
            "quarter": quarter,
            "lines": [line(x, in_period) for x in found.lines],
            "distribution": [line(x, False) for x in found.distribution],
            "net_income": found.net_income,
        }

    @staticmethod
    def resolve_account_balances(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        start_month: str,
        end_month: str,
        sub_ledgers: bool = False,
    ) -> Row:
        def query(conn: Connection) -> Row:
            code = _place(conn, village_code)
            rows = s.account_balances(conn, code, start_month, end_month, sub_ledgers)
            return {
                "village_code": code,
                "start_month": start_month,
                "end_month": end_month,
                "rows": [{**r.__dict__, "account_name": r.name_zh} for r in rows],
                "aged": s.aged_balances(conn, code, end_month),
            }

        return read(info, query)

    @staticmethod
    def resolve_general_ledger(
        root: None, info: GraphQLResolveInfo, village_code: str, account_code: str, year: int
    ) -> Row:
        g = read(
            info,
            lambda conn: s.general_ledger(conn, _place(conn, village_code), account_code, year),
        )
        return {**g.__dict__, "village_code": g.place, "account_name": g.name_zh}

    @staticmethod
    def resolve_detail_ledger(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        account_code: str,
        first: date,
        last: date,
        counterparty: str | None = None,
    ) -> Row:
        d = read(
            info,
            lambda conn: s.detail_ledger(
                conn, _place(conn, village_code), account_code, first, last, counterparty
            ),
        )
        return {
            **d.__dict__,
            "account_name": d.name_zh,
            "lines": [{**x.__dict__, "summary": x.summary} for x in d.lines],
        }
