"""The statements of the books (会计报表, docs/statements.md): 科目余额表, 资产负债表,
收益及收益分配表, 总账 and 明细账 of a village, town or district, from the month balances the
ledger projection keeps; and 大写金额."""

from domain.ledger.amount_words import amount_in_words
from projections.ledger.statements.balances import (
    AgedBalance,
    BalanceRow,
    account_balances,
    aged_balances,
)
from projections.ledger.statements.ledgers import (
    DetailLedger,
    GeneralLedger,
    detail_ledger,
    general_ledger,
)
from projections.ledger.statements.sheets import (
    BalanceSheet,
    IncomeStatement,
    StatementLine,
    balance_sheet,
    income_statement,
)

__all__ = [
    "AgedBalance",
    "BalanceRow",
    "BalanceSheet",
    "DetailLedger",
    "GeneralLedger",
    "IncomeStatement",
    "StatementLine",
    "account_balances",
    "aged_balances",
    "amount_in_words",
    "balance_sheet",
    "detail_ledger",
    "general_ledger",
    "income_statement",
]
