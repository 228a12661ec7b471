"""API tokens and idempotency keys on the in-memory store: what a token holds, who may hold
what, revocation, the access log, and the canonical content of a request."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.access.application import AccessApplication, token_hash
from domain.access.model import AccessLog, ApiToken
from domain.shared.errors import DomainError
from domain.shared.idempotency import IdempotencyKey, canonical_sha256, companion
from domain.shared.values import Provenance
from qianwan.settings import Settings
from tests.conftest import Memory
from tests.support import OTHER_VILLAGE, VILLAGE

BY = Provenance("admin:test")


@pytest.fixture
def access(memory: Memory) -> AccessApplication:
    return AccessApplication(memory.store, memory.places, today=lambda: date(2026, 1, 1))


def refused(code: str, command: object) -> None:
    with pytest.raises(DomainError) as error:
        command()  # type: ignore[operator]
    assert error.value.code == code


def test_a_token_records_the_hash_of_its_secret_never_the_secret(
    memory: Memory, access: AccessApplication
) -> None:
    issued = access.issue_token("accountant", [OTHER_VILLAGE, VILLAGE, VILLAGE], "王会计", BY)

    token: object = memory.store.repository.get(issued.token_id)
    assert isinstance(token, ApiToken)
    assert token.token_hash == token_hash(issued.secret) != issued.secret
    assert (token.role, token.villages, token.name) == (
        "accountant",
        [VILLAGE, OTHER_VILLAGE],
        "王会计",
    )
    assert issued.token_id == ApiToken.create_id(token_hash(issued.secret))
    assert issued.secret not in repr(list(memory.store.events.get(issued.token_id)))


def test_two_tokens_never_share_a_secret(access: AccessApplication) -> None:
    secrets = {access.issue_token("platform", [], "p", BY).secret for _ in range(20)}
    assert len(secrets) == 20


def test_the_shape_of_a_token_follows_its_role(access: AccessApplication) -> None:
    refused("role_unknown", lambda: access.issue_token("root", [], "x", BY))
    refused("accountant_needs_villages", lambda: access.issue_token("accountant", [], "x", BY))
    refused(
        "role_not_scoped_to_villages",
        lambda: access.issue_token("platform", [VILLAGE], "x", BY),
    )
    refused(
        "village_not_registered",
        lambda: access.issue_token("auditor", ["320117107299"], "x", BY),
    )
    refused(
        "token_expiry_not_in_future",
        lambda: access.issue_token("admin", [], "x", BY, date(2026, 1, 1)),
    )
    refused("invalid_input", lambda: access.issue_token("admin", [], " ", BY))
    tomorrow = date(2026, 1, 1) + timedelta(days=1)
    assert access.issue_token("auditor", [], "x", BY, tomorrow).expires_on == tomorrow


def test_revoking_twice_records_one_event(memory: Memory, access: AccessApplication) -> None:
    issued = access.issue_token("platform", [], "p", BY)
    access.revoke_token(issued.token_id, "left", BY)
    access.revoke_token(issued.token_id, "left", BY)
    assert [type(e).__qualname__ for e in memory.store.events.get(issued.token_id)] == [
        "ApiToken.Issued",
        "ApiToken.Revoked",
    ]
    refused("token_not_found", lambda: access.revoke_token(ApiToken.create_id("0"), "x", BY))


def test_a_requests_reads_of_personal_data_are_one_event(
    memory: Memory, access: AccessApplication
) -> None:
    issued = access.issue_token("auditor", [], "审计", BY)
    (log_id,) = access.record_personal_data_read(
        issued.token_id, ["b", "a", "b"], ["name", "id_number", "name"], "Elders", BY
    )
    log: object = memory.store.repository.get(log_id)
    assert isinstance(log, AccessLog)
    assert (log.elder_ids, log.fields, log.operation) == (
        ["a", "b"],
        ["id_number", "name"],
        "Elders",
    )


def test_the_canonical_content_ignores_how_money_and_keys_are_written() -> None:
    one = canonical_sha256("RegisterAsset", {"b": Decimal("120000"), "a": [date(2024, 1, 1)]})
    same = canonical_sha256("RegisterAsset", {"a": [date(2024, 1, 1)], "b": Decimal("120000.00")})
    other = canonical_sha256("RegisterAsset", {"a": [date(2024, 1, 2)], "b": Decimal("120000")})
    command = canonical_sha256("RegisterParcel", {"b": Decimal("120000"), "a": [date(2024, 1, 1)]})
    assert one == same
    assert len({one, other, command}) == 3


def test_a_companion_is_saved_with_the_first_save_of_what_it_waits_for(memory: Memory) -> None:
    store = memory.store

    def key_for(created: ApiToken) -> IdempotencyKey:
        return IdempotencyKey("p", "k", "IssueApiToken", "0" * 64, created.id, "a", None)

    access = AccessApplication(store, memory.places)
    with companion(ApiToken, key_for) as armed:
        issued = access.issue_token("platform", [], "p", BY)

    key: object = store.repository.get(IdempotencyKey.create_id("p", "k"))
    assert isinstance(key, IdempotencyKey) and key.result_id == issued.token_id
    assert armed.saved is not None and armed.saved.id == key.id


@pytest.mark.parametrize(
    ("value", "answered"),
    [(None, True), ("on", True), ("off", False), ("OFF", False), ("0", False), ("no", False)],
)
def test_introspection_is_switched_off_by_configuration(
    monkeypatch: pytest.MonkeyPatch, value: str | None, answered: bool
) -> None:
    if value is None:
        monkeypatch.delenv("QIANWAN_GRAPHQL_INTROSPECTION", raising=False)
    else:
        monkeypatch.setenv("QIANWAN_GRAPHQL_INTROSPECTION", value)
    assert Settings.from_env().graphql_introspection is answered


def test_revoking_an_id_that_is_not_a_token_is_refused(
    memory: Memory, access: AccessApplication
) -> None:
    asset = memory.assets.register_asset(
        VILLAGE, "T-1", "仓库", "other", "10", "村口", date(2024, 1, 10), BY
    )
    refused("token_not_found", lambda: access.revoke_token(asset, "x", BY))
