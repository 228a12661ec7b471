"""Signing in and out, and the session a cookie names: every sign-in recorded, the same refusal
for an unknown user and a wrong password, the lockout, disabled users and reset passwords ending
sessions at once, and sessions believed only from signed events (docs/rules.md W-04, W-05)."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any, Literal
from uuid import UUID

import pytest
from argon2 import PasswordHasher

from api.auth.sessions import authenticate_session
from domain.access.users import FailedSignIn, WebSession, WebUser
from domain.access.users_application import SESSION_DURATION, secret_hash
from domain.shared.errors import DomainError
from projections.projection import ProjectionFailed
from qianwan.bootstrap import Registry
from tests.audit_support import forge
from tests.integration.test_web_users import HOSTILE
from tests.support import VILLAGE
from tests.users_support import ADMIN_BY, PASSWORD, MovingClock, cheap_users, last, make_accountant

WRONG = "not the password"


@pytest.fixture
def clock(seeded: Registry) -> MovingClock:
    moving = cheap_users(seeded)
    make_accountant(seeded)
    return moving


def refused_sign_in(registry: Registry, code: str, username: Any, password: Any) -> list[Any]:
    """Refused with ``code``; returns the events it recorded."""
    before = last(registry)
    with pytest.raises(DomainError) as raised:
        registry.users.sign_in(username, password, "203.0.113.7")
    assert raised.value.code == code, raised.value
    recorded = registry.store.recorder.select_notifications(start=before + 1, limit=10)
    return [registry.store.decode(n) for n in recorded]


def test_a_sign_in_starts_a_session_in_one_transaction(
    seeded: Registry, clock: MovingClock
) -> None:
    before = last(seeded)
    started = seeded.users.sign_in(" KuaiJi", PASSWORD, "203.0.113.7")

    assert (started.username, started.display_name, started.role) == (
        "kuaiji",
        "张会计",
        "accountant",
    )
    assert started.villages == (VILLAGE,) and started.expires_at == clock.at + SESSION_DURATION
    assert started.session_id == WebSession.create_id(secret_hash(started.secret))
    recorded = seeded.store.recorder.select_notifications(start=before + 1, limit=10)
    assert [n.topic.split(":")[1] for n in recorded] == ["WebUser.SignedIn", "WebSession.Started"]
    lo, hi = recorded[0].id, recorded[1].id
    signatures = seeded.authenticity.recorder.signatures_covering(lo, hi)
    both = [s for s in signatures if s.first_notification_id <= lo and hi <= s.last_notification_id]
    assert len(both) == 1  # one save, one signature over both
    assert all(started.secret.encode() not in bytes(n.state) for n in recorded)

    principal = authenticate_session(seeded, started.secret)
    assert principal is not None and principal.username == "kuaiji"
    assert principal.token_id == str(started.session_id)
    assert principal.villages == frozenset({VILLAGE})
    assert principal.actor == "张会计 [accountant user kuaiji]"


def test_an_unknown_user_and_a_wrong_password_are_the_same_refusal(
    seeded: Registry, clock: MovingClock
) -> None:
    (failure,) = refused_sign_in(seeded, "sign_in_failed", "nobody", PASSWORD)
    assert isinstance(failure, FailedSignIn.SignInFailure)  # type: ignore[attr-defined]
    assert (failure.username, failure.client, failure.reason) == (
        "nobody",
        "203.0.113.7",
        "unknown_user",
    )
    (wrong,) = refused_sign_in(seeded, "sign_in_failed", "kuaiji", WRONG)
    assert isinstance(wrong, WebUser.SignInFailed)  # type: ignore[attr-defined]
    assert wrong.reason == "wrong_password"
    messages = set()
    for username, password in (("nobody", PASSWORD), ("kuaiji", WRONG)):
        with pytest.raises(DomainError) as raised:
            seeded.users.sign_in(username, password, "x")
        messages.add(raised.value.message)
    assert messages == {"用户名或密码不正确"}


@pytest.mark.parametrize("username", [*HOSTILE, None, 42, ["kuaiji"]])
def test_a_hostile_username_is_refused_and_recorded_made_safe(
    seeded: Registry, clock: MovingClock, username: Any
) -> None:
    (failure,) = refused_sign_in(seeded, "sign_in_failed", username, PASSWORD)
    typed = failure.username
    assert len(typed) <= 64 and "\x00" not in typed and "\ud800" not in typed
    assert "\u202e" not in typed
    if isinstance(username, str):
        assert len(typed) == min(len(username), 64)


@pytest.mark.parametrize("password", [*HOSTILE, None, 1234567890, PASSWORD + "\x00"])
def test_a_hostile_password_is_a_wrong_password(
    seeded: Registry, clock: MovingClock, password: Any
) -> None:
    (failure,) = refused_sign_in(seeded, "sign_in_failed", "kuaiji", password)
    assert failure.reason == "wrong_password"


def test_five_failures_lock_the_account_for_fifteen_minutes(
    seeded: Registry, clock: MovingClock
) -> None:
    for _ in range(5):
        refused_sign_in(seeded, "sign_in_failed", "kuaiji", WRONG)
        clock.move(timedelta(minutes=2))
    # the sixth, with the right password, 2 minutes after the fifth failure: locked, recorded
    (locked,) = refused_sign_in(seeded, "account_locked", "kuaiji", PASSWORD)
    assert locked.reason == "account_locked"
    clock.move(timedelta(minutes=12, seconds=59))  # 14:59 after the last failure
    refused_sign_in(seeded, "account_locked", "kuaiji", PASSWORD)
    clock.move(timedelta(seconds=1))  # 15:00 after the last failure
    assert seeded.users.sign_in("kuaiji", PASSWORD, "x").username == "kuaiji"


def test_failures_spread_out_or_broken_by_a_success_do_not_lock(
    seeded: Registry, clock: MovingClock
) -> None:
    for _ in range(4):
        refused_sign_in(seeded, "sign_in_failed", "kuaiji", WRONG)
    seeded.users.sign_in("kuaiji", PASSWORD, "x")  # resets the count
    for _ in range(4):
        refused_sign_in(seeded, "sign_in_failed", "kuaiji", WRONG)
    clock.move(timedelta(minutes=16))
    refused_sign_in(seeded, "sign_in_failed", "kuaiji", WRONG)  # 5 in a row, not within 15 min
    assert seeded.users.sign_in("kuaiji", PASSWORD, "x").username == "kuaiji"


def test_a_disabled_user_is_refused_and_its_session_ends_at_once(
    seeded: Registry, clock: MovingClock
) -> None:
    started = seeded.users.sign_in("kuaiji", PASSWORD, "x")
    assert seeded.users.session(started.secret) is not None  # cached now

    seeded.users.disable_user("kuaiji", "离职", ADMIN_BY)

    assert seeded.users.session(started.secret) is None
    assert authenticate_session(seeded, started.secret) is None
    refused_sign_in(seeded, "sign_in_failed", "kuaiji", WRONG)  # a wrong password tells nothing
    (failure,) = refused_sign_in(seeded, "user_disabled", "kuaiji", PASSWORD)
    assert failure.reason == "user_disabled"
    seeded.users.enable_user("kuaiji", ADMIN_BY)
    assert seeded.users.session(started.secret) is None  # enabling does not revive it
    assert seeded.users.sign_in("kuaiji", PASSWORD, "x") is not None


def test_a_password_reset_ends_the_sessions_before_it(seeded: Registry, clock: MovingClock) -> None:
    before = seeded.users.sign_in("kuaiji", PASSWORD, "x")
    seeded.users.reset_password("kuaiji", "a brand new password", ADMIN_BY)
    assert seeded.users.session(before.secret) is None
    refused_sign_in(seeded, "sign_in_failed", "kuaiji", PASSWORD)
    after = seeded.users.sign_in("kuaiji", "a brand new password", "x")
    assert seeded.users.session(after.secret) is not None


def test_a_session_expires_after_twelve_hours_and_role_changes_follow_the_user(
    seeded: Registry, clock: MovingClock
) -> None:
    started = seeded.users.sign_in("kuaiji", PASSWORD, "x")
    clock.move(SESSION_DURATION - timedelta(seconds=1))
    assert seeded.users.session(started.secret) is not None
    clock.move(timedelta(seconds=1))
    assert seeded.users.session(started.secret) is None


def test_signing_out_ends_the_session_and_an_unknown_one_records_nothing(
    seeded: Registry, clock: MovingClock
) -> None:
    started = seeded.users.sign_in("kuaiji", PASSWORD, "x")
    seeded.users.sign_out(started.secret)
    assert seeded.users.session(started.secret) is None
    ended = last(seeded)
    seeded.users.sign_out(started.secret)  # ended already
    for secret in (
        None,
        "",
        "unknown-secret-of-enough-length",
        "\x00" * 40,
        "\ud800" * 40,
        "x" * 10_000,
    ):
        seeded.users.sign_out(secret)
        assert seeded.users.session(secret) is None
        assert authenticate_session(seeded, secret) is None
    assert last(seeded) == ended


def test_a_session_forged_without_a_signature_is_refused(
    seeded: Registry, clock: MovingClock
) -> None:
    started = seeded.users.sign_in("kuaiji", PASSWORD, "x")
    model = next(
        n.id
        for n in seeded.store.recorder.select_notifications(start=1, limit=10_000)
        if n.topic.endswith("WebSession.Started")
    )
    forged_secret = "forged-secret-forged-secret-forged-secret"
    forged_id = WebSession.create_id(secret_hash(forged_secret))
    old_hash = secret_hash(started.secret).encode()
    forge(seeded, model, {old_hash: secret_hash(forged_secret).encode()}, forged_id, 1)
    with contextlib.suppress(ProjectionFailed):  # the seal refuses it: beside the point here
        seeded.runner.catch_up()
    assert seeded.store.versions([forged_id]) == {forged_id: 1}  # it is there …
    assert seeded.users.session(forged_secret) is None  # … and believed by nobody
    assert authenticate_session(seeded, forged_secret) is None
    assert seeded.users.session(started.secret) is not None


def test_a_password_forged_without_a_signature_signs_nobody_in(
    seeded: Registry, clock: MovingClock
) -> None:
    seeded.users.create_user("other", "他人", PASSWORD, "admin", [], ADMIN_BY)
    seeded.users.reset_password("other", "the attackers password", ADMIN_BY)
    model = last(seeded)  # other's PasswordReset, copied onto kuaiji by raw SQL
    user_id = WebUser.create_id("kuaiji")
    forge(seeded, model, {}, user_id, 2)
    # folded, kuaiji has the attacker's password now …
    attacker: str = seeded.store.repository.get(WebUser.create_id("other")).password_hash
    assert seeded.store.repository.get(user_id).password_hash == attacker
    # … but no signature vouches for it: nobody signs in with it, nor with the old one
    refused_sign_in(seeded, "sign_in_failed", "kuaiji", "the attackers password")
    refused_sign_in(seeded, "sign_in_failed", "kuaiji", PASSWORD)


class CountingHasher(PasswordHasher):
    """The cheap hasher, counting the passwords it verifies."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified += 1
        return super().verify(hash, password)


