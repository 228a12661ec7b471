"""The closing vouchers of a year (期末结转), derived from the year's monthly balances: pure
functions, so the same log always gives the same closing entries (docs/rules.md B-15).

(1) every income and expense account with a balance for the year → 321 本年收益;
(2) 321's balance for the year → 322 收益分配. Both dated 12-31 of the year. A reopened year's
closing entries are reversed in red: the same lines, the amounts negated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from domain.ledger.chart import chart_in_force
from projections.ledger.postings import EntryDraft, Line, cr, dr, entry

CURRENT_YEAR_PROFIT = "321"  # 本年收益
PROFIT_DISTRIBUTION = "322"  # 收益分配
PROFIT_AND_LOSS = frozenset({"income", "expense"})  # the chart's categories closed at year end


def profit_and_loss_accounts(year: int) -> frozenset[str]:
    chart = chart_in_force(date(year, 12, 31))
    return frozenset(a.code for a in chart.accounts if a.category in PROFIT_AND_LOSS)


def closing_entries(year: int, net_fen: Mapping[str, int]) -> list[EntryDraft]:
    """The closing entries of ``year`` from each account's year movement, debit minus credit in
    fen (``net_fen``; accounts other than the profit-and-loss ones and 321 are ignored)."""
    day = date(year, 12, 31)
    pnl = profit_and_loss_accounts(year)
    to_profit: list[Line] = []
    for account in sorted(a for a in net_fen if a in pnl):
        net = net_fen[account]
        if net:
            to_profit.append(cr(account, net) if net > 0 else dr(account, -net))
    swept = sum(line.debit_fen - line.credit_fen for line in to_profit)  # what 321 takes
    drafts: list[EntryDraft] = []
    if to_profit:
        lines = [
            *to_profit,
            cr(CURRENT_YEAR_PROFIT, swept) if swept > 0 else dr(CURRENT_YEAR_PROFIT, -swept),
        ]
        drafts.append(entry(day, f"期末结转：损益类科目转入本年收益（{year}年）", *lines))
    profit = net_fen.get(CURRENT_YEAR_PROFIT, 0) - swept  # 321 after (1), debit minus credit
    if profit:
        lines = (
            [dr(CURRENT_YEAR_PROFIT, -profit), cr(PROFIT_DISTRIBUTION, -profit)]
            if profit < 0
            else [dr(PROFIT_DISTRIBUTION, profit), cr(CURRENT_YEAR_PROFIT, profit)]
        )
        drafts.append(entry(day, f"期末结转：本年收益转入收益分配（{year}年）", *lines))
    return drafts


def red_reversal(day: date, description: str, lines: Sequence[tuple[str, int, int]]) -> EntryDraft:
    """The red reversal (红字冲销) of an entry: its lines, on the same side, negated."""
    return EntryDraft(
        day,
        f"红字冲销：{description}",
        tuple(Line(account, -debit, -credit) for account, debit, credit in lines),
        red=True,
    )
