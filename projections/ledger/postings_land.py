"""The posting table of land entering the market (入市): pure functions from Parcel events to
balanced journal-entry drafts. docs/postings.md ("Land entering the market") explains each line.

The proceeds are earmarked money: by law and by the approved plan they first pay the adjustment
fund, then go to the collective's retained funds and to its members. So they wait in
SPECIAL_PAYABLES from the contract until the collective's distribution resolution, and never pass
through the year's operating income. The adjustment fund (调节金) is TAXES_PAYABLE until paid;
the distribution moves the collective's retained share to RESERVE_FUND and the members' share to
PAYABLES until they are paid (docs/rules.md B-06).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.land.model import Parcel
from domain.ledger.accounts import (
    CASH_ACCOUNT_BY_CHANNEL,
    LONG_TERM_INVESTMENTS,
    PAYABLES,
    RECEIVABLES,
    RESERVE_FUND,
    SPECIAL_PAYABLES,
    TAXES_PAYABLE,
)
from domain.shared.values import AccountCode, to_fen
from projections.ledger.postings import EntryDraft, Posting, cr, dr, entry, posted
from projections.projection import EventClass

# What the collective holds once the contract is signed, by the way the land enters: the price
# of a grant or the rent of a whole lease term is receivable as contracted; a capital
# contribution is paid in equity (docs/rules.md B-06).
HELD_ACCOUNT_BY_WAY: dict[str, AccountCode] = {
    "grant": RECEIVABLES,
    "lease": RECEIVABLES,
    "capital_contribution": LONG_TERM_INVESTMENTS,
}


def contract_signed(e: Any) -> list[EntryDraft]:
    fen = to_fen(e.price_yuan)
    return posted(
        entry(
            e.signed_on,
            f"集体经营性建设用地入市合同 {e.contract_no}（{e.counterparty_name}）",
            dr(HELD_ACCOUNT_BY_WAY[e.way], fen),
            cr(SPECIAL_PAYABLES, fen),
        )
    )


def installment_received(e: Any) -> list[EntryDraft]:
    fen = to_fen(e.amount_yuan)
    return posted(
        entry(
            e.received_on,
            f"收到入市价款 {e.receipt_no}",
            dr(CASH_ACCOUNT_BY_CHANNEL[e.channel], fen),
            cr(RECEIVABLES, fen),
        )
    )


def levy_assessed(e: Any) -> list[EntryDraft]:
    fen = to_fen(e.levy_yuan)
    return posted(
        entry(
            e.assessed_on,
            f"计提土地增值收益调节金 {e.notice_no}（{e.base_kind} × {e.rate}）",
            dr(SPECIAL_PAYABLES, fen),
            cr(TAXES_PAYABLE, fen),
        )
    )


def levy_paid(e: Any) -> list[EntryDraft]:
    fen = to_fen(e.amount_yuan)
    return posted(
        entry(
            e.paid_on,
            f"缴纳土地增值收益调节金 {e.receipt_no}",
            dr(TAXES_PAYABLE, fen),
            cr(CASH_ACCOUNT_BY_CHANNEL[e.channel], fen),
        )
    )


def distribution_approved(e: Any) -> list[EntryDraft]:
    retained, members = to_fen(e.retained_yuan), to_fen(e.members_yuan)
    return posted(
        entry(
            e.approved_on,
            f"入市收益分配 {e.resolution['reference']}",
            dr(SPECIAL_PAYABLES, retained + members),
            cr(RESERVE_FUND, retained),
            cr(PAYABLES, members),
        )
    )


def members_paid(e: Any) -> list[EntryDraft]:
    fen = to_fen(e.amount_yuan)
    return posted(
        entry(
            e.paid_on,
            f"发放入市收益 {e.batch_no}（{e.members_count}人）",
            dr(PAYABLES, fen),
            cr(CASH_ACCOUNT_BY_CHANNEL[e.channel], fen),
        )
    )


# Event class → posting; registered in projections/ledger/projection.py.
LAND_POSTINGS: Mapping[EventClass, Posting] = {
    Parcel.ContractSigned: contract_signed,  # type: ignore[attr-defined]
    Parcel.InstallmentReceived: installment_received,  # type: ignore[attr-defined]
    Parcel.LevyAssessed: levy_assessed,  # type: ignore[attr-defined]
    Parcel.LevyPaid: levy_paid,  # type: ignore[attr-defined]
    Parcel.DistributionApproved: distribution_approved,  # type: ignore[attr-defined]
    Parcel.MembersPaid: members_paid,  # type: ignore[attr-defined]
}
