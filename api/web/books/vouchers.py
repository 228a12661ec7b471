"""记账凭证: the list by month and status, one voucher as printed (one A4 page each), and its
review (审核, which posts it) or rejection by a second person."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.books.common import (
    forbidden_is_403,
    lines_xlsx,
    param,
    today,
    village_name,
    village_of,
    wants_xlsx,
)
from api.web.event_names import event_name
from api.web.forms import IDEMPOTENCY_FIELD, Field, FormState, outcome, text_or_none
from api.web.labels import label
from api.web.pages import PageError, Web, see_other
from api.web.xlsx import Column, xlsx_response
from domain.access.roles import Role

STATUSES = ("prepared", "posted", "rejected")  # VoucherStatus, named by api/web/labels.py
STATUS_NAMES = {status: label("VoucherStatus", status) for status in STATUSES}

VOUCHER_FIELDS = """
id voucherNo villageCode voucherDate month summary status preparer reviewer reviewedOn
rejectionReason reverses reversedBy attachments total totalInWords
lines { lineNo accountCode accountName debit credit counterparty reference }
"""

VOUCHERS = f"""
query BooksVouchers($village: String!, $month: String, $status: VoucherStatus, $after: String) {{
  vouchers(villageCode: $village, month: $month, status: $status, first: 100, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {VOUCHER_FIELDS} }} }}
  }}
}}
"""

VOUCHER = f"""
query BooksVoucher($id: ID!) {{ voucher(id: $id) {{ {VOUCHER_FIELDS} }} }}
"""

HISTORY = """
query BooksVoucherHistory($id: ID!) {
  history(aggregateId: $id) { version type recordedAt actor authority }
}
"""

REVIEW = """
mutation BooksReview($id: ID!) {
  reviewVoucher(voucherId: $id) { voucher { id status } errors { code field message } }
}
"""

REVERSE = """
mutation BooksReverse($id: ID!, $key: String) {
  reverseVoucher(voucherId: $id, idempotencyKey: $key) {
    voucher { id status } errors { code field message }
  }
}
"""

REJECT = """
mutation BooksReject($id: ID!, $why: String!) {
  rejectVoucher(voucherId: $id, rejectionReason: $why) {
    voucher { id status } errors { code field message }
  }
}
"""

# the API names the reason ``reason`` when it refuses it (the domain's name)
REVIEW_FIELDS = [Field("rejection_reason", "退回原因", "textarea", path="reason")]


async def voucher_list(web: Web) -> Response:
    village, choices = await village_of(web)
    month = param(web, "month", today(web).strftime("%Y-%m"))
    status = param(web, "status")
    variables: dict[str, Any] = {
        "village": village,
        "month": month if month != "all" else None,
        "status": status or None,
        "after": param(web, "after") or None,
    }
    found = (await web.query(VOUCHERS, variables))["vouchers"]
    vouchers = [e["node"] for e in found["edges"] if e and e.get("node")]
    if wants_xlsx(web):
        rows = [
            [
                v["voucherNo"] or "",
                v["voucherDate"],
                v["summary"],
                v["total"],
                STATUS_NAMES.get(v["status"], v["status"]),
                v["preparer"],
                v["reviewer"] or "",
            ]
            for v in vouchers
        ]
        return xlsx_response(
            f"记账凭证-{village}-{month}.xlsx",
            "记账凭证",
            [
                Column("凭证号", width=18),
                Column("日期", "date", 12),
                Column("摘要", width=30),
                Column("金额", "money", 16),
                Column("状态", width=8),
                Column("制单", width=24),
                Column("审核", width=24),
            ],
            rows,
        )
    return web.render(
        "books/vouchers.html",
        {
            "vouchers": vouchers,
            "found": found,
            "village": village,
            "villages": choices,
            "village_name": village_name(village, choices),
            "month": month,
            "status": status,
            "statuses": STATUS_NAMES,
            "may_prepare": web.role == Role.ACCOUNTANT,
        },
    )


async def load_voucher(web: Web) -> dict[str, Any]:
    voucher_id = web.request.path_params["voucher_id"][:64]
    voucher = (await web.query(VOUCHER, {"id": voucher_id}))["voucher"]
    if voucher is None:
        raise PageError(404, "voucher_not_found", "没有这张凭证。")
    result: dict[str, Any] = voucher
    return result


async def render_voucher(
    web: Web, voucher: dict[str, Any], state: FormState | None = None, status: int = 200
) -> Response:
    events = None
    if web.role == Role.AUDITOR:  # the events behind it: histories are the auditors' (API)
        found = (await web.query(HISTORY, {"id": voucher["id"]}))["history"]
        events = [{**e, "name": event_name(e["type"])} for e in found]
    return web.render(
        "books/voucher.html",
        {
            "voucher": voucher,
            "status_name": STATUS_NAMES.get(voucher["status"], voucher["status"]),
            "may_review": web.role == Role.ACCOUNTANT and voucher["status"] == "prepared",
            "may_reverse": web.role == Role.ACCOUNTANT
            and voucher["status"] == "posted"
            and not voucher["reverses"]
            and not voucher["reversedBy"],
            "state": state or FormState(REVIEW_FIELDS),
            "printing": web.request.query_params.get("print") == "1",
            "events": events,
        },
        status=status,
    )


async def voucher_page(web: Web) -> Response:
    voucher = await load_voucher(web)
    if wants_xlsx(web):
        name = f"记账凭证-{voucher['voucherNo'] or voucher['voucherDate']}.xlsx"
        return lines_xlsx(name, voucher["summary"], voucher["lines"])
    return await render_voucher(web, voucher)


async def review(web: Web) -> Response:
    voucher = await load_voucher(web)
    state = FormState(REVIEW_FIELDS)
    answer = await web.graphql(REVIEW, {"id": voucher["id"]})
    forbidden_is_403(answer)
    if outcome(state, answer, "reviewVoucher") is None:
        return await render_voucher(web, voucher, state, status=400)
    return see_other(f"/vouchers/{voucher['id']}", done="recorded")


async def reject(web: Web) -> Response:
    voucher = await load_voucher(web)
    state = FormState(REVIEW_FIELDS, {"rejection_reason": web.field("rejection_reason")})
    reason = text_or_none(web.field("rejection_reason")) or ""
    answer = await web.graphql(REJECT, {"id": voucher["id"], "why": reason})
    forbidden_is_403(answer)
    if outcome(state, answer, "rejectVoucher") is None:
        return await render_voucher(web, voucher, state, status=400)
    return see_other(f"/vouchers/{voucher['id']}", done="recorded")


async def reverse(web: Web) -> Response:
    """Prepare the red reversal (红字冲销) of a posted voucher; it posts when another reviews it."""
    voucher = await load_voucher(web)
    state = FormState(REVIEW_FIELDS)
    key = (web.field(IDEMPOTENCY_FIELD) or "")[:64] or None
    answer = await web.graphql(REVERSE, {"id": voucher["id"], "key": key})
    forbidden_is_403(answer)
    payload = outcome(state, answer, "reverseVoucher")
    if payload is None:
        return await render_voucher(web, voucher, state, status=400)
    return see_other(f"/vouchers/{payload['voucher']['id']}", done="recorded")
