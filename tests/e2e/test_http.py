"""The HTTP surface: health, the GraphiQL page, and requests refused before execution. Every
answer is JSON with a code (or the GraphiQL page), whatever the path, the method or the body,
and carries the protective headers."""

from __future__ import annotations

import json
import re

import httpx
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


def assert_coded(response: httpx.Response, status: int, code: str) -> str:
    """The answer is JSON refusing with ``code``; returns its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert_no_traceback(response.text)
    message: str = error["message"]
    return message


def post_body(api: Api, body: bytes) -> httpx.Response:
    headers = {**api.headers(), "Content-Type": "application/json"}
    return api.request("POST", "/graphql", content=body, headers=headers)


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
    assert "/static/vendor/graphiql/graphiql.min.js" in response.text
    assert "/static/js/graphiql-start.js" in response.text
    assert "unpkg" not in response.text


def test_get_without_html_points_to_post(api: Api) -> None:
    response = api.request("GET", "/graphql", headers={"Accept": "application/json"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_a_plain_query_returns_data(api: Api) -> None:
    towns = api.data(TOWNS)["towns"]
    assert nodes(towns) == [{"code": "320117107", "name": "和凤镇"}]


def test_a_malformed_query_is_a_400_with_a_syntax_error_and_no_traceback(api: Api) -> None:
    response = api.post(MALFORMED)
    message = assert_coded(response, 400, "graphql_parse_failed")
    assert "data" not in response.json()
    assert message.startswith("Syntax Error")  # (the spec's message, kept)


def test_an_unknown_field_is_a_400_validation_error(api: Api) -> None:
    message = assert_coded(api.post(UNKNOWN_FIELD), 400, "graphql_validation_failed")
    assert "population" in message


def test_a_query_nested_too_deep_is_refused(api: Api) -> None:
    assert_coded(api.post(TOO_DEEP), 400, "query_too_deep")


def test_variables_of_the_wrong_type_are_a_400(api: Api) -> None:
    response = api.post("query($n: Int) { towns(first: $n) { totalCount } }", {"n": "many"})
    message = assert_coded(response, 400, "variables_invalid")
    assert "$n" in message


def test_a_body_nested_100000_deep_is_refused_with_a_code(api: Api) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert_coded(post_body(api, deep), 400, "body_too_deep")
    deep_objects = b'{"a":' * 1000 + b"1" + b"}" * 1000
    assert_coded(post_body(api, deep_objects), 400, "body_too_deep")


def test_variables_nested_50000_deep_are_refused_with_a_code(api: Api) -> None:
    variables = "[" * 50_000 + "]" * 50_000
    query = "query($v: JSON) { towns { totalCount } }"
    body = f'{{"query": "{query}", "variables": {{"v": {variables}}}}}'
    assert_coded(post_body(api, body.encode()), 400, "body_too_deep")


def test_brackets_inside_strings_are_not_nesting(api: Api) -> None:
    query = "{ towns { totalCount } } # " + "[{" * 5000
    body = json.dumps({"query": query, "variables": {"note": '"]}' * 10}})
    assert post_body(api, body.encode()).json() == {"data": {"towns": {"totalCount": 1}}}


def test_a_value_nested_too_deep_in_the_query_is_refused_with_a_code(api: Api) -> None:
    value = "[" * 40 + '"320117"' + "]" * 40
    for query in (
        f"{{ towns(districtCode: {value}) {{ totalCount }} }}",
        f"{{ towns @include(if: {value}) {{ totalCount }} }}",
        f"query($d: String = {value}) {{ towns(districtCode: $d) {{ totalCount }} }}",
    ):
        assert_coded(api.post(query), 400, "body_too_deep")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_any_other_method_gets_the_documented_json_405(api: Api, method: str) -> None:
    response = api.request(method, "/graphql", headers=api.headers())
    message = assert_coded(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert method in message
    assert_coded(api.request("POST", "/healthz"), 405, "method_not_allowed")


def test_an_unknown_path_is_a_json_404(api: Api) -> None:
    for path in ("/graphiql", "/graphql/../etc/passwd", "/%00", "/static/nothing.js"):
        assert_coded(api.request("GET", path), 404, "not_found")


def test_the_root_is_the_workbench_which_asks_a_stranger_to_sign_in(api: Api) -> None:
    answer = api.request("GET", "/")
    assert answer.status_code == 303 and answer.headers["location"] == "/signin"


def test_a_failure_outside_graphql_is_a_json_500_and_logged(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given authentication breaks with an internal detail in the message
    def broken(registry: Registry, header: str | None) -> None:
        raise RuntimeError("token table on db-internal.example is gone")

    monkeypatch.setattr("api.app.authenticate", broken)

    # then the client gets a coded JSON 500 without the detail; the log has it
    response = api.post(TOWNS)
    message = assert_coded(response, 500, "internal_error")
    assert "db-internal" not in message
    assert "db-internal" in caplog.text


def test_every_answer_says_nosniff_and_no_store(api: Api) -> None:
    answers = [
        api.post(TOWNS),
        api.post(MALFORMED),
        api.request("GET", "/healthz"),
        api.request("GET", "/nowhere"),
        api.request("PUT", "/graphql"),
        api.with_token(None).post(TOWNS),
        api.request("GET", "/graphql", headers={"Accept": "text/html"}),
    ]
    for response in answers:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_graphiql_page_has_a_policy_that_still_lets_it_load(api: Api) -> None:
    response = api.request("GET", "/graphql", headers={"Accept": "text/html"})
    policy = dict(
        [*part.split(" ", 1), ""][:2]
        for part in (p.strip() for p in response.headers["content-security-policy"].split(";"))
    )
    assert response.headers["x-frame-options"] == "DENY"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'none'"
    # every script and style sheet it loads is this server's, and served: nothing inline runs
    assert policy["script-src"] == "'self'"
    assert policy["style-src"].split()[0] == "'self'"
    scripts = re.findall(r'<script src="([^"]+)"', response.text)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', response.text)
    assert scripts and styles
    assert len(re.findall(r"<script\b", response.text)) == len(scripts)  # no inline script
    for url in scripts + styles:
        assert url.startswith("/static/")
        served = api.request("GET", url)
        assert served.status_code == 200, url
        kind = "javascript" if url.endswith(".js") else "text/css"
        assert kind in served.headers["content-type"], url
    assert policy["connect-src"] == "'self'"  # its queries go to this server only


def test_a_body_that_is_not_json_is_refused(api: Api) -> None:
    assert_coded(post_body(api, b"{query"), 400, "body_not_json")
    assert_coded(post_body(api, b'{"query": "\\ud800 [[[['), 400, "body_not_json")


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
    assert response.headers["retry-after"] == "5"


def test_graphiql_can_be_left_out(seeded: Registry) -> None:
    api = Api(create_app(seeded, graphiql=False), seeded)
    response = api.request("GET", "/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 405
