"""The operator's subcommands of ``qianwan``: ``backup`` and ``restore`` (docs/operations.md).
Thin: parse, call qianwan/backup.py, check, print.

Both run without opening the registry first (``run_alone``): a backup must not create the
database it was asked to copy, and a restore must find its target as it was.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path
from typing import Any

from domain.audit.keyfiles import load_public_key as load_public_key_file
from domain.audit.signing import TrustedEventKeys
from domain.audit.verify import Verification
from domain.operations.errors import (
    PostgresBackupNeedsPgDump,
    PostgresRestoreNeedsPgRestore,
    RestoreDiffersFromBackup,
)
from projections.audit import verify
from qianwan.backup import Snapshot, back_up, pg_dump_command, pg_restore_command, restore
from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from scripts.audit_common import add_key_options, print_verification
from scripts.common import EXIT_FAILED, EXIT_OK, DatabaseUnavailable

RESTORE_EPILOG = """\
The database restored into is QIANWAN_DATABASE_URL's, which must be a new path or an empty
database. After the copy it checks: SQLite's integrity check, the same number of events and the
same last notification id as the backup, every projection caught up; with --public-key, also
the audit seal and the stored checkpoints (as `qianwan verify`). Give it the same
QIANWAN_PERSONAL_DATA_SECRET as the database had: the backup holds the wrapped keys of
personal data, not the secret that unwraps them."""


def add_ops_commands(commands: Any) -> None:
    """Register ``backup`` and ``restore`` on the ``qianwan`` parser's subparsers."""
    backup = commands.add_parser(
        "backup",
        help="copy the live SQLite database to a new file, consistently, while it is written to",
        description="Copy the SQLite database of QIANWAN_DATABASE_URL with SQLite's online "
        "backup API: every write acknowledged before the backup began is in it, even while "
        "the server goes on writing. The copy is checked (integrity, events) before it gets "
        "its name; an existing file is never replaced. On PostgreSQL it prints the pg_dump "
        "command for the schema instead.",
    )
    backup.add_argument("dest", metavar="DEST", type=Path, help="a new file for the backup")
    backup.set_defaults(run_alone=run_backup)

    again = commands.add_parser(
        "restore",
        help="restore a backup into a new or empty database and check it",
        description="Copy a backup made by `qianwan backup` into the (new or empty) SQLite "
        "database of QIANWAN_DATABASE_URL and check it; a database that holds data is never "
        "written over. On PostgreSQL it prints the pg_restore command instead.",
        epilog=RESTORE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    again.add_argument("src", metavar="SRC", type=Path, help="a backup file")
    add_key_options(again, "a trusted checkpoint key, for the stored checkpoints")
    again.set_defaults(run_alone=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.is_postgres:
        command = pg_dump_command(settings, str(args.dest))
        raise PostgresBackupNeedsPgDump(
            f"back up a PostgreSQL schema with pg_dump: {command}", field="dest"
        )
    if not settings.sqlite_path.is_file():
        raise DatabaseUnavailable(f"no database at {settings.sqlite_path}: nothing to back up")
    try:
        taken = back_up(settings, args.dest)
    except sqlite3.DatabaseError as error:  # the live file is not a database, or unreadable
        raise DatabaseUnavailable(f"cannot back up {settings.sqlite_path}: {error}") from None
    print(f"backup: {taken.path}")
    print_snapshot(taken)
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.is_postgres:
        command = pg_restore_command(settings, str(args.src))
        raise PostgresRestoreNeedsPgRestore(
            "restore a PostgreSQL schema with pg_restore, into a database that lacks it, then "
            f"run `qianwan check` and `qianwan verify`: {command}",
            field="src",
        )
    given, restored = restore(settings, args.src)
    print(f"restored {given.path} into {restored.path}")
    print_snapshot(restored)
    return check_restored(settings, given, args.event_public_key, args.public_key)


def check_restored(
    settings: Settings, given: Snapshot, event_keys: list[Path], public_keys: list[Path]
) -> int:
    """Open the restored registry, fold what the backup's projections had not, and, with the
    trusted event key(s), verify the seal and the events' signatures (and the stored
    checkpoints with the checkpoint keys). Exit 1 when they do not hold."""
    registry = bootstrap(settings)
    try:
        applied = registry.runner.catch_up()
        low = min(registry.runner.positions().values(), default=0)
        if low != given.last_notification_id:
            raise RestoreDiffersFromBackup(
                f"the projections reached notification {low}, "
                f"not the backup's last, {given.last_notification_id}"
            )
        print(f"projections: caught up to notification {low} ({applied} events folded now)")
        if not event_keys:
            print("seal: not checked (give --event-public-key FILE, or run `qianwan verify` now)")
            return EXIT_OK
        result = seal_verified(registry, event_keys, public_keys)
    finally:
        registry.close()
    print("seal:", end=" ")
    print_verification(result)
    return EXIT_OK if result.ok else EXIT_FAILED


def seal_verified(
    registry: Registry, event_keys: list[Path], public_keys: list[Path]
) -> Verification:
    """The one call into the auditor's `qianwan verify` (projections/audit.py): the seal and
    the signatures over the restored events, and every stored checkpoint, against the keys
    given (only those: never a key found in the database)."""
    events = TrustedEventKeys(load_public_key_file(path) for path in event_keys)
    keys = [load_public_key_file(path) for path in public_keys]
    stored = registry.checkpoints if keys else None
    return verify(registry.store, registry.engine, (), keys, stored, event_keys=events)


def print_snapshot(taken: Snapshot) -> None:
    print(
        f"    {taken.events} events, last notification {taken.last_notification_id}, "
        f"integrity {taken.integrity}, {taken.size_bytes:,} bytes"
    )
    print(f"    sha256 {taken.sha256}")
