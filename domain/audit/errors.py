"""Refusals of the audit context: keys, checkpoints, proofs, time travel, replay and export."""

from __future__ import annotations

from domain.shared.errors import DomainError


class AuditError(DomainError):
    """A refusal of the audit context; the subclasses say which."""

    code = "audit_error"


class KeyFileExists(AuditError):
    """A key file is there already: keys are never overwritten (move the old pair away first)."""

    code = "key_file_exists"


class KeyFileUnreadable(AuditError):
    """The key file is missing or does not hold an Ed25519 key of the expected kind."""

    code = "key_file_unreadable"


class CheckpointFileInvalid(AuditError):
    """The checkpoint (or proof) file is not the JSON this registry writes."""

    code = "checkpoint_file_invalid"


class LogEmpty(AuditError):
    """Nothing is sealed yet, so there is nothing to sign or prove."""

    code = "log_empty"


class NoCheckpointYet(AuditError):
    """No checkpoint has been signed yet (run `qianwan checkpoint`)."""

    code = "no_checkpoint_yet"


class NotificationNotSealed(AuditError):
    """No event with this notification id is in the seal."""

    code = "notification_not_sealed"


class NotificationNotCovered(AuditError):
    """The event was recorded after the latest checkpoint; sign a new checkpoint first."""

    code = "notification_not_covered_by_checkpoint"


class SealDisagreesWithCheckpoint(AuditError):
    """The seal no longer matches a signed checkpoint: run `qianwan verify`."""

    code = "seal_disagrees_with_checkpoint"


class EventNoLongerSealed(AuditError):
    """The stored event no longer matches its seal: run `qianwan verify`."""

    code = "event_no_longer_matches_seal"


class AggregateNotFound(AuditError):
    """Nothing was ever recorded under this id."""

    code = "aggregate_not_found"


class AggregateNotRecordedByThen(AuditError):
    """The aggregate's first event was recorded after the time asked for."""

    code = "aggregate_not_recorded_by_then"


class VersionNotRecorded(AuditError):
    """The aggregate has no such version (versions start at 1)."""

    code = "version_not_recorded"


class ReplayFileExists(AuditError):
    """A replay writes a new SQLite file and never touches an existing one."""

    code = "replay_file_exists"


class ExportNotCovered(AuditError):
    """The exported events are not all covered by a signed checkpoint; sign one first."""

    code = "export_not_covered_by_checkpoint"


class ExportDirectoryNotEmpty(AuditError):
    """An export writes into a new or empty directory, so no stale file is mistaken for it."""

    code = "export_directory_not_empty"
