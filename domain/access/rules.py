"""The rules of the access context: the role and villages of a token or a web user, usernames,
passwords and the lockout of sign-ins. Each ``check_*`` cites its rule in docs/rules.md."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from domain.access.errors import (
    AccountantNeedsVillages,
    AccountLocked,
    PasswordTooLong,
    PasswordTooShort,
    RoleNotAssignable,
    RoleNotScopedToVillages,
    RoleUnknown,
    TokenVillagesNull,
    UsernameInvalid,
)
from domain.access.roles import ROLES, VILLAGE_SCOPED_ROLES, Role
from domain.shared.errors import InvalidInput
from domain.shared.text import check_text

MAX_SCOPE_VILLAGES = 500  # villages one token or user is scoped to
USERNAME = re.compile(r"[a-z][a-z0-9_.-]{2,31}")  # ASCII only (docs/rules.md W-01)
PASSWORD_CHARS_MIN = 10
PASSWORD_CHARS_MAX = 200
LOCKOUT_FAILURES = 5  # consecutive failed sign-ins …
LOCKOUT_WINDOW = timedelta(minutes=15)  # … within this long lock the account …
LOCKOUT_DURATION = timedelta(minutes=15)  # … for this long from the last of them


def check_role_and_villages(
    role: object, villages: Sequence[str] | None, village_code: Callable[[str], str]
) -> list[str]:
    """The sorted village codes a token or web user of ``role`` is scoped to (docs/rules.md
    R-01, W-02): a known role; a list, never null; only accountants and auditors scoped to
    villages, an accountant to at least one; every village known (``village_code`` returns
    the code of a registered village or refuses it)."""
    if role == Role.PUBLIC.value:
        raise RoleNotAssignable(
            "the public role is the anonymous reader's: no token or user carries it",
            field="role",
        )
    if not isinstance(role, str) or role not in ROLES:
        raise RoleUnknown(f"role must be one of {', '.join(ROLES)}; got {role!r}", field="role")
    if villages is None:  # not read as "every village": a scope is never widened by a null
        raise TokenVillagesNull(
            "villages is a list (empty when not limited to villages), not null", field="villages"
        )
    if isinstance(villages, str) or not all(isinstance(v, str) for v in villages):
        raise InvalidInput("villages is a list of village codes", field="villages")
    if len(villages) > MAX_SCOPE_VILLAGES:
        raise InvalidInput(f"at most {MAX_SCOPE_VILLAGES} villages", field="villages")
    codes = sorted({village_code(code) for code in villages})
    if codes and Role(role) not in VILLAGE_SCOPED_ROLES:
        raise RoleNotScopedToVillages(f"a {role} is not scoped to villages", field="villages")
    if not codes and Role(role) is Role.ACCOUNTANT:
        raise AccountantNeedsVillages("an accountant names its villages", field="villages")
    return codes


def check_username(username: object) -> str:
    """A username: 3–32 characters of a–z, 0–9, `_`, `.`, `-`, starting with a letter
    (docs/rules.md W-01)."""
    if not isinstance(username, str) or not USERNAME.fullmatch(username):
        raise UsernameInvalid(
            "a username is 3–32 characters of a–z, 0–9, _ . -, starting with a letter",
            field="username",
        )
    return username


def check_password(password: object, field: str = "password") -> str:
    """A new password: text of 10–200 characters (docs/rules.md W-03). The message never
    repeats it."""
    if not isinstance(password, str):
        raise InvalidInput("the password is text", field=field)
    if len(password) < PASSWORD_CHARS_MIN:
        raise PasswordTooShort(
            f"a password has at least {PASSWORD_CHARS_MIN} characters", field=field
        )
    if len(password) > PASSWORD_CHARS_MAX:
        raise PasswordTooLong(
            f"a password has at most {PASSWORD_CHARS_MAX} characters", field=field
        )
    return check_text(password, field)


def locked_until(failures: Sequence[datetime]) -> datetime | None:
    """When the lock of an account whose consecutive failed sign-ins (since its last success,
    oldest first) are ``failures`` ends, or None when they do not lock it."""
    if len(failures) < LOCKOUT_FAILURES:
        return None
    last = failures[-1]
    if last - failures[-LOCKOUT_FAILURES] > LOCKOUT_WINDOW:
        return None
    return last + LOCKOUT_DURATION


def check_not_locked(failures: Sequence[datetime], now: datetime) -> None:
    """Five consecutive failed sign-ins within 15 minutes lock the account for 15 minutes from
    the last of them (docs/rules.md W-04)."""
    until = locked_until(failures)
    if until is not None and now < until:
        raise AccountLocked(
            "登录失败次数过多，账号已锁定，请 15 分钟后再试 "
            "(too many failed sign-ins: locked for 15 minutes)",
            field="username",
        )
