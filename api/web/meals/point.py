"""A meal point's page (/meals/points/{id}): what it is, its month (meals and subsidy, meals a
day), the meals of one day, the elders of its village (names and ID numbers as the API gives
them to the user's role) and its settlements; every table downloads as xlsx."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from api.web.labels import label
from api.web.meals.common import PAGE, found, month_of, month_range, nodes
from api.web.meals.overview import SETTLEMENT_COLUMNS, settlement_rows
from api.web.pages import PageError, Web
from api.web.xlsx import Column, xlsx_response

POINT = f"""
query MealPointPage($id: ID!, $month: String!, $from: Date!, $to: Date!) {{
  mealPoint(id: $id) {{
    id villageCode pointCode name kind operatorKind operatorName capacityMealsPerDay
    deliveryOffered registeredOn closedOn
    village {{ name }}
    slots {{ slot start end }}
    monthTotals(month: $month) {{ meals price government collective coPayment }}
    dailyCounts(dateFrom: $from, dateTo: $to) {{
      servedOn breakfast lunch dinner total aboveCapacity
    }}
    settlements(first: {PAGE}) {{
      totalCount
      edges {{ node {{
        id month status meals netGovernment netCollective netPayable draftedOn submittedOn
        mealPoint {{ name village {{ name }} }}
      }} }}
    }}
  }}
}}
"""

# A list of elders leaves out their categories: 100 elders × up to 500 categories each would pass
# the API's estimate of a query's size (api/limits.py).
ELDER_FIELDS = "id name idNumber status enrolledOn suspendedFrom movedAwayOn diedOn"
DAY = f"""
query MealPointDay($id: ID!, $village: String!, $day: Date!) {{
  elders(villageCode: $village, first: {PAGE}) {{
    totalCount
    edges {{ node {{ {ELDER_FIELDS} }} }}
  }}
  meals(mealPointId: $id, dateFrom: $day, dateTo: $day, first: {PAGE}) {{
    totalCount
    edges {{ node {{
      id servedOn servedAt slot delivery category price government collective elderShare
      voided voidReason recordId elder {{ name }}
    }} }}
  }}
}}
"""


async def point_data(web: Web) -> dict[str, Any]:
    point_id = web.request.path_params["point_id"]
    month = month_of(web)
    first, last = month_range(month)
    variables = {"id": point_id, "month": month, "from": first, "to": last}
    point = found(await web.query(POINT, variables), "mealPoint", "meal_point_not_found")
    days = point["dailyCounts"]
    day = web.request.query_params.get("day") or (days[-1]["servedOn"] if days else last)
    variables = {"id": point["id"], "village": point["villageCode"], "day": day}
    more = await web.query(DAY, variables)
    return {
        "month": month,
        "day": day,
        "point": point,
        "days": days,
        "settlements": nodes(point["settlements"]),
        "elders": nodes(more["elders"]),
        "elders_total": more["elders"]["totalCount"],
        "meals": nodes(more["meals"]),
        "meals_total": more["meals"]["totalCount"],
        "writer": web.role.value == "accountant",
    }


async def point_page(web: Web) -> Response:
    return web.render("meals/point.html", await point_data(web))


TABLES: dict[str, tuple[str, list[Column]]] = {
    "elders": (
        "老人",
        [
            Column("姓名", width=12),
            Column("身份证号码", width=22),
            Column("状态", width=10),
            Column("登记日期", "date", 12),
        ],
    ),
    "meals": (
        "用餐记录",
        [
            Column("日期", "date", 12),
            Column("时间", width=10),
            Column("餐次", width=8),
            Column("老人", width=12),
            Column("类别", width=14),
            Column("送餐", width=6),
            Column("餐费", "money"),
            Column("政府补贴", "money"),
            Column("集体补助", "money"),
            Column("个人自付", "money"),
            Column("作废", width=8),
        ],
    ),
    "days": (
        "每日用餐",
        [
            Column("日期", "date", 12),
            Column("早餐", "int", 8),
            Column("午餐", "int", 8),
            Column("晚餐", "int", 8),
            Column("合计", "int", 8),
        ],
    ),
    "settlements": ("结算单", SETTLEMENT_COLUMNS),
}


def table_rows(table: str, data: dict[str, Any]) -> list[list[Any]]:
    if table == "elders":
        return [
            [
                e["name"],
                e["idNumber"],
                label("ElderStatus", e["status"]),
                e["enrolledOn"],
            ]
            for e in data["elders"]
        ]
    if table == "meals":
        return [
            [
                m["servedOn"],
                m["servedAt"],
                label("MealSlot", m["slot"]),
                (m.get("elder") or {}).get("name"),
                label("MealCategory", m["category"]),
                "是" if m["delivery"] else "",
                m["price"],
                m["government"],
                m["collective"],
                m["elderShare"],
                "已作废" if m["voided"] else "",
            ]
            for m in data["meals"]
        ]
    if table == "days":
        return [
            [d["servedOn"], d["breakfast"], d["lunch"], d["dinner"], d["total"]]
            for d in data["days"]
        ]
    return settlement_rows(data["settlements"])


async def point_xlsx(web: Web) -> Response:
    table = web.request.query_params.get("table", "")
    if table not in TABLES:
        raise PageError(404, "invalid_input", "没有这张表。")
    data = await point_data(web)
    title, columns = TABLES[table]
    name = f"{data['point']['name']}-{title}"
    return xlsx_response(f"{name}.xlsx", title, columns, table_rows(table, data))
