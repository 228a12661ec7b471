"""The ``qianwan`` command: serve the GraphQL API, load the demo district, rebuild the read
models, print a village's trial balance or an aggregate's history.

Thin on purpose: parse, call the applications or the projection queries, print. Every command
opens the registry from ``QIANWAN_DATABASE_URL`` (qianwan/settings.py) and closes it after.
Every failure, whatever raised it, is one line ``error: [code] message`` on stderr and exit 2
(``main``; the codes are in docs/operations.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence

from tqdm import tqdm

from domain.audit.errors import DatabaseNotFound
from qianwan.bootstrap import Registry, bootstrap, database_exists
from qianwan.outages import is_opening_failure, one_line
from qianwan.settings import DEFAULT_DATABASE_URL, Settings
from scripts.audit_cli import add_audit_commands
from scripts.books_cli import add_books_commands
from scripts.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REFUSED,
    INTERNAL_ERROR,
    ArgumentsInvalid,
    CommandFailed,
    DatabaseUnavailable,
    redacted,
)
from scripts.disclosure_cli import add_disclosure_commands
from scripts.failures import Parser, classify, failed, internal_error
from scripts.ops_cli import add_ops_commands
from scripts.perf_cli import add_perf_commands
from scripts.serve_cli import add_serve_commands
from scripts.settle_cli import add_settle_commands
from scripts.statement_cli import add_statement_commands
from scripts.token_cli import add_token_commands
from scripts.user_cli import add_user_commands
from scripts.voucher_cli import add_voucher_commands

DESCRIPTION = f"""\
qianwan (千万工程) is an event-sourced registry for the village collectives of Lishui District
(溧水区, 320117), Nanjing: their revitalized assets and resources (盘活), the contracts and rent
that follow, and the double-entry books (财会〔2023〕14号) that every fact is posted to. Every
fact is an immutable event with its actor and authority; the read models can always be rebuilt.

