"""Authentication: without a valid API token only /healthz and the GraphiQL page answer; every
GraphQL request gets 401 UNAUTHENTICATED, whatever it asks for."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.access.application import token_hash
from domain.access.model import ApiToken
from domain.shared.clock import Clock
from qianwan.bootstrap import Registry
from tests.e2e.conftest import ISSUER, Api, issue_token

TOWNS = "{ towns { totalCount } }"


def assert_unauthenticated(api: Api) -> None:
    response = api.post(TOWNS)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert "data" not in body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


def test_a_request_without_a_token_is_401(api: Api) -> None:
    assert_unauthenticated(api.with_token(None))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer qw_not-a-real-token", "Basic dXNlcjpwYXNz", "qw_no_scheme", "Bearer a b"],
)
def test_a_malformed_or_unknown_token_is_401(api: Api, header: str) -> None:
    response = api.request(
        "POST", "/graphql", json={"query": TOWNS}, headers={"Authorization": header}
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_refused_body_is_still_401_without_a_token(api: Api) -> None:
    # nothing about the API is told before the caller is known: not even a parse error
    response = api.request(
        "POST", "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401


def test_a_revoked_token_stops_working_at_once(seeded: Registry, api: Api) -> None:
    # given a token that works
    assert api.post(TOWNS).status_code == 200

    # when it is revoked
    token_id = ApiToken.create_id(token_hash(api.token))
    seeded.access.revoke_token(token_id, "left the office", ISSUER)

    # then it is refused like no token at all
    assert_unauthenticated(api)


def test_an_expired_token_is_refused(
    seeded: Registry, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a token whose first day without validity is tomorrow (in the registry's time zone)
    now = seeded.clock.now()
    tomorrow = now.date() + timedelta(days=1)
    secret = seeded.access.issue_token("platform", [], "short-lived", ISSUER, tomorrow).secret
    client = api.with_token(secret)
    assert client.post(TOWNS).status_code == 200

    # when tomorrow comes
    monkeypatch.setattr(seeded, "clock", Clock(seeded.clock.zone, lambda: now + timedelta(1)))

    # then it no longer works
    assert_unauthenticated(client)


def test_health_and_the_graphiql_page_need_no_token(api: Api) -> None:
    anonymous = api.with_token(None)
    assert anonymous.request("GET", "/healthz").status_code == 200
    page = anonymous.request("GET", "/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_facts_are_recorded_with_the_tokens_name_as_actor(seeded: Registry, api: Api) -> None:
    # given an accountant's token named for the person who holds it
    secret = issue_token(seeded, "accountant", ["320117107206"], "王会计")
    client = api.with_token(secret)

    # when a fact is recorded with it
    document = """mutation { registerAsset(villageCode: "320117107206", assetCode: "T-1",
        name: "仓库", kind: "other", areaM2: "10", location: "村口", registeredOn: "2024-01-10") {
        asset { id } errors { code } } }"""
    asset_id = client.data(document)["registerAsset"]["asset"]["id"]

    # then the history names the token's holder, role and id
    events = api.auditor.data(
        "query($id: ID!) { history(aggregateId: $id) { actor } }", {"id": asset_id}
    )["history"]
    token_id = str(ApiToken.create_id(token_hash(secret)))
    assert events == [{"actor": f"王会计 [accountant token {token_id[:8]}]"}]
