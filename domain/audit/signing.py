"""Event signatures: every write transaction of the event store is signed with an Ed25519 key
kept outside the database, in the same database transaction as its events (docs/audit.md,
"Event signatures").

Whoever can write the event table can add, change or move an event; without the private key
they cannot make a signature for it. One signature covers one transaction (one ``save``), so a
meal upload of 300 events costs one signature, not 300. The signed message lists every event of
the transaction by its notification id and its leaf hash (the SHA-256 of its canonical bytes,
domain/audit/canonical.py, which hold the notification id, aggregate id, version, topic and
stored state), each field with its length::

    field("qianwan-event-signature-v1") || field(key id, 8 bytes) || count (8 bytes)
    || for each event in notification order: notification id (8 bytes) || leaf hash (32 bytes)

where ``field(x)`` is a 4-byte big-endian length and then ``x``. The row stored beside it names
the first and last notification id and the count: on PostgreSQL ids may have gaps (a rolled-back
insert), so a signature covers exactly the events it lists and an event inserted into a gap
makes the count disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from domain.audit import canonical
from domain.audit.keyfiles import key_id, raw_public_key
from domain.audit.merkle import leaf_hash

SIGNATURE_FORMAT = b"qianwan-event-signature-v1"
INTEGER_BYTES = 8
SIGNATURE_BYTES = 64

# What verify reports about signatures (besides the seal's kinds, domain/audit/verify/).
UNSIGNED = "unsigned"
SIGNATURE_MISMATCH = "signature_mismatch"
SIGNED_BY_UNTRUSTED_KEY = "signed_by_untrusted_key"


@dataclass(frozen=True)
class SignedEvent:
    """One event as a signature lists it."""

    notification_id: int
    leaf_hash: bytes


@dataclass(frozen=True)
class EventSignature:
    """A stored signature: the events ``first_notification_id..last_notification_id`` of one
    write transaction, ``event_count`` of them, signed by the key ``key_id``."""

    first_notification_id: int
    last_notification_id: int
    event_count: int
    key_id: str
    signature: bytes


@dataclass(frozen=True)
class SignatureProblem:
    kind: str
    detail: str


def signed_event(
    notification_id: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> SignedEvent:
    originator = originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))
    encoded = canonical.encode_fields(notification_id, originator, version, topic, bytes(state))
    return SignedEvent(notification_id, leaf_hash(encoded))


def signed_message(signer_key_id: str, events: Sequence[SignedEvent]) -> bytes:
    """The exact bytes a signature covers."""
    tag = len(SIGNATURE_FORMAT).to_bytes(4, "big") + SIGNATURE_FORMAT
    key = bytes.fromhex(signer_key_id)
    head = tag + len(key).to_bytes(4, "big") + key + len(events).to_bytes(INTEGER_BYTES, "big")
    body = b"".join(e.notification_id.to_bytes(INTEGER_BYTES, "big") + e.leaf_hash for e in events)
    return head + body


class EventSigner:
    """Signs the events of one write transaction with the installation's event key."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key = raw_public_key(private_key)
        self.key_id = key_id(self.public_key)

    def sign(self, events: Sequence[SignedEvent]) -> EventSignature:
        assert events, "a write transaction has at least one event"
        signature = self._key.sign(signed_message(self.key_id, events))
        return EventSignature(
            events[0].notification_id,
            events[-1].notification_id,
            len(events),
            self.key_id,
            signature,
        )


class TrustedEventKeys:
    """The public keys whose event signatures are believed, by key id. Never read from the
    database: they come from files named by the operator or the auditor."""

    def __init__(self, public_keys: Iterable[bytes] = ()) -> None:
        self._keys: Mapping[str, Ed25519PublicKey] = {
            key_id(raw): Ed25519PublicKey.from_public_bytes(raw) for raw in public_keys
        }

    def __bool__(self) -> bool:
        return bool(self._keys)

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._keys))

    def trusts(self, signer: EventSigner | None) -> bool:
        return signer is not None and signer.key_id in self._keys

    def problem(
        self, signature: EventSignature, events: Sequence[SignedEvent]
    ) -> SignatureProblem | None:
        """Why ``signature`` does not vouch for ``events`` (the stored events from its first
        to its last notification id, in order), or None when it does."""
        key = self._keys.get(signature.key_id)
        if key is None:
            return SignatureProblem(
                SIGNED_BY_UNTRUSTED_KEY,
                f"notifications {signature.first_notification_id}.."
                f"{signature.last_notification_id} are signed by key {signature.key_id}, "
                f"which is not trusted (trusted: {', '.join(self.key_ids) or 'none'})",
            )
        listed = [e.notification_id for e in events]
        span = (signature.first_notification_id, signature.last_notification_id)
        if len(events) != signature.event_count or (listed and (listed[0], listed[-1]) != span):
            return SignatureProblem(
                SIGNATURE_MISMATCH,
                f"the signature lists {signature.event_count} event(s) from notification "
                f"{span[0]} to {span[1]}; the log holds {len(events)} there",
            )
        try:
            key.verify(signature.signature, signed_message(signature.key_id, events))
        except InvalidSignature:
            return SignatureProblem(
                SIGNATURE_MISMATCH,
                f"the events from notification {span[0]} to {span[1]} are not the ones signed "
                "(an event was changed, moved or put in their place)",
            )
        return None
