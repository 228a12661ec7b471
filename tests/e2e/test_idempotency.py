"""Create mutations take a client key: the same key with the same input returns the first result
and records nothing; with another input, or for another mutation, `idempotency_key_reused`. The
key is saved in the same transaction as what it created, and keys of different tokens never
meet."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from graphql import get_named_type

from api.idempotency import KeyUse
from api.schema import build_schema
from domain.shared.idempotency import IdempotencyKey
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.documents import ASSET_FIELDS, ERRORS
from tests.e2e.meals_documents import enrol_variables, meals_api, record, register_point
from tests.support import VILLAGE

CREATES = {
    "registerAsset",
    "registerParcel",
    "registerMealPoint",
    "enrolElder",
    "recordMeals",
    "draftSettlement",
    "draftDisclosure",
    "issueApiToken",
    "recordVoucher",
    "reverseVoucher",
}
REGISTER = f"""
mutation Register($code: String!, $name: String!, $key: String) {{
  registerAsset(villageCode: "{VILLAGE}", assetCode: $code, name: $name, kind: "other",
                areaM2: "80.0", location: "村口", registeredOn: "2024-01-10",
                bookValue: "1200", idempotencyKey: $key) {{
    asset {{ {ASSET_FIELDS} }}
    {ERRORS}
  }}
}}
"""
ENROL = f"""
mutation Enrol($name: String!, $idNumber: String!, $categories: [ElderCategoryInput!]!,
               $enrolledOn: Date!, $key: String) {{
  enrolElder(villageCode: "{VILLAGE}", name: $name, idNumber: $idNumber,
             categories: $categories, enrolledOn: $enrolledOn, idempotencyKey: $key) {{
    elder {{ id }}
    {ERRORS}
  }}
}}
"""
RECORD = f"""
mutation Record($point: ID!, $records: [MealRecordInput!]!, $key: String) {{
  recordMeals(mealPointId: $point, batchNo: "K-1", records: $records, idempotencyKey: $key) {{
    replayed acceptedCount batch {{ id }} outcomes {{ recordId status }}
    {ERRORS}
  }}
}}
"""


def register(api: Api, key: str | None, code: str = "K-1", name: str = "仓库") -> dict[str, Any]:
    variables = {"code": code, "name": name, "key": key}
    result: dict[str, Any] = api.data(REGISTER, variables)["registerAsset"]
    return result


def last(registry: Registry) -> int:
    return registry.store.last_notification_id()


def test_every_create_mutation_takes_an_idempotency_key() -> None:
    mutation = build_schema().graphql_schema.mutation_type
    assert mutation is not None
    keyed = {name for name, field in mutation.fields.items() if "idempotencyKey" in field.args}
    assert keyed == CREATES
    for name in CREATES:  # and says what it creates, so that the key is saved with it
        payload = get_named_type(mutation.fields[name].type)
        assert payload.graphene_type.creates is not None, name


def test_a_retry_with_the_same_key_returns_the_first_result_and_records_nothing(
    seeded: Registry, api: Api
) -> None:
    # given an asset registered with a key
    first = register(api, "req-1")
    after_first = last(seeded)

    # when the very same request is sent again
    again = register(api, "req-1")

    # then the same asset comes back and nothing is recorded
    assert first["errors"] == again["errors"] == []
    assert again["asset"] == first["asset"]
    assert last(seeded) == after_first


def test_the_key_is_saved_in_the_same_transaction_as_the_created_aggregate(
    seeded: Registry, api: Api
) -> None:
    before = last(seeded)
    asset_id = register(api, "req-2")["asset"]["id"]

    events = seeded.store.recorder.select_notifications(start=before + 1, limit=10)
    kinds = [n.topic.rsplit(".", 1)[-1] for n in events]
    assert kinds == ["Registered", "Used"]
    key: object = seeded.store.repository.get(UUID(str(events[1].originator_id)))
    assert isinstance(key, IdempotencyKey)
    assert (key.command, str(key.result_id), key.key) == ("RegisterAsset", asset_id, "req-2")


def test_the_same_key_with_other_content_is_refused_and_records_nothing(
    seeded: Registry, api: Api
) -> None:
    register(api, "req-3")
    before = last(seeded)

    other_content = register(api, "req-3", name="另一个仓库")
    other_asset = register(api, "req-3", code="K-2")

    for refused in (other_content, other_asset):
        assert refused["asset"] is None
        assert refused["errors"] == [
            {
                "code": "idempotency_key_reused",
                "field": "idempotencyKey",
                "message": "the key 'req-3' was used for another request",
            }
        ]
    assert last(seeded) == before


def test_the_same_key_for_another_mutation_is_refused(seeded: Registry, api: Api) -> None:
    meals_api(seeded)
    register(api, "shared-key")
    variables = {**enrol_variables("张桂英"), "key": "shared-key"}
    refused = api.data(ENROL, variables)["enrolElder"]
    assert refused["elder"] is None
    assert refused["errors"][0]["code"] == "idempotency_key_reused"


def test_keys_of_different_tokens_never_meet(api: Api) -> None:
    mine = register(api, "req-4")
    colleague = api.as_role("accountant", name="同事")
    theirs = register(colleague, "req-4", code="K-9")
    assert mine["asset"]["assetCode"] == "K-1" and theirs["asset"]["assetCode"] == "K-9"


def test_a_retry_recognised_by_its_natural_key_keeps_the_key_too(
    seeded: Registry, api: Api
) -> None:
    # given an asset registered without a key
    first = register(api, None)

    # when the same registration comes with a key (nothing new to record but the key)
    keyed = register(api, "req-5")
    after = last(seeded)
    again = register(api, "req-5")

    # then the first asset is returned each time, and the key remembers it
    assert first["asset"] == keyed["asset"] == again["asset"]
    assert last(seeded) == after


def test_an_elder_enrolled_with_a_key_is_found_again_by_it(seeded: Registry, api: Api) -> None:
    meals_api(seeded)
    variables = {**enrol_variables("张桂英"), "key": "enrol-1"}
    first = api.data(ENROL, variables)["enrolElder"]
    before = last(seeded)
    again = api.data(ENROL, variables)["enrolElder"]
    assert first["errors"] == [] and again["elder"] == first["elder"]
    assert last(seeded) == before


def test_an_upload_retried_with_its_key_is_replayed(seeded: Registry, api: Api) -> None:
    meals_api(seeded)
    point = register_point(api)
    elder = api.data(ENROL, {**enrol_variables("张桂英"), "key": None})["enrolElder"]["elder"]
    records = [record(elder["id"], "2024-05-02T11:30", "r1")]
    variables = {"point": point, "records": records, "key": "upload-1"}

    first = api.data(RECORD, variables)["recordMeals"]
    before = last(seeded)
    again = api.data(RECORD, variables)["recordMeals"]

    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["batch"] == first["batch"] and again["acceptedCount"] == 1
    assert again["outcomes"] == [{"recordId": "r1", "status": "accepted"}]
    assert last(seeded) == before


def test_a_key_too_long_is_refused(api: Api) -> None:
    refused = register(api, "k" * 201)
    assert refused["errors"][0]["code"] == "invalid_input"
    assert refused["errors"][0]["field"] == "idempotencyKey"


def test_a_request_racing_another_with_the_same_key_gets_the_winners_result(
    seeded: Registry, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a request recorded with a key
    first = register(api, "race-1")
    after_first = last(seeded)

    # when another request with the same key looked before the first was saved
    real = KeyUse.earlier
    looked: list[bool] = []

    def racing(self: KeyUse) -> IdempotencyKey | None:
        looked.append(True)
        return None if len(looked) == 1 else real(self)

    monkeypatch.setattr(KeyUse, "earlier", racing)
    second = register(api, "race-1")

    # then the store refuses its key with the asset, and it answers as the winner did
    assert second["errors"] == [] and second["asset"] == first["asset"]
    assert last(seeded) == after_first
