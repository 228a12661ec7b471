"""Read model of the web users, for listing them (`qianwan user list`, the workbench's admin
page). It is no authority: signing in and sessions read the signed events
(domain/access/sessions.py), so a row inserted here grants nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from domain.access.users import WebUser
from domain.shared.clock import in_utc
from projections.db import metadata
from projections.projection import Handlers, Projection, Source

MAX_USERS_LISTED = 1000  # `qianwan user list` shows this many, by username

web_users = Table(
    "web_users",
    metadata,
    Column("username", String(32), primary_key=True),
    Column("user_id", String(36), nullable=False, unique=True),
    Column("display_name", String(50), nullable=False),
    Column("role", String(16), nullable=False),
    Column("villages", Text, nullable=False),  # space-separated village codes; empty: none
    Column("disabled", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("last_sign_in_at", DateTime(timezone=True)),  # UTC, from the registry's clock
    Column("consecutive_failures", Integer, nullable=False),  # failed sign-ins since the last
    Column("source_notification_id", Integer, nullable=False),
)


@dataclass(frozen=True)
class UserRecord:
    username: str
    display_name: str
    role: str
    villages: tuple[str, ...]
    disabled: bool
    created_at: datetime
    last_sign_in_at: datetime | None
    consecutive_failures: int


def list_users(conn: Connection, limit: int = MAX_USERS_LISTED) -> list[UserRecord]:
    query = select(web_users).order_by(web_users.c.username).limit(limit)
    return [
        UserRecord(
            username=r.username,
            display_name=r.display_name,
            role=r.role,
            villages=tuple(r.villages.split()),
            disabled=bool(r.disabled),
            created_at=r.created_at,
            last_sign_in_at=r.last_sign_in_at,
            consecutive_failures=r.consecutive_failures,
        )
        for r in conn.execute(query)
    ]


def on_created(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(web_users).values(
            username=e.username,
            user_id=str(s.aggregate_id),
            display_name=e.display_name,
            role=e.role,
            villages=" ".join(e.villages),
            disabled=False,
            created_at=s.recorded_at,
            created_by=s.actor,
            last_sign_in_at=None,
            consecutive_failures=0,
            source_notification_id=s.notification_id,
        )
    )


def _set(conn: Connection, s: Source, **values: Any) -> None:
    row = web_users.c.user_id == str(s.aggregate_id)
    conn.execute(update(web_users).where(row).values(**values))


def on_disabled(conn: Connection, e: Any, s: Source) -> None:
    _set(conn, s, disabled=True)


def on_enabled(conn: Connection, e: Any, s: Source) -> None:
    _set(conn, s, disabled=False)


def on_signed_in(conn: Connection, e: Any, s: Source) -> None:
    _set(conn, s, last_sign_in_at=in_utc(e.at), consecutive_failures=0)


def on_sign_in_failed(conn: Connection, e: Any, s: Source) -> None:
    _set(conn, s, consecutive_failures=web_users.c.consecutive_failures + 1)


class WebUsersProjection(Projection):
    name = "web_users"
    tables = (web_users,)
    handlers: ClassVar[Handlers] = {
        WebUser.Created: on_created,
        WebUser.Disabled: on_disabled,  # type: ignore[attr-defined]
        WebUser.Enabled: on_enabled,  # type: ignore[attr-defined]
        WebUser.SignedIn: on_signed_in,  # type: ignore[attr-defined]
        WebUser.SignInFailed: on_sign_in_failed,  # type: ignore[attr-defined]
    }
