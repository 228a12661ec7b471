"""Sign a contract (签订合同, ``signAssetContract``) and renew the one in force (续签,
``renewAssetContract``). The rent schedule is typed one installment a line; the 20-year limit,
public bidding and the resolution behind the contract are checked by the domain."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.assets.common import asset_head, checked, schedule_lines, vocabulary
from api.web.assets.decisions import (
    RESOLUTION_DEFAULTS,
    resolution_fields,
    resolution_of,
)
from api.web.forms import Field, FormState, blank_form, outcome, submitted, text_or_none
from api.web.pages import Web, see_other
from domain.assets.vocabulary import COUNTERPARTY_KINDS, MODES

SIGN = """
mutation WebSignAssetContract($assetId: ID!, $contract: ContractInput!, $authority: String) {
  signAssetContract(assetId: $assetId, contract: $contract, authority: $authority) {
    errors { code field message } asset { id }
  }
}
"""

RENEW = """
mutation WebRenewAssetContract(
  $assetId: ID!, $newEndOn: Date!, $resolution: ResolutionInput!, $renewedOn: Date!,
  $additionalSchedule: [InstallmentInput!], $authority: String
) {
  renewAssetContract(
    assetId: $assetId, newEndOn: $newEndOn, resolution: $resolution, renewedOn: $renewedOn,
    additionalSchedule: $additionalSchedule, authority: $authority
  ) { errors { code field message } asset { id } }
}
"""

SCHEDULE_HELP = (
    "每期一行：应收日期 金额 起始日 截止日，用空格分隔，如 2025-04-01 30000 2025-04-01 2026-03-31"
)
SCHEDULE_EXAMPLE = "2025-04-01 30000 2025-04-01 2026-03-31"

# The API names a refused contract term without the input's name (``endOn``) and graphql-core
# with it (``contract.endOn``): paths without it match both (Field.concerns).
SIGN_FIELDS = [
    Field("contract_no", "合同编号", required=True, path="contractNo"),
    Field(
        "mode",
        "利用方式",
        "select",
        required=True,
        path="mode",
        choices=vocabulary("ContractMode", MODES),
    ),
    Field("counterparty_name", "承租方（合作方）名称", required=True, path="counterpartyName"),
    Field(
        "counterparty_kind",
        "对方类型",
        "select",
        required=True,
        path="counterpartyKind",
        choices=vocabulary("CounterpartyKind", COUNTERPARTY_KINDS),
    ),
    Field("signed_on", "签订日期", "date", required=True, path="signedOn"),
    Field("start_on", "起始日", "date", required=True, path="startOn"),
    Field("end_on", "到期日", "date", required=True, path="endOn", help="出租期限最长 20 年"),
    Field(
        "rent_schedule",
        "租金计划",
        "textarea",
        path="rentSchedule",
        help=SCHEDULE_HELP,
        placeholder=SCHEDULE_EXAMPLE,
    ),
    Field("public_bidding", "经农村产权交易市场公开竞价", "checkbox", path="publicBidding"),
    Field("related_party", "对方与村干部有关联关系", "checkbox", path="relatedParty"),
    Field("authority", "依据", path="authority", help="合同或文件编号，可不填"),
]
SIGN_NAMES = tuple(f.name for f in SIGN_FIELDS)

RENEW_FIELDS = [
    Field("new_end_on", "新的到期日", "date", required=True, path="newEndOn"),
    Field("renewed_on", "续签日期", "date", required=True, path="renewedOn"),
    *resolution_fields(),
    Field(
        "additional_schedule",
        "续期租金计划",
        "textarea",
        path="additionalSchedule",
        help=SCHEDULE_HELP,
        placeholder=SCHEDULE_EXAMPLE,
    ),
    Field("authority", "依据", path="authority", help="可不填"),
]
RENEW_NAMES = tuple(f.name for f in RENEW_FIELDS)


def contract_of(state: FormState) -> dict[str, Any]:
    v = state.values
    return {
        "contractNo": text_or_none(v.get("contract_no")),
        "mode": text_or_none(v.get("mode")),
        "counterpartyName": text_or_none(v.get("counterparty_name")),
        "counterpartyKind": text_or_none(v.get("counterparty_kind")),
        "signedOn": text_or_none(v.get("signed_on")),
        "startOn": text_or_none(v.get("start_on")),
        "endOn": text_or_none(v.get("end_on")),
        "rentSchedule": schedule_lines(v.get("rent_schedule")),
        "publicBidding": checked(v.get("public_bidding", "")),
        "relatedParty": checked(v.get("related_party", "")),
    }


async def sign_contract(web: Web) -> Response:
    asset = await asset_head(web, web.request.path_params["asset_id"])
    if web.request.method == "GET":
        defaults = {
            "mode": "lease",
            "counterparty_kind": "organization",
            "signed_on": web.registry.clock.today().isoformat(),
        }
        return show_sign(web, asset, blank_form(SIGN_FIELDS, defaults))
    state = submitted(
        SIGN_FIELDS, {n: web.field(n) for n in SIGN_NAMES}, web.field("idempotency_key")
    )
    variables = {
        "assetId": asset["id"],
        "contract": contract_of(state),
        "authority": text_or_none(state.values.get("authority")),
    }
    payload = outcome(state, await web.graphql(SIGN, variables), "signAssetContract")
    if payload is None:
        return show_sign(web, asset, state, 400)
    return see_other(f"/assets/{asset['id']}", done="recorded")


def show_sign(web: Web, asset: dict[str, Any], state: FormState, status: int = 200) -> Response:
    context = {
        "state": state,
        "title": "签订合同",
        "asset": asset,
        "submit": "签订",
        "action": f"/assets/{asset['id']}/sign",
        "intro": "合同须有已通过的集体决议；金额达到公开竞价标准的，须先挂牌交易。",
    }
    return web.render("assets/form.html", context, status)


async def renew_contract(web: Web) -> Response:
    asset = await asset_head(web, web.request.path_params["asset_id"])
    if web.request.method == "GET":
        defaults = {**RESOLUTION_DEFAULTS, "renewed_on": web.registry.clock.today().isoformat()}
        return show_renew(web, asset, blank_form(RENEW_FIELDS, defaults))
    state = submitted(
        RENEW_FIELDS, {n: web.field(n) for n in RENEW_NAMES}, web.field("idempotency_key")
    )
    v = state.values
    variables = {
        "assetId": asset["id"],
        "newEndOn": text_or_none(v.get("new_end_on")),
        "renewedOn": text_or_none(v.get("renewed_on")),
        "resolution": resolution_of(state),
        "additionalSchedule": schedule_lines(v.get("additional_schedule")),
        "authority": text_or_none(v.get("authority")),
    }
    payload = outcome(state, await web.graphql(RENEW, variables), "renewAssetContract")
    if payload is None:
        return show_renew(web, asset, state, 400)
    return see_other(f"/assets/{asset['id']}", done="recorded")


def show_renew(web: Web, asset: dict[str, Any], state: FormState, status: int = 200) -> Response:
    context = {
        "state": state,
        "title": "续签合同",
        "asset": asset,
        "submit": "续签",
        "action": f"/assets/{asset['id']}/renew",
        "intro": "续签须有新的集体决议；出租续期自原到期日次日起最长 20 年。",
    }
    return web.render("assets/form.html", context, status)
