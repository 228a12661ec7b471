"""What one request may ask for: too deep, too wide (the objects it could return), too many
aliases, batches, pages over the cap, and introspection switched off are refused before anything
runs, with a clear code and no stack trace. Fragments count as often as they are spread, and
the work of measuring grows with the document, not with its expansion."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from graphql import DocumentNode, get_operation_ast, parse

from api.app import create_app
from api.execution import checked_document
from api.limits import (
    MAX_ALIASES,
    MAX_COMPLEXITY,
    MAX_QUERY_DEPTH,
    MAX_SELECTION_NESTING,
    MAX_SELECTIONS,
)
from api.list_bounds import LIST_BOUNDS
from api.pagination import MAX_PAGE_SIZE
from api.query_cost import check_limits, measure
from api.schema import build_schema
from domain.land.vocabulary import STAGES
from qianwan.bootstrap import Registry
from scripts.api_docs import API_DOC
from tests.e2e.conftest import Api
from tests.e2e.meals_documents import ELDER, ENROL, enrol_variables, meals_api
from tests.e2e.test_http import assert_no_traceback

TOO_WIDE = """{ towns(first: 100) { edges { node {
  villages(first: 100) { edges { node {
    assets(first: 100) { edges { node { assetCode } } } } } } } } } }"""
INTROSPECTION = "{ __schema { queryType { name } } }"


def refused(api: Api, query: str, code: str, variables: dict[str, Any] | None = None) -> str:
    response = api.post(query, variables)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert_no_traceback(response.text)
    message: str = error["message"]
    return message


def test_a_query_that_could_return_too_many_objects_is_refused(api: Api) -> None:
    message = refused(api.platform, TOO_WIDE, "query_too_complex")
    assert str(MAX_COMPLEXITY) in message


def test_page_sizes_in_variables_count_as_well(api: Api) -> None:
    query = """query($n: Int) { towns(first: $n) { edges { node {
      villages(first: $n) { edges { node { assets(first: $n) { totalCount } } } } } } } }"""
    refused(api.platform, query, "query_too_complex", {"n": 100})
    assert api.platform.post(query, {"n": 5}).status_code == 200


def estimate(query: str, variables: dict[str, Any] | None = None) -> int:
    """The objects the query could return, as the limits estimate them."""
    schema = build_schema().graphql_schema
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    return measure(schema, document, operation, variables or {}).cost.at(1, 0)


def refusal_of(query: str) -> str | None:
    """The code refusing the query before it runs, if any."""
    schema = build_schema().graphql_schema
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    refusal = check_limits(schema, document, operation, {})
    return None if refusal is None else refusal.code


def test_the_estimate_multiplies_pages_down_the_tree() -> None:
    # towns: 1 connection + 3 towns; villages: 3 connections + 3 × 4 villages
    query = (
        "{ towns(first: 3) { edges { node { villages(first: 4) { edges { node { code } } } } } } }"
    )
    assert estimate(query) == 1 + 3 + 3 + 12
    # a variable's default counts when the variable is not given
    query = "query($n: Int = 7) { towns(first: $n) { edges { node { code } } } }"
    assert estimate(query) == 1 + 7
    assert estimate(query, {"n": 2}) == 1 + 2


def test_a_plain_list_counts_what_it_can_hold() -> None:
    stages = '{ landDistrictView(districtCode: "320117") { stages { stage } } }'
    assert estimate(stages) == 1 + len(STAGES)
    # a batch lists up to 1,000 outcomes and 500 refusals, and a page holds `first` batches
    batches = """query($point: ID!) { mealBatches(mealPointId: $point, first: 2) {
      edges { node { outcomes { recordId } refusals { recordId } } } } }"""
    assert estimate(batches) == 1 + 2 + 2 * 1000 + 2 * 500


NESTED_LISTS = {  # a list of the docs' example, its nested lists, the largest page allowed
    "elders": ("elders(", "categories { category }", 39),
    "mealBatches": (
        'mealBatches(mealPointId: "x", ',
        "outcomes { recordId } refusals { recordId }",
        13,
    ),
    "mealSettlements": ("mealSettlements(", "lines { meals } clawbacks { mealId }", 19),
}


@pytest.mark.parametrize("name", NESTED_LISTS)
def test_the_largest_pages_with_nested_lists_are_those_docs_api_md_names(name: str) -> None:
    opening, inner, largest = NESTED_LISTS[name]
    for first, code in ((largest, None), (largest + 1, "query_too_complex")):
        query = f"{{ {opening}first: {first}) {{ edges {{ node {{ {inner} }} }} }} }}"
        assert refusal_of(query) == code
    assert f"{name}(first: {largest})" in API_DOC.read_text(encoding="utf-8")


def test_lists_inside_a_page_of_meal_batches_are_counted_by_what_they_hold(api: Api) -> None:
    # given a page of 100 uploads, each listing up to 1,000 outcomes and 500 refusals
    query = """query($point: ID!) { mealBatches(mealPointId: $point, first: 100) {
      edges { node { outcomes { recordId status } refusals { recordId code } } } } }"""
    point = {"point": "6f1c1a52-55a5-4d0e-9a43-7a1b8a2f0c31"}

    # then the query is refused before it runs: it could return 150,101 objects
    message = refused(api.platform, query, "query_too_complex", point)
    assert f"at most {MAX_COMPLEXITY}" in message


def test_lists_spread_over_the_towns_of_a_summary_count_once_in_all() -> None:
    """The villages of a district's monthly summary are at most 2,000 in all (InAll), not
    2,000 per town: the platform's whole summary, every line asked for, stays allowed."""
    query = """query { districtMonthlySummary(districtCode: "320117", month: "2024-05") {
      incomeByTown { townCode villages { villageCode accounts { accountCode amount } } }
      mealsByPoint { mealPointName totals { meals } } } }"""
    # the summary, 1,000 towns, 2,000 villages with 4 accounts each, 3,000 lines with totals
    assert estimate(query) == 1 + 1000 + 2000 + 2000 * 4 + 3000 * 2 < MAX_COMPLEXITY
    fields = query[query.index("{") + 1 : query.rindex("}")]
    twice = "query { a: " + fields + " b: " + fields + " }"
    assert refusal_of(twice) == "query_too_complex"  # two of them would not be


