"""Are these stored events the ones the registry signed? (docs/audit.md, "Event signatures")

Reads the signatures beside the event log through the event store's recorder, so it works
wherever the events are, also when the projections being folded live in another database (a
replay). Used by the seal before it seals a batch, and by authentication before it believes an
API token. ``qianwan verify`` walks the whole log instead (domain/audit/verify/).

**Recorded before event signing.** Events stored before any signature exist in logs written by
earlier versions. Where a caller allows it (the seal), an event with no signature counts as
such only when it comes before the first signed event; any unsigned event after it is a
forgery. Authentication never allows it: a token must rest on signed events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Notification

from domain.audit.signing import (
    UNSIGNED,
    EventSignature,
    SignatureProblem,
    SignedEvent,
    TrustedEventKeys,
    signed_event,
)
from domain.shared.eventstore import EventStore

MAX_EVENTS_PER_SIGNATURE = 100_000  # far more than any save writes; a forged count is not read


@dataclass(frozen=True)
class Inauthentic:
    """The first event that no trusted signature vouches for, and why."""

    notification_id: int
    problem: SignatureProblem

    def __str__(self) -> str:
        return f"notification {self.notification_id}: {self.problem.kind}: {self.problem.detail}"


class EventNotAuthentic(RuntimeError):
    """Raised by the seal: it never seals an event whose signature does not hold."""

    def __init__(self, found: Inauthentic) -> None:
        super().__init__(f"not sealed: {found}")
        self.found = found


def as_signed(n: Notification) -> SignedEvent:
    return signed_event(n.id, n.originator_id, n.originator_version, n.topic, n.state)


class EventAuthenticity:
    """Checks events against their stored signatures with the trusted keys."""

    def __init__(self, store: EventStore, trusted: TrustedEventKeys) -> None:
        self.store = store
        self.trusted = trusted

    @property
    def recorder(self) -> Any:
        return self.store.recorder

    def signs(self) -> bool:
        """Does this store keep signatures at all? (The in-memory store does not.)"""
        return hasattr(self.recorder, "signatures_covering")

    def check(
        self,
        notifications: Sequence[Notification],
        *,
        contiguous: bool,
        allow_unsigned_prefix: bool,
        leaves: Mapping[int, SignedEvent] | None = None,
    ) -> Inauthentic | None:
        """The first of ``notifications`` (in notification order) no trusted signature vouches
        for, or None. ``contiguous``: they are every stored event from the first to the last
        (a fold's batch), so only signatures reaching past them need the log read again.
        ``leaves``: their leaf hashes, when the caller has them already."""
        if not notifications:
            return None
        known = dict(leaves or {}) if contiguous else {}
        if contiguous and not known:
            known = {n.id: as_signed(n) for n in notifications}
        if contiguous and self._signed_here(known, notifications):
            return None
        lo, hi = notifications[0].id, notifications[-1].id
        problems: list[Inauthentic] = []
        covered: list[tuple[int, int]] = []
        for signature in self._signatures(notifications, contiguous):
            if signature.last_notification_id < lo:
                continue
            covered.append((signature.first_notification_id, signature.last_notification_id))
            problem = self.trusted.problem(signature, self._signed(signature, known, lo, hi))
            if problem is not None:
                problems.append(Inauthentic(signature.first_notification_id, problem))
        unsigned = uncovered([n.id for n in notifications], covered)
        if unsigned and allow_unsigned_prefix:
            first_signed = self.recorder.first_signed_notification_id()
            unsigned = [i for i in unsigned if first_signed is not None and i > first_signed]
        problems += [
            Inauthentic(
                i,
                SignatureProblem(UNSIGNED, f"notification {i} is covered by no signature"),
            )
            for i in unsigned[:1]
        ]
        return min(problems, key=lambda p: p.notification_id, default=None)

    def _signed_here(
        self, known: Mapping[int, SignedEvent], notifications: Sequence[Notification]
    ) -> bool:
        """Did this process sign exactly these events (a fold right after its own save)?
        The stored events hash to the leaves it signed, so they are the events it signed: no
        need to read the signatures back and verify them."""
        made = getattr(self.recorder, "signed_here", None)
        if made is None or not self.trusted.trusts(self.recorder.signer):
            return False
        lo, hi = notifications[0].id, notifications[-1].id
        spans = []
        for signature, events in made(lo, hi):
            listed = {e.notification_id for e in events}
            inside = {
                i
                for i in known
                if signature.first_notification_id <= i <= signature.last_notification_id
            }
            if signature.last_notification_id > hi or listed != inside:
                return False
            if any(known[e.notification_id] != e for e in events):
                return False
            spans.append((signature.first_notification_id, signature.last_notification_id))
        return not uncovered([n.id for n in notifications], sorted(spans))

    def _signatures(
        self, notifications: Sequence[Notification], contiguous: bool
    ) -> list[EventSignature]:
        """The signatures that may cover ``notifications``: for a batch, those of its span;
        for a few scattered events (a token's), those of each event only."""
        if contiguous:
            return list(
                self.recorder.signatures_covering(notifications[0].id, notifications[-1].id)
            )
        found: dict[int, EventSignature] = {}
        for n in notifications:
            for signature in self.recorder.signatures_covering(n.id, n.id):
                if signature.first_notification_id <= n.id <= signature.last_notification_id:
                    found[signature.first_notification_id] = signature
        return [found[first] for first in sorted(found)]

    def _signed(
        self, signature: EventSignature, known: Mapping[int, SignedEvent], lo: int, hi: int
    ) -> list[SignedEvent]:
        """The stored events from the signature's first to its last notification id."""
        first, last = signature.first_notification_id, signature.last_notification_id
        if known and lo <= first and last <= hi:
            return [known[i] for i in range(first, last + 1) if i in known]
        if signature.event_count > MAX_EVENTS_PER_SIGNATURE or last < first:
            return [SignedEvent(first, b"")]  # cannot be the events signed: a mismatch
        stored = self.recorder.select_notifications(
            start=first, limit=signature.event_count + 1, stop=last
        )
        return [known.get(n.id) or as_signed(n) for n in stored]


def uncovered(ids: Sequence[int], spans: Sequence[tuple[int, int]]) -> list[int]:
    """The ``ids`` (ascending) that no span (first, last; ascending by first) contains."""
    found: list[int] = []
    at = 0
    for i in ids:
        while at < len(spans) and spans[at][1] < i:
            at += 1
        if at == len(spans) or spans[at][0] > i:
            found.append(i)
    return found
