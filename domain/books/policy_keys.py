"""The policies of the books (凭证与结账): which accounts are kept per counterparty (辅助核算),
so that a voucher line on them must name one. Registered by the bootstrap (qianwan/bootstrap.py);
the rule: docs/rules.md V-04.
"""

from __future__ import annotations

from typing import Any

from domain.ledger.accounts import PAYABLES, RECEIVABLES
from domain.ledger.chart import charts
from domain.policy.errors import PolicyValueInvalid
from domain.policy.keys import PolicyKey
from domain.shared.values import AccountCode

SUBLEDGER_ACCOUNTS_KEY = "books.subledger_accounts"
# Used where no value was ever set for the place: receivables and payables (应收款, 应付款).
DEFAULT_SUBLEDGER_ACCOUNTS: list[AccountCode] = [RECEIVABLES, PAYABLES]


def parse_subledger_accounts(raw: Any) -> list[str]:
    """A list of account codes, each in a known chart, none twice."""
    if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
        raise PolicyValueInvalid("sub-ledger accounts: a list of account codes is needed")
    known = {a.code for chart in charts() for a in chart.accounts}
    unknown = [code for code in raw if code not in known]
    if unknown:
        raise PolicyValueInvalid(f"sub-ledger accounts: {', '.join(unknown)} not in any chart")
    if len(set(raw)) != len(raw):
        raise PolicyValueInvalid("sub-ledger accounts: an account appears twice")
    return sorted(raw)


BOOKS_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey(
        SUBLEDGER_ACCOUNTS_KEY,
        "The accounts kept per counterparty (辅助核算): a voucher line on one of them names "
        "its counterparty; by default 112 应收款 and 211 应付款 (docs/rules.md V-04).",
        parse_subledger_accounts,
    ),
)
