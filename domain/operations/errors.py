"""Refusals of the operator's commands: backup and restore (docs/operations.md)."""

from __future__ import annotations

from domain.shared.errors import DomainError


class OperationsError(DomainError):
    """A refusal of a backup or a restore; the subclasses say which."""

    code = "operations_error"


class BackupFileExists(OperationsError):
    """A backup is written to a new file and never replaces one: name another file."""

    code = "backup_file_exists"


class BackupFileNotFound(OperationsError):
    """There is no file at the path given as the backup to restore."""

    code = "backup_file_not_found"


class BackupFileInvalid(OperationsError):
    """The file is not a SQLite database of this registry, or fails SQLite's integrity check."""

    code = "backup_file_invalid"


class DatabaseNotEmpty(OperationsError):
    """A restore writes only into a new or empty database, never over recorded data."""

    code = "database_not_empty"


class RestoreDiffersFromBackup(OperationsError):
    """The restored database does not hold what the backup holds (integrity, events, last
    notification id) or its projections could not catch up."""

    code = "restore_differs_from_backup"


class PostgresBackupNeedsPgDump(OperationsError):
    """A PostgreSQL schema is backed up with pg_dump; the message gives the exact command."""

    code = "postgresql_backup_needs_pg_dump"


class PostgresRestoreNeedsPgRestore(OperationsError):
    """A PostgreSQL schema is restored with pg_restore; the message gives the exact command."""

    code = "postgresql_restore_needs_pg_restore"
