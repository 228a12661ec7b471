"""From the ``Authorization: Bearer <secret>`` header to the request's Principal: the token is
the one the signed event log states under the secret's SHA-256 (domain/access/verified.py), never
a row of the token read model alone; a revoked or expired token, an unknown one, or one whose
events no trusted signature vouches for, is no token at all."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from api.auth.principal import Principal
from domain.access.application import token_hash
from domain.access.roles import Role
from domain.access.verified import VerifiedToken
from qianwan.bootstrap import Registry

MAX_SECRET_CHARS = 200
_BEARER = re.compile(r"Bearer[ \t]+([!-~]+)[ \t]*", re.IGNORECASE)  # printable ASCII secret


def bearer_secret(header: str | None) -> str | None:
    found = _BEARER.fullmatch(header or "")
    if found is None or len(found.group(1)) > MAX_SECRET_CHARS:
        return None
    return found.group(1)


def principal_of(token: VerifiedToken) -> Principal:
    role = Role(token.role)
    villages = frozenset(token.villages) if token.villages else None
    return Principal(str(token.token_id), role, token.name, villages)


def authenticate(
    registry: Registry, header: str | None, today: Callable[[], date] | None = None
) -> Principal | None:
    """The caller the header names, or None: no header, not a token, revoked or expired.
    ``today``: the registry's date, by default its clock's (a token works until the day before
    it expires, in the registry's time zone)."""
    secret = bearer_secret(header)
    if secret is None:
        return None
    token = registry.tokens.token(token_hash(secret))
    if token is None or not token.active_on((today or registry.clock.today)()):
        return None
    return principal_of(token)
