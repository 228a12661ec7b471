"""Who may do what: every role against a sample of queries and EVERY mutation of the schema.

The mutations are enumerated from the schema itself, so a new mutation without a permission
declaration is refused to everyone and fails here (as does one whose declaration differs from the
table: writes are for accountants, reference data, policies and tokens for administrators).
Each operation is sent with arguments of the right types, ids naming real objects of the
accountant's village (a token limited to villages is refused any other id); an allowed one may
still be refused by its command (a domain error in its payload), never with FORBIDDEN."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    get_named_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined

from api.app import create_app
from api.auth.middleware import PERMISSION
from api.schema import build_schema
from domain.access.roles import ROLES
from qianwan.bootstrap import bootstrap
from tests.conftest import make_settings
from tests.e2e.conftest import Api
from tests.support import ACCOUNTANT as RECORDED_BY
from tests.support import (
    OPERATOR,
    OTHER_VILLAGE,
    VILLAGE,
    enrol_elder,
    meal,
    meals_registry,
    register_building,
    register_canteen,
    register_parcel,
    seed_land_policies,
    seed_places,
)
from tests.support_books import office_voucher

ACCOUNTANT, AUDITOR, PLATFORM, ADMIN = ROLES
ADMIN_MUTATIONS = {"setPolicy", "issueApiToken", "revokeApiToken", "reopenPeriod"}
ALL, READERS = set(ROLES), {ACCOUNTANT, AUDITOR, PLATFORM}
# A sample of queries: (document, the roles that may run it).
QUERIES: dict[str, tuple[str, set[str]]] = {
    "towns": ("{ towns { totalCount } }", ALL),
    "village": (f'{{ village(code: "{VILLAGE}") {{ code }} }}', ALL),
    "villageAssets": (f'{{ village(code: "{VILLAGE}") {{ assets {{ totalCount }} }} }}', READERS),
    "assets": ("{ assets { totalCount } }", READERS),
    "parcels": ("{ parcels { totalCount } }", READERS),
    "trialBalance": (
        f'{{ trialBalance(villageCode: "{VILLAGE}", asOf: "2024-12-31") {{ totalDebit }} }}',
        READERS,
    ),
    "elders": ("{ elders { totalCount } }", READERS),
    "meals": ("{ meals { totalCount } }", READERS),
    "mealSettlements": ("{ mealSettlements { totalCount } }", READERS),
    "mealFindings": (
        '{ mealFindings(dateFrom: "2024-01-01", dateTo: "2024-01-31") { totalCount } }',
        READERS,
    ),
    "history": (f'{{ history(aggregateId: "{uuid4()}") {{ version }} }}', {AUDITOR}),
    "eventProof": ("{ eventProof(notificationId: 1) { leafIndex } }", {AUDITOR}),
    "landDistrictView": (
        '{ landDistrictView(districtCode: "320117") { districtCode } }',
        {AUDITOR, PLATFORM},
    ),
    "districtMonthlySummary": (
        '{ districtMonthlySummary(districtCode: "320117", month: "2024-05") { __typename } }',
        {AUDITOR, PLATFORM},
    ),
    "policyInForce": (
        '{ policyInForce(key: "assets.resource_kinds", placeCode: "320117", on: "2024-06-01") '
        "{ key } }",
        ALL,
    ),
    "apiTokens": ("{ apiTokens { totalCount } }", {ADMIN}),
    "publishedDisclosures": (
        f'{{ publishedDisclosures(villageCode: "{VILLAGE}") {{ id }} }}',
        ALL,
    ),
    "disclosures": (f'{{ disclosures(villageCode: "{VILLAGE}") {{ id }} }}', READERS),
    "personalDataReads": ("{ personalDataReads { totalCount } }", {AUDITOR}),
}


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Api]]:
    """One registry (SQLite) and a client per role; the accountant holds the seeded villages."""
    settings, _ = make_settings("sqlite", Path(tmp_path_factory.mktemp("roles")))
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    api = Api(create_app(registry), registry)
    yield {role: api.as_role(role) for role in ROLES}
    registry.close()


@pytest.fixture(scope="module")
def objects(clients: dict[str, Api]) -> dict[str, str]:
    """An object of each kind in the accountant's village, by the name of the argument that
    names it (a fresh id would be refused FORBIDDEN to a token limited to villages)."""
    registry = clients[ACCOUNTANT].registry
    seed_land_policies(registry.policies)
    meals = meals_registry(registry)
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    batch = meals.record_meals(point, "R1", [meal("r1", elder, "2024-05-02 11:30")], OPERATOR)
    return {
        "assetId": str(register_building(registry.assets, "RO-1")),
        "parcelId": str(register_parcel(registry.land)),
        "mealPointId": str(point),
        "elderId": str(elder),
        "mealId": str(batch.outcomes[0].meal_id),
        "settlementId": str(meals.draft_settlement(point, "2024-05", date(2024, 6, 1), OPERATOR)),
        "voucherId": str(office_voucher(registry.books)),
        # the disclosure mutations name their disclosure `id`
        "id": str(registry.disclosure.draft(VILLAGE, "2024-05", None, None, RECORDED_BY)),
    }


def value_for(name: str, input_type: GraphQLInputType, ids: dict[str, str]) -> str:
    """A literal of the argument's type: in-scope codes and ids, plausible dates."""
    if isinstance(input_type, GraphQLNonNull):
        return value_for(name, input_type.of_type, ids)
    if isinstance(input_type, GraphQLList):
        return "[]"
    if isinstance(input_type, GraphQLInputObjectType):
        fields = [
            f"{key}: {value_for(key, field.type, ids)}"
            for key, field in input_type.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        ]
        return "{" + ", ".join(fields) + "}"
    if isinstance(input_type, GraphQLEnumType):
        return next(iter(input_type.values))  # a vocabulary's first code
    return {
        "String": f'"{VILLAGE}"' if "illage" in name else '"x"',
        "ID": f'"{ids.get(name) or uuid4()}"',
        "Date": '"2024-06-01"',
        "DateTime": '"2024-06-01T00:00:00+00:00"',
        "Decimal": '"1"',
        "Int": "1",
        "Boolean": "false",
        "JSON": '"x"',
    }[get_named_type(input_type).name]


