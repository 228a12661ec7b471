"""The change feed's reading: the events after a position, in notification order, a bounded
batch at a time, filtered by kind and place, with what the caller may not see taken out.

Why reading by "notification id > the last one sent" never skips an event that commits late:
the feed reads only up to the position of its read model (projections/feed.py), and the
projection runner folds the log in order, so every event up to that position was committed when
it was folded. No event can later appear below it: on PostgreSQL eventsourcing takes a table
lock (``LOCK TABLE … IN EXCLUSIVE MODE``) around each insert, so notification ids become visible
in the order they are numbered; on SQLite the file has one writer at a time. A client that
resumes ``after`` its last id therefore gets every later event exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from api.meals.privacy import masked_name
from domain.shared.history import describe
from projections.db import positions
from projections.feed import FEED_KINDS, FeedProjection, feed_events
from qianwan.bootstrap import Registry

FEED_BATCH = 200  # notifications read per statement, backlog and live alike
POLL_SECONDS = 0.5  # a live subscription looks again at least this often (other processes)
SEALED_SUFFIX = "_sealed"  # elders' names and ID numbers: ciphertext, never sent
PERSON = "person"
# Names of people whatever their kind says: the holder of a land use right (its kind is told by
# an earlier event: the auction's winner), a voucher's preparer and reviewer (制单, 审核: the
# names of the people who signed it, as an actor names them). Masked whenever the caller may
# not see personal data.
# Fields that always name people: a land-use holder, a voucher's preparer and reviewer, the
# democratic finance group's members who reviewed a disclosure (a list of names).
ALWAYS_MASKED = frozenset({"holder_name", "preparer", "reviewer", "members"})


@dataclass(frozen=True)
class FeedFilter:
    """What one subscription wants: the topics of its kinds, the place (a village, town or
    district code, as a prefix of village codes) and the caller's villages (None: all)."""

    topics: tuple[str, ...]
    place: str | None
    villages: frozenset[str] | None

    def admits(self, village: str | None) -> bool:
        if self.villages is not None and village not in self.villages:
            return False
        if self.place is None:
            return True
        return village is not None and village.startswith(self.place)


def topics_of(kinds: list[str] | None) -> tuple[str, ...]:
    """The topics of the wanted kinds: an event type (``Asset.Contracted``) or a whole aggregate
    (``Asset``); None or empty: every kind of the feed. The caller checked the kinds."""
    if not kinds:
        return tuple(sorted(FEED_KINDS.values()))
    wanted = set(kinds)
    return tuple(
        sorted(
            topic
            for kind, topic in FEED_KINDS.items()
            if kind in wanted or kind.split(".", 1)[0] in wanted
        )
    )


def known_kind(kind: str) -> bool:
    return kind in FEED_KINDS or any(k.split(".", 1)[0] == kind for k in FEED_KINDS)


def folded_position(registry: Registry) -> int:
    """How far the feed's read model has folded the log: the feed reads up to here."""
    with registry.engine.connect() as conn:
        found = conn.scalar(
            select(positions.c.position).where(positions.c.name == FeedProjection.name)
        )
    return int(found or 0)


def read_batch(
    registry: Registry,
    after: int,
    wanted: FeedFilter,
    personal: Callable[[str | None], bool],
) -> tuple[list[dict[str, Any]], int]:
    """The events after ``after`` that ``wanted`` admits (at most FEED_BATCH looked at), and
    the position read up to: the next batch starts after it, whether or not anything was kept.
    ``personal(village)``: may the caller see personal data of that village."""
    stop = folded_position(registry)
    if stop <= after:
        return [], after
    store = registry.store
    found = store.recorder.select_notifications(
        start=after + 1, limit=FEED_BATCH, stop=stop, topics=wanted.topics
    )
    reached = found[-1].id if len(found) >= FEED_BATCH else stop
    if not found:
        return [], reached
    with registry.engine.connect() as conn:
        query = select(feed_events.c.notification_id, feed_events.c.village_code).where(
            feed_events.c.notification_id.in_([n.id for n in found])
        )
        villages: dict[int, str | None] = {i: v for i, v in conn.execute(query)}
    rows: list[dict[str, Any]] = []
    for notification in found:
        village = villages.get(notification.id)
        if not wanted.admits(village):
            continue
        event = describe(store.decode(notification))
        sees = personal(village)
        rows.append(
            {
                "notification_id": notification.id,
                "event_type": event.event_type,
                "aggregate_id": str(event.aggregate_id),
                "version": event.version,
                "recorded_at": event.recorded_at,
                "village_code": village,
                "actor": event.actor if sees else None,
                "payload": masked(event.payload, sees),
            }
        )
    return rows, reached


def masked(value: Any, personal: bool) -> Any:
    """The payload without sealed fields (for everyone: the feed never carries an elder's name
    or ID number, clear or sealed); for a caller who may not see personal data, the name of a
    natural person (a counterparty, a winner, a holder whose kind is ``person``) as 王*."""
    if isinstance(value, list):
        return [masked(v, personal) for v in value]
    if not isinstance(value, Mapping):
        return value
    shown: dict[str, Any] = {}
    for key, item in value.items():
        if key.endswith(SEALED_SUFFIX):
            continue
        if not personal and isinstance(item, str) and names_a_person(value, key):
            shown[key] = masked_name(item)
        elif not personal and key in ALWAYS_MASKED and isinstance(item, list):
            shown[key] = [masked_name(v) if isinstance(v, str) else v for v in item]
        else:
            shown[key] = masked(item, personal)
    return shown


def names_a_person(fields: Mapping[str, Any], key: str) -> bool:
    if key in ALWAYS_MASKED:
        return True
    stem = key.removesuffix("_name")
    return fields.get(f"{stem}_kind") == PERSON or (key == "name" and fields.get("kind") == PERSON)
