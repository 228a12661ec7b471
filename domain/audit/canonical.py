"""The canonical bytes of a stored event: what the audit seal hashes (docs/audit.md).

One unambiguous encoding, the same on SQLite and PostgreSQL, of exactly what the event store
keeps for an event: six fields, each a 4-byte big-endian length followed by that many bytes:

1. the format tag, ASCII ``qianwan-event-v1``;
2. the notification id: 8 bytes, unsigned big-endian (the event's place in the log);
3. the originator id: the 16 bytes of the aggregate's UUID;
4. the originator version: 8 bytes, unsigned big-endian;
5. the topic: UTF-8 (the event's class, e.g. ``domain.assets.model:Asset.Registered``);
6. the stored state: the bytes exactly as stored (eventsourcing's JSON, compressed or
   encrypted if the installation turns that on).

Every field carries its length, so no two different events share an encoding, and the
notification id is inside the hashed bytes: moving an event to another place changes its leaf.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import Notification

EVENT_FORMAT = b"qianwan-event-v1"
FIELDS = 6
LENGTH_BYTES = 4
INTEGER_BYTES = 8
UUID_BYTES = 16


@dataclass(frozen=True)
class CanonicalEvent:
    """An event as the canonical bytes carry it."""

    notification_id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(LENGTH_BYTES, "big") + data


_FORMAT_FIELD = _field(EVENT_FORMAT)
_INTEGER_LENGTH = INTEGER_BYTES.to_bytes(LENGTH_BYTES, "big")
_UUID_LENGTH = UUID_BYTES.to_bytes(LENGTH_BYTES, "big")


def encode(event: CanonicalEvent) -> bytes:
    return encode_fields(
        event.notification_id,
        event.originator_id,
        event.originator_version,
        event.topic,
        bytes(event.state),
    )


def encode_fields(
    notification_id: int, originator_id: UUID, originator_version: int, topic: str, state: bytes
) -> bytes:
    """``encode`` without building a ``CanonicalEvent`` first: the recorders sign every event
    of a write transaction with it, inside the transaction (the same bytes: a test compares)."""
    topic_bytes = topic.encode("utf-8")
    return b"".join(
        (
            _FORMAT_FIELD,
            _INTEGER_LENGTH,
            notification_id.to_bytes(INTEGER_BYTES, "big", signed=False),
            _UUID_LENGTH,
            originator_id.bytes,
            _INTEGER_LENGTH,
            originator_version.to_bytes(INTEGER_BYTES, "big", signed=False),
            len(topic_bytes).to_bytes(LENGTH_BYTES, "big"),
            topic_bytes,
            len(state).to_bytes(LENGTH_BYTES, "big"),
            state,
        )
    )


def of_notification(notification: Notification, notification_id: int | None = None) -> bytes:
    """The canonical bytes of a stored event; with ``notification_id``, as if it were stored
    at that place instead (the verifier uses this to find where a moved event was sealed)."""
    originator_id = notification.originator_id
    if not isinstance(originator_id, UUID):
        originator_id = UUID(str(originator_id))
    return encode(
        CanonicalEvent(
            notification.id if notification_id is None else notification_id,
            originator_id,
            notification.originator_version,
            notification.topic,
            bytes(notification.state),
        )
    )


def decode(data: bytes) -> CanonicalEvent:
    """The fields back from canonical bytes; ValueError when they are not canonical."""
    parts: list[bytes] = []
    at = 0
    while at < len(data):
        if at + LENGTH_BYTES > len(data):
            raise ValueError("truncated length prefix")
        length = int.from_bytes(data[at : at + LENGTH_BYTES], "big")
        at += LENGTH_BYTES
        if at + length > len(data):
            raise ValueError("field runs past the end")
        parts.append(data[at : at + length])
        at += length
    if len(parts) != FIELDS or parts[0] != EVENT_FORMAT:
        raise ValueError("not a qianwan-event-v1 encoding")
    if len(parts[1]) != INTEGER_BYTES or len(parts[3]) != INTEGER_BYTES:
        raise ValueError("integer fields are 8 bytes")
    if len(parts[2]) != UUID_BYTES:
        raise ValueError("the originator id is 16 bytes")
    return CanonicalEvent(
        int.from_bytes(parts[1], "big"),
        UUID(bytes=parts[2]),
        int.from_bytes(parts[3], "big"),
        parts[4].decode("utf-8"),
        parts[5],
    )
