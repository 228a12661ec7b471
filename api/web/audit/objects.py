"""The auditor's look at one object: find an asset, parcel, elder or settlement by its village
and its name or code (``/audit``), then see its whole history, every event with who recorded it
and on what authority, and its state at a chosen version or time beside its state now
(``/audit/{kind}/{id}``). Everything is read through GraphQL as the signed-in auditor: the
API decides who may read histories and whose personal data is shown."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from api.web.audit.names import KINDS, SEARCHABLE, STATUS_KINDS, VALUE_KINDS
from api.web.audit.present import as_text, local_time, payload_rows, refused_scope, state_rows
from api.web.event_names import event_name
from api.web.forms import Field, FormState, text_or_none
from api.web.labels import label
from api.web.pages import PageError, Web
from api.web.xlsx import Column, xlsx_response

PAGE = "first: 100, after: $after"
PAGE_INFO = "pageInfo { hasNextPage endCursor }"
SEARCH_PAGES = 5  # pages of 100 looked through when a name or code is searched for
MAX_SEARCH_CHARS = 100

VILLAGES = """
query AuditVillages { villages(first: 100) { edges { node { code name } } } }
"""
LISTS = {
    "asset": f"""
query AuditAssets($v: String, $after: String) {{
  found: assets(villageCode: $v, {PAGE}) {{
    edges {{ node {{ id code: assetCode name kind status villageCode }} }} {PAGE_INFO}
  }}
}}""",
    "parcel": f"""
query AuditParcels($v: String, $after: String) {{
  found: parcels(villageCode: $v, {PAGE}) {{
    edges {{ node {{ id code: parcelCode name: location kind: plannedUse status: stage
                    villageCode }} }} {PAGE_INFO}
  }}
}}""",
    "elder": f"""
query AuditElders($v: String, $after: String) {{
  found: elders(villageCode: $v, {PAGE}) {{
    edges {{ node {{ id code: enrolledOn name status villageCode }} }} {PAGE_INFO}
  }}
}}""",
    "settlement": f"""