def test_an_unknown_user_costs_a_password_check_as_a_known_one_does(
    seeded: Registry, clock: MovingClock
) -> None:
    counting = CountingHasher()
    seeded.users.hasher = counting
    seeded.users.dummy_hash()  # made once, beforehand
    refused_sign_in(seeded, "sign_in_failed", "nobody", PASSWORD)
    refused_sign_in(seeded, "sign_in_failed", "kuaiji", WRONG)
    assert counting.verified == 2


def test_a_verified_session_is_cached_until_the_session_or_its_user_changes(
    seeded: Registry, clock: MovingClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = seeded.users.sign_in("kuaiji", PASSWORD, "x")
    verifier = seeded.users.sessions
    folds: list[UUID] = []
    real = verifier.vouched

    def counted(aggregate_id: UUID) -> Any:
        folds.append(aggregate_id)
        return real(aggregate_id)

    monkeypatch.setattr(verifier, "vouched", counted)
    first = seeded.users.session(started.secret)
    assert seeded.users.session(started.secret) == first is not None
    assert len(folds) == 2  # the session and its user, read once
    seeded.users.sign_in("kuaiji", PASSWORD, "another browser")  # the user's version moves
    folds.clear()
    assert seeded.users.session(started.secret) == first
    assert len(folds) == 2  # read again
    assert seeded.users.session(started.secret) == first
    assert len(folds) == 2
