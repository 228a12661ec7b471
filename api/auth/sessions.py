"""From a web session's cookie to the request's Principal: the session is the one the signed
event log states under the secret's SHA-256 (domain/access/sessions.py), with its user's current
role and villages; an unknown, ended or expired session, one whose user is disabled or whose
password was reset since, or one whose events no trusted signature vouches for, is none at all."""

from __future__ import annotations

from api.auth.principal import Principal
from domain.access.roles import Role
from domain.access.sessions import VerifiedSession
from qianwan.bootstrap import Registry


def principal_of_session(session: VerifiedSession) -> Principal:
    villages = frozenset(session.villages) if session.villages else None
    return Principal(
        str(session.session_id),
        Role(session.role),
        session.display_name,
        villages,
        username=session.username,
    )


def authenticate_session(registry: Registry, secret: str | None) -> Principal | None:
    """The signed-in user the cookie's value names, or None."""
    session = registry.users.session(secret)
    return None if session is None else principal_of_session(session)
