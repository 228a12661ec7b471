"""A village's rent roll (收租表): its template, listing every asset under a contract with each
invoice still owed, and its upload. The preview is ``receiveRentRoll(dryRun: true)``: each row
checked as ``receiveRent`` checks one receipt (domain/assets/rentroll.py), nothing recorded; the
confirmation records the rows in one transaction. A row without a receipt number gets one made
of the file's SHA-256 and the row number, so the same file twice records nothing new."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.responses import Response

from api.auth.middleware import FORBIDDEN
from api.web.pages import PageError, Web
from api.web.uploads.flow import (
    Upload,
    apply_outcomes,
    preview_page,
    refuse,
    result_page,
    row_view,
    uploaded,
    whole_refusal,
)
from api.web.uploads.index import index_page
from api.web.uploads.pending import PENDING, Pending
from api.web.uploads.refusals import UploadExpired, UploadNoRows, UploadRefused
from api.web.uploads.sheets import (
    Row,
    amount_of,
    date_of,
    forbidden_text,
    read_sheet,
    shown,
    text_of,
)
from api.web.uploads.workbook import TemplateColumn, attachment, template_bytes

KIND = "rent"
SHEET = "收租表"
MAX_ASSET_PAGES = 20
COLUMNS = {
    "资产编号": "asset_code",
    "资产名称": "asset_name",
    "承租方": "counterparty",
    "发票号": "invoice_no",
    "应收未收": "outstanding",
    "收款金额": "amount",
    "收款日期": "received_on",
    "收款方式": "channel",
    "收据号": "receipt_no",
    "备注": "note",
}
REQUIRED = ("asset_code", "invoice_no", "amount", "received_on")
INFORMATION = {"asset_name", "counterparty", "outstanding", "note"}
SHOWN = ("资产编号", "发票号", "收款金额", "收款日期", "收款方式", "收据号")
CHANNELS = {"银行": "bank", "银行存款": "bank", "转账": "bank", "bank": "bank"}
CHANNELS |= {"现金": "cash", "库存现金": "cash", "cash": "cash", "": "bank"}

VILLAGE = "query Village($code: String!) { village(code: $code) { code name } }"
ASSETS = """
query Roll($village: String!, $after: String) {
  assets(villageCode: $village, first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      assetCode name currentContractNo
      contracts(first: 20) { edges { node { contractNo counterpartyName } } }
      invoices(first: 100) { edges { node { invoiceNo contractNo outstanding dueOn } } }
    } }
  }
}
"""
RECEIVE = """
mutation Roll($village: String!, $receipts: [RentReceiptRow!]!, $dryRun: Boolean) {
  receiveRentRoll(villageCode: $village, receipts: $receipts, dryRun: $dryRun) {
    outcomes { receiptNo status reasonCode }
    acceptedCount alreadyRecordedCount refusedCount
    errors { code field message }
  }
}
"""

TEMPLATE_COLUMNS = [
    TemplateColumn("资产编号", width=12, required=True),
    TemplateColumn("资产名称", width=18),
    TemplateColumn("承租方", width=24),
    TemplateColumn("发票号", width=14, required=True),
    TemplateColumn("应收未收（元）", "money", 14),
    TemplateColumn("收款金额（元）", "money", 14, required=True),
    TemplateColumn("收款日期", "date", 12, required=True),
    TemplateColumn("收款方式", width=10, choices=("银行", "现金")),
    TemplateColumn("收据号", width=16),
    TemplateColumn("备注", width=20),
]
INSTRUCTIONS = (
    "收租表 填写说明",
    "1. 表中已列出本村在租资产尚未收清的每一张发票，收到租金时填写“收款金额”和“收款日期”。",
    "2. 收款金额单位为元，最多两位小数，不能超过该发票的应收未收金额。",
    "3. 收款日期写成 2024-05-02（或 2024/5/2、2024年5月2日）。",
    "   收款方式选“银行”或“现金”，不填按银行。",
    "4. 收据号填写村里开出的收据编号；不填时系统按文件和行号自动编号。",
    "5. 没有填写收款金额和日期的行会被跳过。请不要使用公式。",
    "6. 上传后先看预览：每一行都会显示“接受”或“拒绝”和原因，确认后才会记录。"
    "同一个文件再次上传不会重复记录。",
)


async def village_of(web: Web, code: str) -> dict[str, Any]:
    if not code.isdigit() or len(code) != 12:
        raise PageError(400, "village_code_invalid")
    data = await web.query(VILLAGE, {"code": code})
    if not data or not data.get("village"):
        raise PageError(404, "village_not_found")
    return dict(data["village"])


async def open_invoices(web: Web, village: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    after: str | None = None
    for _ in range(MAX_ASSET_PAGES):
        page = (await web.query(ASSETS, {"village": village, "after": after}))["assets"]
        for edge in page["edges"]:
            asset = edge["node"]
            if not asset["currentContractNo"]:
                continue
            lessees = {
                c["node"]["contractNo"]: c["node"]["counterpartyName"]
                for c in asset["contracts"]["edges"]
            }
            for invoice in (e["node"] for e in asset["invoices"]["edges"]):
                if Decimal(invoice["outstanding"]) <= 0:
                    continue
                lessee = lessees.get(invoice["contractNo"], "")
                owed = Decimal(invoice["outstanding"])
                rows.append([asset["assetCode"], asset["name"], lessee, invoice["invoiceNo"], owed])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return rows


async def template(web: Web) -> Response:
    village = await village_of(web, web.request.query_params.get("village", ""))
    rows = await open_invoices(web, village["code"])
    content = template_bytes(SHEET, TEMPLATE_COLUMNS, rows, INSTRUCTIONS)
    return attachment(f"收租表-{village['name']}.xlsx", content)


def receipts_of(rows: list[Row], upload: Upload) -> tuple[list[dict[str, Any]], list[Any]]:
    views, receipts = [], []
    for row in rows:
        cells = row.cells
        if not set(cells) - INFORMATION - {"asset_code", "invoice_no"}:
            continue  # a listed invoice nobody paid
        kinds = {"received_on": "date"}
        view = row_view(
            row.number, [shown(cells.get(COLUMNS[t]), kinds.get(COLUMNS[t], "")) for t in SHOWN]
        )
        views.append(view)
        receipt, code = receipt_of(row, upload)
        if receipt is None:
            refuse(view, code or "invalid_input")
            continue
        view["sent"] = receipt
        receipts.append(receipt)
    return views, receipts


def receipt_of(row: Row, upload: Upload) -> tuple[dict[str, Any] | None, str | None]:
    cells = row.cells
    if row.problems:
        return None, row.problems[0]
    if forbidden_text(cells):
        return None, "text_contains_forbidden_character"
    if cells.get("amount") is None or cells.get("received_on") is None:
        return None, "invalid_input"
    amount, code = amount_of(cells["amount"])
    if amount is None:
        return None, code
    day, code = date_of(cells["received_on"])
    if day is None:
        return None, code
    channel = CHANNELS.get(text_of(cells.get("channel")).lower())
    if channel is None:
        return None, "invalid_input"
    receipt_no = text_of(cells.get("receipt_no")) or f"XL{upload.sha256[:12]}-{row.number}"
    return {
        "assetCode": text_of(cells.get("asset_code")),
        "invoiceNo": text_of(cells.get("invoice_no")),
        "receiptNo": receipt_no,
        "amount": amount,
        "receivedOn": day.isoformat(),
        "channel": channel,
    }, None


async def preview(web: Web) -> Response:
    village = await village_of(web, web.field("village"))
    try:
        upload = await uploaded(web)
        sheet = read_sheet(upload.content, upload.filename, COLUMNS, REQUIRED, SHEET)
    except UploadRefused as refused:
        return await index_page(web, KIND, refused.code, refused.detail)
    views, receipts = receipts_of(sheet.rows, upload)
    if not views:
        return await index_page(web, KIND, UploadNoRows.code)
    roll = {"village": village["code"], "receipts": receipts}
    problems: list[str] = []
    if receipts:
        answer = await web.graphql(RECEIVE, {**roll, "dryRun": True})
        payload = (answer.data or {}).get("receiveRentRoll")
        problems = whole_refusal(answer.errors, payload)
        if FORBIDDEN in problems:
            raise PageError(403, FORBIDDEN)
        if not problems and payload is not None:
            apply_outcomes(views, payload["outcomes"])
    owner = web.principal.token_id
    PENDING.put(Pending(owner, KIND, village["code"], upload.sha256, upload.filename, roll, views))
    return preview_page(
        web,
        KIND,
        village["name"],
        SHOWN,
        views,
        village["code"],
        upload,
        sheet.blank_rows,
        problems,
    )


async def confirm(web: Web) -> Response:
    village = await village_of(web, web.field("target"))
    pending = PENDING.get(web.principal.token_id, KIND, village["code"], web.field("sha256"))
    if pending is None:
        return await index_page(web, KIND, UploadExpired.code)
    answer = await web.graphql(RECEIVE, {**pending.variables, "dryRun": False})
    payload = (answer.data or {}).get("receiveRentRoll")
    problems = whole_refusal(answer.errors, payload)
    if problems or payload is None:
        return await index_page(web, KIND, problems[0] if problems else "internal_error")
    views = [dict(v) for v in pending.rows]
    apply_outcomes(views, payload["outcomes"])
    pending.rows = views  # what the result shows, for its download
    return result_page(web, KIND, village["name"], SHOWN, views, village["code"], pending.sha256)
