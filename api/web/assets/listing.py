"""The asset register of the user's villages (资产台账): filtered by village, status and resource
kind, a page of 100 at a time, each row linking to the asset; the whole filtered list downloads
as xlsx."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from api.web.assets.common import kind_choices, kind_names, village_choices, vocabulary
from api.web.labels import label
from api.web.pages import Web
from api.web.xlsx import Column, xlsx_response
from domain.assets.vocabulary import STATUSES

ASSETS = """
query WebAssets(
  $villageCode: String, $status: AssetStatus, $kind: String, $first: Int, $after: String
) {
  assets(villageCode: $villageCode, status: $status, kind: $kind, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id villageCode assetCode name kind areaM2 location bookValue status registeredOn
      currentContractNo invoicedToDate receivedToDate outstanding village { name }
    } }
  }
}
"""

PAGE = 100
XLSX_PAGES_MAX = 100  # 10,000 assets: far more than any village holds

COLUMNS = [
    Column("村", width=14),
    Column("资产编号", width=14),
    Column("资产名称", width=22),
    Column("资源类别", width=16),
    Column("面积（平方米）", "money", width=14),
    Column("坐落位置", width=24),
    Column("账面价值", "money", width=16),
    Column("状态", width=10),
    Column("登记日期", "date", width=12),
    Column("现行合同", width=14),
    Column("累计开票", "money", width=16),
    Column("累计收款", "money", width=16),
    Column("未收金额", "money", width=16),
]


async def filters(web: Web) -> dict[str, Any]:
    params = web.request.query_params
    villages = await village_choices(web)
    village = params.get("village") or None
    if village not in {c.value for c in villages}:
        village = None
    status = params.get("status") or None
    if status not in STATUSES:
        status = None
    kinds = await kind_choices(web, village or (villages[0].value if villages else None))
    kind = params.get("kind") or None
    if kind not in {c.value for c in kinds}:
        kind = None
    return {
        "villages": villages,
        "village": village,
        "statuses": vocabulary("AssetStatus", STATUSES),
        "status": status,
        "kinds": kinds,
        "kind": kind,
    }


def variables_of(chosen: dict[str, Any]) -> dict[str, Any]:
    return {"villageCode": chosen["village"], "status": chosen["status"], "kind": chosen["kind"]}


async def asset_list(web: Web) -> Response:
    chosen = await filters(web)
    after = web.request.query_params.get("after") or None
    data = await web.query(ASSETS, {**variables_of(chosen), "first": PAGE, "after": after})
    found = data["assets"]
    rows = [e["node"] for e in found["edges"] if e and e.get("node")]
    query = urlencode({k: chosen[k] for k in ("village", "status", "kind") if chosen[k]})
    context = {
        **chosen,
        "rows": rows,
        "total": found["totalCount"],
        "next": found["pageInfo"]["endCursor"] if found["pageInfo"]["hasNextPage"] else None,
        "query": query,
        "kind_names": kind_names(chosen["kinds"]),
    }
    return web.render("assets/list.html", context)


async def asset_list_xlsx(web: Web) -> Response:
    chosen = await filters(web)
    names = kind_names(chosen["kinds"])
    rows: list[list[Any]] = []
    after: str | None = None
    for _ in range(XLSX_PAGES_MAX):
        data = await web.query(ASSETS, {**variables_of(chosen), "first": PAGE, "after": after})
        found = data["assets"]
        for edge in found["edges"]:
            n = edge["node"]
            rows.append(
                [
                    (n.get("village") or {}).get("name") or n["villageCode"],
                    n["assetCode"],
                    n["name"],
                    names.get(n["kind"], n["kind"]),
                    n["areaM2"],
                    n["location"],
                    n["bookValue"],
                    label("AssetStatus", n["status"]),
                    n["registeredOn"],
                    n["currentContractNo"],
                    n["invoicedToDate"],
                    n["receivedToDate"],
                    n["outstanding"],
                ]
            )
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    return xlsx_response("资产台账.xlsx", "资产台账", COLUMNS, rows)
