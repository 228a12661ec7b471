"""Authentication: without a valid API token only /healthz and the GraphiQL page answer; every
GraphQL request gets 401 UNAUTHENTICATED, whatever it asks for. And issuing tokens over GraphQL."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import insert, text

from api.auth import authenticate
from domain.access.application import token_hash
from domain.access.model import ApiToken
from domain.shared.clock import Clock
from projections.access import api_tokens
from projections.projection import ProjectionFailed
from qianwan.bootstrap import Registry
from tests.audit_support import events_table
from tests.e2e.conftest import ISSUER, Api, issue_token

ISSUE_TOKEN = """
mutation Issue($villages: [String!]) {
  issueApiToken(role: auditor, name: "审计", villages: $villages) {
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
    assert page.status_code == 200 and "GraphQL 控制台" in page.text
    assert 'type="password"' in page.text  # it asks for the token the console will send


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


# -- the token read model is no authority (issue 11, item 5) ------------------------------------

FORGED_SECRET = "qw_forged-by-someone-with-database-access"


def test_a_token_row_inserted_into_the_read_model_grants_nothing(
    seeded: Registry, api: Api
) -> None:
    # given an admin token row written straight into api_tokens, with no event behind it
    before = seeded.store.last_notification_id()
    with seeded.engine.begin() as conn:
        conn.execute(
            insert(api_tokens).values(
                token_id=str(ApiToken.create_id(token_hash(FORGED_SECRET))),
                token_hash=token_hash(FORGED_SECRET),
                role="admin",
                villages="",
                name="forged",
                expires_on=None,
                issued_at=datetime.now(UTC),
                issued_by="nobody",
                revoked_at=None,
                revoked_by=None,
                source_notification_id=before,
            )
        )

    # then its secret is no token at all, and nothing was recorded
    assert_unauthenticated(api.with_token(FORGED_SECRET))
    assert seeded.store.last_notification_id() == before


def test_an_api_token_event_forged_without_a_signature_grants_nothing(
    seeded: Registry, api: Api
) -> None:
    # given an ApiToken.Issued event for an admin appended by raw SQL …
    issued = token_hash(issue_token(seeded, "platform", (), "model"))
    model = next(
        n
        for n in seeded.store.recorder.select_notifications(start=1, limit=10_000)
        if n.topic.endswith("ApiToken.Issued") and issued.encode() in bytes(n.state)
    )
    forged_hash = token_hash(FORGED_SECRET)
    state = bytes(model.state).replace(issued.encode(), forged_hash.encode())
    state = state.replace(b'"role":"platform"', b'"role":"admin"')
    assert forged_hash.encode() in state and b'"role":"admin"' in state
    forged_id = ApiToken.create_id(forged_hash)
    with seeded.engine.begin() as conn:
        conn.execute(
            text(
                f"INSERT INTO {events_table(seeded)} "
                "(originator_id, originator_version, topic, state) VALUES (:o, 1, :t, :s)"
            ),
            {
                "o": forged_id if seeded.settings.is_postgres else forged_id.hex,
                "t": model.topic,
                "s": state,
            },
        )
    # … and folded into the token read model wherever a projection would take it
    with contextlib.suppress(ProjectionFailed):  # the seal refuses it: beside the point here
        seeded.runner.catch_up()
    before = seeded.store.last_notification_id()

    # then it authenticates nobody, and nothing is recorded
    assert_unauthenticated(api.with_token(FORGED_SECRET))
    assert authenticate.authenticate(seeded, f"Bearer {FORGED_SECRET}") is None
    assert seeded.store.last_notification_id() == before


def test_a_verified_token_is_cached_and_its_revocation_still_takes_effect_at_once(
    seeded: Registry, api: Api
) -> None:
    secret = issue_token(seeded, "auditor", (), "cached")
    header = f"Bearer {secret}"
    first = authenticate.authenticate(seeded, header)
    assert first is not None and authenticate.authenticate(seeded, header) == first

    seeded.access.revoke_token(ApiToken.create_id(token_hash(secret)), "gone", ISSUER)

    assert authenticate.authenticate(seeded, header) is None


def test_a_token_with_villages_null_is_refused_and_nothing_recorded(api: Api) -> None:
    admin = api.admin
    assert admin.token
    before = api.registry.store.last_notification_id()
    literal = 'mutation { issueApiToken(role: auditor, name: "审计", villages: null) '
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
