"""Postings of elderly meal assistance (老年助餐): what a monthly settlement does to the books of
the meal point's village collective. docs/postings.md explains each line.

Meals themselves post nothing: a meal is a claim, not an obligation, until the month's
settlement is approved (月度结算审批后入账). Every entry is built from one settlement event alone.
The government's subsidy passes through SPECIAL_PAYABLES; the collective's own top-up is a
PUBLIC_WELFARE_EXPENSES; what the collective owes a contracted operator waits in PAYABLES; a
collective-run canteen books the meals as OPERATING_INCOME and the elders' co-payments, taken at
its counter, in CASH (docs/rules.md B-07).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.ledger.accounts import (
    BANK,
    CASH,
    CASH_ACCOUNT_BY_CHANNEL,
    OPERATING_INCOME,
    PAYABLES,
    PUBLIC_WELFARE_EXPENSES,
    SPECIAL_PAYABLES,
)
from domain.meals.model.settlement import MealSettlement
from domain.shared.values import to_fen
from projections.ledger.postings import EntryDraft, Posting, cr, dr, entry, posted
from projections.projection import EventClass


def settlement_approved(e: Any) -> list[EntryDraft]:
    """The claim becomes the collective's obligation (contractor) or its canteen's income
    (collective-run); clawbacks of earlier paid meals are a second entry of the same day."""
    gov, top_up, elder = to_fen(e.government_yuan), to_fen(e.collective_yuan), to_fen(e.elder_yuan)
    back_gov, back_top = to_fen(e.clawback_government_yuan), to_fen(e.clawback_collective_yuan)
    back_elder = to_fen(e.clawback_elder_yuan)
    day, month = e.approved_on, e.month
    if e.operator_kind == "contractor":
        drafts = [
            entry(
                day,
                f"助餐补贴结算 {month}：政府补贴转付、集体补助，应付运营方",
                dr(SPECIAL_PAYABLES, gov),
                dr(PUBLIC_WELFARE_EXPENSES, top_up),
                cr(PAYABLES, gov + top_up),
            ),
            entry(
                day,
                f"助餐补贴追回 {month}：已付餐次作废，冲减应付运营方",
                dr(PAYABLES, back_gov + back_top),
                cr(SPECIAL_PAYABLES, back_gov),
                cr(PUBLIC_WELFARE_EXPENSES, back_top),
            ),
        ]
    else:
        drafts = [
            entry(
                day,
                f"长者食堂助餐收入 {month}：政府补贴、集体补助、老人自付",
                dr(SPECIAL_PAYABLES, gov),
                dr(PUBLIC_WELFARE_EXPENSES, top_up),
                dr(CASH, elder),
                cr(OPERATING_INCOME, gov + top_up + elder),
            ),
            entry(
                day,
                f"助餐收入追回 {month}：已结算餐次作废",
                dr(OPERATING_INCOME, back_gov + back_top + back_elder),
                cr(SPECIAL_PAYABLES, back_gov),
                cr(PUBLIC_WELFARE_EXPENSES, back_top),
                cr(CASH, back_elder),
            ),
        ]
    return [d for d in drafts if d.lines]


def subsidy_received(e: Any) -> list[EntryDraft]:
    """The government's money arrives (or, negative, a clawback goes back to it)."""
    fen = to_fen(e.amount_yuan)
    if fen >= 0:
        lines = (dr(BANK, fen), cr(SPECIAL_PAYABLES, fen))
    else:
        lines = (dr(SPECIAL_PAYABLES, -fen), cr(BANK, -fen))
    draft = entry(e.received_on, "收到民政助餐补贴（专项资金）", *lines)
    return posted(draft)


def settlement_paid(e: Any) -> list[EntryDraft]:
    """The operator is paid (or, negative, pays back). A collective-run canteen is the
    collective itself: nothing moves."""
    if e.operator_kind != "contractor":
        return []
    fen, account = to_fen(e.amount_yuan), CASH_ACCOUNT_BY_CHANNEL[e.channel]
    lines = (
        (dr(PAYABLES, fen), cr(account, fen))
        if fen >= 0
        else (dr(account, -fen), cr(PAYABLES, -fen))
    )
    draft = entry(e.paid_on, "支付助餐运营方结算款", *lines)
    return posted(draft)


# Event class → posting; registered in projections/ledger/projection.py.
MEAL_POSTINGS: Mapping[EventClass, Posting] = {
    MealSettlement.Approved: settlement_approved,  # type: ignore[attr-defined]
    MealSettlement.SubsidyReceived: subsidy_received,  # type: ignore[attr-defined]
    MealSettlement.Paid: settlement_paid,  # type: ignore[attr-defined]
}
