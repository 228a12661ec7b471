"""What both recorders share: every write transaction is signed in the same transaction as its
events, or nothing is recorded (docs/audit.md). The signatures are rows of ``event_signatures``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from domain.audit.errors import EventSigningKeyNotConfigured
from domain.audit.signing import EventSignature, EventSigner, SignedEvent, signed_event

# One row per write transaction: its events' signature (domain/audit/signing.py). Created by the
# recorder beside the event table, written in the same transaction as the events.
SIGNATURES_TABLE = "event_signatures"
SIGNATURE_COLUMNS = "first_notification_id, last_notification_id, event_count, key_id, signature"


MAX_SIGNED_HERE = 1000  # the last write transactions this process signed, kept for the seal
# … and at most this many of their events (the newest transaction always): kept by transactions
# alone, a process recording 10 uploads a call held ~1,000 events for each of 1,000 calls,
# ~150 MB, growing through a million-event ingest (docs/scaling.md). A miss only sends the seal
# the long way (it reads the signature back and verifies it).
MAX_SIGNED_EVENTS_HERE = 50_000


class SigningRecorder(ApplicationRecorder):
    """What both recorders share: every write transaction is signed, or refused.

    ``signer`` is set by the EventStore (bootstrap gives it the installation's event key); a
    recorder without one reads, but refuses to record anything. The signatures this process
    made are kept for a while (``signed_here``): the seal folding the same events in the same
    process compares their leaf hashes instead of reading the signature back and verifying it."""

    signer: EventSigner | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signed_here: OrderedDict[int, tuple[EventSignature, tuple[SignedEvent, ...]]] = (
            OrderedDict()
        )
        self._signed_events_here = 0  # events of the transactions in _signed_here
        self._signed_lock = threading.Lock()
        self._pending = threading.local()  # the signature of this thread's open transaction

    def require_signer(self) -> EventSigner:
        if self.signer is None:
            raise EventSigningKeyNotConfigured(
                "no event signing key is configured, so nothing can be recorded: set "
                "QIANWAN_EVENT_KEY_FILE to the private key made by `qianwan keygen --purpose "
                "events` (or run in development mode with --dev)"
            )
        return self.signer

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if stored_events:
            self.require_signer()  # before the transaction: nothing is written unsigned
        self._pending.made = None
        # the concrete recorder after this mixin (SQLite's, PostgreSQL's) writes the events
        ids: Sequence[int] | None = super().insert_events(  # type: ignore[safe-super]
            stored_events, **kwargs
        )
        made = self._pending.made  # committed now: remember what was signed
        if made is not None:
            with self._signed_lock:
                self._signed_here[made[0].first_notification_id] = made
                self._signed_events_here += len(made[1])
                while len(self._signed_here) > 1 and (
                    len(self._signed_here) > MAX_SIGNED_HERE
                    or self._signed_events_here > MAX_SIGNED_EVENTS_HERE
                ):
                    _, (_, dropped) = self._signed_here.popitem(last=False)
                    self._signed_events_here -= len(dropped)
        return ids

    def signature_of(
        self, notification_ids: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> EventSignature:
        events = tuple(
            signed_event(nid, s.originator_id, s.originator_version, s.topic, s.state)
            for nid, s in zip(notification_ids, stored_events, strict=True)
        )
        signed = self.require_signer().sign(events)
        self._pending.made = (signed, events)
        return signed

    def signed_here(self, lo: int, hi: int) -> list[tuple[EventSignature, tuple[SignedEvent, ...]]]:
        """The signatures this process made (and committed) for transactions starting in
        ``lo..hi``, with the events they list."""
        found = []
        with self._signed_lock:
            # newest first, and ids grow with commits: stop at the first one before ``lo`` (one
            # missed here only sends the seal the long way, reading the signature back)
            for first in reversed(self._signed_here):
                if first < lo:
                    break
                if first <= hi:
                    found.append(self._signed_here[first])
        found.reverse()
        return found


def to_signature(row: Any) -> EventSignature:
    first, last, count, key, signature = (row[i] for i in range(5))
    return EventSignature(int(first), int(last), int(count), str(key), bytes(signature))
