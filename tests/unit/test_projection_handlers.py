"""Every projection handler is keyed by an event class the log can hold: one of the pinned topics
(tests/fixtures/event_topics.txt), so that a handler cannot wait for an event no code records."""

from __future__ import annotations

from pathlib import Path

from eventsourcing.utils import get_topic

import qianwan.bootstrap  # noqa: F401  (imports every projection the registry folds)
from projections.projection import Projection

PINNED = set(
    (Path(__file__).resolve().parents[1] / "fixtures" / "event_topics.txt")
    .read_text(encoding="utf-8")
    .split()
)


def projection_classes() -> list[type[Projection]]:
    found: list[type[Projection]] = []
    todo = list(Projection.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_handler_is_keyed_by_a_pinned_event_class() -> None:
    classes = projection_classes()
    assert {c.name for c in classes} >= {"places", "asset_register", "land", "meals", "ledger"}
    unknown = {
        (projection.name, repr(key))
        for projection in classes
        for key in projection.handlers
        if not isinstance(key, type) or get_topic(key) not in PINNED
    }
    assert unknown == set()
