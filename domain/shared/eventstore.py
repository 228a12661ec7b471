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
from collections import OrderedDict
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
    ApplicationRecorder,
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
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteApplicationRecorder, SQLiteCursor
from psycopg.sql import SQL, Identifier

from domain.audit.errors import EventSigningKeyNotConfigured
from domain.audit.signing import EventSignature, EventSigner, SignedEvent, signed_event
from domain.shared import idempotency
from domain.shared.errors import DatabaseBusy, DatabaseUnavailable, WriteOutcomeUnknown
from domain.shared.mapper import QianwanMapper, uuid_from_hex

SaveListener = Callable[[int], None]

SAVE_WAIT_SECONDS = 30.0  # in the queue of writers, at most; then database_busy
OUTCOME_CHECK_SECONDS = 10.0  # asking the log whether a failed write was kept, at most
OUTCOME_CHECK_PAUSE_SECONDS = 0.5
READ_MODELS_BEHIND = "read_models_behind"  # a note: recorded, but not folded yet
RECORDED = "recorded"  # a note: this thread's save recorded events

log = logging.getLogger("qianwan.store")
# One row per write transaction: its events' signature (domain/audit/signing.py). Created by the
# recorder beside the event table, written in the same transaction as the events.
SIGNATURES_TABLE = "event_signatures"
SIGNATURE_COLUMNS = "first_notification_id, last_notification_id, event_count, key_id, signature"


MAX_SIGNED_HERE = 1000  # the last write transactions this process signed, kept for the seal


