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
    """The key file is there but cannot be read (permissions, a directory, an I/O error)."""

    code = "key_file_unreadable"


class KeyFileNotFound(KeyFileUnreadable):
    """No file at the key path given (run `qianwan keygen` first, or fix the path)."""

    code = "key_file_not_found"


class KeyFileInvalid(KeyFileUnreadable):
    """The file does not hold an Ed25519 key of the kind expected (bad PEM, another key type,
    a public key where a private one is needed)."""

    code = "key_file_invalid"


class KeyFileNotGiven(AuditError):
    """The command needs a key file or key directory named explicitly: keys are never looked
    for beside the database."""

    code = "key_file_not_given"


class KeyDirectoryNotWritable(AuditError):
    """The key directory cannot be created or written."""

    code = "key_directory_not_writable"


class EventSigningKeyNotConfigured(AuditError):
    """Events are recorded only when signed: set QIANWAN_EVENT_KEY_FILE to the private key
    made by `qianwan keygen --purpose events` (or run in development mode, --dev)."""

    code = "event_signing_key_not_configured"


class PersonalDataSecretNotConfigured(AuditError):
    """QIANWAN_PERSONAL_DATA_SECRET is unset (the public development secret protects nothing):
    the server does not serve real data on it outside development mode (--dev)."""

    code = "personal_data_secret_not_configured"


class EventPublicKeyNotGiven(AuditError):
    """Checking event signatures needs the trusted public key(s) of the events, named
    explicitly (--event-public-key): a key found in the database proves nothing."""

    code = "event_public_key_not_given"


class CheckpointPublicKeyNotGiven(AuditError):
    """Checkpoints are checked only against a trusted public key named explicitly
    (--public-key): a checkpoint's own key proves nothing."""

    code = "checkpoint_public_key_not_given"


class DatabaseNotFound(AuditError):
    """The database named by QIANWAN_DATABASE_URL does not exist: an audit command reads an
    existing registry and never creates an empty one."""

    code = "database_not_found"


class DatabaseIsAReplay(AuditError):
    """The file is a replay made by `qianwan replay`: projections only, no event log. Read
    it with SQL (docs/audit.md, "Replay"); it cannot be opened as a registry."""

    code = "database_is_a_replay"


class OutputFileExists(AuditError):
    """The output file exists already; evidence is never overwritten."""

    code = "output_file_exists"


class OutputNotWritable(AuditError):
    """The output file or directory cannot be created or written."""

    code = "output_not_writable"


class LogDoesNotVerify(AuditError):
    """A checkpoint is signed only over a log that verifies (every event signed by a trusted
    key, the seal equal to the events): run `qianwan verify` to see what is wrong."""

    code = "log_does_not_verify"


class UnsignedEventsNotVouchedFor(AuditError):
    """The log begins with events recorded before event signing, and no trusted checkpoint
    covers them yet: sign one with `qianwan checkpoint --vouch-for-unsigned-prefix`."""

    code = "unsigned_events_not_vouched_for"


class ProofDoesNotHold(AuditError):
    """The proof made from the stored seal does not verify (a stored subtree is damaged):
    nothing is handed out; run `qianwan verify`."""

    code = "proof_does_not_hold"


class CheckpointFileInvalid(AuditError):
    """The checkpoint (or proof) file is not the JSON this registry writes."""

    code = "checkpoint_file_invalid"


class CheckpointFileNotFound(CheckpointFileInvalid):
    """No checkpoint file at the path given."""

    code = "checkpoint_file_not_found"


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
