"""Naming the first divergence between the stored events and the seal: changed, deleted,
inserted, swapped or truncated (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import Notification

from domain.audit import canonical
from domain.audit.merkle import leaf_hash
from domain.audit.verify.results import (
    CHANGED,
    DELETED,
    INSERTED,
    SWAPPED,
    TRUNCATED,
    Divergence,
    SealedLeaf,
)


def holds(event: Notification, leaf: SealedLeaf) -> bool:
    """Is ``event`` the one sealed as ``leaf``, wherever it is stored now?"""
    data = canonical.of_notification(event, leaf.notification_id)
    return leaf_hash(data) == leaf.leaf_hash


def classify(
    position: int, sealed: Sequence[SealedLeaf], current: Sequence[Notification]
) -> Divergence:
    """Name the divergence at ``position``: ``sealed`` and ``current`` start there (both
    non-empty) and run on for up to SEARCH_WINDOW items."""
    leaf, event = sealed[0], current[0]
    moved_to = next((i for i, e in enumerate(current) if holds(e, leaf)), None)
    came_from = next((j for j, s in enumerate(sealed) if holds(event, s)), None)
    if moved_to == 0:
        detail = (
            f"the event sealed as notification {leaf.notification_id} is stored as "
            f"notification {event.id} now"
        )
        return Divergence(CHANGED, position, leaf.notification_id, detail)
    if moved_to is None and came_from is None:
        detail = (
            f"notification {event.id} ({event.topic}) is not the event sealed at this position "
            f"(notification {leaf.notification_id})"
        )
        return Divergence(CHANGED, position, leaf.notification_id, detail)
    if moved_to is None:
        assert came_from is not None
        last = sealed[came_from - 1].notification_id
        detail = (
            f"{came_from} sealed event(s) missing: notifications {leaf.notification_id}"
            f"..{last}; the log goes on with notification {event.id}"
        )
        return Divergence(DELETED, position, leaf.notification_id, detail)
    if came_from is None:
        detail = (
            f"{moved_to} event(s) not in the seal (from notification {event.id}) stand before "
            f"the sealed notification {leaf.notification_id}"
        )
        return Divergence(INSERTED, position, event.id, detail)
    detail = (
        f"the event sealed at position {position} (notification {leaf.notification_id}) is now "
        f"at position {position + moved_to}, and the event here was sealed at position "
        f"{position + came_from}"
    )
    return Divergence(SWAPPED, position, leaf.notification_id, detail)


def tail_missing(position: int, leaf: SealedLeaf, sealed_size: int) -> Divergence:
    missing = sealed_size - position
    if missing == 1:
        detail = f"the last sealed event (notification {leaf.notification_id}) is missing"
        return Divergence(DELETED, position, leaf.notification_id, detail)
    detail = (
        f"the log ends after {position} events; the seal holds {sealed_size}: the last "
        f"{missing} (from notification {leaf.notification_id}) are missing"
    )
    return Divergence(TRUNCATED, position, leaf.notification_id, detail)