def required(arguments: dict[str, GraphQLArgument], ids: dict[str, str]) -> str:
    given = [
        f"{name}: {value_for(name, argument.type, ids)}"
        for name, argument in arguments.items()
        if isinstance(argument.type, GraphQLNonNull)
    ]
    return f"({', '.join(given)})" if given else ""


def mutation_documents(ids: dict[str, str]) -> dict[str, tuple[str, set[str]]]:
    """Every mutation of the schema, with the roles the table says may use it."""
    mutation = build_schema().graphql_schema.mutation_type
    assert mutation is not None
    documents = {}
    for name, field in mutation.fields.items():
        payload = get_named_type(field.type)
        assert not is_leaf_type(payload)
        document = f"mutation {{ {name}{required(field.args, ids)} {{ errors {{ code }} }} }}"
        documents[name] = (document, {ADMIN} if name in ADMIN_MUTATIONS else {ACCOUNTANT})
    return documents


def outcome(api: Api, document: str) -> str:
    """allowed | FORBIDDEN (or another top-level error code: a test failure)."""
    response = api.post(document)
    body: dict[str, Any] = response.json()
    assert response.status_code == 200, body
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    if "FORBIDDEN" in codes:
        return "FORBIDDEN"
    assert all(code != "internal_error" for code in codes), body
    return "allowed"


def table(clients: dict[str, Api], documents: dict[str, tuple[str, set[str]]]) -> list[str]:
    wrong = []
    for name, (document, allowed) in documents.items():
        for role, api in clients.items():
            expected = "allowed" if role in allowed else "FORBIDDEN"
            got = outcome(api, document)
            if got != expected:
                wrong.append(f"{name} as {role}: {got}, expected {expected}")
    return wrong


