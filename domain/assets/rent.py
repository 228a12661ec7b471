"""Rent under an asset's contract: invoiced, received, corrected, reversed, in arrears. Each
command checks its rules (rules.py) and triggers one event of ``Asset``; a command repeated with
the same content records nothing and returns False (a safe retry)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.assets import rules
from domain.assets.state import AssetState
from domain.assets.vocabulary import INVOICE_CORRECTION_REASONS, RECEIPT_REVERSAL_REASONS
from domain.shared.values import Provenance


class RentCommands(AssetState):
    """The commands of ``Asset`` on the rent its contract bills."""

    def invoice_rent(
        self,
        invoice_no: str,
        amount_yuan: Decimal,
        issued_on: date,
        due_on: date,
        covers_from: date,
        covers_to: date,
        by: Provenance,
    ) -> bool:
        """Returns False when the same invoice was recorded already (a safe retry)."""
        existing = self.invoices.get(invoice_no)
        details = (amount_yuan, issued_on, due_on, covers_from, covers_to)
        if rules.check_invoice_repeats(existing, invoice_no, *details):
            return False
        contract = self.check_active_contract()
        rules.check_period_inside(covers_from, covers_to, contract["start_on"], contract["end_on"])
        rules.check_invoice_dates(issued_on, due_on)
        self._invoiced(
            invoice_no=invoice_no,
            contract_no=contract["contract_no"],
            mode=contract["mode"],
            amount_yuan=amount_yuan,
            issued_on=issued_on,
            due_on=due_on,
            covers_from=covers_from,
            covers_to=covers_to,
            actor=by.actor,
            authority=by.authority,
        )
        return True

    def receive_rent(
        self,
        receipt_no: str,
        invoice_no: str,
        amount_yuan: Decimal,
        received_on: date,
        channel: str,
        by: Provenance,
    ) -> bool:
        """Returns False when the same receipt was recorded already (a safe retry)."""
        existing = self.receipts.get(receipt_no)
        details = (invoice_no, amount_yuan, received_on, channel)
        if rules.check_receipt_repeats(existing, receipt_no, *details):
            return False
        invoice = rules.check_invoice_exists(self.invoices, invoice_no, self.asset_code)
        rules.check_payment(invoice, amount_yuan, received_on)
        self._received(
            receipt_no=receipt_no,
            invoice_no=invoice_no,
            amount_yuan=amount_yuan,
            received_on=received_on,
            channel=channel,
            actor=by.actor,
            authority=by.authority,
        )
        return True

    def correct_invoice(
        self, invoice_no: str, corrected_amount_yuan: Decimal, reason_code: str, by: Provenance
    ) -> bool:
        """Correct a mistaken invoice amount. Returns False when the invoice was corrected to
        this amount for this reason already (a safe retry)."""
        rules.check_reason(reason_code, INVOICE_CORRECTION_REASONS)
        invoice = rules.check_invoice_exists(self.invoices, invoice_no, self.asset_code)
        if rules.check_correction_repeats(invoice, corrected_amount_yuan, reason_code):
            return False
        contract = rules.check_invoice_correctable(
            invoice, corrected_amount_yuan, self.status, self.contract
        )
        self._invoice_corrected(
            invoice_no=invoice_no,
            contract_no=invoice.contract_no,
            mode=contract["mode"],
            previous_amount_yuan=invoice.amount_yuan,
            corrected_amount_yuan=corrected_amount_yuan,
            issued_on=invoice.issued_on,
            covers_from=invoice.covers_from,
            covers_to=invoice.covers_to,
            reason_code=reason_code,
            actor=by.actor,
            authority=by.authority,
        )
        return True

    def reverse_receipt(self, receipt_no: str, reason_code: str, by: Provenance) -> bool:
        """Reverse a receipt that should not have been recorded (or not so). Returns False when
        it was reversed for this reason already (a safe retry)."""
        rules.check_reason(reason_code, RECEIPT_REVERSAL_REASONS)
        receipt = rules.check_receipt_exists(self.receipts, receipt_no, self.asset_code)
        if rules.check_reversal_repeats(receipt, receipt_no, reason_code):
            return False
        self._receipt_reversed(
            receipt_no=receipt_no,
            invoice_no=receipt["invoice_no"],
            amount_yuan=receipt["amount_yuan"],
            received_on=receipt["received_on"],
            channel=receipt["channel"],
            reason_code=reason_code,
            actor=by.actor,
            authority=by.authority,
        )
        return True

    def mark_in_arrears(self, invoice_no: str, as_of: date, by: Provenance) -> None:
        invoice = rules.check_invoice_exists(self.invoices, invoice_no, self.asset_code)
        rules.check_overdue(invoice, as_of)
        self._in_arrears(
            invoice_no=invoice_no,
            as_of=as_of,
            outstanding_yuan=invoice.outstanding_yuan,
            actor=by.actor,
            authority=by.authority,
        )
