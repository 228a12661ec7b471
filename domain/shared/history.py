"""An aggregate's history as auditors read it: every event in order, with its provenance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.shared.aggregate import QianwanAggregate
from domain.shared.eventstore import EventStore

MAX_HISTORY_EVENTS = 10_000
_ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor", "authority"}


@dataclass(frozen=True)
class HistoryEvent:
    aggregate_id: UUID
    version: int
    event_type: str
    recorded_at: datetime
    actor: str
    authority: str | None
    payload: dict[str, Any]  # JSON-ready: Decimal and dates as strings


def to_json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    return value


def history(
    store: EventStore, aggregate_id: UUID, up_to_version: int | None = None
) -> list[HistoryEvent]:
    events = store.events.get(aggregate_id, lte=up_to_version, limit=MAX_HISTORY_EVENTS)
    result = []
    for e in events:
        assert isinstance(e, QianwanAggregate.Event)
        payload = {
            k: to_json_value(v)
            for k, v in vars(e).items()
            if k not in _ENVELOPE and not k.startswith("originator_topic")
        }
        result.append(
            HistoryEvent(
                aggregate_id=e.originator_id,
                version=e.originator_version,
                event_type=type(e).__qualname__,
                recorded_at=e.timestamp,
                actor=getattr(e, "actor", ""),
                authority=getattr(e, "authority", None),
                payload=payload,
            )
        )
    return result
