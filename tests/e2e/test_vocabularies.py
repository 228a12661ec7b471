"""Closed vocabularies over HTTP. A value outside one (`kind: farmhouse`, `status: rented`) used to
match nothing and answer an empty list; now GraphQL refuses it before anything runs, in a filter
and in a mutation alike, while the values clients send and read stay the same strings. Resource
kinds are a policy, not an enum: an unknown one is refused with `resource_kind_unknown` (and the
documentation's examples run without an error: tests/e2e/test_api_docs.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.assets.policy_keys import DEFAULT_RESOURCE_KINDS
from tests.e2e.conftest import Api, nodes
from tests.e2e.documents import REGISTER_ASSET, refused_before_running, register_variables
from tests.support import ADMIN, VILLAGE

UNKNOWN = "00000000-0000-4000-8000-000000000000"
ASSETS = """query($status: AssetStatus, $village: String) {
  assets(status: $status, villageCode: $village) {
    totalCount edges { node { assetCode kind status } } } }"""
OF_KIND = """query($kind: String, $village: String) {
  assets(kind: $kind, villageCode: $village) { totalCount } }"""
# (a filter with a value outside its vocabulary, as a client used to send it, the enum)
UNKNOWN_FILTERS = [
    ('{ assets(status: "rented") { totalCount } }', "AssetStatus"),
    ('{ parcels(stage: "sold") { totalCount } }', "ParcelStage"),
    ('{ elders(status: "asleep") { totalCount } }', "ElderStatus"),
    ('{ meals(category: "vip") { totalCount } }', "MealCategory"),
    ('{ mealSettlements(status: "lost") { totalCount } }', "SettlementStatus"),
    (
        '{ mealFindings(dateFrom: "2024-01-01", dateTo: "2024-12-31", kinds: ["theft"]) '
        "{ totalCount } }",
        "FindingKind",
    ),
    # without quotes, as a literal of the enum is written now
    ("{ assets(status: rented) { totalCount } }", "AssetStatus"),
]
# (a mutation with an argument outside its vocabulary, the enum that refuses it)
UNKNOWN_ARGUMENTS = [
    (
        f'mutation {{ approveRevitalization(assetId: "{UNKNOWN}", matter: "sale", resolution: '
        '{reference: "决1", meetingKind: villagers_meeting, heldOn: "2024-03-01", '
        "membersTotal: 30, membersPresent: 28, votesFor: 21}) { errors { code } } }",
        "RevitalizationMatter",
    ),
    (
        f'mutation {{ receiveRent(assetId: "{UNKNOWN}", receiptNo: "SJ-1", invoiceNo: "FP-1", '
        'amount: "1.00", receivedOn: "2024-05-01", channel: "cheque") { errors { code } } }',
        "PaymentChannel",
    ),
    (
        f'mutation {{ recordMeals(mealPointId: "{UNKNOWN}", batchNo: "B1", records: [{{'
        'recordId: "r1", servedAt: "2024-05-02T11:30:00", slot: "supper", idNumber: "x"}]) '
        "{ errors { code } } }",
        "MealSlot",
    ),
]


@pytest.mark.parametrize(("document", "enum"), UNKNOWN_FILTERS)
def test_a_filter_value_outside_its_vocabulary_is_refused_before_anything_runs(
    api: Api, document: str, enum: str
) -> None:
    # when a list is filtered on a value its vocabulary does not have
    message = refused_before_running(api.auditor, document)

    # then GraphQL refuses the request, naming the vocabulary, instead of answering nothing
    assert f"'{enum}'" in message


def test_a_filter_variable_outside_its_vocabulary_is_refused_before_anything_runs(
    api: Api,
) -> None:
    message = refused_before_running(api, ASSETS, {"status": "rented"})
    assert "'rented' does not exist in 'AssetStatus' enum" in message


@pytest.mark.parametrize(("document", "enum"), UNKNOWN_ARGUMENTS)
def test_a_mutation_argument_outside_its_vocabulary_is_refused_and_records_nothing(
    api: Api, document: str, enum: str
) -> None:
    assert f"'{enum}'" in refused_before_running(api, document)


def test_an_unknown_role_is_refused_and_a_known_one_issues_a_token(api: Api) -> None:
    issue = """mutation($role: Role!) { issueApiToken(role: $role, name: "平台") {
      token { role } errors { code } } }"""
    assert "'Role'" in refused_before_running(api.admin, issue, {"role": "root"})
    issued = api.admin.data(issue, {"role": "platform"})["issueApiToken"]
    assert issued == {"token": {"role": "platform"}, "errors": []}


def test_vocabulary_values_travel_as_the_same_strings_as_before(api: Api) -> None:
    # given an asset just registered
    api.data(REGISTER_ASSET, register_variables())

    # when it is looked for by its status, as a variable and as a literal
    by_variable = api.data(ASSETS, {"status": "registered"})["assets"]
    by_literal = api.data("{ assets(status: registered) { totalCount } }")["assets"]

    # then both find it, and its status and kind read as the plain strings they always were
    assert by_literal["totalCount"] == by_variable["totalCount"] == 1
    assert nodes(by_variable) == [
        {"assetCode": "ZC-100", "kind": "collective_building", "status": "registered"}
    ]
    assert api.data(ASSETS, {"status": "contracted"})["assets"]["totalCount"] == 0


def kind_error(api: Api, variables: dict[str, Any]) -> dict[str, Any]:
    before = api.registry.store.last_notification_id()
    body = api.post(OF_KIND, variables).json()
    assert body["data"] is None and len(body["errors"]) == 1, body
    assert api.registry.store.last_notification_id() == before
    error: dict[str, Any] = body["errors"][0]
    return error


def test_a_resource_kind_no_list_ever_named_is_refused(api: Api) -> None:
    # when the assets of a kind that is no resource kind are asked for (the docs' old example)
    error = kind_error(api, {"kind": "farmhouse"})

    # then the request is refused with a code, not answered with an empty list
    assert error["extensions"] == {"code": "resource_kind_unknown", "field": "kind"}
    assert "idle_farmhouse" in error["message"]  # the kinds it could have meant
    assert kind_error(api, {"kind": "farmhouse", "village": VILLAGE})["extensions"] == {
        "code": "resource_kind_unknown",
        "field": "kind",
    }


def test_a_known_resource_kind_filters_even_when_nothing_is_of_it(api: Api) -> None:
    api.data(REGISTER_ASSET, register_variables())
    assert api.data(OF_KIND, {"kind": "collective_building"})["assets"]["totalCount"] == 1
    assert api.data(OF_KIND, {"kind": "idle_farmhouse"})["assets"]["totalCount"] == 0


def test_a_resource_kind_a_village_adopted_is_known_for_that_village(api: Api) -> None:
    # given a village that adds a kind of its own to the national list
    orchard = {"code": "orchard", "name_zh": "果园", "book_account": None, "sale_forbidden": False}
    api.registry.policies.set_policy(
        "assets.resource_kinds",
        VILLAGE,
        date(2024, 6, 1),
        [*DEFAULT_RESOURCE_KINDS, orchard],
        "村决",
        ADMIN,
    )

    # then the village's assets may be filtered on it; the kind stays a policy, not an enum
    mine = api.data(OF_KIND, {"kind": "orchard", "village": VILLAGE})["assets"]
    assert mine["totalCount"] == 0
    assert kind_error(api, {"kind": "vineyard", "village": VILLAGE})["extensions"]["code"] == (
        "resource_kind_unknown"
    )