query AuditSettlements($v: String, $after: String) {{
  found: mealSettlements(villageCode: $v, {PAGE}) {{
    edges {{ node {{ id code: month status netPayable villageCode
                    mealPoint {{ name pointCode }} }} }} {PAGE_INFO}
  }}
}}""",
}

HEADERS = {
    "asset": "query($id: ID!) { it: asset(id: $id) { code: assetCode name villageCode } }",
    "parcel": "query($id: ID!) { it: parcel(id: $id) { code: parcelCode name: location "
    "villageCode } }",
    "elder": "query($id: ID!) { it: elder(id: $id) { name villageCode } }",
    "settlement": "query($id: ID!) { it: mealSettlement(id: $id) { code: month villageCode "
    "mealPoint { name } } }",
    "meal": "query($id: ID!) { it: meal(id: $id) { code: servedOn slot mealPoint { name } } }",
    "point": "query($id: ID!) { it: mealPoint(id: $id) { code: pointCode name villageCode } }",
}

HISTORY = """
query AuditHistory($id: ID!) {
  history(aggregateId: $id) {
    version type recordedAt actor authority payload notificationId
  }
}
"""
STATE = """
query AuditState($id: ID!, $version: Int, $at: DateTime) {
  aggregateAt(id: $id, version: $version, at: $at) { type version recordedAt state }
}
"""

STATE_FIELDS = [
    Field("version", "版本", "number", path="version", placeholder="如 3"),
    Field(
        "at",
        "时点",
        "datetime",
        path="at",
        help="北京时间；只填日期即为当天结束时",
    ),
]
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def kind_of(web: Web) -> str:
    kind = str(web.request.path_params.get("kind", ""))
    if kind not in KINDS:
        raise PageError(404, "invalid_input", "没有这一类对象。")
    return kind


# -- /audit: find an object ----------------------------------------------------------------------


async def search(web: Web) -> Response:
    params = web.request.query_params
    kind = params.get("kind", "asset")
    if kind not in SEARCHABLE:
        kind = "asset"
    village = text_or_none(params.get("village"))
    wanted = (params.get("q") or "").strip()[:MAX_SEARCH_CHARS]
    villages = [e["node"] for e in (await web.query(VILLAGES))["villages"]["edges"]]
    rows, next_cursor = await find(web, kind, village, wanted, text_or_none(params.get("after")))
    if params.get("format") == "xlsx":
        columns = [
            Column("编号或日期", width=16),
            Column("名称", width=30),
            Column("村代码", width=14),
            Column("状态", width=12),
            Column("标识", width=38),
        ]
        table = [[r["code"], r["name"], r["village"], r["status"], r["id"]] for r in rows]
        return xlsx_response(f"审计查询-{KINDS[kind]}.xlsx", KINDS[kind], columns, table)
    context = {
        "kinds": {k: KINDS[k] for k in SEARCHABLE},
        "kind": kind,
        "villages": villages,
        "village": village or "",
        "q": wanted,
        "rows": rows,
        "next_cursor": next_cursor,
        "searched": SEARCH_PAGES * 100 if wanted else None,
        "xlsx": "/audit?" + urlencode({**params, "format": "xlsx"}),
    }
    return web.render("audit/search.html", context)


async def find(
    web: Web, kind: str, village: str | None, wanted: str, after: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of objects of ``kind`` (or, searching, those of the first pages that match)."""
    found: list[dict[str, Any]] = []
    for _ in range(SEARCH_PAGES if wanted else 1):
        data = await web.query(LISTS[kind], {"v": village, "after": after})
        connection = data["found"]
        found += [e["node"] for e in connection["edges"]]
        info = connection["pageInfo"]
        after = info["endCursor"] if info["hasNextPage"] else None
        if after is None:
            break
    if wanted:
        needle = wanted.casefold()
        found = [r for r in found if needle in searchable_text(r).casefold()]
    return [row_of(kind, r) for r in found], after


def searchable_text(row: dict[str, Any]) -> str:
    point = row.get("mealPoint") or {}
    parts = (row.get("code"), row.get("name"), point.get("name"), point.get("pointCode"))
    return " ".join(str(p) for p in parts if p)


def row_of(kind: str, node: dict[str, Any]) -> dict[str, Any]:
    point = node.get("mealPoint") or {}
    name = node.get("name") or point.get("name") or ""
    return {
        "id": node["id"],
        "href": f"/audit/{kind}/{node['id']}",
        "code": node.get("code") or "",
        "name": name,
        "status": label(STATUS_KINDS[kind], node["status"]) if node.get("status") else "",
        "kind": node.get("kind") or "",
        "village": node.get("villageCode") or "",
        "amount": node.get("netPayable"),
    }


# -- /audit/{kind}/{id}: history and state --------------------------------------------------------


async def header_of(web: Web, kind: str, object_id: str) -> dict[str, Any] | None:
    document = HEADERS.get(kind)
    if document is None:
        return None
    found = (await web.query(document, {"id": object_id}))["it"]
    if found is None:
        return None
    point = found.get("mealPoint") or {}
    return {
        "code": as_text(found.get("code")),
        "name": as_text(found.get("name") or point.get("name")),
        "village": found.get("villageCode") or "",
    }


async def history_of(web: Web, object_id: str) -> list[dict[str, Any]]:
    zone = web.registry.clock.zone
    events = (await web.query(HISTORY, {"id": object_id}))["history"]
    return [
        {
            **e,
            "name": event_name(e["type"]),
            "when": local_time(e["recordedAt"], zone),
            "rows": payload_rows(e["payload"] or {}),
        }
        for e in events
    ]


