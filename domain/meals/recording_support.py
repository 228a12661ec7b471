"""What keeps the batch path (recording.py) fast at volume, without changing what it records.

- ``FreshAggregates``: the meal point, its elders and the meal policies are read by every
  upload of the point. Decoding them again for each batch cost more than recording the meals,
  so copies are kept between batches and re-read only when the log holds a newer version of
  one: a single query of versions per batch tells which (and which meals exist already).
- ``recorded_event``: a ``Meal.Recorded`` event made directly, field for field what
  ``Meal(**fields)`` would put in the log, without building and mutating an aggregate that is
  thrown away after the save. A unit test compares the stored bytes of both.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.meals.model import Meal
from domain.shared.aggregate import QianwanAggregate
from domain.shared.bulk import get_many
from domain.shared.eventstore import EventStore

A = TypeVar("A", bound=QianwanAggregate)

MAX_FRESH_AGGREGATES = 200_000  # copies kept between batches (a province's elders: ~1 GB at most)

_RECORDED: Any = Meal.Recorded  # type: ignore[attr-defined]
_RECORDED_FIELDS = tuple(f.name for f in dataclasses.fields(_RECORDED))
_MEAL_TOPIC = get_topic(Meal)


def recorded_event(meal_id: UUID, fields: Mapping[str, Any]) -> Any:
    """The ``Meal.Recorded`` event that ``Meal(**fields)`` would trigger, with id ``meal_id``
    (which must be ``Meal.create_id`` of the fields)."""
    state = {
        "originator_id": meal_id,
        "originator_version": Meal.INITIAL_VERSION,
        "timestamp": _RECORDED.create_timestamp(),
        "originator_topic": _MEAL_TOPIC,
        **fields,
    }
    event = object.__new__(_RECORDED)
    object.__setattr__(event, "__dict__", {name: state[name] for name in _RECORDED_FIELDS})
    return event


class FreshAggregates:
    """Aggregates kept between reads, each returned only while it is the current version."""

    def __init__(self, store: EventStore, capacity: int = MAX_FRESH_AGGREGATES) -> None:
        self.store = store
        self.capacity = capacity
        self._kept: OrderedDict[UUID, QianwanAggregate] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(
        self, ids: Iterable[UUID], versions: Mapping[UUID, int], cls: type[A]
    ) -> dict[UUID, A]:
        """The current state of every aggregate among ``ids`` that ``versions`` (fresh from the
        log) shows to exist. Copies are shared: callers must not change them."""
        found: dict[UUID, A] = {}
        stale: list[UUID] = []
        with self._lock:
            for i in ids:
                version = versions.get(i)
                if version is None:
                    continue
                kept = self._kept.get(i)
                if kept is not None and kept.version == version:
                    self._kept.move_to_end(i)
                    assert isinstance(kept, cls), f"{i} is a {type(kept)}, not {cls}"
                    found[i] = kept
                else:
                    stale.append(i)
        if stale:
            loaded = get_many(self.store, stale, cls)
            found.update(loaded)
            with self._lock:
                self._kept.update(loaded)
                while len(self._kept) > self.capacity:
                    self._kept.popitem(last=False)
        return found
