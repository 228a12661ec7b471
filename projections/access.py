"""Read model of API access: the tokens by the hash of their secret (what authentication looks
up on every request), and who read which elder's personal data in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from domain.access.model import AccessLog, ApiToken
from projections.db import metadata
from projections.projection import Handlers, Projection, Source

MAX_TOKENS_LISTED = 1000  # `qianwan token list` shows the newest this many

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("villages", Text, nullable=False),  # space-separated village codes; empty: none
    Column("name", String(100), nullable=False),
    Column("expires_on", Date),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("issued_by", String(200), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_by", String(200)),
    Column("source_notification_id", Integer, nullable=False),
)

personal_data_reads = Table(
    "personal_data_reads",
    metadata,
    Column("source_notification_id", Integer, primary_key=True),
    Column("elder_id", String(36), primary_key=True),
    Column("token_id", String(36), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("fields", String(100), nullable=False),
    Column("operation", String(200)),
    Column("read_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class TokenRecord:
    token_id: str
    role: str
    villages: tuple[str, ...]
    name: str
    expires_on: date | None
    issued_at: datetime
    issued_by: str
    revoked_at: datetime | None

    def active_on(self, day: date) -> bool:
        return self.revoked_at is None and (self.expires_on is None or day < self.expires_on)


def to_token(row: Any) -> TokenRecord:
    m = row._mapping
    return TokenRecord(
        token_id=m["token_id"],
        role=m["role"],
        villages=tuple(m["villages"].split()),
        name=m["name"],
        expires_on=m["expires_on"],
        issued_at=m["issued_at"],
        issued_by=m["issued_by"],
        revoked_at=m["revoked_at"],
    )


def token_by_hash(conn: Connection, token_hash: str) -> TokenRecord | None:
    row = conn.execute(select(api_tokens).where(api_tokens.c.token_hash == token_hash)).first()
    return None if row is None else to_token(row)


def list_tokens(conn: Connection, limit: int = MAX_TOKENS_LISTED) -> list[TokenRecord]:
    query = select(api_tokens).order_by(api_tokens.c.source_notification_id.desc()).limit(limit)
    return [to_token(r) for r in conn.execute(query)]


def on_issued(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(api_tokens).values(
            token_id=str(s.aggregate_id),
            token_hash=e.token_hash,
            role=e.role,
            villages=" ".join(e.villages),
            name=e.name,
            expires_on=e.expires_on,
            issued_at=s.recorded_at,
            issued_by=s.actor,
            revoked_at=None,
            revoked_by=None,
            source_notification_id=s.notification_id,
        )
    )


def on_revoked(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        update(api_tokens)
        .where(api_tokens.c.token_id == str(s.aggregate_id))
        .values(revoked_at=s.recorded_at, revoked_by=s.actor)
    )


def on_personal_data_read(conn: Connection, e: Any, s: Source) -> None:
    rows = [
        {
            "source_notification_id": s.notification_id,
            "elder_id": elder_id,
            "token_id": str(e.token_id),
            "actor": s.actor,
            "fields": " ".join(e.fields),
            "operation": e.operation,
            "read_at": s.recorded_at,
        }
        for elder_id in e.elder_ids
    ]
    if rows:
        conn.execute(insert(personal_data_reads), rows)


class AccessProjection(Projection):
    name = "access"
    tables = (api_tokens, personal_data_reads)
    handlers: ClassVar[Handlers] = {
        ApiToken.Issued: on_issued,  # type: ignore[attr-defined]
        ApiToken.Revoked: on_revoked,  # type: ignore[attr-defined]
        AccessLog.PersonalDataRead: on_personal_data_read,  # type: ignore[attr-defined]
    }