def test_every_list_of_the_schema_has_a_declared_bound() -> None:
    """A list without a bound would be estimated as holding too much (and refused): each is
    declared in api/list_bounds.py with the constant that caps it, or is a connection's edges."""
    from graphql import is_introspection_type, is_list_type, is_object_type

    from api.list_bounds import list_bound
    from api.query_cost import nullable

    schema = build_schema().graphql_schema
    lists = set()
    for name, named in schema.type_map.items():
        if not is_object_type(named) or is_introspection_type(named):
            continue
        for field_name, field in named.fields.items():
            if is_list_type(nullable(field.type)):
                lists.add((name, field_name))
    edges = {(t, f) for t, f in lists if f == "edges" and t.endswith("Connection")}
    unbounded = {(t, f) for t, f in lists - edges if list_bound(t, f) is None}
    assert not unbounded, f"declare their bounds in api/list_bounds.py: {sorted(unbounded)}"
    assert set(LIST_BOUNDS) <= lists, "a bound names a list the schema does not have"


def test_in_all_bounds_are_reached_only_through_their_anchor() -> None:
    """An InAll bound counts from the object of its anchor type above it: the list must not be
    reachable from the schema's roots without passing that object."""
    from graphql import get_named_type, is_interface_type, is_object_type

    from api.list_bounds import InAll

    schema = build_schema().graphql_schema
    anchored = {t: b.anchor for (t, _), b in LIST_BOUNDS.items() if isinstance(b, InAll)}
    reached, pending = set(), [schema.query_type, schema.mutation_type]
    while pending:
        named = pending.pop()
        if named is None or named.name in reached or named.name in anchored.values():
            continue
        reached.add(named.name)
        for field in named.fields.values():
            target = get_named_type(field.type)
            if is_object_type(target) or is_interface_type(target):
                pending.append(target)
    assert not reached & set(anchored)


def doubling(levels: int, fragment_zero: str = "__typename", on: str = "Query") -> str:
    """A document of ``levels`` fragments, each spreading the one before twice: small to send,
    2**levels selections once expanded."""
    parts = [f"fragment F0 on {on} {{ {fragment_zero} }}"]
    parts += [f"fragment F{n} on {on} {{ ...F{n - 1} ...F{n - 1} }}" for n in range(1, levels + 1)]
    return " ".join(parts)


