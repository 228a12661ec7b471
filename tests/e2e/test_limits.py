"""What one request may ask for: too deep, too wide (the objects it could return), too many
aliases, batches, pages over the cap, and introspection switched off are refused before anything
runs, with a clear code and no stack trace."""

from __future__ import annotations

import json

from api.app import create_app
from api.execution import MAX_QUERY_DEPTH
from api.limits import MAX_ALIASES, MAX_COMPLEXITY, PLAIN_LIST_ESTIMATE, complexity
from api.pagination import MAX_PAGE_SIZE
from api.schema import build_schema
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.test_http import assert_no_traceback

TOO_WIDE = """{ towns(first: 100) { edges { node {
  villages(first: 100) { edges { node {
    assets(first: 100) { edges { node { assetCode } } } } } } } } } }"""
INTROSPECTION = "{ __schema { queryType { name } } }"


def refused(api: Api, query: str, code: str, variables: dict[str, object] | None = None) -> str:
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


def test_the_estimate_multiplies_pages_down_the_tree() -> None:
    from graphql import get_operation_ast, parse

    schema = build_schema().graphql_schema
    document = parse(
        "{ towns(first: 3) { edges { node { villages(first: 4) { edges { node { code } } } } } } }"
    )
    operation = get_operation_ast(document)
    assert operation is not None
    # towns: 1 connection + 3 towns; villages: 3 connections + 3 × 4 villages
    assert complexity(schema, document, operation, {}) == 1 + 3 + 3 + 12
    plain = parse('{ landDistrictView(districtCode: "320117") { stages { stage } } }')
    operation = get_operation_ast(plain)
    assert operation is not None
    assert complexity(schema, plain, operation, {}) == 1 + PLAIN_LIST_ESTIMATE


def test_too_many_aliases_are_refused(api: Api) -> None:
    fields = " ".join(f"a{n}: towns {{ totalCount }}" for n in range(MAX_ALIASES + 1))
    refused(api, "{ " + fields + " }", "too_many_aliases")
    allowed = " ".join(f"a{n}: towns {{ totalCount }}" for n in range(MAX_ALIASES))
    assert api.post("{ " + allowed + " }").status_code == 200


def test_a_query_deeper_than_the_limit_is_refused(api: Api) -> None:
    nested = "district { towns { edges { node { " * 4
    query = '{ town(code: "320117107") { ' + nested + "code" + " } } } }" * 4 + " } }"
    response = api.post(query)
    assert response.status_code == 400
    assert (
        f"maximum operation depth of {MAX_QUERY_DEPTH}" in response.json()["errors"][0]["message"]
    )


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
    assert "introspection" in response.json()["errors"][0]["message"].lower()
    assert closed.data("{ towns { totalCount } }") == {"towns": {"totalCount": 1}}


def test_a_document_is_checked_once_and_its_verdict_kept_for_the_next_request(
    seeded: Registry, api: Api
) -> None:
    """Validated documents are kept by their text (api/execution.py ``checked_document``):
    the second request of a document reuses the verdict, refusals included, and a server with
    introspection switched off never reuses the verdict of one that allows it."""
    from api.execution import checked_document

    query = "{ towns { totalCount } }"
    assert api.data(query) == {"towns": {"totalCount": 1}}
    hits = checked_document.cache_info().hits
    assert api.data(query) == {"towns": {"totalCount": 1}}
    assert checked_document.cache_info().hits == hits + 1
    nested = "district { towns { edges { node { " * 4
    too_deep = '{ town(code: "320117107") { ' + nested + "code" + " } } } }" * 4 + " } }"
    for _ in range(2):
        response = api.post(too_deep)
        assert response.status_code == 400
        assert "maximum operation depth" in response.json()["errors"][0]["message"]
    assert api.data(INTROSPECTION) == {"__schema": {"queryType": {"name": "Query"}}}
    closed = Api(create_app(seeded, introspection=False), seeded)
    assert closed.post(INTROSPECTION).status_code == 400
    assert api.data(INTROSPECTION) == {"__schema": {"queryType": {"name": "Query"}}}
