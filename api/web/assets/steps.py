"""The steps between registering an asset and signing its contract: the rights certificate
(确权, ``confirmAssetRights``), needed before any resolution, and the listing on the rural
property-rights exchange (挂牌, ``listAssetForBidding``), needed before a contract at or above
the public-bidding threshold."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.assets.common import asset_head
from api.web.forms import Field, FormState, blank_form, outcome, submitted, text_or_none
from api.web.pages import Web, see_other

CONFIRM = """
mutation WebConfirmAssetRights(
  $assetId: ID!, $certificateNo: String!, $confirmedOn: Date!, $authority: String
) {
  confirmAssetRights(
    assetId: $assetId, certificateNo: $certificateNo, confirmedOn: $confirmedOn,
    authority: $authority
  ) { errors { code field message } asset { id } }
}
"""

LIST = """
mutation WebListAssetForBidding(
  $assetId: ID!, $exchange: String!, $listingNo: String!, $listedOn: Date!,
  $reservePrice: Decimal!, $authority: String
) {
  listAssetForBidding(
    assetId: $assetId, exchange: $exchange, listingNo: $listingNo, listedOn: $listedOn,
    reservePrice: $reservePrice, authority: $authority
  ) { errors { code field message } asset { id } }
}
"""

CONFIRM_FIELDS = [
    Field("certificate_no", "确权证书号", required=True, path="certificateNo"),
    Field("confirmed_on", "确权日期", "date", required=True, path="confirmedOn"),
    Field("authority", "依据", path="authority", help="可不填"),
]
LIST_FIELDS = [
    Field(
        "exchange",
        "交易机构",
        required=True,
        path="exchange",
        placeholder="如 溧水区农村产权交易中心",
    ),
    Field("listing_no", "挂牌编号", required=True, path="listingNo"),
    Field("listed_on", "挂牌日期", "date", required=True, path="listedOn"),
    Field("reserve_price", "底价", "money", required=True, path="reservePrice"),
    Field("authority", "依据", path="authority", help="可不填"),
]
STEPS = {
    "confirm": (
        "确权",
        "记录确权",
        CONFIRM,
        "confirmAssetRights",
        CONFIRM_FIELDS,
        "录入不动产权证书（确权证书）。确权之后才能表决、挂牌或签订合同。",
    ),
    "list": (
        "挂牌交易",
        "记录挂牌",
        LIST,
        "listAssetForBidding",
        LIST_FIELDS,
        "须有已通过的集体决议。合同金额达到公开竞价标准的，必须先在农村产权交易市场挂牌。",
    ),
}
VARIABLES = {
    "certificate_no": "certificateNo",
    "confirmed_on": "confirmedOn",
    "exchange": "exchange",
    "listing_no": "listingNo",
    "listed_on": "listedOn",
    "reserve_price": "reservePrice",
    "authority": "authority",
}


async def confirm_rights(web: Web) -> Response:
    return await step(web, "confirm")


async def list_for_bidding(web: Web) -> Response:
    return await step(web, "list")


async def step(web: Web, which: str) -> Response:
    _, _, document, mutation, fields, _ = STEPS[which]
    asset = await asset_head(web, web.request.path_params["asset_id"])
    if web.request.method == "GET":
        today = web.registry.clock.today().isoformat()
        return show(
            web, asset, which, blank_form(fields, {"confirmed_on": today, "listed_on": today})
        )
    names = [f.name for f in fields]
    state = submitted(fields, {n: web.field(n) for n in names}, web.field("idempotency_key"))
    variables: dict[str, Any] = {"assetId": asset["id"]}
    for name in names:
        variables[VARIABLES[name]] = text_or_none(state.values.get(name))
    payload = outcome(state, await web.graphql(document, variables), mutation)
    if payload is None:
        return show(web, asset, which, state, 400)
    return see_other(f"/assets/{asset['id']}", done="recorded")


def show(
    web: Web, asset: dict[str, Any], which: str, state: FormState, status: int = 200
) -> Response:
    title, submit, _, _, _, intro = STEPS[which]
    context = {
        "state": state,
        "title": title,
        "asset": asset,
        "submit": submit,
        "action": f"/assets/{asset['id']}/{which}",
        "intro": intro,
    }
    return web.render("assets/form.html", context, status)
