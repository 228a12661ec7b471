"""The base of every aggregate: every event carries its provenance (actor, authority).

The recorded time of an event is eventsourcing's own ``timestamp`` (UTC, set when the command
runs); business dates (``received_on``, ``held_on`` …) are explicit fields of each event.
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate


class QianwanAggregate(Aggregate):
    class Event(Aggregate.Event):
        """actor: who recorded the fact. authority: the resolution or document it rests on."""

        actor: str
        authority: str | None