class SigningRecorder(ApplicationRecorder):
    """What both recorders share: every write transaction is signed, or refused.

    ``signer`` is set by the EventStore (bootstrap gives it the installation's event key); a
    recorder without one reads, but refuses to record anything. The signatures this process
    made are kept for a while (``signed_here``): the seal folding the same events in the same
    process compares their leaf hashes instead of reading the signature back and verifying it."""

    signer: EventSigner | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signed_here: OrderedDict[int, tuple[EventSignature, tuple[SignedEvent, ...]]] = (
            OrderedDict()
        )
        self._signed_lock = threading.Lock()
        self._pending = threading.local()  # the signature of this thread's open transaction

    def require_signer(self) -> EventSigner:
        if self.signer is None:
            raise EventSigningKeyNotConfigured(
                "no event signing key is configured, so nothing can be recorded: set "
                "QIANWAN_EVENT_KEY_FILE to the private key made by `qianwan keygen --purpose "
                "events` (or run in development mode with --dev)"
            )
        return self.signer

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if stored_events:
            self.require_signer()  # before the transaction: nothing is written unsigned
        self._pending.made = None
        # the concrete recorder after this mixin (SQLite's, PostgreSQL's) writes the events
        ids: Sequence[int] | None = super().insert_events(  # type: ignore[safe-super]
            stored_events, **kwargs
        )
        made = self._pending.made  # committed now: remember what was signed
        if made is not None:
            with self._signed_lock:
                self._signed_here[made[0].first_notification_id] = made
                while len(self._signed_here) > MAX_SIGNED_HERE:
                    self._signed_here.popitem(last=False)
        return ids

    def signature_of(
        self, notification_ids: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> EventSignature:
        events = tuple(
            signed_event(nid, s.originator_id, s.originator_version, s.topic, s.state)
            for nid, s in zip(notification_ids, stored_events, strict=True)
        )
        signed = self.require_signer().sign(events)
        self._pending.made = (signed, events)
        return signed

    def signed_here(self, lo: int, hi: int) -> list[tuple[EventSignature, tuple[SignedEvent, ...]]]:
        """The signatures this process made (and committed) for transactions starting in
        ``lo..hi``, with the events they list."""
        found = []
        with self._signed_lock:
            # newest first, and ids grow with commits: stop at the first one before ``lo`` (one
            # missed here only sends the seal the long way, reading the signature back)
            for first in reversed(self._signed_here):
                if first < lo:
                    break
                if first <= hi:
                    found.append(self._signed_here[first])
        found.reverse()
        return found


def to_signature(row: Any) -> EventSignature:
    first, last, count, key, signature = (row[i] for i in range(5))
    return EventSignature(int(first), int(last), int(count), str(key), bytes(signature))


class DateAsISO(Transcoding):
    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class StableSQLiteApplicationRecorder(SigningRecorder, SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder with an explicit AUTOINCREMENT notification id.

    The stock recorder uses the implicit ``rowid`` as the notification id. SQLite may reuse a
    deleted maximum rowid and may renumber implicit rowids on VACUUM: both would silently change
    the positions projections and the audit seal rely on. ``INTEGER PRIMARY KEY AUTOINCREMENT``
    aliases ``rowid`` (so every inherited query still works) and is never reused or renumbered.
    """

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.events_table_name} ("
            "notification_id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, "
            "topic TEXT NOT NULL, "
            "state BLOB NOT NULL, "
            "UNIQUE (originator_id, originator_version))",
            f"CREATE TABLE IF NOT EXISTS {SIGNATURES_TABLE} ("
            "first_notification_id INTEGER PRIMARY KEY, "
            "last_notification_id INTEGER NOT NULL, "
            "event_count INTEGER NOT NULL, "
            "key_id TEXT NOT NULL, "
            "signature BLOB NOT NULL)",
        ]

    def convert_originator_id(self, originator_id: str) -> UUID | str:
        if self.datastore.originator_id_type == "uuid":
            return uuid_from_hex(originator_id)
        return originator_id

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        statement = (
            f"INSERT INTO {self.events_table_name} "
            "(originator_id, originator_version, topic, state) VALUES (?,?,?,?)"
        )
        c.executemany(
            statement,
            [
                (
                    s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ],
        )
        # AUTOINCREMENT gives each row of this write transaction (SQLite has one writer at a
        # time) the next id: the batch's ids are the ones up to the last.
        c.execute("SELECT last_insert_rowid()")
        last = int(c.fetchone()[0])
        ids = list(range(last - len(stored_events) + 1, last + 1))
        if ids:
            signed = self.signature_of(ids, stored_events)
            c.execute(
                f"INSERT INTO {SIGNATURES_TABLE} ({SIGNATURE_COLUMNS}) VALUES (?,?,?,?,?)",
                (
                    signed.first_notification_id,
                    signed.last_notification_id,
                    signed.event_count,
                    signed.key_id,
                    signed.signature,
                ),
            )
        return ids

    def signatures_from(self, start: int, limit: int) -> list[EventSignature]:
        """The stored signatures whose first notification id is ``start`` or later, in order."""
        statement = (
            f"SELECT {SIGNATURE_COLUMNS} FROM {SIGNATURES_TABLE} "
            "WHERE first_notification_id >= ? ORDER BY first_notification_id LIMIT ?"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, (start, limit))
            return [to_signature(row) for row in c.fetchall()]

    def signatures_covering(self, lo: int, hi: int) -> list[EventSignature]:
        """The stored signatures that may cover notifications ``lo..hi``: those starting in
        it and the last one starting before it (two index probes, however long the log)."""
        statement = (
            f"SELECT {SIGNATURE_COLUMNS} FROM ("
            f"SELECT * FROM {SIGNATURES_TABLE} WHERE first_notification_id < ? "
            "ORDER BY first_notification_id DESC LIMIT 1) "
            f"UNION ALL SELECT {SIGNATURE_COLUMNS} FROM {SIGNATURES_TABLE} "
            "WHERE first_notification_id BETWEEN ? AND ? ORDER BY first_notification_id"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, (lo, lo, hi))
            found = [to_signature(row) for row in c.fetchall()]
        return sorted(found, key=lambda sig: sig.first_notification_id)

    def first_signed_notification_id(self) -> int | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT MIN(first_notification_id) FROM {SIGNATURES_TABLE}")
            found = c.fetchone()[0]
            return None if found is None else int(found)

    def _notification(self, row: Any) -> Notification:
        return Notification(
            id=row["notification_id"],
            originator_id=self.convert_originator_id(row["originator_id"]),
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=row["state"],
        )

    def notifications_of(self, originator_id: UUID) -> list[Notification]:
        """Every stored event of one aggregate, as notifications (with their ids)."""
        statement = (
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} WHERE originator_id = ? ORDER BY originator_version"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, (originator_id.hex,))
            return [self._notification(row) for row in c.fetchall()]

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        # Same as the inherited query, but reads the explicit id column by name.
        clauses: list[str] = []
        params: list[Any] = []
        if start is not None:
            clauses.append("notification_id>=?" if inclusive_of_start else "notification_id>?")
            params.append(start)
        if stop is not None:
            clauses.append("notification_id<=?")
            params.append(stop)
        if topics:
            clauses.append(f"topic IN ({','.join('?' * len(topics))})")
            params.extend(topics)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        statement = (
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} {where}ORDER BY notification_id LIMIT ?"
        )
        params.append(limit)
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return [self._notification(row) for row in c.fetchall()]


class ArraysPostgresApplicationRecorder(SigningRecorder, PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, inserting a save's events from four arrays (ids,
    versions, topics, states) instead of one array of a composite type: psycopg dumps a
    composite value in Python, text by text, which cost more than encoding the events. Same
    table, same lock, same notification. Each id is matched to its event by (originator id,
    version), and the transaction's signature is written after them, before the commit."""

    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        id_type = "uuid" if datastore.originator_id_type == "uuid" else "text"
        schema = Identifier(datastore.schema)
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id, originator_id, originator_version"
        ).format(schema=schema, table=Identifier(self.events_table_name), id_type=SQL(id_type))
        signatures = Identifier(SIGNATURES_TABLE)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{table} ("
                "first_notification_id bigint PRIMARY KEY, "
                "last_notification_id bigint NOT NULL, "
                "event_count integer NOT NULL, "
                "key_id text NOT NULL, "
                "signature bytea NOT NULL)"
            ).format(schema=schema, table=signatures)
        )
        columns = SQL(SIGNATURE_COLUMNS)
        self.insert_signature_statement = SQL(
            "INSERT INTO {schema}.{table} ({columns}) VALUES (%s, %s, %s, %s, %s)"
        ).format(schema=schema, table=signatures, columns=columns)
        self.signatures_from_statement = SQL(
            "SELECT {columns} FROM {schema}.{table} WHERE first_notification_id >= %s "
            "ORDER BY first_notification_id LIMIT %s"
        ).format(schema=schema, table=signatures, columns=columns)
        self.signatures_covering_statement = SQL(
            "(SELECT {columns} FROM {schema}.{table} WHERE first_notification_id < %s "
            "ORDER BY first_notification_id DESC LIMIT 1) UNION ALL "
            "(SELECT {columns} FROM {schema}.{table} "
            "WHERE first_notification_id BETWEEN %s AND %s ORDER BY first_notification_id)"
        ).format(schema=schema, table=signatures, columns=columns)
        self.first_signed_statement = SQL(
            "SELECT MIN(first_notification_id) AS first FROM {schema}.{table}"
        ).format(schema=schema, table=signatures)
        self.notifications_of_statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE originator_id = %s ORDER BY originator_version"
        ).format(schema=schema, table=Identifier(self.events_table_name))

    def _insert_stored_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self.insert_events_statement,
            (
                [s.originator_id for s in stored_events],
                [s.originator_version for s in stored_events],
                [s.topic for s in stored_events],
                [s.state for s in stored_events],
            ),
        )

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        by_event = {
            (row["originator_id"], row["originator_version"]): row["notification_id"]
            for row in curs.fetchall()
        }
        ids = [by_event[(s.originator_id, s.originator_version)] for s in stored_events]
        signed = self.signature_of(ids, stored_events)
        curs.execute(
            self.insert_signature_statement,
            (
                signed.first_notification_id,
                signed.last_notification_id,
                signed.event_count,
                signed.key_id,
                signed.signature,
            ),
        )
        return ids

    def _rows(self, statement: Any, params: Sequence[Any]) -> list[Any]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params)
            return list(curs.fetchall())

    def signatures_from(self, start: int, limit: int) -> list[EventSignature]:
        """The stored signatures whose first notification id is ``start`` or later, in order."""
        rows = self._rows(self.signatures_from_statement, (start, limit))
        return [to_signature(list(row.values())) for row in rows]

    def signatures_covering(self, lo: int, hi: int) -> list[EventSignature]:
        """The stored signatures that may cover notifications ``lo..hi``: those starting in
        it and the last one starting before it (two index probes, however long the log)."""
        rows = self._rows(self.signatures_covering_statement, (lo, lo, hi))
        found = [to_signature(list(row.values())) for row in rows]
        return sorted(found, key=lambda sig: sig.first_notification_id)

    def first_signed_notification_id(self) -> int | None:
        found = self._rows(self.first_signed_statement, ())[0]["first"]
        return None if found is None else int(found)

    def notifications_of(self, originator_id: UUID) -> list[Notification]:
        """Every stored event of one aggregate, as notifications (with their ids)."""
        return [
            Notification(
                id=row["notification_id"],
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in self._rows(self.notifications_of_statement, (originator_id,))
        ]


POSTGRES_RECORDER_TOPIC = "domain.shared.eventstore:ArraysPostgresApplicationRecorder"


MAX_IDS_PER_QUERY = 500


def select_versions(recorder: Any, ids: Sequence[UUID]) -> dict[UUID, int]:
    """originator id → highest version, for the ids that have events."""
    if not ids:
        return {}
    if isinstance(recorder, SQLiteAggregateRecorder):
        statement = (
            f"SELECT originator_id, MAX(originator_version) FROM {recorder.events_table_name} "
            f"WHERE originator_id IN ({','.join('?' * len(ids))}) GROUP BY originator_id"
        )
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(statement, [i.hex for i in ids])
            return {uuid_from_hex(row[0]): row[1] for row in c.fetchall()}
    if isinstance(recorder, PostgresAggregateRecorder):
        # One backward index probe per id: with "= ANY(…) GROUP BY" the planner trusts the
        # table's statistics, and before the first ANALYZE of a growing log it scans it all.
        query = SQL(
            "SELECT i.id AS originator_id, ("
            "SELECT e.originator_version FROM {schema}.{table} e WHERE e.originator_id = i.id "
            "ORDER BY e.originator_version DESC LIMIT 1) AS version "
            "FROM unnest(%b::{id_type}[]) AS i(id)"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
            id_type=SQL("uuid" if recorder.datastore.originator_id_type == "uuid" else "text"),
        )
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query, [list(ids)])
            return {
                row["originator_id"]: row["version"]
                for row in curs.fetchall()
                if row["version"] is not None
            }
    found: dict[UUID, int] = {}
    for i in ids:  # the in-memory recorder: a lookup costs nothing there
        last = recorder.select_events(i, desc=True, limit=1)
        if last:
            found[i] = last[0].originator_version
    return found


