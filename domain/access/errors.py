"""Refusals of the access context: API tokens and their roles."""

from __future__ import annotations

from domain.shared.errors import DomainError


class AccessError(DomainError):
    """A refusal of the access context; the subclasses say which."""

    code = "access_error"


class RoleNotAssignable(AccessError):
    """The public role is the anonymous reader's: no token or web user carries it (R-01)."""

    code = "role_not_assignable"


class RoleUnknown(AccessError):
    """A token's role is one of accountant, auditor, platform, admin."""

    code = "role_unknown"


class AccountantNeedsVillages(AccessError):
    """An accountant's token names the villages whose books it keeps: at least one."""

    code = "accountant_needs_villages"


class TokenVillagesNull(AccessError):
    """`villages` is a list of village codes (empty: not limited to villages), never null."""

    code = "token_villages_null"


class RoleNotScopedToVillages(AccessError):
    """Only accountants and auditors are scoped to villages; platform and admin tokens are not."""

    code = "role_not_scoped_to_villages"


class TokenExpiryNotInFuture(AccessError):
    """A token must expire after the day it is issued."""

    code = "token_expiry_not_in_future"


class TokenNotFound(AccessError):
    """No API token has that id."""

    code = "token_not_found"


# -- web users and sign-in (docs/rules.md W-) -----------------------------------------------------


class UsernameInvalid(AccessError):
    """A username is 3–32 characters of a–z, 0–9, `_`, `.`, `-`, starting with a letter."""

    code = "username_invalid"


class UsernameTaken(AccessError):
    """Another web user has that username already."""

    code = "username_taken"


class PasswordTooShort(AccessError):
    """A password has at least 10 characters."""

    code = "password_too_short"


class PasswordTooLong(AccessError):
    """A password has at most 200 characters."""

    code = "password_too_long"


class PasswordMismatch(AccessError):
    """The password typed the second time differs from the first (command line)."""

    code = "password_mismatch"


class UserNotFound(AccessError):
    """No web user has that username."""

    code = "user_not_found"


class SignInRefused(AccessError):
    """A sign-in refused; the subclasses say why. Each is recorded as an event."""

    code = "sign_in_refused"


class SignInFailed(SignInRefused):
    """Unknown username or wrong password: the same refusal, so that it tells neither."""

    code = "sign_in_failed"


class AccountLocked(SignInRefused):
    """Too many failed sign-ins in a row: the account is locked for a while."""

    code = "account_locked"


class UserDisabled(SignInRefused):
    """The user is disabled: an administrator enables it again."""

    code = "user_disabled"
