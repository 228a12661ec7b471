"""Sub-ledgers (辅助核算): who a receivable or payable line is owed by or to, and under which
contract, parcel or settlement.

The postings (postings*.py) stay pure functions of one event; the projection tags the lines of
the sub-ledger accounts afterwards with what it keeps of the event's aggregate (the owners and
invoices tables): the lessee and contract on 112 and 211 for assets; the buyer and parcel on
112, the members on 211 for land; the operator on 211 and the government on 241 for a meal
settlement, with the settlement month as reference (docs/postings.md "Sub-ledgers").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from domain.ledger.accounts import PAYABLES, RECEIVABLES, SPECIAL_PAYABLES
from projections.ledger.postings import EntryDraft

MEMBERS = "全体成员"  # the members of the collective, as one counterparty of a distribution
GOVERNMENT = "民政部门"  # the civil-affairs bureau that pays the meal subsidy


@dataclass(frozen=True)
class Party:
    """A sub-ledger key: the counterparty (and its kind) and the reference, any may be None."""

    counterparty: str | None
    counterparty_kind: str | None
    reference: str | None


def tagged(drafts: list[EntryDraft], parties: Mapping[str, Party]) -> list[EntryDraft]:
    """The drafts with each line of an account in ``parties`` carrying that account's party."""
    if not parties:
        return drafts
    return [
        replace(
            draft,
            lines=tuple(
                replace(
                    line,
                    counterparty=party.counterparty,
                    counterparty_kind=party.counterparty_kind,
                    reference=party.reference,
                )
                if (party := parties.get(line.account)) is not None
                else line
                for line in draft.lines
            ),
        )
        for draft in drafts
    ]


def asset_parties(
    counterparty: str | None, kind: str | None, contract_no: str | None
) -> dict[str, Party]:
    """The lessee (investee, partner) and the contract, on receivables and payables."""
    party = Party(counterparty, kind, contract_no)
    return {RECEIVABLES: party, PAYABLES: party}


def land_parties(buyer: str | None, kind: str | None, parcel_code: str | None) -> dict[str, Party]:
    """The buyer (lessee, investee) on receivables, the members on payables, by parcel."""
    return {
        RECEIVABLES: Party(buyer, kind, parcel_code),
        PAYABLES: Party(MEMBERS, "members", parcel_code),
    }


def meal_parties(operator: str | None, month: str | None) -> dict[str, Party]:
    """The operator on payables, the government on the subsidy, by settlement month."""
    return {
        PAYABLES: Party(operator, "operator", month),
        SPECIAL_PAYABLES: Party(GOVERNMENT, "government", month),
    }
