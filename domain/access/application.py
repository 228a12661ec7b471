"""Issuing and revoking API tokens, and recording reads of personal data in clear."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.access.errors import TokenExpiryNotInFuture, TokenNotFound
from domain.access.model import AccessLog, ApiToken
from domain.access.rules import MAX_SCOPE_VILLAGES, check_role_and_villages
from domain.reference.application import ReferenceApplication
from domain.shared.clock import Clock
from domain.shared.commands import get_or_refuse, translating_conflicts
from domain.shared.eventstore import EventStore
from domain.shared.values import Provenance, required_text

SECRET_PREFIX = "qw_"  # lets secret scanners and people recognise a qianwan token
SECRET_BYTES = 32  # 256 bits of randomness
MAX_TOKEN_VILLAGES = MAX_SCOPE_VILLAGES
MAX_TOKEN_NAME_CHARS = 100  # the actor recorded with every fact keeps the name
MAX_READS_PER_LOG = 10_000  # elders in one access-log event
MAX_OPERATION_CHARS = 200


def token_hash(secret: str) -> str:
    """SHA-256 of the secret, hex: all the registry keeps of it."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """The new token: ``secret`` is shown once and stored nowhere."""

    token_id: UUID
    secret: str
    role: str
    villages: tuple[str, ...]
    expires_on: date | None


class AccessApplication:
    def __init__(
        self,
        store: EventStore,
        places: ReferenceApplication,
        today: Callable[[], date] | None = None,
    ) -> None:
        """today: the registry's date (domain/shared/clock.py); a token expires at its start."""
        self.store = store
        self.places = places
        self.today = today or Clock().today

    def issue_token(
        self,
        role: str,
        villages: Sequence[str] | None,
        name: str,
        by: Provenance,
        expires_on: date | None = None,
    ) -> IssuedToken:
        codes = check_role_and_villages(role, villages, self.village_code)
        if expires_on is not None and expires_on <= self.today():
            raise TokenExpiryNotInFuture(
                f"expires_on {expires_on} is not after today", field="expires_on"
            )
        name = required_text(name, "name", MAX_TOKEN_NAME_CHARS)
        secret = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
        token = ApiToken(
            token_hash=token_hash(secret),
            role=role,
            villages=codes,
            name=name,
            expires_on=expires_on,
            actor=by.actor,
            authority=by.authority,
        )
        self.store.save(token)
        return IssuedToken(token.id, secret, role, tuple(codes), expires_on)

    def village_code(self, code: str) -> str:
        """The code of a registered village, or its refusal (village_not_found)."""
        return self.places.village(code).code

    def revoke_token(self, token_id: UUID, reason: str, by: Provenance) -> None:
        """Revoke a token; revoking it again records nothing."""
        token = get_or_refuse(self.store, token_id, ApiToken, TokenNotFound, "token_id")
        token.revoke(required_text(reason, "reason", 300), by.actor, by.authority)
        with translating_conflicts():
            self.store.save(token)

    def record_personal_data_read(
        self,
        token_id: UUID,
        elder_ids: Sequence[str],
        fields: Sequence[str],
        operation: str | None,
        by: Provenance,
    ) -> list[UUID]:
        """One event per request (per MAX_READS_PER_LOG elders) for its reads of personal data
        in clear, saved in one transaction."""
        ids = sorted(set(elder_ids))
        logs = [
            AccessLog(
                token_id=token_id,
                elder_ids=ids[start : start + MAX_READS_PER_LOG],
                fields=sorted(set(fields)),
                operation=operation[:MAX_OPERATION_CHARS] if operation else None,
                actor=by.actor,
                authority=by.authority,
            )
            for start in range(0, len(ids), MAX_READS_PER_LOG)
        ]
        if logs:
            self.store.save(*logs)
        return [log.id for log in logs]
