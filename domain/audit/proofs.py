"""The proof that one event is in the log: its canonical bytes, its inclusion proof against a
signed checkpoint, and that checkpoint. scripts/verify_proof.py checks it offline with the
Python standard library and the public key only (docs/audit.md)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from domain.audit import canonical
from domain.audit.checkpoints import Checkpoint
from domain.audit.merkle import leaf_hash, verify_inclusion

PROOF_FORMAT = "qianwan-event-proof-v1"


@dataclass(frozen=True)
class EventProof:
    notification_id: int
    leaf_index: int
    tree_size: int
    audit_path: tuple[bytes, ...]
    root: bytes
    event: bytes  # the canonical bytes (domain/audit/canonical.py)
    checkpoint: Checkpoint

    @property
    def leaf_hash(self) -> bytes:
        return leaf_hash(self.event)

    def holds(self) -> bool:
        """The same checks as scripts/verify_proof.py, with the key the checkpoint names."""
        try:
            decoded = canonical.decode(self.event)
        except ValueError:
            return False
        return (
            decoded.notification_id == self.notification_id
            and self.checkpoint.tree_size == self.tree_size
            and self.checkpoint.root == self.root
            and self.checkpoint.signature_valid()
            and verify_inclusion(
                self.leaf_hash, self.leaf_index, self.tree_size, self.audit_path, self.root
            )
        )

    def to_json(self) -> dict[str, Any]:
        decoded = canonical.decode(self.event)
        return {
            "format": PROOF_FORMAT,
            "notification_id": self.notification_id,
            "originator_id": str(decoded.originator_id),
            "originator_version": decoded.originator_version,
            "topic": decoded.topic,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "leaf_hash": self.leaf_hash.hex(),
            "audit_path": [h.hex() for h in self.audit_path],
            "root": self.root.hex(),
            "checkpoint": self.checkpoint.to_json(),
            "public_key": self.checkpoint.public_key.hex(),
            "event": base64.b64encode(self.event).decode("ascii"),
        }
