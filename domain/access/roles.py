"""The roles an API token carries, and the shape of the scope each role takes."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """accountant: reads and writes the records of its villages. auditor: reads everything of
    its scope (its villages, or the whole registry without any), history and proofs included,
    personal data in clear; writes nothing. platform: reads the whole district, personal data
    always masked; writes nothing. admin: reference data, policies and tokens. public: an
    anonymous reader of the published disclosures (村务公开) and of the places' names; never
    the role of a token or a web user (docs/rules.md R-01)."""

    ACCOUNTANT = "accountant"
    AUDITOR = "auditor"
    PLATFORM = "platform"
    ADMIN = "admin"
    PUBLIC = "public"


# The roles a token or web user may carry: every role but PUBLIC, which only the public pages'
# in-process principal has (api/auth/public.py).
ASSIGNABLE_ROLES = frozenset(r for r in Role if r is not Role.PUBLIC)
ROLES = tuple(r.value for r in Role if r in ASSIGNABLE_ROLES)
# Roles whose tokens may name villages; for an accountant the villages are required.
VILLAGE_SCOPED_ROLES = frozenset({Role.ACCOUNTANT, Role.AUDITOR})
