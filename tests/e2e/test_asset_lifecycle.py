"""An asset carried from registration to rent received, through GraphQL mutations only; then
the village's books balance, and the asset's history shows who recorded each step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.e2e.conftest import Api, nodes
from tests.e2e.documents import (
    APPROVE,
    CONFIRM_RIGHTS,
    HISTORY,
    INVOICE_RENT,
    LIST_FOR_BIDDING,
    RECEIVE_RENT,
    REGISTER_ASSET,
    SIGN_CONTRACT,
    TRIAL_BALANCE,
    lease,
    register_variables,
    resolution,
)
from tests.support import VILLAGE

CLERK = "clerk:320117107206"
MEETING = "乌村桥村决〔2024〕3号"


def payload(api: Api, document: str, variables: dict[str, Any], field: str) -> dict[str, Any]:
    """One mutation's payload, asserting it was accepted."""
    result: dict[str, Any] = api.data(document, variables, actor=CLERK)[field]
    assert result["errors"] == [], result["errors"]
    return result


def lease_through_mutations(api: Api) -> str:
    """Register, confirm rights, approve with 21 of 30, list, sign, invoice 3 years, receive."""
    asset = payload(api, REGISTER_ASSET, register_variables(), "registerAsset")["asset"]
    asset_id: str = asset["id"]
    ids = {"id": asset_id}
    payload(api, CONFIRM_RIGHTS, ids, "confirmAssetRights")
    approval = {**ids, "resolution": resolution(21, 30), "authority": MEETING}
    payload(api, APPROVE, approval, "approveRevitalization")
    payload(api, LIST_FOR_BIDDING, ids, "listAssetForBidding")
    payload(api, SIGN_CONTRACT, {**ids, "contract": lease()}, "signAssetContract")
    payload(api, INVOICE_RENT, ids, "invoiceRent")
    payload(api, RECEIVE_RENT, ids, "receiveRent")
    return asset_id


def test_a_lease_recorded_through_mutations_reaches_the_register(api: Api) -> None:
    # given a registered asset
    asset = payload(api, REGISTER_ASSET, register_variables(), "registerAsset")["asset"]
    assert asset["status"] == "registered"
    assert asset["bookValue"] == "120000.00"
    assert asset["areaM2"] == "320.5"
    ids = {"id": asset["id"]}

    # when it goes through rights, approval, listing and contract
    confirmed = payload(api, CONFIRM_RIGHTS, ids, "confirmAssetRights")["asset"]
    approval = {**ids, "resolution": resolution(21, 30)}
    approved = payload(api, APPROVE, approval, "approveRevitalization")["asset"]
    listed = payload(api, LIST_FOR_BIDDING, ids, "listAssetForBidding")["asset"]
    signed = payload(api, SIGN_CONTRACT, {**ids, "contract": lease()}, "signAssetContract")

    # then each payload shows the asset as the register has it after the command
    assert confirmed == {"status": "rights_confirmed", "rightsConfirmed": True}
    assert approved["status"] == "approved"
    assert listed["status"] == "listed"
    assert signed["asset"]["status"] == "contracted"
    assert nodes(signed["asset"]["contracts"]) == [
        {
            "contractNo": "HT-001",
            "mode": "lease",
            "startOn": "2024-04-01",
            "endOn": "2029-03-31",
            "totalValue": "150000.00",
            "publicBidding": True,
            "resolutionReference": MEETING,
            "renewals": 0,
        }
    ]


def test_rent_invoiced_and_received_balances_the_books_with_income_in_501(api: Api) -> None:
    # given an asset leased, invoiced and paid through the API
    asset_id = lease_through_mutations(api)

    # when the register and the village's trial balance are read
    asset = api.data(
        "query($id: ID!) { asset(id: $id) { invoicedToDate receivedToDate outstanding status } }",
        {"id": asset_id},
    )["asset"]
    books = api.data(TRIAL_BALANCE, {"village": VILLAGE, "asOf": "2024-12-31"})["trialBalance"]

    # then the money shows in both, and the books balance
    assert asset == {
        "invoicedToDate": "90000.00",
        "receivedToDate": "90000.00",
        "outstanding": "0.00",
        "status": "contracted",
    }
    assert books["villageCode"] == VILLAGE
    assert books["chartVersion"] == "2023"
    assert books["totalDebit"] == books["totalCredit"]
    credits = {line["accountCode"]: Decimal(line["credit"]) for line in books["lines"]}
    assert credits["501"] > 0  # the 2024 part of three years' rent is this year's income
    assert credits["211"] > 0  # the later years' parts wait as rent received in advance


def test_history_lists_the_assets_events_in_order_with_the_actor_from_the_token(
    api: Api,
) -> None:
    # given an asset recorded through mutations by one clerk's token
    asset_id = lease_through_mutations(api)

    # when an auditor reads its history
    events = api.auditor.data(HISTORY, {"id": asset_id})["history"]

    # then every event is there, in version order, with who recorded it and on what authority
    assert [e["version"] for e in events] == list(range(1, 8))
    assert [e["type"] for e in events] == [
        "Asset.Registered",
        "Asset.RightsConfirmed",
        "Asset.RevitalizationApproved",
        "Asset.ListedForBidding",
        "Asset.Contracted",
        "Asset.RentInvoiced",
        "Asset.RentReceived",
    ]
    (actor,) = {e["actor"] for e in events}
    assert actor.startswith(f"{CLERK} [accountant token ")
    assert {e["aggregateId"] for e in events} == {asset_id}
    assert events[2]["authority"] == MEETING
    assert events[2]["payload"]["resolution"]["votes_for"] == 21
    assert events[5]["payload"]["amount_yuan"] == "90000.00"
    assert events[0]["recordedAt"].endswith("+00:00")


def test_the_actor_comes_from_the_token_whatever_a_header_claims(api: Api) -> None:
    # given a request that claims another actor in the old X-Qianwan-Actor header
    headers = {**api.headers(), "X-Qianwan-Actor": "someone:else"}
    body = {"query": REGISTER_ASSET, "variables": register_variables()}
    response = api.request("POST", "/graphql", json=body, headers=headers)
    asset_id = response.json()["data"]["registerAsset"]["asset"]["id"]

    # when the history is read
    events = api.auditor.data(HISTORY, {"id": asset_id})["history"]

    # then the token, not the header, says who recorded it
    (event,) = events
    assert event["actor"].startswith("test accountant [accountant token ")


def test_the_same_invoice_sent_twice_is_recorded_once(api: Api) -> None:
    # given an invoiced asset
    asset_id = lease_through_mutations(api)

    # when the same invoice is sent again (a client retry)
    again = payload(api, INVOICE_RENT, {"id": asset_id}, "invoiceRent")

    # then it is accepted, nothing new is recorded, and the totals stay the same
    assert again["recorded"] is False
    assert again["asset"]["invoicedToDate"] == "90000.00"
    assert len(api.auditor.data(HISTORY, {"id": asset_id})["history"]) == 7
