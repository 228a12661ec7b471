"""Charts of accounts, versioned by effective date.

The 2023 chart (财会〔2023〕14号, in force 2024-01-01) has 42 first-level accounts. The same codes
meant other things under the 2004 system, so every journal entry is stamped with the version it
used, and money cannot move on a date no known chart covers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from domain.shared.errors import DateBeforeChartOfAccounts
from domain.shared.values import AccountCode

_HERE = Path(__file__).parent


# The categories of the chart's accounts (科目类别), with their Chinese names.
CATEGORY_NAMES_ZH = {
    "asset": "资产类",
    "liability": "负债类",
    "equity": "所有者权益类",
    "cost": "成本类",
    "income": "损益类（收入）",
    "expense": "损益类（费用）",
}
ACCOUNT_CATEGORIES = tuple(CATEGORY_NAMES_ZH)


@dataclass(frozen=True)
class Account:
    code: AccountCode
    name_zh: str
    name_en: str
    category: str  # asset | liability | equity | cost | income | expense
    normal_side: str  # debit | credit

    @property
    def is_contra(self) -> bool:
        """An asset account that normally carries a credit balance (133, 152, 162)."""
        return self.category == "asset" and self.normal_side == "credit"


@dataclass(frozen=True)
class ChartVersion:
    version: str
    effective_from: date
    source: str
    accounts: tuple[Account, ...]

    def account(self, code: AccountCode) -> Account:
        for a in self.accounts:
            if a.code == code:
                return a
        raise KeyError(f"account {code} is not in chart {self.version}")

    def has(self, code: AccountCode) -> bool:
        return any(a.code == code for a in self.accounts)


def _load(filename: str) -> tuple[Account, ...]:
    with (_HERE / filename).open(encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["order"]))
    unknown = {r["category"] for r in rows} - set(ACCOUNT_CATEGORIES)
    assert not unknown, f"{filename}: categories {sorted(unknown)} are not ACCOUNT_CATEGORIES"
    return tuple(
        Account(r["code"], r["name_zh"], r["name_en"], r["category"], r["normal_side"])
        for r in rows
    )


@cache
def charts() -> tuple[ChartVersion, ...]:
    """Every chart the registry knows, oldest first."""
    return (
        ChartVersion(
            version="2023",
            effective_from=date(2024, 1, 1),
            source="财会〔2023〕14号 农村集体经济组织会计制度",
            accounts=_load("chart-of-accounts-2023.csv"),
        ),
    )


def chart_in_force(day: date) -> ChartVersion:
    """The chart for entries dated ``day``; refused before the first known chart."""
    in_force = [c for c in charts() if c.effective_from <= day]
    if not in_force:
        first = charts()[0]
        raise DateBeforeChartOfAccounts(
            f"{day} is before {first.effective_from}, when the {first.version} chart of accounts "
            "came into force; the registry keeps no books under the 2004 system",
            field="date",
        )
    return in_force[-1]


def chart_version(version: str) -> ChartVersion:
    for c in charts():
        if c.version == version:
            return c
    raise KeyError(version)
