"""The rules of web users as plain functions: usernames, passwords, the lockout window, the
text a failed sign-in records, and the actor a web user's Principal gives (docs/rules.md W-)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.auth.principal import Principal
from domain.access.errors import AccountLocked, UsernameInvalid
from domain.access.roles import Role
from domain.access.rules import (
    LOCKOUT_DURATION,
    check_not_locked,
    check_username,
    locked_until,
)
from domain.access.users_application import lookup_name, safe_text

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def minutes(*offsets: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in offsets]


@pytest.mark.parametrize("name", ["abc", "a" * 32, "wang.li-2_x", "k9.0"])
def test_good_usernames_pass(name: str) -> None:
    assert check_username(name) == name


@pytest.mark.parametrize("name", ["ab", "a" * 33, "9abc", "_abc", "Abc", "ab c", "abc\n", "ａbc"])
def test_bad_usernames_are_refused(name: str) -> None:
    with pytest.raises(UsernameInvalid):
        check_username(name)


def test_a_lookup_ignores_blanks_and_case_but_nothing_else() -> None:
    assert lookup_name("  KuaiJi ") == "kuaiji"
    assert lookup_name("kuai ji") is None and lookup_name(None) is None
    assert lookup_name("k" * 101) is None


def test_five_failures_within_fifteen_minutes_lock_for_fifteen_after_the_last() -> None:
    assert locked_until(minutes(0, 1, 2, 3)) is None
    assert locked_until(minutes(0, 1, 2, 3, 15)) == T0 + timedelta(minutes=15) + LOCKOUT_DURATION
    assert locked_until(minutes(0, 1, 2, 3, 15.01)) is None  # the five span more than 15 min
    assert locked_until(minutes(0, 20, 21, 22, 23, 24)) is not None  # the last five count
    last = T0 + timedelta(minutes=4)
    with pytest.raises(AccountLocked):
        check_not_locked(minutes(0, 1, 2, 3, 4), last + LOCKOUT_DURATION - timedelta(seconds=1))
    check_not_locked(minutes(0, 1, 2, 3, 4), last + LOCKOUT_DURATION)


def test_what_a_failed_sign_in_records_is_safe_text() -> None:
    assert safe_text("a\x00b\ud800c\u202e", 64) == "a\ufffdb\ufffdc\ufffd"
    assert safe_text("x" * 10_000, 64) == "x" * 64
    assert safe_text(["not", "text"], 64) == ""


def test_a_users_actor_names_the_user_and_a_tokens_stays_as_it_was() -> None:
    user = Principal("0f1e2d3c-aaaa", Role.AUDITOR, "李审计", None, username="shenji")
    token = Principal("0f1e2d3c-aaaa", Role.AUDITOR, "李审计", None)
    assert user.actor == "李审计 [auditor user shenji]"
    assert token.actor == "李审计 [auditor token 0f1e2d3c]"
