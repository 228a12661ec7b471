"""The Ed25519 key files of the audit tools, one pair per purpose (docs/audit.md, "Keys").

- ``checkpoint``: signs checkpoints of the seal (``checkpoint.key``, ``checkpoint.pub``); the
  private half belongs offline or on the signing host only.
- ``events``: signs every write transaction of the event store (``event.key``, ``event.pub``);
  the private half is on the hosts that record (``QIANWAN_EVENT_KEY_FILE``), never in the
  database or its backups.

Private keys are PKCS#8 PEM, readable by their owner only (0600); public keys SubjectPublicKeyInfo
PEM. Keys are never overwritten. Every file problem is a coded refusal, never an ``OSError``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from domain.audit.errors import (
    KeyDirectoryNotWritable,
    KeyFileExists,
    KeyFileInvalid,
    KeyFileNotFound,
    KeyFileUnreadable,
)

CHECKPOINT, EVENTS = "checkpoint", "events"
PURPOSES = (CHECKPOINT, EVENTS)
KEY_FILE_STEMS = {CHECKPOINT: "checkpoint", EVENTS: "event"}
PRIVATE_SUFFIX, PUBLIC_SUFFIX = ".key", ".pub"
PRIVATE_KEY_MODE = 0o600
KEY_DIR_MODE = 0o700
PUBLIC_KEY_BYTES = 32
KEY_ID_BYTES = 8
MAX_KEY_FILE_BYTES = 64 * 1024  # a PEM key is a few hundred bytes; refuse to slurp a disk image


def key_id(public_key: bytes) -> str:
    """A short name for a public key: the first 8 bytes of its SHA-256, in hex."""
    return hashlib.sha256(public_key).digest()[:KEY_ID_BYTES].hex()


def raw_public_key(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class KeyPair:
    private_path: Path
    public_path: Path
    public_key: bytes

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


def key_paths(directory: Path, purpose: str = CHECKPOINT) -> tuple[Path, Path]:
    stem = KEY_FILE_STEMS[purpose]
    return directory / f"{stem}{PRIVATE_SUFFIX}", directory / f"{stem}{PUBLIC_SUFFIX}"


def generate_key_pair(directory: Path, purpose: str = CHECKPOINT) -> KeyPair:
    """A new Ed25519 key pair for ``purpose`` in ``directory``. Refuses to overwrite."""
    private_path, public_path = key_paths(directory, purpose)
    if directory.exists() and not directory.is_dir():
        raise KeyDirectoryNotWritable(f"{directory} is a file, not a directory for keys")
    for path in (private_path, public_path):
        if path.exists():
            raise KeyFileExists(f"{path} exists already; keys are never overwritten")
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
        directory.mkdir(parents=True, exist_ok=True, mode=KEY_DIR_MODE)
        # O_EXCL: a file created meanwhile is not overwritten; the mode is set at creation,
        # so the private key is never readable by others, not even for a moment.
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_KEY_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(private_pem)
        os.chmod(private_path, PRIVATE_KEY_MODE)  # whatever the umask did
        with public_path.open("xb") as f:
            f.write(public_pem)
    except FileExistsError:
        raise KeyFileExists(f"{private_path} exists already") from None
    except OSError as error:
        raise KeyDirectoryNotWritable(
            f"cannot write keys into {directory}: {error.strerror or error}"
        ) from None
    return KeyPair(private_path, public_path, raw_public_key(key))


def read_key_file(path: Path, what: str) -> bytes:
    """The bytes of a key file; KeyFileNotFound / KeyFileUnreadable otherwise."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileNotFound(f"no {what} at {path}") from None
    except OSError as error:
        raise KeyFileUnreadable(f"cannot read {what} {path}: {error.strerror or error}") from None
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyFileInvalid(f"{path} is too large to be a key file")
    return data


def load_private_key(path: Path) -> Ed25519PrivateKey:
    data = read_key_file(path, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyFileInvalid(f"{path} does not hold a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileInvalid(f"{path} does not hold an Ed25519 private key")
    return key


def public_key_bytes(text: str) -> bytes:
    """A raw public key from a PEM public key or 64 hex digits; ValueError otherwise."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    data = bytes.fromhex(text)
    if len(data) != PUBLIC_KEY_BYTES:
        raise ValueError(f"expected {PUBLIC_KEY_BYTES} bytes, got {len(data)}")
    return data


def load_public_key(path: Path) -> bytes:
    data = read_key_file(path, "public key")
    try:
        return public_key_bytes(data.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        raise KeyFileInvalid(
            f"{path} does not hold an Ed25519 public key (PEM or 64 hex digits)"
        ) from None
