"""Web sessions as the signed event log states them, for authentication (docs/rules.md W-05).

Like API tokens (domain/access/verified.py): a session is believed only when its ``WebSession``
events and its user's ``WebUser`` events are in the log and a trusted signature vouches for every
one of them; the ``web_users`` read model is no authority. The role and villages come from the
user's current events. A verified session is cached by its id with the versions of the session
and the user it was read at: signing out, disabling the user or resetting its password is a new
version, so it takes effect on the next request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.access.users import WebSession, WebUser
from domain.audit.authenticity import EventAuthenticity
from domain.shared.eventstore import EventStore

MAX_CACHED_SESSIONS = 10_000  # verified sessions kept in memory, the least recently used dropped


@dataclass(frozen=True)
class VerifiedSession:
    session_id: UUID
    user_id: UUID
    username: str
    display_name: str
    role: str
    villages: tuple[str, ...]
    expires_at: datetime


@dataclass(frozen=True)
class _Cached:
    session_version: int
    user_id: UUID
    user_version: int
    session: VerifiedSession | None  # None: ended, disabled, reset, or not vouched for


class SessionVerifier:
    def __init__(self, store: EventStore, authenticity: EventAuthenticity) -> None:
        self.store = store
        self.authenticity = authenticity
        self._cache: OrderedDict[UUID, _Cached] = OrderedDict()
        self._lock = threading.Lock()

    def session(self, secret_hash: str, now: datetime) -> VerifiedSession | None:
        """The session whose secret hashes to ``secret_hash``, as its signed events and its
        user's state it; None when unknown, ended, expired at ``now``, its user disabled or its
        password reset since, or any of those events vouched for by no trusted signature."""
        session_id = WebSession.create_id(secret_hash)
        with self._lock:
            cached = self._cache.get(session_id)
        if cached is not None:
            versions = self.store.versions([session_id, cached.user_id])
            if versions.get(session_id) == cached.session_version and (
                versions.get(cached.user_id) == cached.user_version
            ):
                with self._lock:
                    self._cache.move_to_end(session_id)
                return _unexpired(cached.session, now)
        elif session_id not in self.store.versions([session_id]):
            return None
        found = self._verify(session_id, secret_hash)
        if found is not None:
            with self._lock:
                self._cache[session_id] = found
                while len(self._cache) > MAX_CACHED_SESSIONS:
                    self._cache.popitem(last=False)
            return _unexpired(found.session, now)
        return None

    def _verify(self, session_id: UUID, secret_hash: str) -> _Cached | None:
        session = self.vouched(session_id)
        if not isinstance(session, WebSession) or session.secret_hash != secret_hash:
            return None
        user = self.vouched(session.user_id)
        if not isinstance(user, WebUser) or user.username != session.username:
            return None
        valid = not session.ended and not user.disabled and user.generation == session.generation
        verified = VerifiedSession(
            session_id,
            user.id,
            user.username,
            user.display_name,
            user.role,
            tuple(user.villages),
            session.expires_at,
        )
        return _Cached(session.version, user.id, user.version, verified if valid else None)

    def vouched(self, aggregate_id: UUID) -> Any:
        """The aggregate folded from its stored events when a trusted signature vouches for
        every one of them, else None (as a store without signatures cannot vouch)."""
        if not self.authenticity.signs():
            return None
        notifications = self.authenticity.recorder.notifications_of(aggregate_id)
        found = self.authenticity.check(
            notifications, contiguous=False, allow_unsigned_prefix=False
        )
        if not notifications or found is not None:
            return None
        aggregate: Any = None
        for notification in notifications:
            aggregate = self.store.decode(notification).mutate(aggregate)
        return aggregate


def _unexpired(session: VerifiedSession | None, now: datetime) -> VerifiedSession | None:
    return session if session is not None and now < session.expires_at else None
