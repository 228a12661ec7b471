"""Backups of the registry's SQLite database taken while the server writes, and restores into a
new database that are checked against the backup (docs/operations.md).

A plain copy of the live file is not a backup: in WAL mode the latest commits may still be in
the ``-wal`` file beside it, and the copy opens fine without them. The backup here uses SQLite's
online backup API in ONE step: that step reads inside one read transaction, so the copy is the
database exactly as it stood when the backup began, every write acknowledged before then
included, while the server goes on writing. It is written to a temporary file, checked, and
only then given its name, never over an existing file.

PostgreSQL has its own tool for this, ``pg_dump`` of the schema; ``pg_dump_command`` and
``pg_restore_command`` spell it out for the configured database.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from domain.operations.errors import (
    BackupFileExists,
    BackupFileInvalid,
    BackupFileNotFound,
    DatabaseNotEmpty,
    RestoreDiffersFromBackup,
)
from qianwan.settings import Settings

EVENTS_TABLE = "stored_events"  # domain/shared/recorders/sqlite.py, StableSQLiteApplicationRecorder
# Tables that hold rows in a database nothing was recorded in yet (bootstrap() fills them).
EMPTY_DATABASE_ROWS = frozenset({"projection_positions", "sqlite_sequence"})
BUSY_TIMEOUT_SECONDS = 30.0  # wait this long for a writer's lock before giving up
HASH_CHUNK_BYTES = 1024 * 1024
PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class Snapshot:
    """What one SQLite file holds, as far as a backup is concerned."""

    path: Path
    integrity: str  # "ok", or SQLite's first complaint
    events: int
    last_notification_id: int
    size_bytes: int
    sha256: str

    def same_content(self, other: Snapshot) -> bool:
        return (self.integrity, self.events, self.last_notification_id) == (
            other.integrity,
            other.events,
            other.last_notification_id,
        )


def back_up(settings: Settings, destination: Path) -> Snapshot:
    """Copy the live SQLite database to a NEW file ``destination``, consistently while it is
    written to; the copy is checked before it gets its name. Returns what it holds."""
    source = settings.sqlite_path
    if destination.exists():
        raise BackupFileExists(f"{destination} exists already; name a new file", field="dest")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    try:
        with closing(_open_existing(source)) as live, closing(sqlite3.connect(partial)) as copy:
            live.backup(copy)  # pages=-1: one step, one read transaction, one consistent state
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        taken = describe(partial)
        if taken.integrity != "ok":
            raise BackupFileInvalid(f"the copy fails SQLite's integrity check: {taken.integrity}")
        _fsync(partial)
        _name_without_replacing(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return describe(destination)


def restore(settings: Settings, backup: Path) -> tuple[Snapshot, Snapshot]:
    """Copy ``backup`` into the configured SQLite database, which must be new or empty, and
    check the result holds what the backup holds. Returns (backup, restored)."""
    if not backup.is_file():
        raise BackupFileNotFound(f"no backup file at {backup}", field="src")
    given = describe(backup)
    if given.integrity != "ok":
        raise BackupFileInvalid(f"{backup} fails SQLite's integrity check: {given.integrity}")
    target = settings.sqlite_path
    refuse_unless_empty(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(_open_backup(backup)) as source, closing(_connect(target)) as into:
        source.backup(into)  # one step: the target's transaction commits whole or not at all
    restored = describe(target)
    if not restored.same_content(given):
        raise RestoreDiffersFromBackup(
            f"{target} holds {restored.events} events up to notification "
            f"{restored.last_notification_id} (integrity {restored.integrity}); the backup "
            f"holds {given.events} up to {given.last_notification_id}"
        )
    return given, restored


def describe(path: Path) -> Snapshot:
    """Integrity, events and last notification id of a SQLite file of this registry."""
    try:
        with closing(_open_backup(path)) as conn:
            integrity = str(conn.execute("PRAGMA integrity_check(1)").fetchone()[0])
            events, last = conn.execute(
                f"SELECT count(*), coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}"
            ).fetchone()
    except sqlite3.DatabaseError as error:  # not SQLite, or not this registry's
        raise BackupFileInvalid(f"{path} is not a database of this registry: {error}") from None
    return Snapshot(path, integrity, int(events), int(last), path.stat().st_size, sha256(path))


def refuse_unless_empty(target: Path) -> None:
    """A restore may write into a file that does not exist, is empty, or is a database in
    which nothing was ever recorded; anything else may be somebody's data."""
    if not target.exists() or (target.is_file() and target.stat().st_size == 0):
        return
    try:
        with closing(_open_existing(target)) as conn:
            tables = [
                str(name)
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            holding = [
                name
                for name in tables
                if name not in EMPTY_DATABASE_ROWS
                and conn.execute(f"SELECT 1 FROM {_quoted(name)} LIMIT 1").fetchone() is not None
            ]
    except sqlite3.DatabaseError as error:
        raise DatabaseNotEmpty(
            f"{target} is there and is not an empty database ({error}); restore into a new path",
            field="database",
        ) from None
    if holding:
        shown = ", ".join(holding[:5]) + (" …" if len(holding) > 5 else "")
        raise DatabaseNotEmpty(
            f"{target} holds data (tables {shown}); a restore never writes over it: "
            "point QIANWAN_DATABASE_URL at a new path",
            field="database",
        )


def pg_dump_command(settings: Settings, destination: str) -> str:
    """The command that backs up the configured PostgreSQL schema (events, projections, keys
    of personal data, checkpoints) into one custom-format file."""
    schema = f"--schema={_schema_pattern(settings)}"
    return shlex.join(
        ["pg_dump", *_pg_connection(settings), schema, "--format=custom", f"--file={destination}"]
    )


def pg_restore_command(settings: Settings, backup: str) -> str:
    """The command that restores such a file; the schema must not exist in that database."""
    return shlex.join(["pg_restore", *_pg_connection(settings), "--exit-on-error", backup])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


# -- helpers ----------------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)


def _open_existing(path: Path) -> sqlite3.Connection:
    """Open a database that must be there already: never create an empty one by mistake."""
    return sqlite3.connect(
        f"file:{quote(str(path.resolve()))}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_SECONDS
    )


def _open_backup(path: Path) -> sqlite3.Connection:
    """Open a backup file without changing it (a backup has no -wal: see back_up)."""
    return sqlite3.connect(
        f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS
    )


def _quoted(name: str) -> str:
    """A table name read from a file we do not trust yet, as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def _name_without_replacing(partial: Path, destination: Path) -> None:
    """Give the checked copy its name; a file that appeared there meanwhile is kept."""
    try:
        os.link(partial, destination)  # atomic, and fails rather than replace
    except FileExistsError:
        raise BackupFileExists(f"{destination} exists already; name a new file") from None
    except OSError:  # a file system without hard links
        if destination.exists():
            raise BackupFileExists(f"{destination} exists already; name a new file") from None
        os.replace(partial, destination)
    with suppress(OSError):  # make the new name durable where the platform allows it
        directory = os.open(destination.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _pg_connection(settings: Settings) -> list[str]:
    """Host, port, user and database of the URL; a password is never printed (PGPASSWORD or
    ~/.pgpass supply it)."""
    parts = urlsplit(settings.database_url)
    return [
        f"--host={parts.hostname or '127.0.0.1'}",
        f"--port={parts.port or 5432}",
        f"--username={unquote(parts.username or 'postgres')}",
        f"--dbname={parts.path.lstrip('/') or 'postgres'}",
    ]


def _schema_pattern(settings: Settings) -> str:
    """pg_dump reads --schema as a pattern, folded to lower case unless double-quoted."""
    schema = settings.postgres_schema
    return schema if PLAIN_NAME.fullmatch(schema) else '"' + schema.replace('"', '""') + '"'