def calls_to_admit(query: str) -> int:
    """Python function calls made to parse, validate and check the limits of a document."""
    schema = build_schema()
    counter = itertools.count()

    def count(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            next(counter)

    profile: Callable[..., Any] = count
    sys.setprofile(profile)
    try:
        document = checked_document.__wrapped__(schema, query, True)  # (not the kept verdict)
        assert isinstance(document, DocumentNode), document
        operation = get_operation_ast(document)
        assert operation is not None
        check_limits(schema.graphql_schema, document, operation, {})
    finally:
        sys.setprofile(None)
    return next(counter)


def test_checking_fragments_spread_twice_per_level_takes_work_in_proportion_to_the_document() -> (
    None
):
    # given documents of 8 and 16 fragments, each fragment spreading the one before twice
    small, large = "{ ...F8 } " + doubling(8), "{ ...F16 } " + doubling(16)

    # when each is parsed, validated and checked against the limits
    # then the larger, twice the size, takes about twice the work, not 256 times
    assert calls_to_admit(large) < 3 * calls_to_admit(small)


def test_a_small_document_expanding_to_a_million_selections_is_answered(api: Api) -> None:
    # the document: under 1 kB, 2**20 selections of __typename once expanded
    assert api.data("{ ...F20 } " + doubling(20)) == {"__typename": "Query"}


def test_fragments_spread_twice_per_level_deeper_are_refused_as_too_deep(api: Api) -> None:
    # given 12 fragments, each spreading the one before twice: where it is, and 4 fields deeper
    fragments = ["fragment F0 on Town { code }"] + [
        f"fragment F{n} on Town {{ ...F{n - 1} "
        f"district {{ towns {{ edges {{ node {{ ...F{n - 1} }} }} }} }} }}"
        for n in range(1, 13)
    ]
    query = '{ town(code: "320117107") { ...F12 } } ' + " ".join(fragments)

    # then it is refused with a code, as any query too deep (graphene's depth rule raised
    # ValidationAbortedError outside validation: a 500)
    refused(api, query, "query_too_deep")


def test_an_alias_counts_each_time_its_fragment_is_spread(api: Api) -> None:
    # given a fragment of 11 aliases, spread twice: 22 aliases once expanded
    aliases = " ".join(f"a{n}: code" for n in range(11))
    fragment = f"fragment Names on District {{ {aliases} }}"
    query = (
        '{ town(code: "320117107") { district { ...Names } } '
        "towns { edges { node { district { ...Names } } } } } " + fragment
    )

    # then they are too many
    refused(api, query, "too_many_aliases")
    # and the same fragment spread once is fine
    once = '{ town(code: "320117107") { district { ...Names } } } ' + fragment
    assert api.data(once)["town"]["district"]["a10"] == "320117"


def test_a_document_of_too_many_selections_is_refused_before_validation(api: Api) -> None:
    query = "{ " + " ".join(["towns { totalCount }"] * (MAX_SELECTIONS // 2 + 1)) + " }"
    refused(api, query, "too_many_selections")


def test_introspection_nested_past_the_nesting_limit_is_refused(api: Api) -> None:
    # the depth of data fields does not count introspection; the nesting of selections does
    chain = "ofType { " * MAX_SELECTION_NESTING + "name" + " }" * MAX_SELECTION_NESTING
    refused(api, '{ __type(name: "Query") { ' + chain + " } }", "selections_nested_too_deep")
    standard = "ofType { " * 7 + "name" + " }" * 7  # (as deep as GraphiQL's introspection)
    assert api.data('{ __type(name: "Query") { ' + standard + " } }")["__type"]


def test_too_many_aliases_are_refused(api: Api) -> None:
    fields = " ".join(f"a{n}: towns {{ totalCount }}" for n in range(MAX_ALIASES + 1))
    refused(api, "{ " + fields + " }", "too_many_aliases")
    allowed = " ".join(f"a{n}: towns {{ totalCount }}" for n in range(MAX_ALIASES))
    assert api.post("{ " + allowed + " }").status_code == 200


def test_a_query_deeper_than_the_limit_is_refused(api: Api) -> None:
    nested = "district { towns { edges { node { " * 4
    query = '{ town(code: "320117107") { ' + nested + "code" + " } } } }" * 4 + " } }"
    message = refused(api, query, "query_too_deep")
    assert str(MAX_QUERY_DEPTH) in message
    # 13 fields on the path (12 nested below the first) are allowed
    nested = "district { towns { edges { node { " * 2 + "district { towns { edges { cursor } } }"
    allowed = '{ town(code: "320117107") { ' + nested + " } } } }" * 2 + " } }"
    assert api.post(allowed).status_code == 200


def test_a_batch_of_operations_is_refused(api: Api) -> None:
    body = json.dumps([{"query": "{ towns { totalCount } }"}] * 2).encode()
    headers = {**api.headers(), "Content-Type": "application/json"}
    response = api.request("POST", "/graphql", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "batch_not_supported"


def test_a_page_over_the_cap_is_refused_with_its_code(api: Api) -> None:
    response = api.post("query($n: Int) { towns(first: $n) { totalCount } }", {"n": 101})
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "page_size_out_of_range", "field": "first"}
    assert str(MAX_PAGE_SIZE) in error["message"]


def test_a_forged_cursor_is_refused(api: Api) -> None:
    for cursor in ("not-a-cursor", "WyJ2aWxsYWdlIl0", "WyJ0b3duIiwgMV0"):
        response = api.post("query($c: String) { towns(after: $c) { totalCount } }", {"c": cursor})
        (error,) = response.json()["errors"]
        assert error["extensions"] == {"code": "cursor_not_recognized", "field": "after"}


def test_pages_follow_each_other_with_cursors(api: Api) -> None:
    first = api.data(
        "{ villages(first: 1) { totalCount pageInfo { endCursor hasNextPage } "
        "edges { cursor node { code } } } }"
    )["villages"]
    rest = api.data(
        "query($c: String) { villages(first: 5, after: $c) { pageInfo { hasNextPage "
        "hasPreviousPage } edges { node { code } } } }",
        {"c": first["pageInfo"]["endCursor"]},
    )["villages"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    codes = [e["node"]["code"] for e in first["edges"] + rest["edges"]]
    assert codes == ["320117107206", "320117107291"]
    assert rest["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}


def test_introspection_is_answered_unless_switched_off(seeded: Registry, api: Api) -> None:
    assert api.data(INTROSPECTION) == {"__schema": {"queryType": {"name": "Query"}}}

    closed = Api(create_app(seeded, introspection=False), seeded)
    response = closed.post(INTROSPECTION)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["extensions"]["code"] for e in errors} == {"introspection_disabled"}
    assert "introspection" in errors[0]["message"].lower()
    assert closed.data("{ towns { totalCount } }") == {"towns": {"totalCount": 1}}


def test_a_document_is_checked_once_and_its_verdict_kept_for_the_next_request(
    seeded: Registry, api: Api
) -> None:
    """Validated documents are kept by their text (api/execution.py ``checked_document``):
    the second request of a document reuses the verdict, refusals included, and a server with
    introspection switched off never reuses the verdict of one that allows it."""
    query = "{ towns { totalCount } }"
    assert api.data(query) == {"towns": {"totalCount": 1}}
    hits = checked_document.cache_info().hits
    assert api.data(query) == {"towns": {"totalCount": 1}}
    assert checked_document.cache_info().hits == hits + 1
    nested = "district { towns { edges { node { " * 4
    too_deep = '{ town(code: "320117107") { ' + nested + "code" + " } } } }" * 4 + " } }"
    for _ in range(2):
        refused(api, too_deep, "query_too_deep")
    assert api.data(INTROSPECTION) == {"__schema": {"queryType": {"name": "Query"}}}
    closed = Api(create_app(seeded, introspection=False), seeded)
    assert closed.post(INTROSPECTION).status_code == 400
    assert api.data(INTROSPECTION) == {"__schema": {"queryType": {"name": "Query"}}}


def test_an_answer_larger_than_the_byte_cap_is_refused_not_sent(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("api.execution.MAX_RESPONSE_BYTES", 200)
    query = "{ villages { edges { node { code name collectiveName town { name } } } } }"
    message = refused(api, query, "response_too_large")
    assert "200" in message
    assert api.data("{ villages { totalCount } }") == {"villages": {"totalCount": 2}}


def test_a_query_returning_more_values_than_its_budget_is_stopped_while_it_runs(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # introspection is left out of the estimate: the budget bounds it as it runs
    monkeypatch.setattr("api.limits.MAX_RESPONSE_VALUES", 50)
    refused(api, "{ __schema { types { name fields { name } } } }", "response_too_large")
    assert api.data('{ __type(name: "Town") { name } }') == {"__type": {"name": "Town"}}


@pytest.mark.parametrize(
    "cap", ["api.execution.MAX_RESPONSE_BYTES", "api.limits.MAX_RESPONSE_VALUES"]
)
def test_personal_data_of_an_answer_refused_as_too_large_is_not_recorded_as_read(
    seeded: Registry, api: Api, monkeypatch: pytest.MonkeyPatch, cap: str
) -> None:
    # given an elder, and an auditor who may read the elder's name in clear
    meals_api(seeded)
    elder = api.data(ENROL, enrol_variables("张桂英"))["enrolElder"]["elder"]
    auditor = api.auditor
    assert auditor.token
    before = seeded.store.last_notification_id()

    # when the auditor's answer is refused as too large
    monkeypatch.setattr(cap, 1)
    refused(auditor, ELDER, "response_too_large", {"id": elder["id"]})

    # then no read of personal data is recorded: none was returned
    assert seeded.store.last_notification_id() == before
