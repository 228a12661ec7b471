"""The ``audit_checkpoints`` table: every checkpoint signed, in the registry's own database.

Not projection metadata: a rebuild never drops it. Keeping checkpoints here is a convenience
(``prove`` and ``export`` name the latest one); the evidence that counts is the copy kept
elsewhere, since whoever can rewrite the database can delete rows here too. They cannot forge
a signature, so ``verify`` checks every stored checkpoint as well as the files it is given.
"""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Engine

from domain.audit.checkpoints import Checkpoint

MAX_CHECKPOINTS_READ = 1000  # the latest ones, when verify reads the stored checkpoints

checkpoint_metadata = MetaData()
checkpoints = Table(
    "audit_checkpoints",
    checkpoint_metadata,
    Column("checkpoint_id", Integer, primary_key=True, autoincrement=True),
    Column("tree_size", BigInteger, nullable=False),
    Column("root", String(64), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("signature", String(128), nullable=False),
)


class CheckpointStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_table(self) -> None:
        with self.engine.begin() as conn:
            checkpoint_metadata.create_all(conn, tables=[checkpoints])

    def save(self, checkpoint: Checkpoint) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(checkpoints).values(
                    tree_size=checkpoint.tree_size,
                    root=checkpoint.root.hex(),
                    signed_at=checkpoint.signed_at,
                    public_key=checkpoint.public_key.hex(),
                    signature=checkpoint.signature.hex(),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def latest(self) -> Checkpoint | None:
        found = self._read(1)
        return found[0] if found else None

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(checkpoints)) or 0)

    def all(self) -> list[Checkpoint]:
        """The stored checkpoints, latest first (at most MAX_CHECKPOINTS_READ)."""
        return self._read(MAX_CHECKPOINTS_READ)

    def _read(self, limit: int) -> list[Checkpoint]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(checkpoints).order_by(checkpoints.c.checkpoint_id.desc()).limit(limit)
            ).all()
        return [
            Checkpoint(
                tree_size=int(r.tree_size),
                root=bytes.fromhex(r.root),
                # SQLite hands the stored UTC time back without its zone.
                signed_at=(
                    r.signed_at.replace(tzinfo=UTC)
                    if r.signed_at.tzinfo is None
                    else r.signed_at.astimezone(UTC)
                ),
                public_key=bytes.fromhex(r.public_key),
                signature=bytes.fromhex(r.signature),
            )
            for r in rows
        ]
