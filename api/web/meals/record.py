"""Recording meals at a meal point (``recordMeals``): one day, slot and time for several of
the village's elders, picked by name as the API shows it to the user. The batch takes the form's
idempotency key, and its number is made from it, so a double submit records once. Each record is
accepted or refused on its own (refusals are kept on the batch): the batch's page shows which."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.responses import Response

from api.web.forms import Choice, Field, FormState, blank_form, outcome, submitted, text_or_none
from api.web.labels import label
from api.web.meals.common import ERRORS, PAGE, found, nodes, today
from api.web.pages import Web, see_other

POINT = """
query MealPointForMeals($id: ID!) {
  mealPoint(id: $id) {
    id name villageCode deliveryOffered village { name } slots { slot start end }
  }
}
"""
ELDERS = f"""
query ActiveElders($village: String!) {{
  elders(villageCode: $village, status: active, first: {PAGE}) {{
    totalCount
    edges {{ node {{ id name idNumber }} }}
  }}
}}
"""
RECORD = f"""
mutation RecordMeals($mealPointId: ID!, $batchNo: String!, $records: [MealRecordInput!]!,
                     $idempotencyKey: String) {{
  recordMeals(mealPointId: $mealPointId, batchNo: $batchNo, records: $records,
              idempotencyKey: $idempotencyKey) {{
    batch {{ id }}
    {ERRORS}
  }}
}}
"""
BATCH = """
query MealBatchPage($id: ID!) {
  mealBatch(id: $id) {
    id batchNo records accepted refused recordedAt
    mealPoint { id name villageCode }
    outcomes { recordId status reasonCode mealId }
    refusals { recordId code elderId servedOn slot servedAt }
  }
}
"""
BATCH_ELDERS = f"""
query BatchElders($village: String!) {{
  elders(villageCode: $village, first: {PAGE}) {{ edges {{ node {{ id name idNumber }} }} }}
}}
"""


def elder_label(elder: dict[str, Any]) -> str:
    """An elder as the picker shows them: name and ID number as the API gave them."""
    parts = [elder.get("name") or "（已删除）", elder.get("idNumber") or ""]
    return " · ".join(p for p in parts if p)


def fields(point: dict[str, Any], elders: list[dict[str, Any]]) -> list[Field]:
    slots = [
        Choice(w["slot"], f"{label('MealSlot', w['slot'])} {w['start']}–{w['end']}")
        for w in point["slots"]
    ]
    found_fields = [
        Field("served_at", "用餐时间", "datetime", required=True, path="servedAt"),
        Field("slot", "餐次", "select", required=True, path="slot", choices=slots),
    ]
    if point["deliveryOffered"]:
        found_fields.append(Field("delivery", "送餐上门", "checkbox", path="delivery"))
    found_fields.append(
        Field(
            "elders",
            "用餐老人",
            "select",
            required=True,
            path="records",
            multiple=True,
            choices=[Choice(e["id"], elder_label(e)) for e in elders],
        )
    )
    return found_fields


async def point_and_elders(web: Web) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    variables = {"id": web.request.path_params["point_id"]}
    point = found(await web.query(POINT, variables), "mealPoint", "meal_point_not_found")
    data = await web.query(ELDERS, {"village": point["villageCode"]})
    return point, nodes(data["elders"]), data["elders"]["totalCount"]


def show(
    web: Web, point: dict[str, Any], form: FormState, total: int, status: int = 200
) -> Response:
    context = {"point": point, "form": form, "elders_total": total}
    return web.render("meals/record.html", context, status)


async def record_meals(web: Web) -> Response:
    point, elders, total = await point_and_elders(web)
    form_fields = fields(point, elders)
    if web.request.method == "GET":
        offered = [w["slot"] for w in point["slots"]]
        slot = "lunch" if "lunch" in offered else (offered[0] if offered else "")
        defaults: dict[str, Any] = {
            "served_at": today(web).isoformat() + "T11:30",
            "slot": slot,
            "elders": [],
        }
        return show(web, point, blank_form(form_fields, defaults), total)
    values = {f.name: web.field(f.name) for f in form_fields}
    state = submitted(form_fields, values, web.field("idempotency_key"))
    chosen = web.fields("elders")
    state.values["elders"] = chosen
    served_at = text_or_none(values["served_at"])
    records = [
        {
            "recordId": elder[:64],
            "servedAt": served_at,
            "slot": text_or_none(values["slot"]),
            "elderId": elder,
            "delivery": values.get("delivery") == "on",
        }
        for elder in chosen
    ]
    variables = {
        "mealPointId": point["id"],
        "batchNo": "web-" + state.idempotency_key[:40],
        "records": records,
        "idempotencyKey": state.idempotency_key,
    }
    payload = outcome(state, await web.graphql(RECORD, variables), "recordMeals")
    if payload is None:
        return show(web, point, state, total, 400)
    return see_other(f"/meals/batches/{payload['batch']['id']}", done="recorded")


async def batch_page(web: Web) -> Response:
    variables = {"id": web.request.path_params["batch_id"]}
    batch = found(await web.query(BATCH, variables), "mealBatch", "invalid_input")
    point = batch.get("mealPoint") or {}
    names: dict[str, str] = {}
    if point.get("villageCode"):
        data = await web.query(BATCH_ELDERS, {"village": point["villageCode"]})
        names = {e["id"]: elder_label(e) for e in nodes(data["elders"])}
    rows = [
        {**o, "elder": names.get(o["recordId"], "—")}
        for o in sorted(batch["outcomes"], key=lambda o: o["status"] != "refused")
    ]
    recorded = datetime.fromisoformat(batch["recordedAt"]).astimezone(web.registry.clock.zone)
    context = {"batch": batch, "point": point, "rows": rows, "recorded": recorded}
    return web.render("meals/batch.html", context)
