# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The statements' object types (docs/statements.md): amounts in yuan, to the fen."""

from __future__ import annotations

import graphene

MONEY = "Yuan, to the fen."


class BalanceSheetLine(graphene.ObjectType):
    """One line of 资产负债表 (会农集01表)."""

    line_no = graphene.Int(required=True, description="行次.")
    name = graphene.String(required=True, description="项目, in Chinese as printed.")
    accounts = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="The accounts feeding the line (empty on a total).",
    )
    year_start = graphene.Decimal(required=True, description="年初数. " + MONEY)
    closing = graphene.Decimal(required=True, description="期末数. " + MONEY)


class BalanceSheet(graphene.ObjectType):
    """资产负债表 of a village, or summed over a town's or district's villages."""

    village_code = graphene.String(required=True, description="The place asked for.")
    as_of = graphene.Date(required=True)
    lines = graphene.NonNull(graphene.List(graphene.NonNull(BalanceSheetLine)))
    total_assets = graphene.Decimal(required=True, description="资产总计. " + MONEY)
    total_liabilities_and_equity = graphene.Decimal(
        required=True, description="负债和所有者权益总计. " + MONEY
    )


class IncomeStatementLine(graphene.ObjectType):
    """One line of 收益及收益分配表 (会农集02表)."""

    line_no = graphene.Int(required=True, description="行次.")
    name = graphene.String(required=True)
    accounts = graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)))
    month = graphene.Decimal(
        description="本月数 (when a month is asked) or 本季数 (a quarter). " + MONEY
    )
    year_to_date = graphene.Decimal(required=True, description="本年累计数. " + MONEY)


class IncomeStatement(graphene.ObjectType):
    """收益及收益分配表: the result part for the month and the year to it, the distribution
    part (from 321 and 322) for the year to the month."""

    village_code = graphene.String(required=True)
    year = graphene.Int(required=True)
    month = graphene.Int()
    quarter = graphene.Int()
    lines = graphene.NonNull(graphene.List(graphene.NonNull(IncomeStatementLine)))
    distribution = graphene.NonNull(graphene.List(graphene.NonNull(IncomeStatementLine)))
    net_income = graphene.Decimal(required=True, description="本年收益. " + MONEY)


class AccountBalanceRow(graphene.ObjectType):
    """One row of 科目余额表: an account, or one counterparty of it (辅助核算)."""

    account_code = graphene.String(required=True)
    account_name = graphene.String(required=True)
    counterparty = graphene.String(description="Set on a sub-ledger row.")
    reference = graphene.String(description="Contract, asset or parcel code of a sub-ledger row.")
    opening = graphene.Decimal(
        required=True, description="期初余额 on the account's normal side. " + MONEY
    )
    debit = graphene.Decimal(required=True, description="本期借方. " + MONEY)
    credit = graphene.Decimal(required=True, description="本期贷方. " + MONEY)
    closing = graphene.Decimal(required=True, description="期末余额. " + MONEY)


class AgedBalance(graphene.ObjectType):
    """A counterparty's balance of 112 or 211, aged by the date of its last movement."""

    account_code = graphene.String(required=True)
    counterparty = graphene.String(required=True)
    balance = graphene.Decimal(required=True, description=MONEY)
    last_date = graphene.Date()
    days = graphene.Int()
    bucket = graphene.String(required=True, description="0-30, 31-90, 91-365 or >365 (days).")


class AccountBalances(graphene.ObjectType):
    """科目余额表 over a range of months, with the aged receivables and payables at its end."""

    village_code = graphene.String(required=True)
    start_month = graphene.String(required=True)
    end_month = graphene.String(required=True)
    rows = graphene.NonNull(graphene.List(graphene.NonNull(AccountBalanceRow)))
    aged = graphene.NonNull(graphene.List(graphene.NonNull(AgedBalance)))


class LedgerMonth(graphene.ObjectType):
    month = graphene.String(required=True, description="YYYY-MM.")
    debit = graphene.Decimal(required=True, description=MONEY)
    credit = graphene.Decimal(required=True, description=MONEY)
    balance = graphene.Decimal(required=True, description="Debit minus credit at its end.")


class GeneralLedger(graphene.ObjectType):
    """总账 of an account for a year."""

    village_code = graphene.String(required=True)
    account_code = graphene.String(required=True)
    account_name = graphene.String(required=True)
    year = graphene.Int(required=True)
    opening = graphene.Decimal(required=True, description="Debit minus credit at 01-01.")
    months = graphene.NonNull(graphene.List(graphene.NonNull(LedgerMonth)))
    debit = graphene.Decimal(required=True, description=MONEY)
    credit = graphene.Decimal(required=True, description=MONEY)
    closing = graphene.Decimal(required=True, description="Debit minus credit at 12-31.")


class DetailLedgerLine(graphene.ObjectType):
    voucher_no = graphene.String(required=True, description="记-YYYY-MM-NNNN.")
    entry_date = graphene.Date(required=True)
    fact_date = graphene.Date(required=True, description="The fact's own date (booked late).")
    summary = graphene.String(required=True, description="摘要.")
    counterparty = graphene.String()
    reference = graphene.String()
    debit = graphene.Decimal(required=True, description=MONEY)
    credit = graphene.Decimal(required=True, description=MONEY)
    balance = graphene.Decimal(required=True, description="Running, debit minus credit.")


class DetailLedger(graphene.ObjectType):
    """明细账 of an account of one village between two days."""

    village_code = graphene.String(required=True)
    account_code = graphene.String(required=True)
    account_name = graphene.String(required=True)
    first = graphene.Date(required=True, name="from")
    last = graphene.Date(required=True, name="to")
    counterparty = graphene.String()
    opening = graphene.Decimal(required=True)
    lines = graphene.NonNull(graphene.List(graphene.NonNull(DetailLedgerLine)))
    closing = graphene.Decimal(required=True)