def state_variables(object_id: str, form: FormState) -> dict[str, Any]:
    version = text_or_none(form.values.get("version"))
    at = text_or_none(form.values.get("at"))
    if at is not None and _DAY.fullmatch(at):
        at += "T23:59:59"  # a day: as it stood at that day's end
    variables: dict[str, Any] = {"id": object_id, "version": version, "at": at}
    if version is not None and version.isdigit() and len(version) < 10:
        variables["version"] = int(version)
    return variables


async def state_of(web: Web, object_id: str, form: FormState) -> tuple[Any, Any]:
    """The state asked for (None when refused: the refusals are on ``form``) and the state now
    (None when no version or time was asked for)."""
    asked = state_variables(object_id, form)
    answer = await web.graphql(STATE, asked)
    for error in answer.errors:
        form.add(error)
    refused_scope(form.codes)
    then = (answer.data or {}).get("aggregateAt") if not answer.errors else None
    if then is None or (asked["version"] is None and asked["at"] is None):
        return then, None
    now = (await web.query(STATE, {"id": object_id}))["aggregateAt"]
    return then, now


async def object_page(web: Web) -> Response:
    kind = kind_of(web)
    object_id = str(web.request.path_params["id"])
    params = web.request.query_params
    form = FormState(STATE_FIELDS, {f.name: params.get(f.name, "") for f in STATE_FIELDS})
    header = await header_of(web, kind, object_id)
    events = await history_of(web, object_id)
    if header is None and not events:
        raise PageError(404, "aggregate_not_found")
    then, now = await state_of(web, object_id, form)
    zone = web.registry.clock.zone
    kinds = VALUE_KINDS.get(then["type"], {}) if then else {}
    rows = state_rows(then["state"], now["state"] if now else None, kinds) if then else []
    query = web.request.url.query
    context = {
        "kind": kind,
        "kind_name": KINDS[kind],
        "object_id": object_id,
        "header": header,
        "events": events,
        "form": form,
        "then": then,
        "then_when": local_time(then["recordedAt"], zone) if then else "",
        "now": now,
        "now_when": local_time(now["recordedAt"], zone) if now else "",
        "rows": rows,
        "state_xlsx": f"/audit/{kind}/{object_id}/state.xlsx" + (f"?{query}" if query else ""),
    }
    return web.render("audit/object.html", context, status=400 if form.refused else 200)


async def history_xlsx(web: Web) -> Response:
    kind = kind_of(web)
    object_id = str(web.request.path_params["id"])
    events = await history_of(web, object_id)
    columns = [
        Column("版本", "int", 6),
        Column("日志位置", "int", 10),
        Column("记录时间（北京时间）", width=20),
        Column("类型", width=18),
        Column("类型代码", width=26),
        Column("记录人", width=20),
        Column("依据", width=28),
        Column("内容", width=80),
    ]
    rows = [
        [
            e["version"],
            e["notificationId"],
            e["when"],
            e["name"],
            e["type"],
            e["actor"],
            e["authority"],
            as_text(e["payload"], None),
        ]
        for e in events
    ]
    return xlsx_response(f"{KINDS[kind]}历史-{object_id}.xlsx", "历史", columns, rows)


async def state_xlsx(web: Web) -> Response:
    kind = kind_of(web)
    object_id = str(web.request.path_params["id"])
    params = web.request.query_params
    form = FormState(STATE_FIELDS, {f.name: params.get(f.name, "") for f in STATE_FIELDS})
    then, now = await state_of(web, object_id, form)
    if then is None:
        raise PageError(400, form.codes[0] if form.codes else "invalid_input")
    columns = [Column("项目", width=24), Column("当时", width=50)]
    if now is not None:
        columns.append(Column("现在", width=50))
    rows = [
        [r.label, r.then, *([r.now] if now is not None else [])]
        for r in state_rows(
            then["state"], now["state"] if now else None, VALUE_KINDS.get(then["type"], {})
        )
    ]
    return xlsx_response(f"{KINDS[kind]}状态-{object_id}.xlsx", "状态", columns, rows)
