"""The closed vocabularies of the books (凭证与结账): voucher statuses, counterparty kinds of a
sub-ledger line, the kinds of journal entry, and the caps every voucher respects."""

from __future__ import annotations

# A voucher's life (docs/rules.md V-06): prepared (制单) → posted (审核即记账) | rejected (final).
PREPARED = "prepared"
POSTED = "posted"
REJECTED = "rejected"
STATUSES = (PREPARED, POSTED, REJECTED)
STATUS_NAMES_ZH = {PREPARED: "待审核", POSTED: "已记账", REJECTED: "已退回"}

# Who a sub-ledger line (辅助核算) is kept for; the ledger lines store the same codes.
COUNTERPARTY_KINDS = ("person", "organization", "collective", "government", "members", "operator")
COUNTERPARTY_KIND_NAMES_ZH = {
    "person": "个人",
    "organization": "单位",
    "collective": "集体",
    "government": "政府",
    "members": "成员",
    "operator": "经营者",
}

# What caused a journal entry (ledger_entries.kind).
ENTRY_KINDS = ("programme", "voucher", "closing", "reversal")
ENTRY_KIND_NAMES_ZH = {
    "programme": "业务自动生成",
    "voucher": "记账凭证",
    "closing": "结账凭证",
    "reversal": "红字冲销",
}

VOUCHER_LINES_MIN = 2
VOUCHER_LINES_MAX = 100  # more lines than any hand-written voucher holds
SUMMARY_LENGTH_MAX = 200  # 摘要
ATTACHMENTS_MAX = 999  # 附件张数
REASON_LENGTH_MAX = 500
COUNTERPARTY_LENGTH_MAX = 200
REFERENCE_LENGTH_MAX = 64
PERSON_LENGTH_MAX = 200  # a token's name, as principal.name holds it
VOUCHER_NO_PREFIX = "记"  # 记-YYYY-MM-NNNN, assigned by the ledger projection
