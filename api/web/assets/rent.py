"""Bill rent under the contract in force (开具租金账单, ``invoiceRent``) and record money received
against one of the asset's bills (收取租金, ``receiveRent``), the bill picked from a list."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.assets.common import asset_head, vocabulary
from api.web.forms import Choice, Field, FormState, blank_form, outcome, submitted, text_or_none
from api.web.pages import Web, see_other
from api.web.templating import yuan
from domain.shared.values import PAYMENT_CHANNELS

INVOICE = """
mutation WebInvoiceRent(
  $assetId: ID!, $invoiceNo: String!, $amount: Decimal!, $issuedOn: Date!, $dueOn: Date!,
  $coversFrom: Date!, $coversTo: Date!, $authority: String
) {
  invoiceRent(
    assetId: $assetId, invoiceNo: $invoiceNo, amount: $amount, issuedOn: $issuedOn,
    dueOn: $dueOn, coversFrom: $coversFrom, coversTo: $coversTo, authority: $authority
  ) { errors { code field message } asset { id } }
}
"""

RECEIVE = """
mutation WebReceiveRent(
  $assetId: ID!, $receiptNo: String!, $invoiceNo: String!, $amount: Decimal!,
  $receivedOn: Date!, $channel: PaymentChannel, $authority: String
) {
  receiveRent(
    assetId: $assetId, receiptNo: $receiptNo, invoiceNo: $invoiceNo, amount: $amount,
    receivedOn: $receivedOn, channel: $channel, authority: $authority
  ) { errors { code field message } asset { id } }
}
"""

OPEN_INVOICES = """
query WebOpenInvoices($id: ID!) {
  asset(id: $id) {
    invoices(first: 100, unpaid: true) { edges { node { invoiceNo contractNo dueOn outstanding } } }
  }
}
"""

INVOICE_FIELDS = [
    Field("invoice_no", "账单编号", required=True, path="invoiceNo", help="本资产内唯一"),
    Field("amount", "金额", "money", required=True, path="amount"),
    Field("issued_on", "开具日期", "date", required=True, path="issuedOn"),
    Field("due_on", "应收日期", "date", required=True, path="dueOn"),
    Field("covers_from", "所属期间起", "date", required=True, path="coversFrom"),
    Field("covers_to", "所属期间止", "date", required=True, path="coversTo"),
    Field("authority", "依据", path="authority", help="可不填"),
]
INVOICE_NAMES = tuple(f.name for f in INVOICE_FIELDS)
RECEIVE_NAMES = ("invoice_no", "receipt_no", "amount", "received_on", "channel", "authority")


def receive_fields(invoices: list[Choice]) -> list[Field]:
    return [
        Field(
            "invoice_no",
            "收款对应的账单",
            "select",
            required=True,
            path="invoiceNo",
            choices=invoices,
        ),
        Field("receipt_no", "收据编号", required=True, path="receiptNo", help="本资产内唯一"),
        Field("amount", "收款金额", "money", required=True, path="amount"),
        Field("received_on", "收款日期", "date", required=True, path="receivedOn"),
        Field(
            "channel",
            "收款方式",
            "select",
            required=True,
            path="channel",
            choices=vocabulary("PaymentChannel", PAYMENT_CHANNELS),
        ),
        Field("authority", "依据", path="authority", help="可不填"),
    ]


async def invoice_rent(web: Web) -> Response:
    asset = await asset_head(web, web.request.path_params["asset_id"])
    if web.request.method == "GET":
        today = web.registry.clock.today().isoformat()
        return show(web, asset, blank_form(INVOICE_FIELDS, {"issued_on": today}), "invoice")
    state = submitted(
        INVOICE_FIELDS, {n: web.field(n) for n in INVOICE_NAMES}, web.field("idempotency_key")
    )
    v = {name: text_or_none(state.values.get(name)) for name in INVOICE_NAMES}
    variables = {
        "assetId": asset["id"],
        "invoiceNo": v["invoice_no"],
        "amount": v["amount"],
        "issuedOn": v["issued_on"],
        "dueOn": v["due_on"],
        "coversFrom": v["covers_from"],
        "coversTo": v["covers_to"],
        "authority": v["authority"],
    }
    payload = outcome(state, await web.graphql(INVOICE, variables), "invoiceRent")
    if payload is None:
        return show(web, asset, state, "invoice", 400)
    return see_other(f"/assets/{asset['id']}", done="recorded")


async def open_invoices(web: Web, asset_id: str) -> list[Choice]:
    """The asset's bills with money outstanding, to pick the one a payment is for."""
    data = await web.query(OPEN_INVOICES, {"id": asset_id})
    edges = ((data.get("asset") or {}).get("invoices") or {}).get("edges") or []
    found = []
    for edge in edges:
        n = edge["node"]
        text = f"{n['invoiceNo']}（{n['dueOn']} 到期，未收 {yuan(n['outstanding'])} 元）"
        found.append(Choice(n["invoiceNo"], text))
    return found


async def receive_rent(web: Web) -> Response:
    asset = await asset_head(web, web.request.path_params["asset_id"])
    fields = receive_fields(await open_invoices(web, asset["id"]))
    if web.request.method == "GET":
        defaults = {"received_on": web.registry.clock.today().isoformat(), "channel": "bank"}
        wanted = web.request.query_params.get("invoice", "")
        if any(c.value == wanted for c in fields[0].choices):
            defaults["invoice_no"] = wanted
        return show(web, asset, blank_form(fields, defaults), "receive")
    state = submitted(
        fields, {n: web.field(n) for n in RECEIVE_NAMES}, web.field("idempotency_key")
    )
    v = {name: text_or_none(state.values.get(name)) for name in RECEIVE_NAMES}
    variables: dict[str, Any] = {
        "assetId": asset["id"],
        "receiptNo": v["receipt_no"],
        "invoiceNo": v["invoice_no"],
        "amount": v["amount"],
        "receivedOn": v["received_on"],
        "authority": v["authority"],
    }
    if v["channel"] is not None:
        variables["channel"] = v["channel"]
    payload = outcome(state, await web.graphql(RECEIVE, variables), "receiveRent")
    if payload is None:
        return show(web, asset, state, "receive", 400)
    return see_other(f"/assets/{asset['id']}", done="recorded")


def show(
    web: Web, asset: dict[str, Any], state: FormState, which: str, status: int = 200
) -> Response:
    if which == "invoice":
        title, submit, intro = "开具租金账单", "开具", "账单所属期间须在现行合同期限之内。"
    else:
        title, submit, intro = "收取租金", "记录收款", "收款金额不能超过该账单尚未收回的金额。"
    context = {
        "state": state,
        "title": title,
        "asset": asset,
        "submit": submit,
        "action": f"/assets/{asset['id']}/{which}",
        "intro": intro,
    }
    return web.render("assets/form.html", context, status)
