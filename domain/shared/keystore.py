"""Personal data, sealed with one key per person kept OUTSIDE the event log (crypto-shredding).

Events are immutable and kept forever; personal data must be erasable. So a name or an ID
number never enters an event in clear: it is sealed (AES-256-GCM) with a random key that belongs
to one data subject and lives in the ``personal_data_keys`` table, beside the event log but not
in it. Destroying that key (``destroy``) makes every sealed value of the person unreadable for
good, while every event still exists, every aggregate still replays and every ledger still
balances.

- Each sealed value is bound to its subject and field (AES-GCM associated data), so a ciphertext
  copied onto another person or another field does not open.
- The per-subject keys are stored wrapped (AES-GCM) under a key derived from the installation
  secret, so a copy of the database alone does not reveal them.
- Lookup by ID number uses an HMAC keyed by the installation secret (never a plain hash: ID
  numbers have so little entropy that a plain hash is reversed by enumeration). The lookup hash
  lives in the key row and is destroyed with the key, so after erasure nothing links the
  person's ID number to their pseudonymous id, even for someone holding the secret.
- The installation secret comes from ``QIANWAN_PERSONAL_DATA_SECRET`` (qianwan/settings.py);
  the development default is public and protects nothing. Losing the secret loses every key.
- Backups of the database still hold destroyed keys until the backups themselves expire.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import (
    Column,
    DateTime,
    LargeBinary,
    MetaData,
    String,
    Table,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError as SQLIntegrityError

KEY_BYTES = 32
NONCE_BYTES = 12
SEAL_VERSION = "v1"
MAX_SUBJECTS_PER_QUERY = 500

# Not projection metadata: a rebuild drops projection tables, never the keys.
keystore_metadata = MetaData()
personal_data_keys = Table(
    "personal_data_keys",
    keystore_metadata,
    Column("subject_id", String(36), primary_key=True),
    Column("wrapped_key", LargeBinary),  # NULL once destroyed
    Column("lookup_hash", String(64), unique=True),  # NULL once destroyed, or when not needed
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("destroyed_at", DateTime(timezone=True)),
)


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


def _chunks(items: Sequence[UUID], size: int) -> Iterable[Sequence[UUID]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class KeyStore(ABC):
    """Keys per data subject, sealing and opening their personal data, and erasure."""

    def __init__(self, installation_secret: str) -> None:
        assert installation_secret, "the installation secret must not be empty"
        secret = installation_secret.encode("utf-8")
        self._lookup_key = _derive(secret, b"qianwan/personal-data/lookup/v1")
        self._digest_key = _derive(secret, b"qianwan/personal-data/digest/v1")
        self._wrapping = AESGCM(_derive(secret, b"qianwan/personal-data/key-wrapping/v1"))

    # -- keyed hashes ---------------------------------------------------------------------

    def lookup_hash(self, value: str) -> str:
        """HMAC-SHA256 under the installation secret: finds a subject by, e.g., ID number."""
        return hmac.new(self._lookup_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def digest(self, data: bytes) -> str:
        """A keyed digest of content that may contain personal data (e.g. a batch's records)."""
        return hmac.new(self._digest_key, data, hashlib.sha256).hexdigest()

    # -- keys -----------------------------------------------------------------------------

    def enrol_subject(self, proposed: UUID, lookup_hash: str | None) -> tuple[UUID, bool]:
        """Give ``proposed`` a new key. When ``lookup_hash`` belongs to a subject already, that
        subject is returned instead and nothing is created: ``(subject, created)``."""
        key = os.urandom(KEY_BYTES)
        if self._insert(proposed, self._wrap(proposed, key), lookup_hash):
            return proposed, True
        existing = self.subjects_for([lookup_hash]).get(lookup_hash) if lookup_hash else None
        if existing is None:
            if self._load([proposed]).get(proposed) is not None:
                return proposed, False  # a retry for the same subject
            raise RuntimeError("a key row conflicts but cannot be found; retry")
        return existing, False

    def subjects_for(self, lookup_hashes: Iterable[str]) -> dict[str, UUID]:
        wanted = sorted(set(lookup_hashes))
        return self._find(wanted) if wanted else {}

    def has_key(self, subject: UUID) -> bool:
        return subject in self._load([subject])

    def destroy(self, subject: UUID) -> bool:
        """Erase the subject's key and lookup hash for good. True when a key was destroyed."""
        return self._forget(subject, datetime.now(UTC))

    # -- sealing --------------------------------------------------------------------------

    def seal(self, subject: UUID, field: str, text: str) -> str:
        key = self._load([subject]).get(subject)
        if key is None:
            raise LookupError(f"no key for subject {subject}")
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, text.encode("utf-8"), _aad(subject, field))
        return f"{SEAL_VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def open(self, subject: UUID, field: str, sealed: str) -> str | None:
        """The clear value, or None when the subject's key was destroyed."""
        return self.open_many([(subject, field, sealed)])[0]

    def open_many(self, items: Sequence[tuple[UUID, str, str]]) -> list[str | None]:
        """Open many sealed values with one key lookup (for lists of people)."""
        keys = self._load(list(dict.fromkeys(subject for subject, _, _ in items)))
        return [
            _open(keys.get(subject), subject, field, sealed) for subject, field, sealed in items
        ]

    # -- storage, per backend ---------------------------------------------------------------

    def _wrap(self, subject: UUID, key: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._wrapping.encrypt(nonce, key, subject.bytes)

    def _unwrap(self, subject: UUID, wrapped: bytes) -> bytes:
        return self._wrapping.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], subject.bytes)

    @abstractmethod
    def _insert(self, subject: UUID, wrapped: bytes, lookup_hash: str | None) -> bool:
        """Insert a key row; False when the subject or the lookup hash exists already."""

    @abstractmethod
    def _find(self, lookup_hashes: list[str]) -> dict[str, UUID]: ...

    @abstractmethod
    def _load(self, subjects: list[UUID]) -> dict[UUID, bytes]:
        """The unwrapped keys of those subjects that still have one."""

    @abstractmethod
    def _forget(self, subject: UUID, at: datetime) -> bool: ...


