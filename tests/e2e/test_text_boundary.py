"""Hostile text at the API's boundary: NUL, lone surrogates, control characters anywhere a
request carries a string (a variable, a nested input, a literal, an object key) are refused with
one code before anything runs; nothing is recorded, and the registry goes on working."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import Api
from tests.e2e.documents import REGISTER_ASSET, SIGN_CONTRACT, lease, register_variables

CODE = "text_contains_forbidden_character"
RENAME = """
mutation Register($village: String!, $code: String!, $name: String!) {
  registerAsset(villageCode: $village, assetCode: $code, name: $name,
                kind: "collective_building", areaM2: "320.5", location: "乌村桥村12号",
                registeredOn: "2024-01-10") { asset { id name } errors { code } }
}
"""


def refused_with(api: Api, body: dict[str, Any] | bytes, field: str) -> None:
    before = api.registry.store.last_notification_id()
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = api.request(
        "POST",
        "/graphql",
        content=content,
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": CODE, "field": field}
    assert api.registry.store.last_notification_id() == before  # nothing recorded


@pytest.mark.parametrize("name", ["a\u0000b", "\ud800", "x\udfffy", "村\u0007", "\u202e名", "\x9b"])
def test_a_forbidden_character_in_a_variable_is_refused_and_nothing_recorded(
    api: Api, name: str
) -> None:
    variables = {**register_variables("ZC-T1"), "name": name}
    refused_with(api, {"query": RENAME, "variables": variables}, "variables.name")


def test_a_lone_surrogate_escaped_in_the_json_body_is_refused(api: Api) -> None:
    variables = '{"village": "320117107206", "code": "ZC-T2", "name": "a\\ud800b"}'
    body = f'{{"query": {json.dumps(RENAME)}, "variables": {variables}}}'.encode()
    refused_with(api, body, "variables.name")


def test_a_forbidden_character_deep_in_an_input_object_is_refused(api: Api) -> None:
    asset = api.data(REGISTER_ASSET, register_variables("ZC-T3"))["registerAsset"]["asset"]
    contract = {**lease(), "counterpartyName": "南京\u0000公司"}
    refused_with(
        api,
        {"query": SIGN_CONTRACT, "variables": {"id": asset["id"], "contract": contract}},
        "variables.contract.counterpartyName",
    )


def test_a_forbidden_character_in_a_literal_or_a_key_is_refused(api: Api) -> None:
    literal = RENAME.replace(", $name: String!", "").replace("$name", '"村\\u0000部"')
    refused_with(api, {"query": literal, "variables": register_variables("ZC-T4")}, "query")
    keyed = {**register_variables("ZC-T5"), "name": "好", "x\u0000": 1}
    refused_with(api, {"query": RENAME, "variables": keyed}, "variables.x\u0000")


def test_after_hostile_text_the_registry_still_records_and_folds(api: Api) -> None:
    refused_with(
        api,
        {"query": RENAME, "variables": {**register_variables("ZC-T6"), "name": "a\u0000b"}},
        "variables.name",
    )
    variables = {**register_variables("ZC-T6"), "name": "村部新楼"}
    result = api.data(RENAME, variables)["registerAsset"]
    assert result["errors"] == []
    assert result["asset"]["name"] == "村部新楼"
    assert api.registry.runner.halted(fresh=True) == {}
    assert set(api.registry.runner.positions().values()) == {
        api.registry.store.last_notification_id()
    }
