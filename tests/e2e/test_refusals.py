"""Refused commands: the code comes back in the payload's ``errors`` and nothing is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from domain.shared.errors import DomainError
from tests.e2e.conftest import ISSUER, Api
from tests.e2e.documents import (
    APPROVE,
    CONFIRM_RIGHTS,
    ERRORS,
    HISTORY,
    LIST_FOR_BIDDING,
    REGISTER_ASSET,
    SIGN_CONTRACT,
    lease,
    register_variables,
    resolution,
)
from tests.support import VILLAGE

SET_POLICY = f"""
mutation SetPolicy($key: String!, $value: JSON!) {{
  setPolicy(key: $key, jurisdiction: "320117107206", effectiveFrom: "2024-06-01",
            value: $value, source: "乌村桥村决〔2024〕9号") {{
    policy {{ key jurisdiction effectiveFrom value source }}
    {ERRORS}
  }}
}}
"""

ASSETS_OF_VILLAGE = (
    "query($v: String) { assets(villageCode: $v) { totalCount edges { node { assetCode } } } }"
)


def registered_with_rights(api: Api) -> str:
    data = api.data(REGISTER_ASSET, register_variables())
    asset_id: str = data["registerAsset"]["asset"]["id"]
    api.data(CONFIRM_RIGHTS, {"id": asset_id})
    return asset_id


def history_length(api: Api, asset_id: str) -> int:
    return len(api.auditor.data(HISTORY, {"id": asset_id})["history"])


def refusal(api: Api, document: str, variables: dict[str, Any], field: str) -> dict[str, Any]:
    response = api.post(document, variables)
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body  # a refusal is data, not a GraphQL error
    result: dict[str, Any] = body["data"][field]
    assert len(result["errors"]) == 1, result
    return result


def test_approval_by_19_of_30_is_refused_and_nothing_is_recorded(api: Api) -> None:
    # given an asset whose rights are confirmed
    asset_id = registered_with_rights(api)
    before = history_length(api, asset_id)

    # when a lease is approved by 19 of 30 representatives (28 present)
    variables = {"id": asset_id, "resolution": resolution(votes_for=19, members_total=30)}
    result = refusal(api, APPROVE, variables, "approveRevitalization")

    # then two thirds of the total are missing, and the history did not grow
    assert result["asset"] is None
    assert result["errors"][0]["code"] == "approval_below_two_thirds_of_total"
    assert result["errors"][0]["field"] == "resolution.votesFor"
    assert "19" in result["errors"][0]["message"]
    assert history_length(api, asset_id) == before


def test_a_lease_of_21_years_is_refused_and_nothing_is_recorded(api: Api) -> None:
    # given an asset approved for lease and listed
    asset_id = registered_with_rights(api)
    api.data(APPROVE, {"id": asset_id, "resolution": resolution()})
    api.data(LIST_FOR_BIDDING, {"id": asset_id})
    before = history_length(api, asset_id)

    # when a lease from 2024-04-01 to 2045-03-31 is signed
    variables = {"id": asset_id, "contract": lease(end_on="2045-03-31")}
    result = refusal(api, SIGN_CONTRACT, variables, "signAssetContract")

    # then it exceeds 20 years, and nothing was recorded
    assert result["errors"][0]["code"] == "lease_term_exceeds_20_years"
    assert result["errors"][0]["field"] == "endOn"
    assert history_length(api, asset_id) == before
    status = api.data(
        "query($id: ID!) { asset(id: $id) { status contracts { totalCount } } }", {"id": asset_id}
    )["asset"]
    assert status == {"status": "listed", "contracts": {"totalCount": 0}}


def test_an_unknown_resource_kind_registers_nothing(api: Api) -> None:
    # given the resource kinds in force
    document = REGISTER_ASSET.replace('"collective_building"', '"villa_compound"')

    # when an asset of another kind is registered
    result = refusal(api, document, register_variables(), "registerAsset")

    # then it is refused and the register stays empty
    assert result["errors"][0]["code"] == "resource_kind_not_allowed"
    assert result["errors"][0]["field"] == "kind"
    assert api.data(ASSETS_OF_VILLAGE, {"v": VILLAGE})["assets"]["totalCount"] == 0


def test_a_malformed_asset_id_is_refused_in_the_payload(api: Api) -> None:
    result = refusal(api, CONFIRM_RIGHTS, {"id": "not-a-uuid"}, "confirmAssetRights")
    assert result["errors"][0] == {
        "code": "invalid_input",
        "field": "assetId",
        "message": "assetId must be an id (a UUID), got 'not-a-uuid'",
    }


def test_a_token_name_too_long_for_the_books_is_refused_when_issued(api: Api) -> None:
    # the name becomes the actor of every fact recorded with the token: it must fit the books
    with pytest.raises(DomainError) as refused:
        api.registry.access.issue_token("accountant", [VILLAGE], "x" * 101, ISSUER)
    assert (refused.value.code, refused.value.field) == ("invalid_input", "name")


def test_a_policy_is_set_and_then_in_force_for_the_village(api: Api) -> None:
    # when the village lowers its public-bidding threshold from June
    variables = {"key": "assets.public_bidding_threshold_yuan", "value": "20000"}
    result = api.admin.data(SET_POLICY, variables)["setPolicy"]

    # then the value is in force there from that day, and the district's still before it
    assert result["errors"] == []
    assert result["policy"] == {
        "key": "assets.public_bidding_threshold_yuan",
        "jurisdiction": VILLAGE,
        "effectiveFrom": "2024-06-01",
        "value": "20000.00",
        "source": "乌村桥村决〔2024〕9号",
    }
    query = """query($on: Date!) { policyInForce(key: "assets.public_bidding_threshold_yuan",
                placeCode: "320117107206", on: $on) { jurisdiction value } }"""
    assert api.data(query, {"on": "2024-05-31"})["policyInForce"] == {
        "jurisdiction": "320117",
        "value": "50000.00",
    }
    assert api.data(query, {"on": "2024-06-01"})["policyInForce"]["value"] == "20000.00"


def test_a_policy_value_of_the_wrong_shape_is_refused(api: Api) -> None:
    variables = {"key": "assets.resource_kinds", "value": {"not": "a list"}}
    result = refusal(api.admin, SET_POLICY, variables, "setPolicy")
    assert result["policy"] is None
    assert result["errors"][0]["code"] == "policy_value_invalid"
