"""The villagers' resolution on an asset (集体决议): approved (``approveRevitalization``) or
voted down (``recordRevitalizationRejection``, kept as a fact). The two-thirds rule and every
other check are the domain's; the page only passes the minutes on as typed."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.assets.common import asset_head, int_or_text, vocabulary
from api.web.forms import Choice, Field, FormState, blank_form, outcome, submitted, text_or_none
from api.web.pages import Web, see_other
from domain.assets.vocabulary import MATTERS

APPROVE = """
mutation WebApproveRevitalization(
  $assetId: ID!, $matter: RevitalizationMatter!, $resolution: ResolutionInput!, $authority: String
) {
  approveRevitalization(
    assetId: $assetId, matter: $matter, resolution: $resolution, authority: $authority
  ) { errors { code field message } asset { id } }
}
"""

REJECT = """
mutation WebRecordRevitalizationRejection(
  $assetId: ID!, $matter: RevitalizationMatter!, $resolution: ResolutionInput!, $authority: String
) {
  recordRevitalizationRejection(
    assetId: $assetId, matter: $matter, resolution: $resolution, authority: $authority
  ) { errors { code field message } asset { id } }
}
"""

MEETING_KINDS = ("villagers_meeting", "representatives_meeting")
COUNTED = ("total", "present")
OUTCOMES = [Choice("approved", "通过"), Choice("rejected", "未通过（记录否决）")]


def resolution_fields(prefix: str = "resolution") -> list[Field]:
    """The minutes of a meeting, as every form that records a resolution asks them."""
    return [
        Field(
            "reference",
            "决议编号",
            required=True,
            path=f"{prefix}.reference",
            placeholder="如 乌村桥村决〔2024〕3号",
        ),
        Field(
            "meeting_kind",
            "会议类型",
            "select",
            required=True,
            path=f"{prefix}.meetingKind",
            choices=vocabulary("MeetingKind", MEETING_KINDS),
        ),
        Field("held_on", "会议日期", "date", required=True, path=f"{prefix}.heldOn"),
        Field(
            "members_total",
            "应到人数",
            "number",
            required=True,
            path=f"{prefix}.membersTotal",
            help="全体村民（或代表）人数",
        ),
        Field(
            "members_present", "实到人数", "number", required=True, path=f"{prefix}.membersPresent"
        ),
        Field("votes_for", "赞成票数", "number", required=True, path=f"{prefix}.votesFor"),
        Field(
            "counted_against",
            "计票基数",
            "select",
            path=f"{prefix}.countedAgainst",
            choices=vocabulary("CountedAgainst", COUNTED),
            help="出租、处置须经全体成员（或代表）三分之二以上同意",
        ),
    ]


RESOLUTION_NAMES = tuple(f.name for f in resolution_fields())
RESOLUTION_DEFAULTS = {"meeting_kind": "representatives_meeting", "counted_against": "total"}


def resolution_of(state: FormState) -> dict[str, Any]:
    v = state.values
    found: dict[str, Any] = {
        "reference": text_or_none(v.get("reference")),
        "meetingKind": text_or_none(v.get("meeting_kind")),
        "heldOn": text_or_none(v.get("held_on")),
        "membersTotal": int_or_text(v.get("members_total")),
        "membersPresent": int_or_text(v.get("members_present")),
        "votesFor": int_or_text(v.get("votes_for")),
    }
    counted = text_or_none(v.get("counted_against"))
    if counted is not None:
        found["countedAgainst"] = counted
    return found


FIELDS = [
    Field("outcome", "表决结果", "select", required=True, path="outcome", choices=OUTCOMES),
    Field(
        "matter",
        "决议事项",
        "select",
        required=True,
        path="matter",
        choices=vocabulary("RevitalizationMatter", MATTERS),
    ),
    *resolution_fields(),
    Field("authority", "依据", path="authority", help="会议记录或文件编号，可不填"),
]
NAMES = tuple(f.name for f in FIELDS)
MUTATIONS = {
    "approved": (APPROVE, "approveRevitalization"),
    "rejected": (REJECT, "recordRevitalizationRejection"),
}


async def record_resolution(web: Web) -> Response:
    asset_id = web.request.path_params["asset_id"]
    asset = await asset_head(web, asset_id)
    if web.request.method == "GET":
        defaults = {"outcome": "approved", "matter": "lease", **RESOLUTION_DEFAULTS}
        return show(web, asset, blank_form(FIELDS, defaults))
    state = submitted(FIELDS, {n: web.field(n) for n in NAMES}, web.field("idempotency_key"))
    chosen = state.values.get("outcome")
    if chosen not in MUTATIONS:  # which mutation to run: the page's own choice, not a rule
        state.refuse("outcome", "invalid_input")
        return show(web, asset, state, 400)
    document, mutation = MUTATIONS[chosen]
    variables = {
        "assetId": asset["id"],
        "matter": text_or_none(state.values.get("matter")),
        "resolution": resolution_of(state),
        "authority": text_or_none(state.values.get("authority")),
    }
    payload = outcome(state, await web.graphql(document, variables), mutation)
    if payload is None:
        return show(web, asset, state, 400)
    return see_other(f"/assets/{asset['id']}", done="recorded")


def show(web: Web, asset: dict[str, Any], state: FormState, status: int = 200) -> Response:
    context = {
        "state": state,
        "title": "记录集体决议",
        "asset": asset,
        "submit": "记录决议",
        "action": f"/assets/{asset['id']}/resolution",
        "intro": "按会议记录填写。表决通过的，才能挂牌或签订合同；未通过的也要记录在案。",
    }
    return web.render("assets/form.html", context, status)
