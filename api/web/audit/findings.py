"""What auditors should look at in meal assistance (``/audit/findings``): the findings of a
period and a place (a village, a meal point), each with the meals behind it and the events
that prove it, a page at a time, and the whole list as xlsx. The API masks elders' names and
ID numbers for everyone but an auditor of their village, and keeps to the user's villages."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from starlette.responses import Response

from api.web.audit.present import refused_scope
from api.web.forms import Choice, FormState, text_or_none
from api.web.forms import Field as FormField
from api.web.labels import label
from api.web.pages import Web
from api.web.xlsx import Column, xlsx_response

PAGE_SIZE = 50
XLSX_PAGES = 20  # at most 1,000 findings in one download

FINDINGS = """
query AuditFindings($from: Date!, $to: Date!, $v: String, $point: ID, $after: String,
                    $first: Int) {
  mealFindings(dateFrom: $from, dateTo: $to, villageCode: $v, mealPointId: $point,
               first: $first, after: $after) {
    edges { node {
      kind status on slot detail evidenceNotificationIds mealPointId elderId
      mealPoint { name pointCode villageCode }
      elder { name }
      meals { id servedOn slot servedAt voided recordedNotificationId }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
PLACES = """
query FindingPlaces($v: String) {
  villages(first: 100) { edges { node { code name } } }
  mealPoints(villageCode: $v, first: 100) { edges { node { id name pointCode } } }
}
"""

FIELDS = [
    FormField("date_from", "起始日期", "date", required=True, path="dateFrom"),
    FormField("date_to", "截止日期", "date", required=True, path="dateTo"),
    FormField("village", "村", "select", path="villageCode"),
    FormField("point", "助餐点", "select", path="mealPointId"),
]


def month_start(day: date) -> date:
    return day.replace(day=1)


def form_of(web: Web) -> FormState:
    params = web.request.query_params
    today = web.registry.clock.today()
    defaults = {"date_from": month_start(today).isoformat(), "date_to": today.isoformat()}
    values = {f.name: params.get(f.name, defaults.get(f.name, "")) for f in FIELDS}
    return FormState(FIELDS, values)


def variables_of(form: FormState, after: str | None, first: int) -> dict[str, Any]:
    v = form.values
    return {
        "from": text_or_none(v["date_from"]),
        "to": text_or_none(v["date_to"]),
        "v": text_or_none(v["village"]),
        "point": text_or_none(v["point"]),
        "after": after,
        "first": first,
    }


# The findings' explanations (projections/meals/findings.py) in Chinese; any other as it is.
_DETAILS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"refused (\w+): (\w+) (\S+) (\S+)(?: \((.*)\))?"),
        lambda m: (
            f"已拒绝（{label('MealRefusalReason', m[1])}）：{m[3]} {m[4]}"
            + ("，该餐已在另一助餐点申报" if m[5] and "another" in m[5] else "")
        ),
    ),
    (
        re.compile(r"(\w+) on (\S+), the elder died on (\S+)"),
        lambda m: f"{m[2]} 的{label('MealSlot', m[1])}，老人已于 {m[3]} 去世",
    ),
    (
        re.compile(r"(\d+) meals on (\S+), capacity (\d+) a day"),
        lambda m: f"{m[2]} 共 {m[1]} 餐，接待能力每天 {m[3]} 餐",
    ),
    (
        re.compile(r"(\d+) meals on (\S+) against an average of (\S+) over the (\d+) days"),
        lambda m: f"{m[2]} 共 {m[1]} 餐，此前有餐的 {m[4]} 天平均 {m[3]} 餐",
    ),
    (
        re.compile(r"meals on every one of (\d+) days from (\S+) to (\S+)"),
        lambda m: f"{m[2]} 至 {m[3]} 连续 {m[1]} 天每天都有用餐",
    ),
)


def detail_zh(detail: str) -> str:
    for pattern, say in _DETAILS:
        found = pattern.match(detail)
        if found:
            return say(found)
    return detail


def row_of(node: dict[str, Any]) -> dict[str, Any]:
    point = node.get("mealPoint") or {}
    elder = node.get("elder") or {}
    return {
        **node,
        "kind_name": label("FindingKind", node["kind"]),
        "status_name": label("FindingStatus", node["status"]),
        "slot_name": label("MealSlot", node["slot"]) if node.get("slot") else "",
        "point_name": point.get("name") or "",
        "detail_zh": detail_zh(node["detail"]),
        "elder_name": elder.get("name") or "",
        "meals": [{**m, "slot_name": label("MealSlot", m["slot"])} for m in node["meals"]],
    }


async def choices_of(web: Web, form: FormState) -> FormState:
    """The form with its villages and meal points to pick from (those the user may see)."""
    places = await web.query(PLACES, {"v": text_or_none(form.values["village"])})
    villages = [
        Choice(n["code"], f"{n['name']}（{n['code']}）")
        for n in (e["node"] for e in places["villages"]["edges"])
    ]
    points = [
        Choice(n["id"], f"{n['name']}（{n['pointCode']}）")
        for n in (e["node"] for e in places["mealPoints"]["edges"])
    ]
    picks = {"village": villages, "point": points}
    fields = [replace(f, choices=picks[f.name]) if f.name in picks else f for f in FIELDS]
    return FormState(fields, form.values)


async def findings_page(web: Web) -> Response:
    form = await choices_of(web, form_of(web))
    after = text_or_none(web.request.query_params.get("after"))
    answer = await web.graphql(FINDINGS, variables_of(form, after, PAGE_SIZE))
    for error in answer.errors:
        form.add(error)
    refused_scope(form.codes)
    connection = None if answer.errors else (answer.data or {}).get("mealFindings")
    rows = [row_of(e["node"]) for e in connection["edges"]] if connection else []
    info = connection["pageInfo"] if connection else {"hasNextPage": False, "endCursor": None}
    query = {k: form.values[k] for k in ("date_from", "date_to", "village", "point")}
    context = {
        "form": form,
        "rows": rows,
        "next_cursor": info["endCursor"] if info["hasNextPage"] else None,
        "query": query,
        "shown": connection is not None,
    }
    return web.render("audit/findings.html", context, status=400 if form.refused else 200)


async def findings_xlsx(web: Web) -> Response:
    form = form_of(web)
    rows: list[dict[str, Any]] = []
    after = None
    for _ in range(XLSX_PAGES):
        data = await web.query(FINDINGS, variables_of(form, after, 50))
        connection = data["mealFindings"]
        rows += [row_of(e["node"]) for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    columns = [
        Column("日期", "date", 12),
        Column("疑点", width=22),
        Column("状态", width=10),
        Column("助餐点", width=20),
        Column("老人", width=10),
        Column("餐次", width=8),
        Column("说明", width=50),
        Column("所涉用餐记录", width=40),
        Column("证据事件（日志位置）", width=24),
    ]
    table = [
        [
            r["on"],
            r["kind_name"],
            r["status_name"],
            r["point_name"],
            r["elder_name"],
            r["slot_name"],
            r["detail_zh"],
            "；".join(f"{m['servedOn']} {m['slot_name']} {m['id']}" for m in r["meals"]),
            "，".join(str(n) for n in r["evidenceNotificationIds"]),
        ]
        for r in rows
    ]
    return xlsx_response("助餐审计疑点.xlsx", "疑点", columns, table)
