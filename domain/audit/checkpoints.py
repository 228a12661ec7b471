"""Signed checkpoints of the seal, and the Ed25519 key files that sign them (docs/audit.md).

A checkpoint says "the log held ``tree_size`` events whose Merkle root was ``root``", signed with
a private key kept in a file outside the database. Whoever keeps a checkpoint (the district
platform, an auditor) can later prove that the log still begins with exactly those events, even
if someone rewrote the events and the seal tables together: they cannot sign a new root.

The signed message is ASCII text, four lines, each ending in a newline::

    qianwan-checkpoint-v1
    <tree size, decimal>
    <root, 64 lowercase hex digits>
    <signing time, UTC, YYYY-MM-DDTHH:MM:SSZ>

scripts/verify_proof.py rebuilds the same text with the standard library only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from domain.audit.errors import (
    CheckpointFileInvalid,
    CheckpointFileNotFound,
    OutputFileExists,
    OutputNotWritable,
)
from domain.audit.keyfiles import PUBLIC_KEY_BYTES, key_id, raw_public_key

CHECKPOINT_FORMAT = "qianwan-checkpoint-v1"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
SIGNATURE_BYTES = 64
ROOT_BYTES = 32
MAX_CHECKPOINT_FILE_BYTES = 1024 * 1024  # a checkpoint is ~500 bytes, a proof a few KiB


def signed_message(tree_size: int, root: bytes, signed_at: datetime) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    when = signed_at.astimezone(UTC).strftime(TIME_FORMAT)
    return f"{CHECKPOINT_FORMAT}\n{tree_size}\n{root.hex()}\n{when}\n".encode("ascii")


@dataclass(frozen=True)
class Checkpoint:
    tree_size: int
    root: bytes
    signed_at: datetime  # UTC, whole seconds
    public_key: bytes  # raw Ed25519, 32 bytes
    signature: bytes  # Ed25519 over signed_message(...), 64 bytes

    @property
    def message(self) -> bytes:
        return signed_message(self.tree_size, self.root, self.signed_at)

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def signature_valid(self) -> bool:
        """Does the signature hold for the key the checkpoint names? (Whether that key is one
        to trust is the verifier's question: see ``domain/audit/verify/``.)"""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(self.signature, self.message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_json(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "tree_size": self.tree_size,
            "root": self.root.hex(),
            "signed_at": self.signed_at.astimezone(UTC).strftime(TIME_FORMAT),
            "public_key": self.public_key.hex(),
            "key_id": self.key_id,
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_json(cls, data: Any) -> Checkpoint:
        """A checkpoint from its JSON form; CheckpointFileInvalid when it is not one. The
        signature is NOT checked here."""
        try:
            if data["format"] != CHECKPOINT_FORMAT:
                raise ValueError(f"format {data['format']!r}")
            size = data["tree_size"]
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise ValueError("tree_size must be a non-negative integer")
            checkpoint = cls(
                tree_size=size,
                root=_hex(data["root"], ROOT_BYTES),
                signed_at=datetime.strptime(data["signed_at"], TIME_FORMAT).replace(tzinfo=UTC),
                public_key=_hex(data["public_key"], PUBLIC_KEY_BYTES),
                signature=_hex(data["signature"], SIGNATURE_BYTES),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise CheckpointFileInvalid(f"not a {CHECKPOINT_FORMAT} checkpoint: {error}") from None
        return checkpoint


def _hex(text: Any, size: int) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected a hex string")
    data = bytes.fromhex(text)
    if len(data) != size:
        raise ValueError(f"expected {size} bytes, got {len(data)}")
    return data


def sign(
    private_key: Ed25519PrivateKey, tree_size: int, root: bytes, signed_at: datetime
) -> Checkpoint:
    signed_at = signed_at.astimezone(UTC).replace(microsecond=0)
    public = raw_public_key(private_key)
    signature = private_key.sign(signed_message(tree_size, root, signed_at))
    return Checkpoint(tree_size, root, signed_at, public, signature)


def read_checkpoint_file(path: Path) -> Checkpoint:
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_CHECKPOINT_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CheckpointFileNotFound(f"no checkpoint file at {path}") from None
    except OSError as error:
        raise CheckpointFileInvalid(
            f"cannot read checkpoint {path}: {error.strerror or error}"
        ) from None
    if len(raw) > MAX_CHECKPOINT_FILE_BYTES:
        raise CheckpointFileInvalid(f"{path} is too large to be a checkpoint")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointFileInvalid(f"{path} is not JSON: {error}") from None
    return Checkpoint.from_json(data)


def refuse_existing(path: Path) -> None:
    """Refuse early, before anything is signed or stored, when an output file exists or
    cannot be written where it is to go."""
    if path.exists():
        raise OutputFileExists(f"{path} exists already; it is never overwritten", field="out")
    parent = next((p for p in path.parents if p.exists()), Path("."))
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputNotWritable(f"cannot write {path}: {parent} is not a writable directory")


def write_json_file(path: Path, data: dict[str, Any]) -> None:
    """Write a new JSON file; never replace one (a checkpoint or proof is evidence)."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputNotWritable(f"cannot create {path.parent}: {error.strerror or error}") from None
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise OutputFileExists(f"{path} exists already; it is never overwritten") from None
    except OSError as error:
        raise OutputNotWritable(f"cannot write {path}: {error.strerror or error}") from None
