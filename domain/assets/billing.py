"""What a contract bills and what is paid against it: the scheduled installments, the invoices
as the events leave them, and the sums computed from them. Plain values and functions; the rules
that refuse a bill or a payment are in rules.py, the commands in rent.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.ledger.spread import Spread
from domain.shared.values import ZERO, from_fen, to_fen


@dataclass(frozen=True)
class Installment:
    """One scheduled rent payment: due_on, amount_yuan, and the period it covers."""

    due_on: date
    amount_yuan: Decimal
    covers_from: date
    covers_to: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "due_on": self.due_on,
            "amount_yuan": self.amount_yuan,
            "covers_from": self.covers_from,
            "covers_to": self.covers_to,
        }


@dataclass
class Invoice:
    invoice_no: str
    contract_no: str
    amount_yuan: Decimal
    issued_on: date
    due_on: date
    covers_from: date
    covers_to: date
    received_yuan: Decimal = ZERO
    cancelled_yuan: Decimal = ZERO  # no longer owed: rent for days after a termination
    correction_reason: str | None = None  # of the latest correction of the amount, if any

    @property
    def outstanding_yuan(self) -> Decimal:
        return self.amount_yuan - self.received_yuan - self.cancelled_yuan

    def unearned_after(self, last_day: date) -> Decimal:
        """The share of this invoice covering days after ``last_day`` (whole fen, exact)."""
        spread = Spread(to_fen(self.amount_yuan), self.covers_from, self.covers_to)
        return from_fen(spread.fen_between(last_day + timedelta(days=1), self.covers_to))

    def same_as(
        self,
        amount_yuan: Decimal,
        issued_on: date,
        due_on: date,
        covers_from: date,
        covers_to: date,
    ) -> bool:
        """Whether an invoice with these details is this one again (a retry)."""
        mine = (self.amount_yuan, self.issued_on, self.due_on, self.covers_from, self.covers_to)
        return mine == (amount_yuan, issued_on, due_on, covers_from, covers_to)


def same_receipt(
    receipt: Mapping[str, Any],
    invoice_no: str,
    amount_yuan: Decimal,
    received_on: date,
    channel: str,
) -> bool:
    """Whether a receipt with these details is the recorded one again (a retry). The channel is
    content too: it decides the cash account (101 or 102)."""
    mine = (
        receipt["invoice_no"],
        receipt["amount_yuan"],
        receipt["received_on"],
        receipt["channel"],
    )
    return mine == (invoice_no, amount_yuan, received_on, channel)


def total_yuan(schedule: Iterable[Installment]) -> Decimal:
    """What a schedule of installments comes to: the contract's value."""
    return sum((i.amount_yuan for i in schedule), ZERO)


def overdue(invoices: Iterable[Invoice], as_of: date) -> list[Invoice]:
    """The invoices past their due date on ``as_of`` with something still outstanding."""
    return [i for i in invoices if i.due_on < as_of and i.outstanding_yuan > 0]


def cancellations_after(
    invoices: Iterable[Invoice], contract_no: str, last_day: date
) -> list[dict[str, Any]]:
    """When contract_no ends on last_day: per invoice of it (invoice_no, amount_yuan), the rent
    billed for the days after that was not received and is therefore no longer owed."""
    cancellations = []
    for invoice in invoices:
        if invoice.contract_no != contract_no:
            continue
        cancel = min(invoice.unearned_after(last_day), invoice.outstanding_yuan)
        if cancel > 0:
            cancellations.append({"invoice_no": invoice.invoice_no, "amount_yuan": cancel})
    return cancellations
