"""The first page after signing in. An accountant sees one of their villages at a glance (a
picker when they keep several): rent due this month and in arrears, contracts ending within 90
days, this month's meals and the meal settlements, and where the books stand (the first open
month). Auditors and the platform read the same overview of any village of their scope; an
admin sees tiles of what they work on. Every table downloads as xlsx
(``/?village=…&format=xlsx&table=due|arrears|ending``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from starlette.responses import Response

from api.web.assets.common import village_choices
from api.web.pages import PageError, Web
from api.web.xlsx import Column, xlsx_response
from domain.access.roles import Role

ENDING_WITHIN_DAYS = 90
OVERVIEW_ROLES = frozenset({Role.ACCOUNTANT, Role.AUDITOR, Role.PLATFORM})

HOME = """
query WebHome(
  $village: String!, $month: String!, $lastMonth: String!
) {
  village(code: $village) { code name collectiveName }
  assets(villageCode: $village, first: 100) {
    totalCount
    pageInfo { hasNextPage }
    edges { node {
      id assetCode name status
      contracts(first: 20) { edges { node { contractNo counterpartyName endOn terminatedOn } } }
      invoices(first: 100, unpaid: true) { edges { node { invoiceNo dueOn amount outstanding } } }
    } }
  }
  mealPoints(villageCode: $village, first: 100) {
    edges { node { id monthTotals(month: $month) { meals government } } }
  }
  thisMonth: mealSettlements(villageCode: $village, month: $month, first: 50) {
    edges { node { id month status meals government netGovernment mealPoint { name } } }
  }
  lastMonth: mealSettlements(villageCode: $village, month: $lastMonth, first: 50) {
    edges { node { id month status meals government netGovernment mealPoint { name } } }
  }
  periods(villageCode: $village) { firstOpenMonth months { month closed closedOn } }
}
"""

RENT_COLUMNS = [
    Column("资产编号", width=14),
    Column("资产名称", width=22),
    Column("账单编号", width=14),
    Column("应收日期", "date", width=12),
    Column("金额", "money", width=16),
    Column("未收", "money", width=16),
]
ENDING_COLUMNS = [
    Column("资产编号", width=14),
    Column("资产名称", width=22),
    Column("合同编号", width=14),
    Column("对方", width=24),
    Column("到期日", "date", width=12),
]
TABLES = {"due": "本月应收租金", "arrears": "欠缴租金", "ending": "90天内到期合同"}


def month_bounds(today: date) -> tuple[date, date, date]:
    """The first and last day of ``today``'s month, and a day of the month before."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1), first - timedelta(days=1)


def nodes(connection: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [e["node"] for e in (connection or {}).get("edges") or [] if e and e.get("node")]


def owed(invoice: dict[str, Any]) -> Decimal:
    return Decimal(str(invoice["outstanding"]))


def summary(data: dict[str, Any], today: date) -> dict[str, Any]:
    """What the cards show, computed from the village's assets as the API answered them."""
    first, last, _ = month_bounds(today)
    horizon = (today + timedelta(days=ENDING_WITHIN_DAYS)).isoformat()
    due: list[dict[str, Any]] = []
    arrears: list[dict[str, Any]] = []
    ending: list[dict[str, Any]] = []
    for asset in nodes(data["assets"]):
        for invoice in nodes(asset["invoices"]):
            row = {"asset": asset, **invoice}
            if first.isoformat() <= invoice["dueOn"] <= last.isoformat() and owed(invoice) > 0:
                due.append(row)
            elif invoice["dueOn"] < today.isoformat() and owed(invoice) > 0:
                arrears.append(row)
        for contract in nodes(asset["contracts"]):
            if (
                contract["terminatedOn"] is None
                and today.isoformat() <= contract["endOn"] <= horizon
            ):
                ending.append({"asset": asset, **contract})
    due.sort(key=lambda r: (r["dueOn"], r["asset"]["assetCode"]))
    arrears.sort(key=lambda r: (r["dueOn"], r["asset"]["assetCode"]))
    ending.sort(key=lambda r: (r["endOn"], r["asset"]["assetCode"]))
    months = data["periods"]["months"] if data.get("periods") else []
    closed = [m for m in months if m["closed"]]
    settlements = nodes(data.get("lastMonth")) + nodes(data.get("thisMonth"))
    points = nodes(data.get("mealPoints"))
    return {
        "due": due,
        "due_total": sum((owed(r) for r in due), Decimal(0)),
        "arrears": arrears,
        "arrears_total": sum((owed(r) for r in arrears), Decimal(0)),
        "ending": ending,
        "assets_total": data["assets"]["totalCount"],
        "assets_more": data["assets"]["pageInfo"]["hasNextPage"],
        "meals": sum(int(p["monthTotals"]["meals"]) for p in points),
        "subsidy": sum((Decimal(str(p["monthTotals"]["government"])) for p in points), Decimal(0)),
        "settlements": settlements,
        "first_open": (data.get("periods") or {}).get("firstOpenMonth"),
        "closed_months": len(closed),
        "last_closed": max((m["month"] for m in closed), default=None),
    }


async def home(web: Web) -> Response:
    if web.role not in OVERVIEW_ROLES:
        return web.render("home.html", {})
    villages = await village_choices(web)
    if not villages:
        return web.render("home.html", {})
    wanted = web.request.query_params.get("village", "")
    village = wanted if any(c.value == wanted for c in villages) else villages[0].value
    today = web.registry.clock.today()
    first, _, before = month_bounds(today)
    variables = {
        "village": village,
        "month": first.strftime("%Y-%m"),
        "lastMonth": before.strftime("%Y-%m"),
    }
    data = await web.query(HOME, variables)
    found = summary(data, today)
    if web.request.query_params.get("format") == "xlsx":
        return download(web.request.query_params.get("table", ""), found)
    context = {
        **found,
        "villages": villages,
        "village": data.get("village") or {"code": village, "name": village},
        "today": today.isoformat(),
        "month": variables["month"],
        "last_month": variables["lastMonth"],
        "horizon_days": ENDING_WITHIN_DAYS,
    }
    return web.render("home_accountant.html", context)


def download(table: str, found: dict[str, Any]) -> Response:
    if table not in TABLES:
        raise PageError(400, "invalid_input")
    title = TABLES[table]
    if table == "ending":
        rows = [
            [
                r["asset"]["assetCode"],
                r["asset"]["name"],
                r["contractNo"],
                r["counterpartyName"],
                r["endOn"],
            ]
            for r in found["ending"]
        ]
        return xlsx_response(f"{title}.xlsx", title, ENDING_COLUMNS, rows)
    rows = [
        [
            r["asset"]["assetCode"],
            r["asset"]["name"],
            r["invoiceNo"],
            r["dueOn"],
            r["amount"],
            r["outstanding"],
        ]
        for r in found[table]
    ]
    return xlsx_response(f"{title}.xlsx", title, RENT_COLUMNS, rows)
