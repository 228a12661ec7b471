"""Reading the registry: places down to assets and contracts, and a village's books."""

from __future__ import annotations

from decimal import Decimal

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.support import OTHER_VILLAGE, TOWN, VILLAGE, leased_building

TOWNS_DOWN_TO_CONTRACTS = """
{
  towns(first: 5) { totalCount edges { cursor node {
    code name
    villages(first: 10) { totalCount edges { node {
      code name collectiveName nameInvented codeInvented source
      town { code }
      assets(first: 10) { totalCount edges { node {
        assetCode status bookValue registeredOn
        village { code }
        contracts(first: 5) { edges { node {
          contractNo counterpartyName totalValue signedOn terminatedOn } } }
        invoices(first: 5) { totalCount edges { node { invoiceNo } } }
      } } }
    } } }
  } } }
}
"""

VILLAGE_AND_DISTRICT = """
query($code: String!) {
  village(code: $code) { name town { name district { code name city province } } }
  district { code towns { edges { node { code } } } }
}
"""

STATEMENT = """
query($village: String!, $account: String!) {
  accountStatement(villageCode: $village, accountCode: $account,
                   from: "2024-01-01", to: "2024-12-31") {
    accountCode accountName from to openingBalance closingBalance
    lines {
      voucherNo entryDate factDate kind description debit credit balance
      source { notificationId aggregateId version eventType actor authority recordedAt }
    }
  }
  accountBalance(villageCode: $village, accountCode: $account, asOf: "2024-12-31") {
    accountName balance
  }
}
"""


def test_towns_down_to_villages_assets_and_contracts(seeded: Registry, api: Api) -> None:
    # given a leased building in one of the town's two villages
    leased_building(seeded.assets)

    # when the tree is read from the towns down
    towns = api.data(TOWNS_DOWN_TO_CONTRACTS)["towns"]

    # then every level is there, each village with its own assets only
    assert towns["totalCount"] == 1
    assert [t["code"] for t in nodes(towns)] == [TOWN]
    villages = {v["code"]: v for v in nodes(nodes(towns)[0]["villages"])}
    assert list(villages) == [VILLAGE, OTHER_VILLAGE]
    leased = villages[VILLAGE]
    assert leased["collectiveName"] == "乌村桥村股份经济合作社"
    assert leased["town"] == {"code": TOWN}
    assert leased["nameInvented"] is False
    assets = nodes(leased["assets"])
    for asset in assets:
        asset["contracts"] = nodes(asset["contracts"])
    assert leased["assets"]["totalCount"] == 1
    assert assets == [
        {
            "assetCode": "ZC-001",
            "status": "contracted",
            "bookValue": "120000.00",
            "registeredOn": "2024-01-10",
            "village": {"code": VILLAGE},
            "contracts": [
                {
                    "contractNo": "HT-001",
                    "counterpartyName": "南京某文旅有限公司",
                    "totalValue": "150000.00",
                    "signedOn": "2024-03-20",
                    "terminatedOn": None,
                }
            ],
            "invoices": {"totalCount": 0, "edges": []},
        }
    ]
    invented = villages[OTHER_VILLAGE]
    assert (invented["nameInvented"], invented["codeInvented"], invented["source"]) == (
        True,
        True,
        "test",
    )
    assert invented["assets"] == {"totalCount": 0, "edges": []}


def test_a_village_up_to_its_district(api: Api) -> None:
    data = api.data(VILLAGE_AND_DISTRICT, {"code": VILLAGE})
    assert data["village"] == {
        "name": "乌村桥村",
        "town": {
            "name": "和凤镇",
            "district": {
                "code": "320117",
                "name": "溧水区",
                "city": "南京市",
                "province": "江苏省",
            },
        },
    }
    assert data["district"] == {"code": "320117", "towns": {"edges": [{"node": {"code": TOWN}}]}}


def test_unknown_places_and_assets_are_null(api: Api) -> None:
    query = """{ village(code: "320117107999") { name } town(code: "320117999") { name }
                 asset(id: "00000000-0000-0000-0000-000000000000") { id } }"""
    assert api.platform.data(query) == {"village": None, "town": None, "asset": None}


def test_an_account_statement_points_each_line_to_its_event(seeded: Registry, api: Api) -> None:
    # given a registered building carried at 120,000 in 151
    asset_id = leased_building(seeded.assets)

    # when the 151 statement and balance for 2024 are read
    data = api.data(STATEMENT, {"village": VILLAGE, "account": "151"})

    # then the one line comes from the asset's Registered event
    statement = data["accountStatement"]
    assert statement["accountName"] == "固定资产"
    assert (statement["from"], statement["to"]) == ("2024-01-01", "2024-12-31")
    assert statement["openingBalance"] == "0.00"
    assert statement["closingBalance"] == "120000.00"
    [line] = statement["lines"]
    assert (line["entryDate"], line["debit"], line["balance"]) == (
        "2024-01-10",
        "120000.00",
        "120000.00",
    )
    assert (line["voucherNo"], line["factDate"], line["kind"]) == (
        "记-2024-01-0001",
        "2024-01-10",
        "programme",
    )
    source = line["source"]
    assert (source["aggregateId"], source["version"], source["eventType"]) == (
        str(asset_id),
        1,
        "Asset.Registered",
    )
    assert source["actor"] == "accountant:test"  # recorded by the application, not the API
    assert source["notificationId"] > 0
    assert source["recordedAt"].endswith("+00:00")
    assert data["accountBalance"] == {"accountName": "固定资产", "balance": "120000.00"}


def test_the_books_of_an_unregistered_village_are_refused(api: Api) -> None:
    response = api.platform.post('{ trialBalance(villageCode: "320117107999") { totalDebit } }')
    assert response.json()["errors"][0]["extensions"]["code"] == "village_not_registered"


def test_trial_balance_defaults_to_today(seeded: Registry, api: Api) -> None:
    leased_building(seeded.assets)
    books = api.data('{ trialBalance(villageCode: "320117107206") { asOf totalDebit } }')
    assert Decimal(books["trialBalance"]["totalDebit"]) == Decimal("120000.00")
