"""The caller of a request, as its API token or its web session says: role, scope and the actor
recorded."""

from __future__ import annotations

from dataclasses import dataclass

from domain.access.roles import Role


@dataclass(frozen=True)
class Principal:
    """token_id: the token's id, or for a web user the session's. name: the token's name, or
    the user's display name. villages: the village codes the token or user is scoped to, or None
    when it is not scoped (platform, admin, and auditors of the whole registry). username: the
    web user's (None for an API token)."""

    token_id: str
    role: Role
    name: str
    villages: frozenset[str] | None
    username: str | None = None

    @property
    def actor(self) -> str:
        """Who recorded a fact, as the events keep it: the token's name, role and id, or the
        user's display name, role and username."""
        if self.username is not None:
            return f"{self.name} [{self.role.value} user {self.username}]"
        return f"{self.name} [{self.role.value} token {self.token_id[:8]}]"

    @property
    def scoped(self) -> bool:
        return self.villages is not None

    def sees_village(self, code: str | None) -> bool:
        return self.villages is None or (code is not None and code in self.villages)

    def sees_place(self, code: str, digits: int) -> bool:
        """A village (12 digits), town (9) or district (6) code holding one of its villages.
        Only a whole code of that length counts: a prefix such as "" or "3201" holds them all
        and is refused."""
        if self.villages is None:
            return True
        return len(code) == digits and any(v[:digits] == code for v in self.villages)

    def towns(self) -> frozenset[str] | None:
        """The towns of its villages (None when not scoped)."""
        return None if self.villages is None else frozenset(v[:9] for v in self.villages)
