"""One asset (资产详情): its facts, its contracts, its bills with what was received, and the
rent in arrears (bills past due with money outstanding), with the forms for the next step.
Each table downloads as xlsx."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.responses import Response

from api.web.assets.common import kind_choices, kind_names, read_asset
from api.web.labels import label
from api.web.pages import Web
from api.web.xlsx import Column, xlsx_response
from domain.access.roles import Role

ASSET = """
query WebAsset($id: ID!) {
  asset(id: $id) {
    id villageCode assetCode name kind areaM2 location certificateNo bookValue registeredOn
    status rightsConfirmed appraisedValue currentContractNo invoicedToDate receivedToDate
    cancelledToDate outstanding version updatedAt village { name collectiveName }
    contracts(first: 100) { totalCount edges { node {
      contractNo mode counterpartyName counterpartyKind relatedParty signedOn startOn endOn
      terminatedOn terminationReason totalValue publicBidding resolutionReference renewals
    } } }
    invoices(first: 100) { totalCount edges { node {
      invoiceNo contractNo amount issuedOn dueOn coversFrom coversTo received cancelled
      outstanding arrearsNoticedOn
    } } }
  }
}
"""

CONTRACT_COLUMNS = [
    Column("合同编号", width=14),
    Column("利用方式", width=10),
    Column("对方", width=24),
    Column("签订日期", "date", width=12),
    Column("起始日", "date", width=12),
    Column("到期日", "date", width=12),
    Column("终止日", "date", width=12),
    Column("合同总额", "money", width=16),
    Column("公开竞价", width=10),
    Column("决议", width=24),
    Column("续签次数", "int", width=10),
]
INVOICE_COLUMNS = [
    Column("账单编号", width=14),
    Column("合同编号", width=14),
    Column("金额", "money", width=16),
    Column("开具日期", "date", width=12),
    Column("应收日期", "date", width=12),
    Column("所属期间起", "date", width=12),
    Column("所属期间止", "date", width=12),
    Column("已收", "money", width=16),
    Column("已核销", "money", width=16),
    Column("未收", "money", width=16),
    Column("欠款", width=8),
]


async def asset_of(web: Web) -> dict[str, Any]:
    return await read_asset(web, ASSET, web.request.path_params["asset_id"])


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in connection["edges"] if e and e.get("node")]


def in_arrears(invoice: dict[str, Any], today: str) -> bool:
    return str(invoice["dueOn"]) < today and Decimal(str(invoice["outstanding"])) > 0


async def asset_detail(web: Web) -> Response:
    asset = await asset_of(web)
    today = web.registry.clock.today().isoformat()
    invoices = nodes(asset["invoices"])
    arrears = [i for i in invoices if in_arrears(i, today)]
    kinds = kind_names(await kind_choices(web, asset["villageCode"]))
    context = {
        "asset": asset,
        "kind_name": kinds.get(asset["kind"], asset["kind"]),
        "contracts": nodes(asset["contracts"]),
        "invoices": invoices,
        "arrears": arrears,
        "arrears_total": sum((Decimal(str(i["outstanding"])) for i in arrears), Decimal(0)),
        "arrears_ids": {i["invoiceNo"] for i in arrears},
        "may_write": web.role == Role.ACCOUNTANT,
        "may_audit": web.role == Role.AUDITOR,
        "active": asset["status"] in ("contracted", "in_arrears"),
    }
    return web.render("assets/detail.html", context)


async def contracts_xlsx(web: Web) -> Response:
    asset = await asset_of(web)
    rows = [
        [
            c["contractNo"],
            label("ContractMode", c["mode"]),
            c["counterpartyName"],
            c["signedOn"],
            c["startOn"],
            c["endOn"],
            c["terminatedOn"],
            c["totalValue"],
            "是" if c["publicBidding"] else "否",
            c["resolutionReference"],
            c["renewals"],
        ]
        for c in nodes(asset["contracts"])
    ]
    name = f"{asset['assetCode']}合同.xlsx"
    return xlsx_response(name, "合同", CONTRACT_COLUMNS, rows)


async def invoices_xlsx(web: Web) -> Response:
    asset = await asset_of(web)
    today = web.registry.clock.today().isoformat()
    rows = [
        [
            i["invoiceNo"],
            i["contractNo"],
            i["amount"],
            i["issuedOn"],
            i["dueOn"],
            i["coversFrom"],
            i["coversTo"],
            i["received"],
            i["cancelled"],
            i["outstanding"],
            "是" if in_arrears(i, today) else "",
        ]
        for i in nodes(asset["invoices"])
    ]
    name = f"{asset['assetCode']}租金账单.xlsx"
    return xlsx_response(name, "租金账单", INVOICE_COLUMNS, rows)