def _aad(subject: UUID, field: str) -> bytes:
    return f"{subject}/{field}".encode()


def _open(key: bytes | None, subject: UUID, field: str, sealed: str) -> str | None:
    if key is None:
        return None
    version, _, payload = sealed.partition(".")
    assert version == SEAL_VERSION, f"unknown seal version {version!r}"
    raw = base64.urlsafe_b64decode(payload)
    try:
        clear = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(subject, field))
    except InvalidTag:
        raise ValueError(f"sealed {field} does not belong to subject {subject}") from None
    return clear.decode("utf-8")


class MemoryKeyStore(KeyStore):
    """For unit tests and the in-memory event store."""

    def __init__(self, installation_secret: str) -> None:
        super().__init__(installation_secret)
        self._rows: dict[UUID, tuple[bytes | None, str | None]] = {}
        self._lock = threading.Lock()

    def _insert(self, subject: UUID, wrapped: bytes, lookup_hash: str | None) -> bool:
        with self._lock:
            taken = lookup_hash is not None and any(
                h == lookup_hash for _, h in self._rows.values()
            )
            if subject in self._rows or taken:
                return False
            self._rows[subject] = (wrapped, lookup_hash)
            return True

    def _find(self, lookup_hashes: list[str]) -> dict[str, UUID]:
        wanted = set(lookup_hashes)
        return {h: s for s, (_, h) in self._rows.items() if h in wanted}

    def _load(self, subjects: list[UUID]) -> dict[UUID, bytes]:
        result = {}
        for s in subjects:
            wrapped = self._rows.get(s, (None, None))[0]
            if wrapped is not None:
                result[s] = self._unwrap(s, wrapped)
        return result

    def _forget(self, subject: UUID, at: datetime) -> bool:
        with self._lock:
            had = self._rows.get(subject, (None, None))[0] is not None
            self._rows[subject] = (None, None)
            return had


class SqlKeyStore(KeyStore):
    """The ``personal_data_keys`` table in the registry's own database (created at bootstrap)."""

    def __init__(self, engine: Engine, installation_secret: str) -> None:
        super().__init__(installation_secret)
        self.engine = engine

    def create_table(self) -> None:
        with self.engine.begin() as conn:
            keystore_metadata.create_all(conn, tables=[personal_data_keys])

    def _insert(self, subject: UUID, wrapped: bytes, lookup_hash: str | None) -> bool:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(personal_data_keys).values(
                        subject_id=str(subject),
                        wrapped_key=wrapped,
                        lookup_hash=lookup_hash,
                        created_at=datetime.now(UTC),
                    )
                )
        except SQLIntegrityError:
            return False
        return True

    def _find(self, lookup_hashes: list[str]) -> dict[str, UUID]:
        t = personal_data_keys
        result: dict[str, UUID] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(lookup_hashes), MAX_SUBJECTS_PER_QUERY):
                chunk = lookup_hashes[start : start + MAX_SUBJECTS_PER_QUERY]
                rows = conn.execute(
                    select(t.c.lookup_hash, t.c.subject_id).where(t.c.lookup_hash.in_(chunk))
                )
                result.update({h: UUID(s) for h, s in rows})
        return result

    def _load(self, subjects: list[UUID]) -> dict[UUID, bytes]:
        t = personal_data_keys
        result: dict[UUID, bytes] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(subjects, MAX_SUBJECTS_PER_QUERY):
                rows = conn.execute(
                    select(t.c.subject_id, t.c.wrapped_key).where(
                        t.c.subject_id.in_([str(s) for s in chunk]), t.c.wrapped_key.is_not(None)
                    )
                )
                for subject_id, wrapped in rows:
                    subject = UUID(subject_id)
                    result[subject] = self._unwrap(subject, bytes(wrapped))
        return result

    def _forget(self, subject: UUID, at: datetime) -> bool:
        t = personal_data_keys
        with self.engine.begin() as conn:
            result = conn.execute(
                update(t)
                .where(t.c.subject_id == str(subject), t.c.wrapped_key.is_not(None))
                .values(wrapped_key=None, lookup_hash=None, destroyed_at=at)
            )
        return result.rowcount == 1
