"""An aggregate's history as auditors read it: every event in order, with its provenance."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.audit.errors import (
    AggregateNotFound,
    AggregateNotRecordedByThen,
    VersionNotRecorded,
)
from domain.shared.aggregate import QianwanAggregate
from domain.shared.clock import in_utc
from domain.shared.errors import InvalidInput
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
    notification_id: int | None = None  # its place in the log (None: the recorder cannot say)


def to_json_value(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json_value(dataclasses.asdict(value))
    if isinstance(value, (set, frozenset)):
        return sorted(to_json_value(v) for v in value)
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


def describe(e: Any) -> HistoryEvent:
    """One recorded event as auditors read it: its place in its aggregate and its payload."""
    assert isinstance(e, QianwanAggregate.Event)
    payload = {
        k: to_json_value(v)
        for k, v in vars(e).items()
        if k not in _ENVELOPE and not k.startswith("originator_topic")
    }
    return HistoryEvent(
        aggregate_id=e.originator_id,
        version=e.originator_version,
        event_type=type(e).__qualname__,
        recorded_at=e.timestamp,
        actor=getattr(e, "actor", ""),
        authority=getattr(e, "authority", None),
        payload=payload,
    )


def history(
    store: EventStore, aggregate_id: UUID, up_to_version: int | None = None
) -> list[HistoryEvent]:
    events = store.events.get(aggregate_id, lte=up_to_version, limit=MAX_HISTORY_EVENTS)
    described = [describe(e) for e in events]
    places = notification_ids(store, aggregate_id) if described else {}
    return [dataclasses.replace(e, notification_id=places.get(e.version)) for e in described]


def notification_ids(store: EventStore, aggregate_id: UUID) -> dict[int, int]:
    """Each version's notification id (its place in the log), by version."""
    of = getattr(store.recorder, "notifications_of", None)
    if of is None:
        return {}
    return {n.originator_version: n.id for n in of(aggregate_id)}


@dataclass(frozen=True)
class AggregateState:
    """An aggregate as it was after one of its versions (time travel, for auditors)."""

    aggregate_id: UUID
    aggregate_type: str  # e.g. Asset
    version: int
    recorded_at: datetime  # when that version's event was recorded
    state: dict[str, Any]  # its public attributes, JSON-ready


def version_at(store: EventStore, aggregate_id: UUID, at: datetime) -> int:
    """The aggregate's last version recorded at or before ``at`` (a timezone-aware time)."""
    moment = in_utc(at, "at")
    versions = [
        e.originator_version
        for e in store.events.get(aggregate_id, limit=MAX_HISTORY_EVENTS)
        if isinstance(e, QianwanAggregate.Event) and e.timestamp <= moment
    ]
    if versions:
        return max(versions)
    if not any(True for _ in store.events.get(aggregate_id, limit=1)):
        raise AggregateNotFound(f"nothing was recorded as {aggregate_id}", field="aggregate_id")
    raise AggregateNotRecordedByThen(
        f"{aggregate_id} was first recorded after {moment.isoformat()}", field="at"
    )


def state_at(
    store: EventStore,
    aggregate_id: UUID,
    version: int | None = None,
    at: datetime | None = None,
) -> AggregateState:
    """The aggregate as it was at ``version``, or as it stood at the recorded time ``at``, or
    now. eventsourcing replays its events up to that version (``repository.get(version=)``)."""
    if version is not None and at is not None:
        raise InvalidInput("give a version or a time, not both", field="at")
    if version is not None and version < 1:
        raise VersionNotRecorded(f"versions start at 1, not {version}", field="version")
    if at is not None:
        version = version_at(store, aggregate_id, at)
    try:
        aggregate: Any = store.repository.get(aggregate_id, version=version)
    except AggregateNotFoundError:
        raise AggregateNotFound(
            f"nothing was recorded as {aggregate_id}", field="aggregate_id"
        ) from None
    if version is not None and aggregate.version != version:
        raise VersionNotRecorded(
            f"{aggregate_id} has {aggregate.version} versions, not {version}", field="version"
        )
    state = {k: to_json_value(v) for k, v in vars(aggregate).items() if not k.startswith("_")}
    return AggregateState(
        aggregate_id=aggregate.id,
        aggregate_type=type(aggregate).__qualname__,
        version=aggregate.version,
        recorded_at=aggregate.modified_on,
        state=state,
    )
