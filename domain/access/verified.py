"""API tokens as the signed event log states them, for authentication.

The ``api_tokens`` read model is a convenience for listing tokens; it is no authority: one
INSERT there would otherwise grant admin with no event behind it. A token is believed only when
its ``ApiToken`` events are in the log and a trusted signature vouches for every one of them
(domain/audit/authenticity.py); its role, villages, expiry and revocation come from those events.

Cheap: the token's id is a function of the secret's hash (``ApiToken.create_id``), so a request
costs one indexed lookup of the token's current version. A verified token is cached by id and
version: a revocation is a new version, so it takes effect on the next request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.access.model import ApiToken
from domain.audit.authenticity import EventAuthenticity
from domain.shared.eventstore import EventStore

MAX_CACHED_TOKENS = 10_000  # verified tokens kept in memory, the least recently used dropped


@dataclass(frozen=True)
class VerifiedToken:
    token_id: UUID
    version: int
    role: str
    villages: tuple[str, ...]
    name: str
    expires_on: date | None
    revoked: bool

    def active_on(self, day: date) -> bool:
        return not self.revoked and (self.expires_on is None or day < self.expires_on)


class TokenVerifier:
    def __init__(self, store: EventStore, authenticity: EventAuthenticity) -> None:
        self.store = store
        self.authenticity = authenticity
        self._cache: OrderedDict[UUID, VerifiedToken] = OrderedDict()
        self._lock = threading.Lock()

    def token(self, token_hash: str) -> VerifiedToken | None:
        """The token whose secret hashes to ``token_hash``, as its signed events state it; None
        when there is none, or its events are not all vouched for by a trusted signature."""
        token_id = ApiToken.create_id(token_hash)
        version = self.store.versions([token_id]).get(token_id)
        if version is None:
            return None
        with self._lock:
            cached = self._cache.get(token_id)
            if cached is not None and cached.version == version:
                self._cache.move_to_end(token_id)
                return cached
        verified = self._verify(token_id, token_hash)
        if verified is not None:
            with self._lock:
                self._cache[token_id] = verified
                while len(self._cache) > MAX_CACHED_TOKENS:
                    self._cache.popitem(last=False)
        return verified

    def _verify(self, token_id: UUID, token_hash: str) -> VerifiedToken | None:
        if not self.authenticity.signs():
            return None  # a store without signatures cannot vouch for a token
        notifications = self.authenticity.recorder.notifications_of(token_id)
        found = self.authenticity.check(
            notifications, contiguous=False, allow_unsigned_prefix=False
        )
        if not notifications or found is not None:
            return None
        token: Any = None
        for notification in notifications:
            token = self.store.decode(notification).mutate(token)
        if not isinstance(token, ApiToken) or token.token_hash != token_hash:
            return None
        return VerifiedToken(
            token_id,
            token.version,
            token.role,
            tuple(token.villages),
            token.name,
            token.expires_on,
            token.revoked,
        )
