"""What one batch of the runner folds (projections/runner.py): the next notifications after the
positions, within the batch's limits of count and bytes; for a runner of a share of the
projections (projections/parallel.py), only the topics they handle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from domain.shared.eventstore import EventStore
from projections.projection import Projection


@dataclass(frozen=True)
class Batch:
    """What one batch folds: ``notifications`` up to ``last``, which the positions move to;
    ``count``: the notifications it covers (those a share of the projections does not read
    included)."""

    notifications: Sequence[Notification]
    last: int
    count: int


def topics_of(projections: Sequence[Projection]) -> frozenset[str] | None:
    """The stored topics the projections have handlers for; None when one of them takes
    every notification (``handle_notifications``: the seal)."""
    raw = Projection.handle_notifications
    if any(type(p).handle_notifications is not raw for p in projections):
        return None
    return frozenset(get_topic(cls) for p in projections for cls in p.handlers)


class BatchReader:
    """Reads the batches of one runner; ``max_batch_bytes`` of stored events at most."""

    def __init__(
        self, store: EventStore, topics: frozenset[str] | None, max_batch_bytes: int
    ) -> None:
        self.store = store
        self.topics = topics  # None: every notification
        self.max_batch_bytes = max_batch_bytes
        self._read_limit: int | None = None  # after a batch cut by bytes: read this many

    def unseen(
        self,
        at: dict[str, int],
        active: Sequence[Projection],
        until: int | None,
        limit: int,
        given: Sequence[Notification] | None,
    ) -> Batch | None:
        """The next notifications some active projection has not applied (within the batch's
        limits); None when ``given`` does not continue from the positions. A runner of a
        share of the projections reads only the topics they handle (``topics``), and its
        batch covers the notifications in between too."""
        low = min(at[p.name] for p in active)
        if until is not None and low >= until:
            return Batch([], low, 0)
        if given is not None:
            found: Sequence[Notification] = [
                n for n in given if n.id > low and (until is None or n.id <= until)
            ]
            if found and found[0].id != low + 1:
                return None
            if not found:
                return Batch([], low, 0)
            kept = self._within_budget(found, limit)
            last = kept[-1].id
            if self.topics is None:
                return Batch(kept, last, len(kept))
            return self._share_batch([n for n in kept if n.topic in self.topics], low, last, limit)
        size = min(limit, self._read_limit or limit)
        if self.topics is None:
            found = self.store.recorder.select_notifications(start=low + 1, limit=size, stop=until)
            kept = self._within_budget(found, limit)
            return Batch(kept, kept[-1].id if kept else low, len(kept))
        # Up to where the log is now (its ids commit in order: SQLite has one writer, and
        # PostgreSQL inserts hold the event table's lock), so the batch may cover it all.
        end = self.store.last_notification_id()
        stop = end if until is None else min(until, end)
        if stop <= low:
            return Batch([], low, 0)
        found = self.store.recorder.select_notifications(
            start=low + 1, limit=size, stop=stop, topics=sorted(self.topics)
        )
        kept = self._within_budget(found, limit)
        last = kept[-1].id if len(kept) < len(found) or len(found) == size else stop
        return self._share_batch(kept, low, last, limit)

    @staticmethod
    def _share_batch(
        notifications: Sequence[Notification], low: int, last: int, limit: int
    ) -> Batch:
        """A batch of a share's topics from ``low`` to ``last``. One event at a time (finding
        the event a projection cannot fold) it ends just before its event, so that a halted
        projection stays exactly before the event it could not fold."""
        if limit == 1 and notifications and notifications[0].id > low + 1:
            last = notifications[0].id - 1
            return Batch([], last, last - low)
        return Batch(notifications, last, last - low)

    def _within_budget(
        self, notifications: Sequence[Notification], limit: int
    ) -> Sequence[Notification]:
        """The first notifications up to ``max_batch_bytes`` of stored state (at least one).
        When it cuts, the next batch reads about twice what fitted; when it does not, the
        next reads twice as many as this one, back up to ``limit``."""
        total = 0
        for n, notification in enumerate(notifications):
            total += len(notification.state)
            if total > self.max_batch_bytes and n > 0:
                self._read_limit = max(1, 2 * n)
                return notifications[:n]
        if self._read_limit is not None:
            grown = 2 * self._read_limit
            self._read_limit = None if grown >= limit else grown
        return notifications
