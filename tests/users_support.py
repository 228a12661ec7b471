"""Helpers for the tests of web users: cheap argon2 parameters, a clock the test moves, and the
users a test makes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher

from domain.shared.clock import Clock, default_zone
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry
from tests.support import VILLAGE

ADMIN_BY = Provenance("admin [admin token 12345678]")
PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


class MovingClock:
    """The registry's clock at a moment the test sets and moves."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def move(self, by: timedelta) -> None:
        self.at += by


def cheap_users(registry: Registry) -> MovingClock:
    """The registry's users with cheap hashing and a clock the test moves."""
    moving = MovingClock()
    registry.users.hasher = CHEAP
    registry.users.clock = Clock(default_zone(), moving)
    return moving


def make_accountant(registry: Registry, username: str = "kuaiji") -> None:
    registry.users.create_user(username, "张会计", PASSWORD, "accountant", [VILLAGE], ADMIN_BY)


def last(registry: Registry) -> int:
    return registry.store.last_notification_id()
