"""Every first-level account the registry posts to, named once.

The postings (projections/ledger/postings*.py), the district summary and the policy defaults
refer to an account by the name below, never by a literal code. Each name is checked against
the 2023 chart (chart-of-accounts-2023.csv): a code that is not in the chart, or whose Chinese
name differs from the one written here, fails at import, so a renamed or renumbered account
cannot slip into the books.
"""

from __future__ import annotations

from domain.ledger.chart import chart_version
from domain.shared.values import AccountCode

CHART = "2023"


def _account(code: AccountCode, name_zh: str) -> AccountCode:
    account = chart_version(CHART).account(code)
    if account.name_zh != name_zh:
        raise RuntimeError(f"account {code} is {account.name_zh} in chart {CHART}, not {name_zh}")
    return code


CASH = _account("101", "库存现金")
BANK = _account("102", "银行存款")
RECEIVABLES = _account("112", "应收款")
LONG_TERM_INVESTMENTS = _account("141", "长期投资")
FIXED_ASSETS = _account("151", "固定资产")
FIXED_ASSET_DISPOSAL = _account("154", "固定资产清理")
INTANGIBLE_ASSETS = _account("161", "无形资产")
PAYABLES = _account("211", "应付款")
TAXES_PAYABLE = _account("214", "应交税费")
SPECIAL_PAYABLES = _account("241", "专项应付款")
RESERVE_FUND = _account("311", "公积公益金")
OPERATING_INCOME = _account("501", "经营收入")
INVESTMENT_INCOME = _account("502", "投资收益")
SUBSIDY_INCOME = _account("503", "补助收入")
OTHER_INCOME = _account("504", "其他收入")
PUBLIC_WELFARE_EXPENSES = _account("514", "公益支出")
OTHER_EXPENSES = _account("515", "其他支出")

# Where money paid in or out lands, by payment channel (domain/shared/values.PAYMENT_CHANNELS).
CASH_ACCOUNT_BY_CHANNEL: dict[str, AccountCode] = {"bank": BANK, "cash": CASH}
