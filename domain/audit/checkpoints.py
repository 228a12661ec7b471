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

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from domain.audit.errors import CheckpointFileInvalid, KeyFileExists, KeyFileUnreadable

CHECKPOINT_FORMAT = "qianwan-checkpoint-v1"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
DEFAULT_KEY_DIR = Path("var/keys")
PRIVATE_KEY_FILE = "checkpoint.key"
PUBLIC_KEY_FILE = "checkpoint.pub"
PRIVATE_KEY_MODE = 0o600
KEY_DIR_MODE = 0o700
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
ROOT_BYTES = 32
KEY_ID_BYTES = 8


def signed_message(tree_size: int, root: bytes, signed_at: datetime) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    when = signed_at.astimezone(UTC).strftime(TIME_FORMAT)
    return f"{CHECKPOINT_FORMAT}\n{tree_size}\n{root.hex()}\n{when}\n".encode("ascii")


def key_id(public_key: bytes) -> str:
    """A short name for a public key: the first 8 bytes of its SHA-256, in hex."""
    return hashlib.sha256(public_key).digest()[:KEY_ID_BYTES].hex()


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
        to trust is the verifier's question: see ``domain/audit/verify.py``.)"""
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
    public = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    signature = private_key.sign(signed_message(tree_size, root, signed_at))
    return Checkpoint(tree_size, root, signed_at, public, signature)


def read_checkpoint_file(path: Path) -> Checkpoint:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointFileInvalid(f"cannot read checkpoint {path}: {error}") from None
    return Checkpoint.from_json(data)


def write_json_file(path: Path, data: dict[str, Any]) -> None:
    """Write a new JSON file; never replace one (a checkpoint or proof is evidence)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    with path.open("x", encoding="utf-8") as f:
        f.write(text)


# -- key files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    private_path: Path
    public_path: Path
    public_key: bytes

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


def generate_key_pair(directory: Path = DEFAULT_KEY_DIR) -> KeyPair:
    """A new Ed25519 key pair in ``directory``: the private key as PKCS#8 PEM readable by its
    owner only (0600), the public key as SubjectPublicKeyInfo PEM. Refuses to overwrite."""
    private_path = directory / PRIVATE_KEY_FILE
    public_path = directory / PUBLIC_KEY_FILE
    for path in (private_path, public_path):
        if path.exists():
            raise KeyFileExists(f"{path} exists already; keys are never overwritten")
    directory.mkdir(parents=True, exist_ok=True, mode=KEY_DIR_MODE)
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        # O_EXCL: a file created meanwhile is not overwritten; the mode is set at creation,
        # so the private key is never readable by others, not even for a moment.
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_KEY_MODE)
    except FileExistsError:
        raise KeyFileExists(f"{private_path} exists already") from None
    with os.fdopen(fd, "wb") as f:
        f.write(private_pem)
    os.chmod(private_path, PRIVATE_KEY_MODE)  # whatever the umask did
    with public_path.open("xb") as f:
        f.write(public_pem)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KeyPair(private_path, public_path, raw)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise KeyFileUnreadable(f"cannot read a private key from {path}: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileUnreadable(f"{path} does not hold an Ed25519 private key")
    return key


def public_key_bytes(text: str) -> bytes:
    """A raw public key from a PEM public key or 64 hex digits; ValueError otherwise."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _hex(text, PUBLIC_KEY_BYTES)


def load_public_key(path: Path) -> bytes:
    try:
        return public_key_bytes(path.read_text(encoding="ascii"))
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise KeyFileUnreadable(f"cannot read a public key from {path}: {error}") from None
