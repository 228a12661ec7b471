"""The accountant's 村务公开 forms: draft a disclosure of a period that has ended (or a 更正 of a
published one, with its reason), 重新生成 a draft from today's books, record the democratic
finance group's review, publish. Each sends what was typed to the API's mutation; a refusal is
shown beside its field with the values kept, and nothing is recorded."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.books.common import forbidden_is_403
from api.web.disclosure.workbench import (
    ERRORS,
    LIST,
    PUBLISH_FIELDS,
    REVIEW_FIELDS,
    code_of,
    disclosure_of,
    ended_periods,
    show_disclosure,
)
from api.web.forms import Choice, Field, FormState, blank_form, outcome, submitted, text_or_none
from api.web.pages import PageError, Web, see_other
from api.web.templating import period_zh

DRAFT = f"""
mutation DraftDisclosure($villageCode: String!, $period: String!, $corrects: ID,
                         $reason: String, $idempotencyKey: String) {{
  draftDisclosure(villageCode: $villageCode, period: $period, corrects: $corrects,
                  reason: $reason, idempotencyKey: $idempotencyKey) {{
    disclosure {{ id state }} {ERRORS}
  }}
}}
"""
REBUILD = f"""
mutation RebuildDisclosure($id: ID!) {{
  rebuildDisclosure(id: $id) {{ disclosure {{ id state }} {ERRORS} }}
}}
"""
REVIEW = f"""
mutation ReviewDisclosure($id: ID!, $heldOn: Date!, $members: [String!]!, $approved: Boolean!,
                          $opinion: String) {{
  reviewDisclosure(id: $id, heldOn: $heldOn, members: $members, approved: $approved,
                   opinion: $opinion) {{
    disclosure {{ id state }} {ERRORS}
  }}
}}
"""
PUBLISH = f"""
mutation PublishDisclosure($id: ID!, $publishedOn: Date) {{
  publishDisclosure(id: $id, publishedOn: $publishedOn) {{ disclosure {{ id state }} {ERRORS} }}
}}
"""
MAX_MEMBERS_SENT = 20  # more lines than any group has: the API refuses the count


def draft_fields(periods: list[Choice], published: list[Choice], correcting: bool) -> list[Field]:
    fields = [
        Field(
            "period",
            "公开期间",
            "select",
            required=True,
            path="period",
            choices=periods,
            help="只能公开已经结束的月份或季度；按本村的公开频次（月度或季度）选择。",
        )
    ]
    if correcting:
        fields += [
            Field("corrects", "更正哪一版", "select", required=True, path="corrects",
                  choices=published),
            Field("reason", "更正原因", "textarea", required=True, path="reason",
                  help="写明哪些数字有误、为什么更正；原因随更正版一起公开。"),
        ]  # fmt: skip
    return fields


async def village_and_published(web: Web, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The village and its published disclosures not yet corrected (what a 更正 may name)."""
    data = await web.query(LIST, {"code": code})
    village = data.get("village")
    if not isinstance(village, dict):
        raise PageError(404, "village_not_found")
    published = [
        d
        for d in data.get("disclosures") or []
        if str(d.get("state") or "").upper() == "PUBLISHED" and not d.get("correctedBy")
    ]
    return village, published


def published_choices(published: list[dict[str, Any]]) -> list[Choice]:
    return [
        Choice(d["id"], f"{period_zh(d['period'])} 第{d['edition']}版（{d['publishedOn']} 公布）")
        for d in published
    ]


async def draft_disclosure(web: Web) -> Response:
    code = code_of(web)
    village, published = await village_and_published(web, code)
    periods = ended_periods(web.registry.clock.today())
    choices = published_choices(published)
    if web.request.method == "GET":
        corrects = web.request.query_params.get("corrects", "")[:100]
        correcting = bool(corrects)
        values: dict[str, Any] = {"period": periods[0].value if periods else ""}
        if correcting:
            chosen = next((d for d in published if d["id"] == corrects), None)
            values = {"corrects": corrects, "period": chosen["period"] if chosen else ""}
        state = blank_form(draft_fields(periods, choices, correcting), values)
        return render_draft(web, village, state, correcting)
    correcting = web.field("correcting") == "1"
    fields = draft_fields(periods, choices, correcting)
    state = submitted(
        fields, {f.name: web.field(f.name) for f in fields}, web.field("idempotency_key")
    )
    variables = {
        "villageCode": code,
        "period": text_or_none(web.field("period")),
        "corrects": text_or_none(web.field("corrects")) if correcting else None,
        "reason": text_or_none(web.field("reason")) if correcting else None,
        "idempotencyKey": state.idempotency_key,
    }
    answer = await web.graphql(DRAFT, variables)
    forbidden_is_403(answer)
    payload = outcome(state, answer, "draftDisclosure")
    if payload is None:
        return render_draft(web, village, state, correcting, 400)
    return see_other(f"/disclosures/{payload['disclosure']['id']}", done="recorded")


def render_draft(
    web: Web, village: dict[str, Any], state: FormState, correcting: bool, status: int = 200
) -> Response:
    context = {"village": village, "form": state, "correcting": correcting}
    return web.render("disclosure/draft.html", context, status)


async def rebuild_disclosure(web: Web) -> Response:
    d = await disclosure_of(web)
    state = blank_form([])
    answer = await web.graphql(REBUILD, {"id": d["id"]})
    forbidden_is_403(answer)
    if outcome(state, answer, "rebuildDisclosure") is None:
        return show_disclosure(web, d, {"rebuild": state}, 400)
    return see_other(f"/disclosures/{d['id']}", done="recorded")


def members_of(text: str) -> list[str]:
    """One name a line; blank lines are no member."""
    return [line.strip() for line in text.splitlines() if line.strip()][:MAX_MEMBERS_SENT]


async def review_disclosure(web: Web) -> Response:
    d = await disclosure_of(web)
    state = submitted(REVIEW_FIELDS, {f.name: web.field(f.name) for f in REVIEW_FIELDS}, None)
    verdict = web.field("approved")
    variables = {
        "id": d["id"],
        "heldOn": text_or_none(web.field("held_on")),
        "members": members_of(web.field("members")),
        "approved": True if verdict == "yes" else False if verdict == "no" else None,
        "opinion": text_or_none(web.field("opinion")),
    }
    answer = await web.graphql(REVIEW, variables)
    forbidden_is_403(answer)
    if outcome(state, answer, "reviewDisclosure") is None:
        return show_disclosure(web, d, {"review": state}, 400)
    return see_other(f"/disclosures/{d['id']}", done="recorded")


async def publish_disclosure(web: Web) -> Response:
    d = await disclosure_of(web)
    state = submitted(PUBLISH_FIELDS, {"published_on": web.field("published_on")}, None)
    variables = {"id": d["id"], "publishedOn": text_or_none(web.field("published_on"))}
    answer = await web.graphql(PUBLISH, variables)
    forbidden_is_403(answer)
    if outcome(state, answer, "publishDisclosure") is None:
        return show_disclosure(web, d, {"publish": state}, 400)
    return see_other(f"/disclosures/{d['id']}", done="recorded")
