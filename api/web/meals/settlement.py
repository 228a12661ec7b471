"""Monthly settlements: a settlement's page with its lines and state (/meals/settlements/{id},
xlsx), drafting one for a meal point and month, and submitting a draft."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.responses import Response

from api.web.forms import Field, FormState, blank_form, outcome, submitted, text_or_none
from api.web.labels import label
from api.web.meals.common import ERRORS, found, point_of, previous_month, today
from api.web.pages import Web, see_other
from api.web.xlsx import Column, xlsx_response

SETTLEMENT = """
query MealSettlementPage($id: ID!) {
  mealSettlement(id: $id) {
    id mealPointId villageCode month periodEnd status meals price government collective
    elderShare clawbackMeals clawbackGovernment clawbackCollective clawbackElderShare
    netGovernment netCollective netPayable draftedOn submittedOn verifiedOn returnedOn
    returnReason approvedOn subsidyReceivedOn subsidyReceived paidOn paid
    lines { servedMonth category slot delivery meals price government collective elderShare }
    clawbacks { mealId fromSettlementId servedOn category slot government collective elderShare }
    mealPoint { id name pointCode village { name } }
  }
}
"""
DRAFT = f"""
mutation DraftSettlement($mealPointId: ID!, $month: String!, $draftedOn: Date!,
                         $idempotencyKey: String) {{
  draftSettlement(mealPointId: $mealPointId, month: $month, draftedOn: $draftedOn,
                  idempotencyKey: $idempotencyKey) {{
    settlement {{ id status }}
    {ERRORS}
  }}
}}
"""
SUBMIT = f"""
mutation SubmitSettlement($settlementId: ID!, $submittedOn: Date!) {{
  submitSettlement(settlementId: $settlementId, submittedOn: $submittedOn) {{
    settlement {{ id status }}
    {ERRORS}
  }}
}}
"""

DRAFT_FIELDS = [
    Field(
        "month",
        "结算月份",
        required=True,
        path="month",
        placeholder="2024-07",
        help="结算该月月末之前所有尚未结算的用餐；月末之后才能编制。",
    ),
    Field("drafted_on", "编制日期", "date", required=True, path="draftedOn"),
]
SUBMIT_FIELDS = [Field("submitted_on", "提交日期", "date", required=True, path="submittedOn")]


async def settlement_of(web: Web) -> dict[str, Any]:
    variables = {"id": web.request.path_params["settlement_id"]}
    return found(await web.query(SETTLEMENT, variables), "mealSettlement", "settlement_not_found")


def show_settlement(
    web: Web, settlement: dict[str, Any], form: FormState | None = None, status: int = 200
) -> Response:
    if form is None:
        form = blank_form(SUBMIT_FIELDS, {"submitted_on": today(web).isoformat()})
    context = {
        "s": settlement,
        "form": form,
        "may_submit": web.role.value == "accountant" and settlement["status"] == "drafted",
    }
    return web.render("meals/settlement.html", context, status)


async def settlement_page(web: Web) -> Response:
    return show_settlement(web, await settlement_of(web))


async def submit_settlement(web: Web) -> Response:
    settlement = await settlement_of(web)
    state = submitted(SUBMIT_FIELDS, {"submitted_on": web.field("submitted_on")}, None)
    variables = {
        "settlementId": settlement["id"],
        "submittedOn": text_or_none(web.field("submitted_on")),
    }
    answer = await web.graphql(SUBMIT, variables)
    if outcome(state, answer, "submitSettlement") is None:
        return show_settlement(web, settlement, state, 400)
    return see_other(f"/meals/settlements/{settlement['id']}", done="recorded")


async def draft_settlement(web: Web) -> Response:
    point = await point_of(web)
    if web.request.method == "GET":
        this_month = today(web).strftime("%Y-%m")
        defaults = {"month": previous_month(this_month), "drafted_on": today(web).isoformat()}
        return web.render(
            "meals/draft.html", {"point": point, "form": blank_form(DRAFT_FIELDS, defaults)}
        )
    state = submitted(
        DRAFT_FIELDS,
        {f.name: web.field(f.name) for f in DRAFT_FIELDS},
        web.field("idempotency_key"),
    )
    variables = {
        "mealPointId": point["id"],
        "month": text_or_none(web.field("month")),
        "draftedOn": text_or_none(web.field("drafted_on")),
        "idempotencyKey": state.idempotency_key,
    }
    payload = outcome(state, await web.graphql(DRAFT, variables), "draftSettlement")
    if payload is None:
        return web.render("meals/draft.html", {"point": point, "form": state}, 400)
    return see_other(f"/meals/settlements/{payload['settlement']['id']}", done="recorded")


LINE_COLUMNS = [
    Column("用餐月份", width=10),
    Column("类别", width=14),
    Column("餐次", width=8),
    Column("送餐", width=6),
    Column("份数", "int", 8),
    Column("餐费", "money"),
    Column("政府补贴", "money"),
    Column("集体补助", "money"),
    Column("个人自付", "money"),
]


async def settlement_xlsx(web: Web) -> Response:
    s = await settlement_of(web)
    rows: list[list[Any]] = [
        [
            line["servedMonth"],
            label("MealCategory", line["category"]),
            label("MealSlot", line["slot"]),
            "是" if line["delivery"] else "",
            line["meals"],
            line["price"],
            line["government"],
            line["collective"],
            line["elderShare"],
        ]
        for line in s["lines"]
    ]
    rows.append(
        [
            "合计",
            "",
            "",
            "",
            s["meals"],
            s["price"],
            s["government"],
            s["collective"],
            s["elderShare"],
        ]
    )
    for c in s["clawbacks"]:
        rows.append(
            [
                f"追回 {c['servedOn']}",
                label("MealCategory", c["category"]),
                label("MealSlot", c["slot"]),
                "",
                -1,
                None,
                -Decimal(str(c["government"])),
                -Decimal(str(c["collective"])),
                -Decimal(str(c["elderShare"])),
            ]
        )
    point = (s.get("mealPoint") or {}).get("name", "")
    name = f"{point}-{s['month']}-结算单"
    return xlsx_response(f"{name}.xlsx", "结算单", LINE_COLUMNS, rows)
