"""A meal point's sign-in sheet (助餐签到表): its template, pre-filled with the village's elders,
and its upload. The preview is ``recordMeals(dryRun: true)``: the very checks that record a
batch (domain/meals/recording.py), nothing recorded. The confirmation sends the same records
again as ONE batch whose number comes from the file's SHA-256, with an idempotency key of it:
the same file twice records nothing new (the batch answers ``replayed``). Every record's id is
its row number, so an outcome names the row it concerns."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from starlette.responses import Response

from api.auth.middleware import FORBIDDEN
from api.web.pages import PageError, Web
from api.web.uploads.flow import (
    Upload,
    apply_outcomes,
    preview_page,
    refuse,
    result_page,
    row_view,
    uploaded,
    whole_refusal,
)
from api.web.uploads.index import index_page
from api.web.uploads.pending import PENDING, Pending
from api.web.uploads.refusals import UploadExpired, UploadNoRows, UploadRefused
from api.web.uploads.sheets import (
    Row,
    amount_of,
    date_of,
    forbidden_text,
    read_sheet,
    shown,
    text_of,
    time_of,
)
from api.web.uploads.workbook import TemplateColumn, attachment, template_bytes
from domain.meals.vocabulary import SLOT_NAMES_ZH

KIND = "meals"
SHEET = "签到表"
ELDER_LIST = "老人名单"
MAX_ELDER_PAGES = 50
COLUMNS = {
    "老人": "elder",
    "身份证号": "id_number",
    "日期": "date",
    "餐次": "slot",
    "时间": "time",
    "送餐": "delivery",
    "价格": "price",
    "备注": "note",
}
REQUIRED = ("date", "slot", "time")
SHOWN = ("老人", "身份证号", "日期", "餐次", "时间", "送餐", "价格")
SLOT_WORDS = {name: code for code, name in SLOT_NAMES_ZH.items()}
SLOT_WORDS |= {name[0]: code for code, name in SLOT_NAMES_ZH.items()}  # 早, 午, 晚
SLOT_WORDS |= {"中": "lunch", "中餐": "lunch"} | {code: code for code in SLOT_NAMES_ZH}
YES, NO = {"是", "送", "送餐", "y", "yes", "1", "true"}, {"", "否", "不", "n", "no", "0", "false"}
_SHORT_ID = re.compile(r"\[([0-9a-f]{8})\]\s*$")

POINT = """
query Point($id: ID!) {
  mealPoint(id: $id) { id name pointCode villageCode village { name } }
}
"""
ELDERS = """
query Elders($village: String!, $after: String) {
  elders(villageCode: $village, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name idNumber status } }
  }
}
"""
RECORD = """
mutation Upload($point: ID!, $batchNo: String!, $records: [MealRecordInput!]!,
                $dryRun: Boolean, $idempotencyKey: String) {
  recordMeals(mealPointId: $point, batchNo: $batchNo, records: $records, dryRun: $dryRun,
              idempotencyKey: $idempotencyKey) {
    outcomes { recordId status reasonCode }
    replayed acceptedCount refusedCount
    errors { code field message }
  }
}
"""


async def meal_point(web: Web, point_id: str) -> dict[str, Any]:
    if not point_id or len(point_id) > 64:
        raise PageError(400, "meal_point_not_found")
    data = await web.query(POINT, {"id": point_id})
    point = data.get("mealPoint") if data else None
    if not point:
        raise PageError(404, "meal_point_not_found")
    return dict(point)


async def elder_labels(web: Web, village: str) -> dict[str, str]:
    """Each enrolled elder's label in the sheet (the name and ID number as the user may see
    them, and the start of the elder's id, which tells two alike apart) → the elder's id."""
    labels: dict[str, str] = {}
    after: str | None = None
    for _ in range(MAX_ELDER_PAGES):
        data = await web.query(ELDERS, {"village": village, "after": after})
        page = data["elders"]
        for edge in page["edges"]:
            node = edge["node"]
            if node["status"] in ("deceased", "moved_away"):
                continue
            name = node["name"] or "（已删除）"
            labels[f"{name} {node['idNumber'] or ''} [{node['id'][:8]}]"] = node["id"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return labels


TEMPLATE_COLUMNS = [
    TemplateColumn("老人", width=42, source=ELDER_LIST),
    TemplateColumn("身份证号", width=22),
    TemplateColumn("日期", "date", 12, required=True),
    TemplateColumn("餐次", width=8, choices=tuple(SLOT_NAMES_ZH.values()), required=True),
    TemplateColumn("时间", "time", 8, required=True),
    TemplateColumn("送餐", width=8, choices=("是", "否")),
    TemplateColumn("价格（元）", "money", 10),
    TemplateColumn("备注", width=20),
]
INSTRUCTIONS = (
    "助餐签到表 填写说明",
    "1. 每一行是一位老人的一餐。老人从“老人”列的下拉列表中选择；",
    "   也可以不选，改填“身份证号”（两者只填一个）。",
    "2. 日期写成 2024-05-02（或 2024/5/2、2024年5月2日）；时间写成 11:30，使用北京时间。",
    "3. 餐次从下拉列表选择：早餐、午餐、晚餐。送餐填“是”或“否”，不填表示堂食。",
    "4. 价格一般不填，按现行标准价；只有特殊价格才填写，单位元，最多两位小数。",
    "5. 只选了老人、没有填日期餐次时间的行会被跳过。请不要使用公式。",
    "6. 上传后先看预览：每一行都会显示“接受”或“拒绝”和原因，确认后才会记录。"
    "同一个文件再次上传不会重复记录。",
)


async def template(web: Web) -> Response:
    point = await meal_point(web, web.request.query_params.get("point", ""))
    labels = await elder_labels(web, point["villageCode"])
    rows = [[label] for label in labels]
    content = template_bytes(
        SHEET, TEMPLATE_COLUMNS, rows, INSTRUCTIONS, {ELDER_LIST: list(labels)}
    )
    return attachment(f"助餐签到表-{point['pointCode']}.xlsx", content)


def shown_cell(cells: dict[str, Any], key: str) -> str:
    """A cell as the preview shows it; an ID number masked as the register shows it."""
    if key == "id_number":
        number = text_of(cells.get(key))
        return number[:4] + "*" * (len(number) - 6) + number[-2:] if len(number) > 8 else number
    return shown(cells.get(key), key if key in ("date", "time") else "text")


def records_of(
    rows: list[Row], labels: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each filled row's view and, when the page could read it, the record sent for it."""
    by_short = {label[-9:-1]: i for label, i in labels.items()}  # each ends "[1a2b3c4d]"
    views, records = [], []
    for row in rows:
        cells = row.cells
        if not set(cells) - {"elder", "note"}:
            continue  # a pre-filled elder nobody signed in
        view = row_view(row.number, [shown_cell(cells, COLUMNS[t]) for t in SHOWN])
        views.append(view)
        record, code = record_of(row, labels, by_short)
        if record is None:
            refuse(view, code or "record_invalid")
            continue
        view["sent"] = record
        records.append(record)
    return views, records


