"""The roles an API token carries, and the shape of the scope each role takes."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """accountant: reads and writes the records of its villages. auditor: reads everything of
    its scope (its villages, or the whole registry without any), history and proofs included,
    personal data in clear; writes nothing. platform: reads the whole district, personal data
    always masked; writes nothing. admin: reference data, policies and tokens."""

    ACCOUNTANT = "accountant"
    AUDITOR = "auditor"
    PLATFORM = "platform"
    ADMIN = "admin"


ROLES = tuple(r.value for r in Role)
# Roles whose tokens may name villages; for an accountant the villages are required.
VILLAGE_SCOPED_ROLES = frozenset({Role.ACCOUNTANT, Role.AUDITOR})
