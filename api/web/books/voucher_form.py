"""Prepare a journal voucher (记账凭证): date, 摘要, 附件张数 and up to ``ROWS`` lines, each an
account picked from the chart in force (code and name), a debit or a credit, and the
counterparty a sub-ledger account (112, 211 …) is kept for. Blank rows are left out; a refusal
about a line is shown on that line, one about the whole voucher (借贷不平) above the form."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.books.common import as_int, forbidden_is_403, today, village_choices
from api.web.forms import (
    IDEMPOTENCY_FIELD,
    Choice,
    Field,
    FormState,
    blank_form,
    outcome,
    text_or_none,
)
from api.web.pages import Web, see_other

ROWS = 6
LINE_PARTS = ("account", "debit", "credit", "counterparty")

CHART = """
query BooksChart($on: Date) {
  chartOfAccounts(on: $on) { version accounts { code name } }
}
"""

RECORD = """
mutation BooksRecordVoucher($villageCode: String!, $voucherDate: Date!, $summary: String!,
    $lines: [VoucherLineInput!]!, $attachments: Int, $key: String) {
  recordVoucher(villageCode: $villageCode, voucherDate: $voucherDate, summary: $summary,
      lines: $lines,
      attachments: $attachments, idempotencyKey: $key) {
    voucher { id }
    errors { code field message }
  }
}
"""


def header_fields(villages: list[Choice]) -> list[Field]:
    return [
        Field("village", "村", "select", required=True, path="villageCode", choices=villages),
        Field("voucher_date", "日期", "date", required=True, path="voucherDate"),
        Field("summary", "摘要", required=True, path="summary", placeholder="如：购买办公用品"),
        Field("attachments", "附件张数", "number", path="attachments"),
    ]


def row_field(row: int, sent: int | None) -> Field:
    """A line of the form; its refusals are those the API names for the line it was sent as
    (blank rows are not sent, so the API's numbering skips them)."""
    path = f"lines[{sent}]" if sent is not None else f"row-{row}-not-sent"
    return Field(f"line{row}", f"第 {row + 1} 行", "hidden", path=path)


async def chart_choices(web: Web) -> list[Choice]:
    chart = (await web.query(CHART, {"on": None}))["chartOfAccounts"]
    return [Choice(a["code"], f"{a['code']} {a['name']}") for a in chart["accounts"]]


def render_form(web: Web, state: FormState, accounts: list[Choice], status: int = 200) -> Response:
    rows = [
        {
            "n": row,
            "typed": {part: state.values.get(f"{part}{row}", "") for part in LINE_PARTS},
            "errors": state.errors.get(f"line{row}", []),
        }
        for row in range(ROWS)
    ]
    header = [f for f in state.fields if not f.name.startswith("line")]
    return web.render(
        "books/voucher_new.html",
        {"state": state, "header": header, "rows": rows, "accounts": accounts},
        status=status,
    )


async def new_voucher(web: Web) -> Response:
    villages = await village_choices(web)
    accounts = await chart_choices(web)
    fields = header_fields(villages) + [row_field(row, None) for row in range(ROWS)]
    defaults = {
        "village": villages[0].value if villages else "",
        "voucher_date": today(web).isoformat(),
        "attachments": "0",
    }
    return render_form(web, blank_form(fields, defaults), accounts)


def line_input(values: dict[str, str]) -> dict[str, Any]:
    return {
        "accountCode": values["account"].strip(),
        "debit": text_or_none(values["debit"]),
        "credit": text_or_none(values["credit"]),
        "counterparty": text_or_none(values["counterparty"]),
    }


async def record_voucher(web: Web) -> Response:
    villages = await village_choices(web)
    accounts = await chart_choices(web)
    typed = [{part: web.field(f"{part}{row}") for part in LINE_PARTS} for row in range(ROWS)]
    sent_rows = [row for row, values in enumerate(typed) if any(v.strip() for v in values.values())]
    fields = header_fields(villages) + [
        row_field(row, sent_rows.index(row) if row in sent_rows else None) for row in range(ROWS)
    ]
    values = {f.name: web.field(f.name) for f in fields if not f.name.startswith("line")}
    for row, line in enumerate(typed):
        values.update({f"{part}{row}": text for part, text in line.items()})
    state = FormState(fields, values)
    key = web.field(IDEMPOTENCY_FIELD)
    if key:
        state.idempotency_key = key[:64]
    attachments = text_or_none(values["attachments"]) or "0"
    variables = {
        "villageCode": values["village"],
        "voucherDate": text_or_none(values["voucher_date"]),
        "summary": values["summary"].strip(),
        "lines": [line_input(typed[row]) for row in sent_rows],
        # a number as the API's Int takes it; other text is refused there, beside the field
        "attachments": as_int(attachments),
        "key": state.idempotency_key,
    }
    answer = await web.graphql(RECORD, variables)
    forbidden_is_403(answer)
    payload = outcome(state, answer, "recordVoucher")
    if payload is None:
        return render_form(web, state, accounts, status=400)
    return see_other(f"/vouchers/{payload['voucher']['id']}", done="recorded")
