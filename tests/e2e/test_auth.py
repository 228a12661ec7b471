"""Authentication: without a valid API token only /healthz and the GraphiQL page answer; every
GraphQL request gets 401 UNAUTHENTICATED, whatever it asks for. And issuing tokens over GraphQL."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from api.auth import authenticate
from domain.access.application import token_hash
from domain.access.model import ApiToken
from qianwan.bootstrap import Registry
from tests.e2e.conftest import ISSUER, Api, issue_token

ISSUE_TOKEN = """
mutation Issue($villages: [String!]) {
  issueApiToken(role: "auditor", name: "审计", villages: $villages) {
    token { id } secret errors { code field }
  }
}
"""

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


class Tomorrow(date):
    @classmethod
    def today(cls) -> Tomorrow:
        found = date.today() + timedelta(days=1)
        return cls(found.year, found.month, found.day)


def test_an_expired_token_is_refused(
    seeded: Registry, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a token whose first day without validity is tomorrow
    tomorrow = date.today() + timedelta(days=1)
    secret = seeded.access.issue_token("platform", [], "short-lived", ISSUER, tomorrow).secret
    client = api.with_token(secret)
    assert client.post(TOWNS).status_code == 200

    # when tomorrow comes
    monkeypatch.setattr(authenticate, "date", Tomorrow)

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


def test_a_token_with_villages_null_is_refused_and_nothing_recorded(api: Api) -> None:
    admin = api.admin
    assert admin.token
    before = api.registry.store.last_notification_id()
    literal = 'mutation { issueApiToken(role: "auditor", name: "审计", villages: null) '
    literal += "{ token { id } secret errors { code field } } }"
    for response in (admin.post(ISSUE_TOKEN, {"villages": None}), admin.post(literal)):
        payload = response.json()["data"]["issueApiToken"]
        assert payload == {
            "token": None,
            "secret": None,
            "errors": [{"code": "token_villages_null", "field": "villages"}],
        }
    assert api.registry.store.last_notification_id() == before
    # omitted, the list is empty: an auditor of the whole registry
    issued = admin.data(ISSUE_TOKEN)["issueApiToken"]
    assert issued["errors"] == [] and UUID(issued["token"]["id"])
