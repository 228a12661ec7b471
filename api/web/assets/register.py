"""Register an asset (登记资产): the village and resource kind picked from lists, the rest typed;
``registerAsset`` decides, and a double submit records once (its idempotency key)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.assets.common import kind_choices, village_choices
from api.web.forms import Field, FormState, blank_form, outcome, submitted, text_or_none
from api.web.pages import Web, see_other

REGISTER = """
mutation WebRegisterAsset(
  $villageCode: String!, $assetCode: String!, $name: String!, $kind: String!,
  $areaM2: Decimal!, $location: String!, $registeredOn: Date!, $certificateNo: String,
  $bookValue: Decimal = "0", $authority: String, $idempotencyKey: String
) {
  registerAsset(
    villageCode: $villageCode, assetCode: $assetCode, name: $name, kind: $kind,
    areaM2: $areaM2, location: $location, registeredOn: $registeredOn,
    certificateNo: $certificateNo, bookValue: $bookValue, authority: $authority,
    idempotencyKey: $idempotencyKey
  ) { errors { code field message } asset { id } }
}
"""

NAMES = (
    "village",
    "asset_code",
    "name",
    "kind",
    "area_m2",
    "location",
    "registered_on",
    "certificate_no",
    "book_value",
    "authority",
)


async def fields_of(web: Web, village: str | None) -> list[Field]:
    villages = await village_choices(web)
    place = village or (villages[0].value if villages else None)
    kinds = await kind_choices(web, place)
    return [
        Field("village", "所属村", "select", required=True, path="villageCode", choices=villages),
        Field("asset_code", "资产编号", required=True, path="assetCode", help="本村内唯一"),
        Field("name", "资产名称", required=True, path="name"),
        Field("kind", "资源类别", "select", required=True, path="kind", choices=kinds),
        Field("area_m2", "面积（平方米）", "number", required=True, path="areaM2"),
        Field("location", "坐落位置", required=True, path="location"),
        Field("registered_on", "登记日期", "date", required=True, path="registeredOn"),
        Field("certificate_no", "确权证书号", path="certificateNo", help="已确权的填写"),
        Field("book_value", "账面价值", "money", path="bookValue", help="不入账的资源填 0"),
        Field("authority", "依据", path="authority", help="决议或文件编号，可不填"),
    ]


def variables_of(state: FormState) -> dict[str, Any]:
    v = {name: text_or_none(state.values.get(name)) for name in NAMES}
    variables: dict[str, Any] = {
        "villageCode": v["village"],
        "assetCode": v["asset_code"],
        "name": v["name"],
        "kind": v["kind"],
        "areaM2": v["area_m2"],
        "location": v["location"],
        "registeredOn": v["registered_on"],
        "certificateNo": v["certificate_no"],
        "authority": v["authority"],
        "idempotencyKey": state.idempotency_key,
    }
    if v["book_value"] is not None:
        variables["bookValue"] = v["book_value"]
    return variables


async def register_asset(web: Web) -> Response:
    if web.request.method == "GET":
        village = web.request.query_params.get("village") or None
        fields = await fields_of(web, village)
        defaults = {"registered_on": web.registry.clock.today().isoformat(), "book_value": "0"}
        if village:
            defaults["village"] = village
        elif len(fields[0].choices) == 1:
            defaults["village"] = fields[0].choices[0].value
        return show(web, blank_form(fields, defaults))
    fields = await fields_of(web, text_or_none(web.field("village")))
    state = submitted(fields, {n: web.field(n) for n in NAMES}, web.field("idempotency_key"))
    answer = await web.graphql(REGISTER, variables_of(state))
    payload = outcome(state, answer, "registerAsset")
    if payload is None or not payload.get("asset"):
        return show(web, state, 400)
    return see_other(f"/assets/{payload['asset']['id']}", done="recorded")


def show(web: Web, state: FormState, status: int = 200) -> Response:
    return web.render(
        "assets/form.html",
        {
            "state": state,
            "title": "登记资产",
            "action": "/assets/new",
            "submit": "登记",
            "asset": None,
        },
        status,
    )
