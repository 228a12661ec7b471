"""The record of every ``qianwan verify`` run: what it found, as a signed event in the log it
checked (docs/audit.md, "The record of verify").

One aggregate per registry, ``SealVerification``: its first event opens it, and every run adds
one ``Completed`` event with the outcome (``ok`` or the kind of the first divergence), how many
events it checked, the root it recomputed, where the log departed (when it did) and the
fingerprints of the keys the auditor trusted. The event is signed like every other, so the
record of a verification is as tamper-evident as the log itself; the next run checks it too.

Verify's output and exit code do not depend on it: the outcome is recorded after the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.audit.verify import Verification
from domain.shared.aggregate import QianwanAggregate
from domain.shared.commands import translating_conflicts
from domain.shared.eventstore import EventStore
from domain.shared.values import Provenance, deterministic_id

OK = "ok"
MAX_DETAIL_CHARS = 2_000  # a divergence's explanation, as verify printed it
MAX_KEYS = 100


def verification_id() -> UUID:
    return deterministic_id("seal-verification", "registry")


@dataclass(frozen=True)
class VerificationOutcome:
    """What one run found (the payload of ``SealVerification.Completed``)."""

    result: str  # "ok", or the kind of the first divergence (domain/audit/verify/results.py)
    events_checked: int  # the log's events when it ran (the last: notification checked_through)
    checked_through: int  # the last notification id verified
    root: str  # the root recomputed from all of them, 64 hex digits ("" for an empty log)
    sealed: int  # leaves in the seal
    position: int | None  # the first position no longer as sealed or signed
    notification_id: int | None  # the notification at that position
    detail: str | None
    checkpoints_checked: int
    checkpoints_consistent: int
    event_key_ids: list[str]  # the trusted event keys' fingerprints (the auditor's files)
    checkpoint_key_ids: list[str]  # the trusted checkpoint keys' fingerprints

    @property
    def ok(self) -> bool:
        return self.result == OK


def outcome_of(
    result: Verification,
    checked_through: int,
    event_key_ids: Sequence[str],
    checkpoint_key_ids: Sequence[str],
) -> VerificationOutcome:
    d = result.divergence
    detail = None if d is None else d.detail[:MAX_DETAIL_CHARS]
    return VerificationOutcome(
        result=OK if d is None else d.kind,
        events_checked=result.events,
        checked_through=checked_through,
        root=result.root.hex(),
        sealed=result.sealed,
        position=None if d is None else d.position,
        notification_id=None if d is None else d.notification_id,
        detail=detail,
        checkpoints_checked=len(result.checkpoints),
        checkpoints_consistent=sum(1 for c in result.checkpoints if c.problem is None),
        event_key_ids=sorted(set(event_key_ids))[:MAX_KEYS],
        checkpoint_key_ids=sorted(set(checkpoint_key_ids))[:MAX_KEYS],
    )


class SealVerification(QianwanAggregate):
    """Every run of ``qianwan verify`` on this registry, in order."""

    @staticmethod
    def create_id() -> UUID:
        return verification_id()

    @event("Opened")
    def __init__(self, actor: str, authority: str | None) -> None:
        self.runs = 0
        self.last: dict[str, Any] | None = None

    def complete(self, outcome: VerificationOutcome, actor: str, authority: str | None) -> None:
        self._completed(
            result=outcome.result,
            events_checked=outcome.events_checked,
            checked_through=outcome.checked_through,
            root=outcome.root,
            sealed=outcome.sealed,
            position=outcome.position,
            notification_id=outcome.notification_id,
            detail=outcome.detail,
            checkpoints_checked=outcome.checkpoints_checked,
            checkpoints_consistent=outcome.checkpoints_consistent,
            event_key_ids=list(outcome.event_key_ids),
            checkpoint_key_ids=list(outcome.checkpoint_key_ids),
            actor=actor,
            authority=authority,
        )

    @event("Completed")
    def _completed(
        self,
        result: str,
        events_checked: int,
        checked_through: int,
        root: str,
        sealed: int,
        position: int | None,
        notification_id: int | None,
        detail: str | None,
        checkpoints_checked: int,
        checkpoints_consistent: int,
        event_key_ids: list[str],
        checkpoint_key_ids: list[str],
        actor: str,
        authority: str | None,
    ) -> None:
        """result: "ok" or the kind of the first divergence. events_checked: the events in the
        log then, the last of them notification ``checked_through``. root: recomputed, hex.
        position, notification_id, detail: where and why the log departed (null when ok).
        event_key_ids, checkpoint_key_ids: fingerprints of the keys the auditor trusted."""
        self.runs += 1
        self.last = {
            "result": result,
            "events_checked": events_checked,
            "checked_through": checked_through,
            "root": root,
            "sealed": sealed,
            "position": position,
            "notification_id": notification_id,
            "detail": detail,
            "checkpoints_checked": checkpoints_checked,
            "checkpoints_consistent": checkpoints_consistent,
            "event_key_ids": list(event_key_ids),
            "checkpoint_key_ids": list(checkpoint_key_ids),
            "actor": actor,
        }


@dataclass(frozen=True)
class LastVerification:
    """The latest recorded run, as the seal's page shows it."""

    outcome: VerificationOutcome
    recorded_at: datetime
    actor: str
    runs: int


def record_verification(store: EventStore, outcome: VerificationOutcome, by: Provenance) -> None:
    """Add one run's outcome to the log (the first run opens the record)."""
    found: Any = None
    if store.versions([verification_id()]):
        found = store.repository.get(verification_id())
    record = found or SealVerification(actor=by.actor, authority=by.authority)
    record.complete(outcome, by.actor, by.authority)
    with translating_conflicts():
        store.save(record)


def last_verification(store: EventStore) -> LastVerification | None:
    """The latest recorded run, or None when verify never recorded one."""
    if not store.versions([verification_id()]):
        return None
    record: Any = store.repository.get(verification_id())
    if not isinstance(record, SealVerification) or record.last is None:
        return None
    last = dict(record.last)
    actor = str(last.pop("actor"))
    return LastVerification(VerificationOutcome(**last), record.modified_on, actor, record.runs)
