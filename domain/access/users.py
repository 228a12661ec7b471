"""Web users, their sign-in sessions and the sign-ins of unknown usernames (docs/rules.md W-).

A password never enters the log: ``WebUser.Created`` and ``PasswordReset`` hold its argon2id hash.
A session's secret never does either: the browser holds it as a cookie, the session's id is
uuid5 of its SHA-256. A user's id is uuid5 of the username, so the store itself refuses a second
user of the same name. Every sign-in, refused or not, is an event; the times the lockout and the
expiry are judged by are explicit fields read from the registry's clock (``at``), not the
recorded timestamps, so that a test may move the clock.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.access.rules import LOCKOUT_FAILURES
from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import deterministic_id

SIGNED_OUT = "signed_out"  # why a session ended (WebSession.Ended.reason)
WRONG_PASSWORD = "wrong_password"  # why a sign-in failed (SignInFailed.reason) …
LOCKED = "account_locked"
DISABLED = "user_disabled"
UNKNOWN_USER = "unknown_user"  # … and FailedSignIn.reason
COUNTED_FAILURES = (WRONG_PASSWORD,)  # the failures the lockout counts (W-04)


class WebUser(QianwanAggregate):
    """A person who signs in to the workbench with a username and password."""

    @staticmethod
    def create_id(username: str) -> UUID:
        return deterministic_id("web-user", username)

    @event("Created")
    def __init__(
        self,
        username: str,
        display_name: str,
        password_hash: str,
        role: str,
        villages: list[str],
        actor: str,
        authority: str | None,
    ) -> None:
        """username: the name signed in with (W-01). display_name: how records name the person.
        password_hash: argon2id (PHC string), never the password. role and villages: as an API
        token's (R-01)."""
        self.username = username
        self.display_name = display_name
        self.password_hash = password_hash
        self.role = role
        self.villages = villages
        self.disabled = False
        self.generation = 0  # password resets and disablings: each ends the sessions before it
        self.failures: list[datetime] = []  # the lockout's consecutive failures (at most 5)
        self.consecutive_failures = 0

    def reset_password(self, password_hash: str, actor: str, authority: str | None) -> None:
        self._password_reset(password_hash=password_hash, actor=actor, authority=authority)

    @event("PasswordReset")
    def _password_reset(self, password_hash: str, actor: str, authority: str | None) -> None:
        self.password_hash = password_hash
        self.generation += 1
        self.failures = []

    def disable(self, reason: str, actor: str, authority: str | None) -> None:
        if not self.disabled:
            self._disabled(reason=reason, actor=actor, authority=authority)

    @event("Disabled")
    def _disabled(self, reason: str, actor: str, authority: str | None) -> None:
        """reason: why, for the record (free text)."""
        self.disabled = True
        self.generation += 1

    def enable(self, actor: str, authority: str | None) -> None:
        if self.disabled:
            self._enabled(actor=actor, authority=authority)

    @event("Enabled")
    def _enabled(self, actor: str, authority: str | None) -> None:
        self.disabled = False
        self.failures = []

    def signed_in(self, session_id: UUID, client: str, at: datetime) -> None:
        self._signed_in(
            session_id=session_id, client=client, at=at, actor=self.actor, authority=None
        )

    @event("SignedIn")
    def _signed_in(
        self, session_id: UUID, client: str, at: datetime, actor: str, authority: str | None
    ) -> None:
        """session_id: the WebSession started. client: what the web layer says of the browser
        (its address). at: the registry's time of the sign-in."""
        self.failures = []
        self.consecutive_failures = 0

    def sign_in_failed(self, client: str, reason: str, at: datetime) -> None:
        self._sign_in_failed(client=client, reason=reason, at=at, actor=self.actor, authority=None)

    @event("SignInFailed")
    def _sign_in_failed(
        self, client: str, reason: str, at: datetime, actor: str, authority: str | None
    ) -> None:
        """reason: wrong_password, account_locked or user_disabled. at: the registry's time."""
        self.consecutive_failures += 1
        if reason in COUNTED_FAILURES:
            self.failures = [*self.failures, at][-LOCKOUT_FAILURES:]

    @property
    def actor(self) -> str:
        """Who a sign-in's events are recorded by: the user, as a session's actor names it."""
        return f"{self.display_name} [{self.role} user {self.username}]"


class WebSession(QianwanAggregate):
    """A signed-in browser: it holds the secret as a cookie until it signs out or expires."""

    @staticmethod
    def create_id(secret_hash: str) -> UUID:
        return deterministic_id("web-session", secret_hash)

    @event("Started")
    def __init__(
        self,
        secret_hash: str,
        user_id: UUID,
        username: str,
        generation: int,
        started_at: datetime,
        expires_at: datetime,
        client: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """secret_hash: SHA-256 of the secret (the browser's cookie), all the log keeps of it.
        generation: the user's count of password resets and disablings when it started; a
        later one ends it (W-05). expires_at: started_at plus SESSION_DURATION."""
        self.secret_hash = secret_hash
        self.user_id = user_id
        self.username = username
        self.generation = generation
        self.started_at = started_at
        self.expires_at = expires_at
        self.client = client
        self.ended = False

    def end(self, reason: str, actor: str, authority: str | None) -> None:
        if not self.ended:
            self._ended(reason=reason, actor=actor, authority=authority)

    @event("Ended")
    def _ended(self, reason: str, actor: str, authority: str | None) -> None:
        """reason: signed_out."""
        self.ended = True


class FailedSignIn(QianwanAggregate):
    """A sign-in under a username no user has: one aggregate per attempt, with a random id."""

    @event("SignInFailure")
    def __init__(
        self,
        username: str,
        client: str,
        reason: str,
        at: datetime,
        actor: str,
        authority: str | None,
    ) -> None:
        """username: as typed, made safe (forbidden characters replaced, at most 64). reason:
        unknown_user."""
        self.username = username
        self.client = client
        self.reason = reason
        self.at = at
