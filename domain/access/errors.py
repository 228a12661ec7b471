"""Refusals of the access context: API tokens and their roles."""

from __future__ import annotations

from domain.shared.errors import DomainError


class AccessError(DomainError):
    """A refusal of the access context; the subclasses say which."""

    code = "access_error"


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
