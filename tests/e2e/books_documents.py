"""GraphQL documents of the books (vouchers and periods) the e2e tests send."""

from __future__ import annotations

from typing import Any

from tests.e2e.documents import ERRORS
from tests.support import VILLAGE

VOUCHER_FIELDS = """
id voucherNo villageCode voucherDate month summary status preparer reviewer reviewedOn
rejectionReason reverses reversedBy attachments total totalInWords
lines { lineNo accountCode accountName debit credit counterparty counterpartyKind reference }
"""
RECORD_VOUCHER = f"""
mutation Record($village: String!, $date: Date!, $summary: String!,
                $lines: [VoucherLineInput!]!, $attachments: Int, $key: String) {{
  recordVoucher(villageCode: $village, voucherDate: $date, summary: $summary, lines: $lines,
                attachments: $attachments, idempotencyKey: $key) {{
    voucher {{ {VOUCHER_FIELDS} }}
    {ERRORS}
  }}
}}
"""
REVIEW_VOUCHER = f"""
mutation Review($id: ID!, $on: Date) {{
  reviewVoucher(voucherId: $id, reviewedOn: $on) {{ voucher {{ {VOUCHER_FIELDS} }} {ERRORS} }}
}}
"""
REJECT_VOUCHER = f"""
mutation Reject($id: ID!, $why: String!) {{
  rejectVoucher(voucherId: $id, rejectionReason: $why) {{ voucher {{ id status }} {ERRORS} }}
}}
"""
REVERSE_VOUCHER = f"""
mutation Reverse($id: ID!, $on: Date, $key: String) {{
  reverseVoucher(voucherId: $id, reversalDate: $on, idempotencyKey: $key) {{
    voucher {{ {VOUCHER_FIELDS} }}
    {ERRORS}
  }}
}}
"""
PERIODS_FIELDS = """
villageCode firstOpenMonth
months { month closed closedOn closedAt closedBy reopenedOn reopenReason }
years { year closed }
"""
CLOSE_PERIOD = f"""
mutation Close($village: String!, $month: String!) {{
  closePeriod(villageCode: $village, month: $month) {{ periods {{ {PERIODS_FIELDS} }} {ERRORS} }}
}}
"""
REOPEN_PERIOD = f"""
mutation Reopen($village: String!, $month: String!, $why: String!) {{
  reopenPeriod(villageCode: $village, month: $month, reopenReason: $why) {{
    periods {{ {PERIODS_FIELDS} }}
    {ERRORS}
  }}
}}
"""
CLOSE_YEAR = f"""
mutation CloseYear($village: String!, $year: Int!) {{
  closeYear(villageCode: $village, year: $year) {{ periods {{ {PERIODS_FIELDS} }} {ERRORS} }}
}}
"""
VOUCHERS = f"""
query Vouchers($village: String, $town: String, $month: String, $status: VoucherStatus,
               $first: Int, $after: String) {{
  vouchers(villageCode: $village, townCode: $town, month: $month, status: $status,
           first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {VOUCHER_FIELDS} }} }}
  }}
}}
"""
VOUCHER = f"query One($id: ID!) {{ voucher(id: $id) {{ {VOUCHER_FIELDS} }} }}"
PERIODS = (
    f"query Periods($village: String!) {{ periods(villageCode: $village) {{ {PERIODS_FIELDS} }} }}"
)


def office_lines(amount: str = "120.00") -> list[dict[str, Any]]:
    return [
        {"accountCode": "513", "debit": amount},
        {"accountCode": "101", "credit": amount},
    ]


def voucher_variables(
    date: str = "2026-04-03", lines: list[dict[str, Any]] | None = None, **more: Any
) -> dict[str, Any]:
    return {
        "village": more.get("village", VILLAGE),
        "date": date,
        "summary": more.get("summary", "购买办公用品"),
        "lines": office_lines() if lines is None else lines,
        "attachments": more.get("attachments", 2),
        "key": more.get("key"),
    }
