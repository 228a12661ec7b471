"""The one event store every bounded context writes to.

All aggregates of all contexts are saved through one eventsourcing ``Application`` named
``qianwan``, so the registry has a single, totally ordered notification log: one sequence for
projections to follow, one sequence for the audit seal to hash, one place where uniqueness by
deterministic id holds across contexts. See docs/architecture.md ("One log").

Writing is gated: one thread of a process records at a time (``SAVE_WAIT_SECONDS`` at most in
the queue, then a clean, retryable ``database_busy``). The database serialises writers anyway;
the gate keeps the waiting in one fair queue of our own instead of inside eventsourcing's
connection pool, whose single gate makes readers wait behind waiting writers. On SQLite the
read-your-writes fold runs inside the gate too, so the fold and the next write never fight over
the file's write lock. What happens after a write is recorded (the fold) can never turn it into
a failure: a listener's error is logged and noted for the caller (``take_notes``). And when the
database fails during a write, the store asks the log whether the write was kept before it
answers, so a caller is never told "failed" for a fact that was recorded.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import (
    BaseAggregate,
    CanMutateAggregate,
    DomainEventProtocol,
    MutableOrImmutableAggregate,
)
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    Notification,
    OperationalError,
    PersistenceError,
    Recording,
    StoredEvent,
    Transcoding,
)

from domain.audit.signing import EventSigner
from domain.shared import idempotency
from domain.shared.errors import DatabaseBusy, DatabaseUnavailable, WriteOutcomeUnknown
from domain.shared.mapper import QianwanMapper
from domain.shared.recorders.lookups import MAX_IDS_PER_QUERY, select_recorded, select_versions
from domain.shared.recorders.postgres import POSTGRES_RECORDER_TOPIC
from domain.shared.recorders.signing import SigningRecorder

SaveListener = Callable[[int], None]

SAVE_WAIT_SECONDS = 30.0  # in the queue of writers, at most; then database_busy
OUTCOME_CHECK_SECONDS = 10.0  # asking the log whether a failed write was kept, at most
OUTCOME_CHECK_PAUSE_SECONDS = 0.5
READ_MODELS_BEHIND = "read_models_behind"  # a note: recorded, but not folded yet
RECORDED = "recorded"  # a note: this thread's save recorded events

log = logging.getLogger("qianwan.store")


class DateAsISO(Transcoding):
    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EventStore(Application[UUID]):
    """The registry's event store: all contexts, one log.

    After every save the listeners (the projection runner, in the running system) are told the
    highest notification id written, so that a query made next sees the command's effect.
    """

    name = "qianwan"

    def __init__(
        self, env: dict[str, str] | None = None, signer: EventSigner | None = None
    ) -> None:
        """``signer``: the installation's event key; without it the store reads but refuses to
        record (EventSigningKeyNotConfigured). The in-memory store signs nothing."""
        env = dict(env or {})
        if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            env.setdefault("APPLICATION_RECORDER_TOPIC", POSTGRES_RECORDER_TOPIC)
        super().__init__(env)
        if isinstance(self.recorder, SigningRecorder):
            self.recorder.signer = signer
        self._listeners: list[SaveListener] = []
        self._listeners_lock = threading.Lock()
        self._gate = threading.RLock()  # one writer of this process at a time
        self.save_wait_seconds = SAVE_WAIT_SECONDS
        # SQLite: fold inside the gate (one writer per file anyway); PostgreSQL folds in parallel.
        self._fold_in_gate = env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres"
        self._notes = threading.local()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def add_save_listener(self, listener: SaveListener) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        if not self._gate.acquire(timeout=self.save_wait_seconds):
            raise DatabaseBusy(
                f"too many writes at once: waited {self.save_wait_seconds:.0f} s; nothing was "
                "recorded, send the request again"
            )
        try:
            recordings = self._save(objs, kwargs)
            if self._fold_in_gate:
                self._tell_listeners(recordings)
        finally:
            self._gate.release()
        if not self._fold_in_gate:
            self._tell_listeners(recordings)
        return recordings

    def _save(
        self,
        objs: tuple[MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None, ...],
        kwargs: dict[str, Any],
    ) -> list[Recording[UUID]]:
        # Application.save, but collecting the events without eventsourcing's isinstance checks
        # against runtime Protocols, which cost more per object than encoding its event.
        objs, companion = idempotency.join(objs)  # an idempotency key saved with its create
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for obj in objs:
            if isinstance(obj, CanMutateAggregate):
                processing_event.events.append(obj)
            elif isinstance(obj, BaseAggregate):
                processing_event.events.extend(obj.collect_events())
                processing_event.aggregates[obj.id] = obj
            elif obj is not None:
                processing_event.collect_events(obj)
        processing_event.saved_kwargs.update(kwargs)
        try:
            recordings = self._record_surely(processing_event)
        except IntegrityError:
            idempotency.joined_conflicted(companion, self._recorded)
            raise
        idempotency.joined_saved(companion)
        if recordings:
            self.note(RECORDED)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated in eventsourcing; kept as it does
        return recordings

    def _record_surely(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Record, or know for sure that nothing was recorded. When the database fails during
        the write (a lock timeout, a lost connection, possibly during COMMIT), the log is asked
        whether it kept the events: kept → recorded; absent → a retryable refusal."""
        try:
            return self._record(processing_event)
        except IntegrityError:
            raise
        except (OperationalError, InterfaceError, PersistenceError) as error:
            failure: BaseException = error
        events = processing_event.events
        if not events:
            raise DatabaseUnavailable("the database failed while recording nothing") from failure
        stored = [self.mapper.to_stored_event(e) for e in events]
        kept = self._kept(stored, failure)
        if kept is None:
            raise WriteOutcomeUnknown(
                "the database went away while recording and cannot be asked whether it kept the "
                "fact; send the same request again (with the same idempotency key or number): "
                "it is recorded at most once"
            ) from failure
        if not kept:
            if isinstance(failure, OperationalError) and "locked" in str(failure).lower():
                raise DatabaseBusy(
                    "the database is busy with other writes: nothing was recorded, send the "
                    "request again"
                ) from failure
            raise DatabaseUnavailable(
                "the database failed during the write: nothing was recorded, send the request again"
            ) from failure
        log.warning("a write that reported %r had been recorded: answered as recorded", failure)
        return [
            Recording(
                domain_event=e,
                notification=Notification(
                    id=kept[n],
                    originator_id=s.originator_id,
                    originator_version=s.originator_version,
                    topic=s.topic,
                    state=s.state,
                ),
            )
            for n, (e, s) in enumerate(zip(events, stored, strict=True))
        ]

    def _kept(self, stored: Sequence[StoredEvent], failure: BaseException) -> list[int] | None:
        """The notification ids of ``stored`` if the log holds every one of them as written,
        [] if it holds none, None if the database cannot be asked within
        OUTCOME_CHECK_SECONDS. A transaction is all or nothing: some but not all is a bug."""
        keys = [(UUID(str(s.originator_id)), s.originator_version) for s in stored]
        deadline = time.monotonic() + OUTCOME_CHECK_SECONDS
        while True:
            try:
                found = select_recorded(self.recorder, keys)
                break
            except Exception as error:  # the database is still away: ask again shortly
                if time.monotonic() >= deadline:
                    log.error(
                        "cannot tell whether a failed write (%r) was kept", failure, exc_info=error
                    )
                    return None
                time.sleep(OUTCOME_CHECK_PAUSE_SECONDS)
        ours = [
            found[key][0]
            for key, s in zip(keys, stored, strict=True)
            if key in found and found[key][1:] == (s.topic, bytes(s.state))
        ]
        if not ours:
            return []
        assert len(ours) == len(stored), "a write transaction was kept in part"
        return ours

    def _tell_listeners(self, recordings: Sequence[Recording[UUID]]) -> None:
        """The projections (read-your-writes). The events are recorded whatever happens here:
        a failure is logged and noted for the caller, never raised."""
        if not recordings:
            return
        last = max(r.notification.id for r in recordings)
        for listener in list(self._listeners):
            try:
                listener(last)
            except Exception:
                log.exception(
                    "recorded up to notification %s, but the read models could not fold it "
                    "yet; they catch up at the next write or `qianwan project`",
                    last,
                )
                self.note(READ_MODELS_BEHIND)

    def note(self, note: str) -> None:
        """Tell this thread's caller something about its writes (``take_notes``)."""
        notes: list[str] = getattr(self._notes, "items", [])
        if note not in notes:
            notes.append(note)
        self._notes.items = notes

    def take_notes(self) -> list[str]:
        """What this thread's saves since the last call want the caller to know (e.g.
        ``read_models_behind``), and forget them."""
        notes: list[str] = getattr(self._notes, "items", [])
        self._notes.items = []
        return notes

    def _recorded(self, aggregate_id: UUID) -> bool:
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def decode(self, stored: StoredEvent) -> Any:
        """The domain event of a stored event (or notification), as the fold decodes it."""
        return self.mapper.to_domain_event(stored)

    def construct_mapper(self) -> Any:
        """The mapper that does eventsourcing's JSON work faster (domain/shared/mapper.py),
        unless the environment names another (MAPPER_TOPIC)."""
        if self.env.get("MAPPER_TOPIC"):
            return super().construct_mapper()
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=QianwanMapper
        )

    def versions(self, ids: Sequence[UUID]) -> dict[UUID, int]:
        """The current version of every aggregate among ``ids`` that exists, in one query per
        ``MAX_IDS_PER_QUERY`` ids: enough to know which aggregates exist, and whether a copy
        kept from an earlier read is still the current state."""
        unique = list(dict.fromkeys(ids))
        found: dict[UUID, int] = {}
        for start in range(0, len(unique), MAX_IDS_PER_QUERY):
            found.update(select_versions(self.recorder, unique[start : start + MAX_IDS_PER_QUERY]))
        return found

    def last_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0
