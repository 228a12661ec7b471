"""From the ``Authorization: Bearer <secret>`` header to the request's Principal: the secret's
SHA-256 is looked up in the token projection (one statement); a revoked or expired token, or an
unknown one, is no token at all."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from api.auth.principal import Principal
from domain.access.application import token_hash
from domain.access.roles import Role
from projections.access import TokenRecord, token_by_hash
from qianwan.bootstrap import Registry

MAX_SECRET_CHARS = 200
_BEARER = re.compile(r"Bearer[ \t]+([!-~]+)[ \t]*", re.IGNORECASE)  # printable ASCII secret


def bearer_secret(header: str | None) -> str | None:
    found = _BEARER.fullmatch(header or "")
    if found is None or len(found.group(1)) > MAX_SECRET_CHARS:
        return None
    return found.group(1)


def principal_of(record: TokenRecord) -> Principal:
    role = Role(record.role)
    villages = frozenset(record.villages) if record.villages else None
    return Principal(record.token_id, role, record.name, villages)


def authenticate(
    registry: Registry, header: str | None, today: Callable[[], date] | None = None
) -> Principal | None:
    """The caller the header names, or None: no header, not a token, revoked or expired.
    ``today``: the registry's date, by default its clock's (a token works until the day before
    it expires, in the registry's time zone)."""
    secret = bearer_secret(header)
    if secret is None:
        return None
    with registry.engine.connect() as conn:
        record = token_by_hash(conn, token_hash(secret))
    if record is None or not record.active_on((today or registry.clock.today)()):
        return None
    return principal_of(record)
