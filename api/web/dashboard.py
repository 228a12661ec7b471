"""The dashboard (大屏, ``/dashboard?place=320117&from=2026-01&to=2026-06``): a district's or a
town's figures by month, day and town or village, for the district platform and auditors.

The server renders every figure as tables too, so the page works without scripts; the charts
(Apache ECharts, vendored in api/web/static/vendor/) are drawn by api/web/static/js/dashboard.js
from the JSON the page carries in a ``<script type="application/json">`` block (the CSP runs no
inline script). It reads through the one GraphQL query ``dashboard`` as the signed-in user."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from markupsafe import Markup
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api.dashboard.types import MAX_DASHBOARD_MONTHS
from api.web.forms import Choice, FormState
from api.web.forms import Field as FormField
from api.web.labels import label
from api.web.pages import Web, page
from domain.access.roles import Role

READERS = {Role.AUDITOR, Role.PLATFORM}
FIGURES = """
  key name meals price government collective coPayment eldersServed income assetsInForce
  landContracts landAreaM2 landPrice installmentsReceived levyPaid arrearsInvoices arrears
  findings overdueDisclosures"""
DASHBOARD = f"""
query Dashboard($place: String!, $from: String!, $to: String!) {{
  dashboard(placeCode: $place, fromMonth: $from, toMonth: $to) {{
    placeCode placeName level fromMonth toMonth asOn
    totals {{ {FIGURES} }}
    months {{ {FIGURES} }}
    areas {{ {FIGURES} }}
    days {{ day meals government collective coPayment }}
    assetsByMode {{ month mode assets }}
    findingsByKind {{ kind count }}
  }}
}}"""
PLACES = """
query DashboardPlaces {
  district { code name }
  towns(first: 100) { edges { node { code name } } }
}"""
FIELDS = [
    FormField("place", "地区", "select", required=True, path="placeCode"),
    FormField("from", "起始月份", required=True, path="fromMonth", placeholder="2026-01"),
    FormField("to", "截止月份", required=True, path="toMonth", placeholder="2026-12"),
]


def default_months(web: Web) -> tuple[str, str]:
    """The last MAX_DASHBOARD_MONTHS months, this one included."""
    today = web.registry.clock.today()
    back = today.year * 12 + today.month - 1 - (MAX_DASHBOARD_MONTHS - 1)
    return f"{back // 12:04d}-{back % 12 + 1:02d}", f"{today:%Y-%m}"


def chart_json(data: dict[str, Any]) -> Markup:
    """The charts' data as JSON that cannot end its <script> element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return Markup(text)  # JSON with every markup character escaped above


def charts_of(board: dict[str, Any]) -> dict[str, Any]:
    months = board["months"]
    modes = sorted({m["mode"] for m in board["assetsByMode"]})
    in_force = {(m["month"], m["mode"]): m["assets"] for m in board["assetsByMode"]}
    return {
        "level": board["level"],
        "months": [m["key"] for m in months],
        "meals": [m["meals"] for m in months],
        "government": [m["government"] for m in months],
        "collective": [m["collective"] for m in months],
        "coPayment": [m["coPayment"] for m in months],
        "elders": [m["eldersServed"] for m in months],
        "income": [m["income"] for m in months],
        "landPrice": [m["landPrice"] for m in months],
        "installments": [m["installmentsReceived"] for m in months],
        "levy": [m["levyPaid"] for m in months],
        "findings": [m["findings"] for m in months],
        "assets": [
            {
                "name": label("ContractMode", mode),
                "data": [in_force.get((m["key"], mode), 0) for m in months],
            }
            for mode in modes
        ],
        "days": [d["day"] for d in board["days"]],
        "dayMeals": [d["meals"] for d in board["days"]],
        "areas": [
            {
                "code": a["key"],
                "name": a["name"],
                "meals": a["meals"],
                "elders": a["eldersServed"],
                "arrears": a["arrears"],
                "findings": a["findings"],
            }
            for a in board["areas"]
        ],
        "kinds": [
            {"name": label("FindingKind", k["kind"]), "value": k["count"]}
            for k in board["findingsByKind"]
        ],
    }


async def dashboard_page(web: Web) -> Response:
    params = web.request.query_params
    places = await web.query(PLACES)
    district = places["district"]
    first, last = default_months(web)
    values = {
        "place": params.get("place") or (district["code"] if district else ""),
        "from": params.get("from") or first,
        "to": params.get("to") or last,
    }
    choices = [Choice(district["code"], f"{district['name']}（全区）")] if district else []
    choices += [Choice(n["code"], n["name"]) for n in (e["node"] for e in places["towns"]["edges"])]
    form = FormState([replace(FIELDS[0], choices=choices), *FIELDS[1:]], values)
    answer = await web.graphql(DASHBOARD, values)
    for error in answer.errors:
        form.add(error)
    board = None if answer.errors else (answer.data or {}).get("dashboard")
    context: dict[str, Any] = {"form": form, "board": board, "values": values}
    if board is not None:
        context["kinds"] = [
            {**k, "name": label("FindingKind", k["kind"])} for k in board["findingsByKind"]
        ]
        context["charts"] = chart_json(charts_of(board))
    status = 400 if form.refused else 404 if board is None else 200
    return web.render("dashboard/dashboard.html", context, status=status)


def routes() -> list[BaseRoute]:
    return [Route("/dashboard", page(dashboard_page, roles=READERS), methods=["GET"])]