def test_every_root_field_and_mutation_declares_a_permission() -> None:
    schema = build_schema().graphql_schema
    undeclared = [
        f"{root.name}.{name}"
        for root in (schema.query_type, schema.mutation_type)
        if root is not None
        for name, field in root.fields.items()
        if PERMISSION not in (field.extensions or {})
    ]
    assert undeclared == []


def test_every_mutation_is_allowed_to_its_roles_only(
    clients: dict[str, Api], objects: dict[str, str]
) -> None:
    documents = mutation_documents(objects)
    assert len(documents) >= 50
    assert table(clients, documents) == []


def test_the_sample_of_queries_is_allowed_to_its_roles_only(clients: dict[str, Api]) -> None:
    assert table(clients, QUERIES) == []


def test_an_accountant_is_held_to_its_villages(clients: dict[str, Api]) -> None:
    accountant = clients[ACCOUNTANT].as_role(ACCOUNTANT, [VILLAGE])
    outside = {
        "books": f'{{ trialBalance(villageCode: "{OTHER_VILLAGE}") {{ totalDebit }} }}',
        "village": f'{{ village(code: "{OTHER_VILLAGE}") {{ code }} }}',
        "list filter": f'{{ assets(villageCode: "{OTHER_VILLAGE}") {{ totalCount }} }}',
        "write": f"""mutation {{ registerAsset(villageCode: "{OTHER_VILLAGE}", assetCode: "X",
            name: "x", kind: "other", areaM2: "1", location: "x", registeredOn: "2024-01-10")
            {{ errors {{ code }} }} }}""",
    }
    assert {name: outcome(accountant, d) for name, d in outside.items()} == {
        name: "FORBIDDEN" for name in outside
    }
    # and its lists hold its villages only
    villages = accountant.data("{ villages { edges { node { code } } } }")["villages"]
    assert [e["node"]["code"] for e in villages["edges"]] == [VILLAGE]


def test_an_object_of_another_village_is_forbidden_by_id(
    clients: dict[str, Api],
) -> None:
    registry = clients[ACCOUNTANT].registry
    other = registry.assets.register_asset(
        OTHER_VILLAGE, "OV-1", "仓库", "other", "10", "村口", date(2024, 1, 10), RECORDED_BY
    )
    accountant = clients[ACCOUNTANT].as_role(ACCOUNTANT, [VILLAGE])
    query = f'{{ asset(id: "{other}") {{ assetCode }} }}'
    write = f'mutation {{ appraiseAsset(assetId: "{other}", appraisedValue: "1", appraiser: "x", '
    write += 'reportNo: "x", appraisedOn: "2024-02-01") { errors { code } } }'
    assert outcome(accountant, query) == "FORBIDDEN"
    assert outcome(accountant, write) == "FORBIDDEN"
    assert outcome(clients[PLATFORM], query) == "allowed"


def test_an_auditor_of_some_villages_reads_their_histories_only(
    clients: dict[str, Api],
) -> None:
    registry = clients[ACCOUNTANT].registry
    mine = registry.assets.register_asset(
        VILLAGE, "AU-1", "仓库", "other", "10", "村口", date(2024, 1, 10), RECORDED_BY
    )
    theirs = registry.assets.register_asset(
        OTHER_VILLAGE, "AU-2", "仓库", "other", "10", "村口", date(2024, 1, 10), RECORDED_BY
    )
    auditor = clients[AUDITOR].as_role(AUDITOR, [VILLAGE])

    def history(aggregate_id: object) -> str:
        return f'{{ history(aggregateId: "{aggregate_id}") {{ version }} }}'

    assert outcome(auditor, history(mine)) == "allowed"
    assert outcome(auditor, history(theirs)) == "FORBIDDEN"
    assert outcome(auditor, history(uuid4())) == "FORBIDDEN"  # of no village
    assert outcome(auditor, "{ eventProof(notificationId: 1) { leafIndex } }") == "FORBIDDEN"
    assert outcome(clients[AUDITOR], history(theirs)) == "allowed"
