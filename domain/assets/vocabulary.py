"""The closed vocabularies of asset revitalization (盘活): the codes a command accepts and an event
stores, in the order the GraphQL enums show them (api/enums.py). How money moves (bank | cash)
is shared by every context: ``domain.shared.values.PAYMENT_CHANNELS``. The resource kinds are not
here: they are a policy a district revises (``assets.resource_kinds``)."""

from __future__ import annotations

# How an asset is put to use (docs/rules.md A-02); disposal is the fifth matter a meeting decides.
MODES = ("self_operation", "lease", "equity", "cooperation")
MODE_NAMES_ZH = {"self_operation": "自营", "lease": "出租", "equity": "入股", "cooperation": "合作"}
MATTERS = (*MODES, "disposal")
MATTER_NAMES_ZH = {**MODE_NAMES_ZH, "disposal": "处置"}
COUNTERPARTY_KINDS = ("person", "organization", "collective")
TERMINATION_REASONS = (
    "mutual_agreement",
    "breach_by_counterparty",
    "breach_by_collective",
    "force_majeure",
    "other",
)
# Where an asset is in its lifecycle (the ``status`` its events set), in that order.
STATUSES = (
    "registered",
    "rights_confirmed",
    "approved",
    "rejected",
    "listed",
    "contracted",
    "in_arrears",
    "terminated",
    "disposed",
)
ACTIVE = frozenset({"contracted", "in_arrears"})  # a contract is in force
# Why a recorded fact is corrected (docs/audit.md). Nothing is edited: a correcting event
# carries one of these codes, and the books show the original and the correction.
CORRECTION_REASONS = {
    "amount_mistyped": "the amount was keyed in wrongly (录入金额错误)",
    "billing_error": "the invoice billed an amount the contract does not provide for (开票错误)",
    "wrong_invoice": "the receipt was recorded against the wrong invoice (收款挂错发票)",
    "duplicate_entry": "the same receipt was recorded twice (重复入账)",
    "bank_returned": "the bank returned the transfer (银行退票)",
}
INVOICE_CORRECTION_REASONS = ("amount_mistyped", "billing_error")
RECEIPT_REVERSAL_REASONS = ("amount_mistyped", "wrong_invoice", "duplicate_entry", "bank_returned")
