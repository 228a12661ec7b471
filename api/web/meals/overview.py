"""老年助餐 overview (/meals): the meal points of the user's villages with the month's meals and
subsidy, and the settlements by state; both tables download as xlsx."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.responses import Response

from api.web.labels import label
from api.web.meals.common import PAGE, month_of, nodes
from api.web.pages import Web
from api.web.xlsx import Column, xlsx_response
from domain.meals.vocabulary import SETTLEMENT_STATUSES

COUNTS = " ".join(
    f"{s}: mealSettlements(first: 0, status: {s}) {{ totalCount }}" for s in SETTLEMENT_STATUSES
)
TOTALS = "monthTotals(month: $month) { meals price government collective coPayment }"
OVERVIEW = f"""
query MealsOverview($month: String!, $status: SettlementStatus) {{
  mealPoints(first: {PAGE}) {{
    totalCount
    edges {{ node {{
      id villageCode pointCode name kind operatorKind operatorName capacityMealsPerDay closedOn
      village {{ name }}
      {TOTALS}
    }} }}
  }}
  settlements: mealSettlements(first: {PAGE}, status: $status) {{
    totalCount
    edges {{ node {{
      id month status meals netGovernment netCollective netPayable draftedOn submittedOn
      mealPoint {{ id name village {{ name }} }}
    }} }}
  }}
  {COUNTS}
}}
"""


def chosen_status(web: Web) -> str:
    wanted = web.request.query_params.get("status", "drafted")
    return wanted if wanted in SETTLEMENT_STATUSES else "drafted"


async def overview_data(web: Web) -> dict[str, Any]:
    month, status = month_of(web), chosen_status(web)
    data = await web.query(OVERVIEW, {"month": month, "status": status})
    points = nodes(data["mealPoints"])
    totals: dict[str, Any] = {"meals": sum(int(p["monthTotals"]["meals"]) for p in points)}
    for key in ("price", "government", "collective", "coPayment"):
        totals[key] = sum((Decimal(str(p["monthTotals"][key])) for p in points), Decimal(0))
    counts = [(s, data[s]["totalCount"]) for s in SETTLEMENT_STATUSES]
    return {
        "month": month,
        "status": status,
        "points": points,
        "points_total": data["mealPoints"]["totalCount"],
        "settlements": nodes(data["settlements"]),
        "settlements_total": data["settlements"]["totalCount"],
        "counts": counts,
        "totals": totals,
    }


async def overview(web: Web) -> Response:
    return web.render("meals/overview.html", await overview_data(web))


POINT_COLUMNS = [
    Column("村", width=16),
    Column("编号", width=10),
    Column("助餐点", width=24),
    Column("类型", width=10),
    Column("运营方", width=24),
    Column("日供餐能力", "int", 10),
    Column("本月用餐（份）", "int", 12),
    Column("餐费合计", "money"),
    Column("政府补贴", "money"),
    Column("集体补助", "money"),
    Column("个人自付", "money"),
]


async def overview_xlsx(web: Web) -> Response:
    data = await overview_data(web)
    rows = [
        [
            p["village"]["name"] if p["village"] else p["villageCode"],
            p["pointCode"],
            p["name"],
            label("MealPointKind", p["kind"]),
            p["operatorName"],
            p["capacityMealsPerDay"],
            p["monthTotals"]["meals"],
            p["monthTotals"]["price"],
            p["monthTotals"]["government"],
            p["monthTotals"]["collective"],
            p["monthTotals"]["coPayment"],
        ]
        for p in data["points"]
    ]
    month = data["month"]
    return xlsx_response(f"助餐点{month}.xlsx", f"助餐点{month}", POINT_COLUMNS, rows)


SETTLEMENT_COLUMNS = [
    Column("月份", width=10),
    Column("村", width=16),
    Column("助餐点", width=24),
    Column("状态", width=10),
    Column("用餐（份）", "int", 10),
    Column("政府补贴净额", "money"),
    Column("集体补助净额", "money"),
    Column("应付运营方", "money"),
    Column("编制日期", "date", 12),
]


def settlement_rows(settlements: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for s in settlements:
        point = s.get("mealPoint") or {}
        village = point.get("village") or {}
        rows.append(
            [
                s["month"],
                village.get("name", ""),
                point.get("name", ""),
                label("SettlementStatus", s["status"]),
                s["meals"],
                s["netGovernment"],
                s["netCollective"],
                s["netPayable"],
                s["draftedOn"],
            ]
        )
    return rows


async def settlements_xlsx(web: Web) -> Response:
    data = await overview_data(web)
    name = f"结算单-{label('SettlementStatus', data['status'])}"
    return xlsx_response(
        f"{name}.xlsx", name, SETTLEMENT_COLUMNS, settlement_rows(data["settlements"])
    )
