"""The HTTP surface: health, the GraphiQL page, and requests refused before execution."""

from __future__ import annotations

import json

import pytest

from api.app import MAX_BODY_BYTES, create_app
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes

TOWNS = "{ towns { edges { node { code name } } } }"
MALFORMED = "{ towns { edges { node { code name } } }"
UNKNOWN_FIELD = "{ towns { edges { node { code population } } } }"
NESTING = 4
TOO_DEEP = (
    '{ town(code: "320117107") { '
    + "district { towns { edges { node { " * NESTING
    + "code"
    + " } } } }" * NESTING
    + " } }"
)


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text
    assert 'File "' not in text


def test_health_reports_the_log_and_every_projection_position(api: Api) -> None:
    response = api.request("GET", "/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["lastNotificationId"] > 0
    positions = body["projectionPositions"]
    assert {"places", "asset_register", "ledger"} <= set(positions)
    assert set(positions.values()) == {body["lastNotificationId"]}  # read-your-writes


def test_a_browser_gets_the_graphiql_page(api: Api) -> None:
    response = api.request("GET", "/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql.min.js" in response.text
    assert "GraphiQL.createFetcher" in response.text


def test_get_without_html_points_to_post(api: Api) -> None:
    response = api.request("GET", "/graphql", headers={"Accept": "application/json"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_a_plain_query_returns_data(api: Api) -> None:
    towns = api.data(TOWNS)["towns"]
    assert nodes(towns) == [{"code": "320117107", "name": "和凤镇"}]


def test_a_malformed_query_is_a_400_with_a_syntax_error_and_no_traceback(api: Api) -> None:
    response = api.post(MALFORMED)
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith("Syntax Error")
    assert_no_traceback(response.text)


def test_an_unknown_field_is_a_400_validation_error(api: Api) -> None:
    response = api.post(UNKNOWN_FIELD)
    assert response.status_code == 400
    assert "population" in response.json()["errors"][0]["message"]
    assert_no_traceback(response.text)


def test_a_query_nested_too_deep_is_refused(api: Api) -> None:
    response = api.post(TOO_DEEP)
    assert response.status_code == 400
    assert "maximum operation depth" in response.json()["errors"][0]["message"]


def test_variables_of_the_wrong_type_are_a_400(api: Api) -> None:
    response = api.post("query($on: Date!) { towns { totalCount } }", {"on": "not a date"})
    assert response.status_code == 400
    assert "$on" in response.json()["errors"][0]["message"]


def test_a_body_that_is_not_json_is_refused(api: Api) -> None:
    headers = {**api.headers(), "Content-Type": "application/json"}
    response = api.request("POST", "/graphql", content=b"{query", headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "body_not_json"


def test_a_body_of_another_media_type_is_refused(api: Api) -> None:
    response = api.request("POST", "/graphql", data={"query": TOWNS}, headers=api.headers())
    assert response.status_code == 415


def test_an_oversized_body_is_a_413(api: Api) -> None:
    padding = "#" * MAX_BODY_BYTES
    body = json.dumps({"query": f"{TOWNS}\n{padding}"}).encode()
    headers = {**api.headers(), "Content-Type": "application/json"}
    response = api.request("POST", "/graphql", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "body_too_large"


def test_a_domain_refusal_in_a_query_keeps_its_code(api: Api) -> None:
    response = api.post(
        '{ trialBalance(villageCode: "320117107206", asOf: "2023-12-31") { totalDebit } }'
    )
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "date_before_chart_of_accounts"
    assert_no_traceback(response.text)


def test_an_unknown_operation_name_is_refused(api: Api) -> None:
    query = "query A { towns { totalCount } } query B { villages { totalCount } }"
    response = api.post(query, operation_name="C")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "operation_not_found"


def test_an_unexpected_failure_is_masked_and_logged_not_shown(
    seeded: Registry, api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a registry whose place lookup breaks with an internal detail in the message
    assert api.token  # (issued before the lookup breaks)

    def broken(code: str) -> None:
        raise RuntimeError("connection to db-internal.example:5432 refused")

    monkeypatch.setattr(seeded.places, "village", broken)

    # when a query needs it
    response = api.post('{ trialBalance(villageCode: "320117107206") { totalDebit } }')

    # then the client learns only that it failed; the log has the details
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "internal_error"}
    assert "db-internal" not in response.text
    assert_no_traceback(response.text)
    assert "db-internal" in caplog.text


def test_health_is_503_when_the_database_cannot_be_read(
    seeded: Registry, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> dict[str, int]:
        raise RuntimeError("database is gone")

    monkeypatch.setattr(seeded.runner, "positions", broken)
    response = api.request("GET", "/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_graphiql_can_be_left_out(seeded: Registry) -> None:
    api = Api(create_app(seeded, graphiql=False), seeded)
    response = api.request("GET", "/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 405
