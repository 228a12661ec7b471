"""Web users: creating, disabling, enabling them and resetting their passwords; signing in and
out; the session a browser's cookie names (docs/rules.md W-01 … W-05)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError

from domain.access.errors import (
    AccountLocked,
    SignInFailed,
    UserDisabled,
    UsernameInvalid,
    UsernameTaken,
    UserNotFound,
)
from domain.access.rules import (
    PASSWORD_CHARS_MAX,
    check_not_locked,
    check_password,
    check_role_and_villages,
    check_username,
)
from domain.access.sessions import SessionVerifier, VerifiedSession
from domain.access.users import (
    DISABLED,
    LOCKED,
    SIGNED_OUT,
    UNKNOWN_USER,
    WRONG_PASSWORD,
    FailedSignIn,
    WebSession,
    WebUser,
)
from domain.audit.authenticity import EventAuthenticity
from domain.shared.clock import Clock
from domain.shared.commands import get_or_none, get_or_refuse, translating_conflicts
from domain.shared.errors import ConcurrentUpdate, InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.text import FORBIDDEN, check_text
from domain.shared.values import Provenance, required_text

SESSION_DURATION = timedelta(hours=12)  # a session lasts this long from its sign-in (W-05)
SESSION_SECRET_BYTES = 32  # 256 bits of randomness, given to the browser as a cookie
DISPLAY_NAME_CHARS_MAX = 50
REASON_CHARS_MAX = 300
CLIENT_CHARS_MAX = 200  # what the web layer says of the browser, as recorded
TYPED_USERNAME_CHARS_MAX = 64  # an unknown username is recorded as typed, cut to this
SIGN_IN_ATTEMPTS = 3  # a sign-in that meets a concurrent one on the same user is tried again
SIGN_IN_FAILED_MESSAGE = "用户名或密码不正确"
SIGN_IN_FORM = "web sign-in"  # the actor of a failed sign-in under an unknown username
_SECRET = re.compile(r"[A-Za-z0-9_-]{20,100}")  # what token_urlsafe gives; nothing else is hashed

R = TypeVar("R")


@dataclass(frozen=True)
class StartedSession:
    """A new session: ``secret`` goes to the browser as a cookie and is stored nowhere."""

    secret: str
    session_id: UUID
    username: str
    display_name: str
    role: str
    villages: tuple[str, ...]
    expires_at: datetime


def secret_hash(secret: str) -> str:
    """SHA-256 of a session's secret, hex: the session's id is derived from it."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def safe_text(value: object, limit: int) -> str:
    """``value`` as it can be recorded: cut to ``limit`` characters, every forbidden character
    (domain/shared/text.py) replaced by U+FFFD; what is no text at all becomes ""."""
    if not isinstance(value, str):
        return ""
    return FORBIDDEN.sub("\ufffd", value[:limit])


def lookup_name(username: object) -> str | None:
    """The username a sign-in or an administrator names, without surrounding blanks and in
    lower case; None when it cannot be one."""
    if not isinstance(username, str) or len(username) > 100:
        return None
    name = username.strip().lower()
    try:
        return check_username(name)
    except UsernameInvalid:
        return None