def record_of(
    row: Row, labels: dict[str, str], by_short: dict[str, str]
) -> tuple[dict[str, Any] | None, str | None]:
    cells = row.cells
    if row.problems:
        return None, row.problems[0]
    if forbidden_text(cells):
        return None, "text_contains_forbidden_character"
    record: dict[str, Any] = {"recordId": f"R{row.number}"}
    id_number = text_of(cells.get("id_number"))
    elder = text_of(cells.get("elder"))
    if id_number:
        record["idNumber"] = id_number
    if elder:
        found = labels.get(elder)
        short = _SHORT_ID.search(elder)
        found = found or (by_short.get(short[1]) if short else None)
        if found is None:
            return None, "elder_unknown"
        record["elderId"] = found
    served = cells.get("date")
    if served is None and isinstance(cells.get("time"), datetime):
        served = cells["time"]  # a date and time written in the time column alone
    day, code = date_of(served)
    if day is None:
        return None, code
    moment, code = time_of(cells.get("time"))
    if moment is None:
        return None, code
    record["servedAt"] = f"{day.isoformat()}T{moment.isoformat()}"
    slot = SLOT_WORDS.get(text_of(cells.get("slot")).lower())
    delivery = text_of(cells.get("delivery")).lower()
    if slot is None or delivery not in YES | NO:
        return None, "record_invalid"
    record["slot"] = slot
    record["delivery"] = delivery in YES
    if cells.get("price") is not None:
        price, code = amount_of(cells["price"])
        if price is None:
            return None, code
        record["price"] = price
    return record, None


def variables(point: str, upload: Upload, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"point": point, "batchNo": f"XLSX-{upload.sha256[:48]}", "records": records}


async def preview(web: Web) -> Response:
    point = await meal_point(web, web.field("point"))
    try:
        upload = await uploaded(web)
        sheet = read_sheet(upload.content, upload.filename, COLUMNS, REQUIRED, SHEET)
    except UploadRefused as refused:
        return await index_page(web, KIND, refused.code, refused.detail)
    labels = await elder_labels(web, point["villageCode"])
    views, records = records_of(sheet.rows, labels)
    if not views:
        return await index_page(web, KIND, UploadNoRows.code)
    problems: list[str] = []
    if records:
        answer = await web.graphql(
            RECORD, {**variables(point["id"], upload, records), "dryRun": True}
        )
        payload = (answer.data or {}).get("recordMeals")
        problems = whole_refusal(answer.errors, payload)
        if FORBIDDEN in problems:
            raise PageError(403, FORBIDDEN)
        if not problems and payload is not None:
            apply_outcomes(views, payload["outcomes"], bool(payload["replayed"]))
    PENDING.put(
        Pending(
            web.principal.token_id,
            KIND,
            point["id"],
            upload.sha256,
            upload.filename,
            variables(point["id"], upload, records),
            views,
        )
    )
    title = f"{point['name']}（{point['village']['name']}）"
    return preview_page(
        web, KIND, title, SHOWN, views, point["id"], upload, sheet.blank_rows, problems
    )


async def confirm(web: Web) -> Response:
    point = await meal_point(web, web.field("target"))
    pending = PENDING.get(web.principal.token_id, KIND, point["id"], web.field("sha256"))
    if pending is None:
        return await index_page(web, KIND, UploadExpired.code)
    key = f"xlsx-meals-{point['id']}-{pending.sha256}"  # the same file, the same point
    answer = await web.graphql(RECORD, {**pending.variables, "idempotencyKey": key})
    payload = (answer.data or {}).get("recordMeals")
    problems = whole_refusal(answer.errors, payload)
    if problems or payload is None:
        return await index_page(web, KIND, problems[0] if problems else "internal_error")
    views = [dict(v) for v in pending.rows]
    apply_outcomes(views, payload["outcomes"], bool(payload["replayed"]))
    pending.rows = views  # what the result shows, for its download
    title = f"{point['name']}（{point['village']['name']}）"
    return result_page(web, KIND, title, SHOWN, views, point["id"], pending.sha256)