def select_recorded(
    recorder: Any, keys: Sequence[tuple[UUID, int]]
) -> dict[tuple[UUID, int], tuple[int, str, bytes]]:
    """(originator id, version) → (notification id, topic, state) of those stored."""
    found: dict[tuple[UUID, int], tuple[int, str, bytes]] = {}
    if isinstance(recorder, SQLiteAggregateRecorder):
        statement = (
            f"SELECT notification_id, topic, state FROM {recorder.events_table_name} "
            "WHERE originator_id = ? AND originator_version = ?"
        )
        with recorder.datastore.transaction(commit=False) as c:
            for key in keys:
                c.execute(statement, (key[0].hex, key[1]))
                row = c.fetchone()
                if row is not None:
                    found[key] = (int(row[0]), str(row[1]), bytes(row[2]))
        return found
    if isinstance(recorder, PostgresAggregateRecorder):
        query = SQL(
            "SELECT notification_id, topic, state FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version = %s"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
        )
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            for key in keys:
                curs.execute(query, key)
                row = curs.fetchone()
                if row is not None:
                    found[key] = (int(row["notification_id"]), row["topic"], bytes(row["state"]))
        return found
    for key in keys:  # the in-memory recorder never fails halfway
        for stored in recorder.select_events(key[0], gt=key[1] - 1, lte=key[1]):
            found[key] = (0, stored.topic, stored.state)
    return found


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