The database comes from QIANWAN_DATABASE_URL: by default {DEFAULT_DATABASE_URL}
(relative to the current directory); for PostgreSQL postgresql://USER@HOST:5432/DBNAME?schema=NAME.
"Today" and times written without an offset are in QIANWAN_TIME_ZONE (default Asia/Shanghai)."""

EPILOG = """\
examples:
  qianwan serve --demo                       load the demo district into an empty database, serve
  qianwan token create --role accountant --village 320117107206   an API token (shown once)
  qianwan user create --username kuaiji --name 张会计 --role accountant --village 320117107206
  qianwan demo                               load the demo district (safe to repeat)
  qianwan trial-balance 320117107206         a village's 试算平衡表 as of today
  qianwan trial-balance 320117107206 --as-of 2025-12-31 --csv > tb.csv
  qianwan statement balance-sheet 320117107 --as-of 2025-12-31 --xlsx bs.xlsx   a town's 资产负债表
  qianwan statement income 320117107206 --year 2025 --quarter 4   收益及收益分配表
  qianwan history 320117107206/NF-01         every event of asset NF-01 of 乌村桥村
  qianwan history 320117107206/NF-01 --at-version 3
  qianwan voucher record 320117107206 --date 2026-04-03 --summary 购买办公用品 \
      --line 513:120:0 --line 101:0:120 --by 张会计    prepare a voucher (记账凭证)
  qianwan voucher review ID --by 李会计        another person reviews it: it posts
  qianwan close month 320117107206 2026-03   close a month (结账)
  qianwan rebuild                            drop and refold every read model
  qianwan keygen && qianwan checkpoint       sign the audit seal (docs/audit.md)
  qianwan verify --checkpoint FILE           check the log against the seal and checkpoints"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Every failure is one line on stderr, ``error: [code] message``, and
    exit 2 (1 for a check that failed); a traceback only for ``--debug`` or in a log file."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error the parser has printed
        return stop.code if isinstance(stop.code, int) else EXIT_REFUSED
    if args.command is None:
        parser.print_help()
        return failed(ArgumentsInvalid.code, "name a command (qianwan --help lists them)")
    try:
        return run(args)
    except KeyboardInterrupt:  # Ctrl-C: one line, never a traceback
        message = (
            "stopped with Ctrl-C; every fact recorded before it stays recorded, and the one "
            "being recorded is recorded whole or not at all"
        )
        failed("interrupted", message)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (qianwan history … | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as error:
        code, message, notes = classify(error)
        if code == INTERNAL_ERROR:
            return internal_error(error, debug=args.debug)
        if args.debug:
            notes.append("".join(traceback.format_exception(error)).rstrip())
        return failed(code, message, *notes)


def run(args: argparse.Namespace) -> int:
    alone: Callable[[argparse.Namespace], int] | None = getattr(args, "run_alone", None)
    if alone is not None:  # needs no registry (keygen, bench-seal, backup, restore)
        return alone(args)
    command: Callable[[Registry, argparse.Namespace], int] = args.run
    registry = open_registry(args)
    try:
        return command(registry, args)
    finally:
        registry.close()


def open_registry(args: argparse.Namespace) -> Registry:
    """The registry of QIANWAN_DATABASE_URL; a database that cannot be opened is a coded
    failure naming it (its password hidden), not a traceback. Only the commands that make a
    registry (serve, demo, token create) may start a new SQLite file: the others would
    otherwise report on an empty database they had just made."""
    creates_database = getattr(args, "creates_database", False)
    settings: Settings | None = None
    try:
        settings = settings_for(args)
        if not (creates_database or database_exists(settings)):
            where = (
                settings.sqlite_path
                if not settings.is_postgres
                else redacted(settings.database_url)
            )
            raise DatabaseNotFound(
                f"no registry at {where}: check QIANWAN_DATABASE_URL (`qianwan demo` or "
                "`qianwan serve` starts a new one; the other commands never make an empty one)"
            )
        return bootstrap(settings)
    except Exception as error:
        if isinstance(error, CommandFailed) or not is_opening_failure(error):
            raise
        url = redacted(settings.database_url if settings else DEFAULT_DATABASE_URL)
        raise DatabaseUnavailable(f"cannot open {url}: {one_line(error)}") from error


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="qianwan",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--debug", action="store_true", help="print the traceback of an unexpected failure"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    add_serve_commands(commands)

    rebuild = commands.add_parser(
        "rebuild",
        help="drop and rebuild every read model from the event log",
        description="Drop every projection table and fold the whole event log again.",
    )
    rebuild.set_defaults(run=run_rebuild)

    add_books_commands(commands)
    add_voucher_commands(commands)
    add_statement_commands(commands)
    add_disclosure_commands(commands)
    add_settle_commands(commands)
    add_audit_commands(commands)
    add_perf_commands(commands)
    add_token_commands(commands)
    add_user_commands(commands)
    add_ops_commands(commands)
    return parser


def settings_for(args: argparse.Namespace) -> Settings:
    """The environment's settings; development mode when the command asks for it."""
    development = bool(getattr(args, "dev", False) or getattr(args, "demo", False))
    return Settings.from_env(development=development)


# -- commands -------------------------------------------------------------------------------------


def run_rebuild(registry: Registry, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with tqdm(
        total=registry.store.last_notification_id(),
        desc="rebuild",
        unit="event",
        file=sys.stderr,
    ) as bar:

        def advance(events: int) -> None:
            bar.update(events)

        applied = registry.runner.rebuild(progress=advance)
    elapsed = time.perf_counter() - started
    names = ", ".join(p.name for p in registry.runner.rebuilt_projections())
    kept = ", ".join(p.name for p in registry.runner.projections if p.kept_on_rebuild)
    parallel = registry.runner.parallel
    processes = len(parallel.shares) if parallel else 1
    print(
        f"rebuilt {names}: {applied} events applied in {elapsed:.1f} s by {processes} "
        f"process(es) (kept: {kept})"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