class UsersApplication:
    def __init__(
        self,
        store: EventStore,
        village_code: Callable[[str], str],
        authenticity: EventAuthenticity,
        clock: Clock | None = None,
        hasher: PasswordHasher | None = None,
    ) -> None:
        """village_code: the code of a registered village or its refusal. clock: the registry's
        (sign-in times, lockout, expiry). hasher: argon2id with its default parameters unless a
        test gives cheaper ones."""
        self.store = store
        self.village_code = village_code
        self.clock = clock or Clock()
        self.hasher = hasher or PasswordHasher()
        self.sessions = SessionVerifier(store, authenticity)
        self._dummy_hash: str | None = None

    # -- administration --------------------------------------------------------------------------

    def create_user(
        self,
        username: str,
        display_name: str,
        password: str,
        role: str,
        villages: Sequence[str] | None,
        by: Provenance,
    ) -> UUID:
        username, name, codes = self.check_new_user(username, display_name, role, villages)
        password = check_password(password)
        user = WebUser(
            username=username,
            display_name=name,
            password_hash=self.hasher.hash(password),
            role=role,
            villages=codes,
            actor=by.actor,
            authority=by.authority,
        )
        try:
            with translating_conflicts():
                self.store.save(user)
        except ConcurrentUpdate:  # another creator got there first (the id is the name's)
            raise UsernameTaken(f"the username {username} is taken", field="username") from None
        return user.id

    def check_new_user(
        self, username: str, display_name: str, role: str, villages: Sequence[str] | None
    ) -> tuple[str, str, list[str]]:
        """What ``create_user`` checks besides the password: the username (W-01, free), the
        display name, the role and villages (W-02). The command line asks for the password
        only once these pass."""
        username = check_username(username)
        name = self._display_name(display_name)
        codes = check_role_and_villages(role, villages, self.village_code)
        if self.store.versions([WebUser.create_id(username)]):
            raise UsernameTaken(f"the username {username} is taken", field="username")
        return username, name, codes

    def disable_user(self, username: str, reason: str, by: Provenance) -> None:
        """Disable a user: it cannot sign in, and its sessions end at once. Again: nothing."""
        user = self.user(username)
        if not isinstance(reason, str):
            raise InvalidInput("reason is text", field="reason")
        reason = check_text(required_text(reason, "reason", REASON_CHARS_MAX), "reason")
        user.disable(reason, by.actor, by.authority)
        with translating_conflicts():
            self.store.save(user)

    def enable_user(self, username: str, by: Provenance) -> None:
        """Enable a disabled user again (its old sessions stay ended). Again: nothing."""
        user = self.user(username)
        user.enable(by.actor, by.authority)
        with translating_conflicts():
            self.store.save(user)

    def reset_password(self, username: str, new_password: str, by: Provenance) -> None:
        """A new password; every session started before it ends (W-05)."""
        user = self.user(username)
        password = check_password(new_password)
        user.reset_password(self.hasher.hash(password), by.actor, by.authority)
        with translating_conflicts():
            self.store.save(user)

    def user(self, username: str) -> WebUser:
        """The user of that name (blanks and case aside), or ``user_not_found``."""
        name = lookup_name(username)
        if name is None:
            raise UserNotFound("no user has that username", field="username")
        return get_or_refuse(self.store, WebUser.create_id(name), WebUser, UserNotFound, "username")

    def password_works(self, username: str, password: str) -> bool:
        """Would this password sign the user in, as the signed log states the user? Records
        nothing and counts toward no lockout: for the demo's own users, never for a form."""
        name = lookup_name(username)
        user = None if name is None else self.sessions.vouched(WebUser.create_id(name))
        return (
            isinstance(user, WebUser)
            and not user.disabled
            and self._verify(user.password_hash, password)
        )

    # -- signing in and out ------------------------------------------------------------------------

    def sign_in(self, username: str, password: str, client: str) -> StartedSession:
        """A new session for the user whose password this is. Refused (and recorded):
        ``sign_in_failed`` for an unknown user or a wrong password alike, ``account_locked``,
        ``user_disabled``. ``client``: what the web layer says of the browser."""
        safe_client = safe_text(client, CLIENT_CHARS_MAX)
        return self._retrying(lambda: self._sign_in(username, password, safe_client))

    def _sign_in(self, username: str, password: str, client: str) -> StartedSession:
        now = self.clock.now()
        name = lookup_name(username)
        # The user as the signed log states it: a forged user can sign nobody in.
        user = None if name is None else self.sessions.vouched(WebUser.create_id(name))
        if not isinstance(user, WebUser):
            self._verify(self.dummy_hash(), password)  # as long as for a known user
            typed = safe_text(username, TYPED_USERNAME_CHARS_MAX)
            self._save(FailedSignIn(typed, client, UNKNOWN_USER, now, SIGN_IN_FORM, None))
            raise SignInFailed(SIGN_IN_FAILED_MESSAGE, field="username")
        try:
            check_not_locked(user.failures, now)
        except AccountLocked:
            user.sign_in_failed(client, LOCKED, now)
            self._save(user)
            raise
        if not self._verify(user.password_hash, password):
            user.sign_in_failed(client, WRONG_PASSWORD, now)
            self._save(user)
            raise SignInFailed(SIGN_IN_FAILED_MESSAGE, field="username")
        if user.disabled:
            user.sign_in_failed(client, DISABLED, now)
            self._save(user)
            raise UserDisabled("该用户已停用 (this user is disabled)", field="username")
        secret = secrets.token_urlsafe(SESSION_SECRET_BYTES)
        session = WebSession(
            secret_hash=secret_hash(secret),
            user_id=user.id,
            username=user.username,
            generation=user.generation,
            started_at=now,
            expires_at=now + SESSION_DURATION,
            client=client,
            actor=user.actor,
            authority=None,
        )
        user.signed_in(session.id, client, now)
        self._save(user, session)  # one transaction: the sign-in and its session
        return StartedSession(
            secret,
            session.id,
            user.username,
            user.display_name,
            user.role,
            tuple(user.villages),
            session.expires_at,
        )

    def sign_out(self, secret: str | None) -> None:
        """End the session of this secret; an unknown or ended one: nothing, no error."""
        if not isinstance(secret, str) or not _SECRET.fullmatch(secret):
            return
        session = get_or_none(self.store, WebSession.create_id(secret_hash(secret)), WebSession)
        if session is None or session.ended:
            return
        user = get_or_none(self.store, session.user_id, WebUser)
        actor = user.actor if user is not None else f"[user {session.username}]"
        session.end(SIGNED_OUT, actor, None)
        with suppress(ConcurrentUpdate):  # signed out at the same moment by another request
            self._save(session)

    def session(self, secret: str | None) -> VerifiedSession | None:
        """The session this secret names, as the signed log states it, or None (W-05)."""
        if not isinstance(secret, str) or not _SECRET.fullmatch(secret):
            return None
        return self.sessions.session(secret_hash(secret), self.clock.now())

    # -- helpers -----------------------------------------------------------------------------------

    def dummy_hash(self) -> str:
        """A hash no password matches, verified for unknown users so timing does not tell."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(32))
        return self._dummy_hash

    def _verify(self, password_hash: str, password: object) -> bool:
        if not isinstance(password, str) or len(password) > PASSWORD_CHARS_MAX:
            return False
        if FORBIDDEN.search(password):  # no password holds one (lone surrogates cannot hash)
            return False
        try:
            return self.hasher.verify(password_hash, password)
        except (Argon2Error, InvalidHashError):
            return False

    def _save(self, *aggregates: WebUser | WebSession | FailedSignIn) -> None:
        with translating_conflicts():
            self.store.save(*aggregates)

    @staticmethod
    def _display_name(display_name: object) -> str:
        if not isinstance(display_name, str):
            raise InvalidInput("display_name is text", field="display_name")
        name = required_text(display_name, "display_name", DISPLAY_NAME_CHARS_MAX)
        return check_text(name, "display_name")

    @staticmethod
    def _retrying(attempt: Callable[[], R]) -> R:
        for _ in range(SIGN_IN_ATTEMPTS - 1):
            try:
                return attempt()
            except ConcurrentUpdate:
                continue
        return attempt()
