"""API tokens and the log of personal data read in clear.

A token's secret never enters the log: ``ApiToken.Issued`` holds its SHA-256 only, with the
role, the villages it is scoped to and its expiry. The id is uuid5 of that hash, so the store
itself refuses a second token with the same secret.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import deterministic_id


class ApiToken(QianwanAggregate):
    """A credential for the GraphQL API (``Authorization: Bearer <secret>``)."""

    @staticmethod
    def create_id(token_hash: str) -> UUID:
        return deterministic_id("api-token", token_hash)

    @event("Issued")
    def __init__(
        self,
        token_hash: str,
        role: str,
        villages: list[str],
        name: str,
        expires_on: date | None,
        actor: str,
        authority: str | None,
    ) -> None:
        """token_hash: SHA-256 of the secret, 64 hex digits. role: accountant | auditor |
        platform | admin. villages: the 12-digit codes it is scoped to (empty: not scoped).
        name: who or what holds it, as recorded facts name it. expires_on: the first day it no
        longer works (None: until revoked)."""
        self.token_hash = token_hash
        self.role = role
        self.villages = villages
        self.name = name
        self.expires_on = expires_on
        self.revoked = False

    def revoke(self, reason: str, actor: str, authority: str | None) -> None:
        if not self.revoked:
            self._revoked(reason=reason, actor=actor, authority=authority)

    @event("Revoked")
    def _revoked(self, reason: str, actor: str, authority: str | None) -> None:
        """reason: why, for the record (free text)."""
        self.revoked = True


class AccessLog(QianwanAggregate):
    """What one request read of personal data in clear (an auditor's request): one aggregate
    per request, with a random id."""

    @event("PersonalDataRead")
    def __init__(
        self,
        token_id: UUID,
        elder_ids: list[str],
        fields: list[str],
        operation: str | None,
        actor: str,
        authority: str | None,
    ) -> None:
        """token_id: the token the request came with. elder_ids: the elders whose personal
        data was returned in clear, sorted. fields: which (name, id_number). operation: the
        GraphQL operation name, if the client gave one. The event's timestamp is the time."""
        self.token_id = token_id
        self.elder_ids = elder_ids
        self.fields = fields
        self.operation = operation
