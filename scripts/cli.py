"""The ``qianwan`` command: serve the GraphQL API, load the demo district, rebuild the read
models, print a village's trial balance or an aggregate's history.

Thin on purpose: parse, call the applications or the projection queries, print. Every command
opens the registry from ``QIANWAN_DATABASE_URL`` (qianwan/settings.py) and closes it after.
Every failure, whatever raised it, is one line ``error: [code] message`` on stderr and exit 2
(``main``; the codes are in docs/operations.md).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import socket
import sys
import time
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

from tqdm import tqdm

from domain.assets.model import Asset
from domain.audit.errors import AggregateNotFound, DatabaseNotFound, EventSigningKeyNotConfigured
from domain.reference.model import District, Town, Village
from domain.shared.history import history, state_at, to_json_value
from projections.ledger.queries import TrialBalance, trial_balance
from qianwan.bootstrap import Registry, bootstrap, database_exists
from qianwan.keys import check_ready_to_serve, development_warnings
from qianwan.outages import is_opening_failure, one_line
from qianwan.settings import DEFAULT_DATABASE_URL, Settings
from scripts.audit_cli import add_audit_commands
from scripts.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_REFUSED,
    INTERNAL_ERROR,
    AddressNotUsable,
    ArgumentsInvalid,
    CommandFailed,
    DatabaseUnavailable,
    iso_date,
    iso_time,
    port_number,
    stored_int,
)
from scripts.demo import DemoSummary, demo_loaded, load_demo
from scripts.failures import Parser, classify, failed, internal_error
from scripts.ops_cli import add_ops_commands
from scripts.perf_cli import add_perf_commands
from scripts.token_cli import add_token_commands, ensure_demo_tokens, print_demo_tokens

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
  qianwan demo                               load the demo district (safe to repeat)
  qianwan trial-balance 320117107206         a village's 试算平衡表 as of today
  qianwan trial-balance 320117107206 --as-of 2025-12-31 --csv > tb.csv
  qianwan history 320117107206/NF-01         every event of asset NF-01 of 乌村桥村
  qianwan history 320117107206/NF-01 --at-version 3
  qianwan rebuild                            drop and refold every read model
  qianwan keygen && qianwan checkpoint       sign the audit seal (docs/audit.md)
  qianwan verify --checkpoint FILE           check the log against the seal and checkpoints"""

TRIAL_BALANCE_UNBALANCED = "trial_balance_unbalanced"  # a failed check: exit 1
HISTORY_HELP = (
    "an aggregate's UUID; or a place code (6 digits: district, 9: town, 12: village); "
    "or VILLAGE_CODE/ASSET_CODE for an asset, e.g. 320117107206/NF-01"
)


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

    serve = commands.add_parser(
        "serve",
        help="serve the GraphQL API (GraphiQL in a browser at /graphql)",
        description="Serve the GraphQL API at http://HOST:PORT/graphql until interrupted.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--demo",
        action="store_true",
        help="development mode (as --dev), and first load the demo district, if the database "
        "holds no events yet, and print the demo's admin and platform API tokens (kept in "
        "var/demo-tokens.txt)",
    )
    add_dev_option(serve)
    serve.set_defaults(run=run_serve, creates_database=True)

    demo = commands.add_parser(
        "demo",
        help="load the demo district: 8 towns, 32 villages, revitalized assets (invented data)",
        description="Record the demo district through the applications. Safe to repeat: "
        "what is recorded already is skipped.",
    )
    add_dev_option(demo)
    demo.set_defaults(run=run_demo, creates_database=True)

    rebuild = commands.add_parser(
        "rebuild",
        help="drop and rebuild every read model from the event log",
        description="Drop every projection table and fold the whole event log again.",
    )
    rebuild.set_defaults(run=run_rebuild)

    tb = commands.add_parser(
        "trial-balance",
        help="print a village's trial balance (试算平衡表)",
        description="Balances of every account the village has used, as of a date.",
    )
    tb.add_argument("village", metavar="VILLAGE", help="12-digit village code")
    tb.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="balances at the end of this day (default: today in the registry's time zone)",
    )
    tb.add_argument(
        "--known-at",
        type=iso_time,
        default=None,
        metavar="TIME",
        help="the books as they stood at this recorded time, before later corrections "
        "(ISO 8601; without an offset such as +08:00 or Z, in the registry's time zone, "
        "QIANWAN_TIME_ZONE, Asia/Shanghai by default)",
    )
    tb.add_argument(
        "--csv", action="store_true", help="CSV for Excel (UTF-8 with BOM) instead of a table"
    )
    tb.set_defaults(run=run_trial_balance)

    hist = commands.add_parser(
        "history",
        help="print every event of one aggregate, oldest first",
        description="Every event of an aggregate in order: version, type, recorded time, "
        "actor, authority and payload.",
    )
    hist.add_argument("aggregate", metavar="AGGREGATE_ID", type=aggregate_id, help=HISTORY_HELP)
    hist.add_argument("--json", action="store_true", help="a JSON array instead of text")
    when = hist.add_mutually_exclusive_group()
    when.add_argument(
        "--at-version",
        type=stored_int,
        metavar="N",
        help="print the aggregate's state at version N",
    )
    when.add_argument(
        "--at",
        type=iso_time,
        metavar="TIME",
        help="print the aggregate's state as recorded at TIME (ISO 8601; without an offset, "
        "in the registry's time zone)",
    )
    hist.set_defaults(run=run_history)
    add_audit_commands(commands)
    add_perf_commands(commands)
    add_token_commands(commands)
    add_ops_commands(commands)
    return parser


def add_dev_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dev",
        action="store_true",
        help="development mode, for invented data only: events signed with a development key "
        "(var/dev-keys/, made on first use) unless QIANWAN_EVENT_KEY_FILE is set, and the "
        "public development secret for personal data unless QIANWAN_PERSONAL_DATA_SECRET is set",
    )


def require_signing_key(registry: Registry) -> None:
    if registry.event_keys.signer is None:
        raise EventSigningKeyNotConfigured(
            "no event signing key is configured, so nothing can be recorded: set "
            "QIANWAN_EVENT_KEY_FILE (`qianwan keygen --purpose events --dir DIR`), or load the "
            "demo in development mode (--dev)"
        )


def settings_for(args: argparse.Namespace) -> Settings:
    """The environment's settings; development mode when the command asks for it."""
    development = bool(getattr(args, "dev", False) or getattr(args, "demo", False))
    return Settings.from_env(development=development)


# -- argument types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AggregateRef:
    """An aggregate as the command line named it: its id, and the words it was asked for by."""

    id: UUID
    label: str  # e.g. "asset 320117107206/NF-01", "village 320117107206"


PLACE_KINDS: dict[int, tuple[str, Callable[[str], UUID]]] = {
    6: ("district", District.create_id),
    9: ("town", Town.create_id),
    12: ("village", Village.create_id),
}


def aggregate_id(text: str) -> AggregateRef:
    text = text.strip()
    if "/" in text:
        village, asset_code = text.split("/", 1)
        if re.fullmatch(r"\d{12}", village) and asset_code:
            return AggregateRef(Asset.create_id(village, asset_code), f"asset {text}")
    if text.isdigit() and len(text) in PLACE_KINDS:
        kind, create_id = PLACE_KINDS[len(text)]
        return AggregateRef(create_id(text), f"{kind} {text}")
    try:
        return AggregateRef(UUID(text), f"aggregate {UUID(text)}")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected {HISTORY_HELP}") from None


# -- commands -------------------------------------------------------------------------------------


def run_serve(registry: Registry, args: argparse.Namespace) -> int:
    # Imported here: only this command needs the web stack.
    import uvicorn

    from api.app import create_app
    from api.serving import HTTP_PROTOCOL

    check_ready_to_serve(registry.settings)
    for line in development_warnings(registry.settings, registry.event_keys):
        print(line, file=sys.stderr, flush=True)
    if args.demo:
        require_signing_key(registry)
        events = registry.store.last_notification_id()
        if events == 0:
            print_loaded(load_demo(registry, progress=True))
        else:
            print(f"demo: not loaded, the database already holds {events} events")
        print_demo_tokens(ensure_demo_tokens(registry))
    registry.runner.catch_up()
    print(f"database: {redacted(registry.settings.database_url)}")
    print(f"GraphQL:  http://{args.host}:{args.port}/graphql", flush=True)
    uvicorn.run(
        create_app(registry),
        host=args.host,
        port=args.port,
        http=HTTP_PROTOCOL,
        log_level="info",
    )
    return EXIT_OK


def check_listen_address(host: str, port: int) -> None:
    """Bind once before the server starts: a host or port it cannot listen on is a coded
    failure here, rather than uvicorn's log lines and its exit status 3."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except (OSError, ValueError) as error:  # unknown host, in use, not permitted; NUL, IDNA
        raise AddressNotUsable(f"cannot listen on {host}:{port}: {error}") from None


def run_demo(registry: Registry, args: argparse.Namespace) -> int:
    if demo_loaded(registry):
        print("The demo district is loaded already; nothing to do.")
        return EXIT_OK
    require_signing_key(registry)  # before the first of thousands of events, not at it
    print_loaded(load_demo(registry, progress=True))
    print("Try: qianwan trial-balance 320117107206")
    return EXIT_OK


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
    print(f"rebuilt {names}: {applied} events applied in {elapsed:.1f} s (kept: {kept})")
    return EXIT_OK


def run_trial_balance(registry: Registry, args: argparse.Namespace) -> int:
    village = registry.places.village(args.village)
    behind = registry.runner.catch_up_for_reading()
    if behind is not None:
        low, last = registry.runner.active_low(), registry.store.last_notification_id()
        print(
            f"note: the books below stand at event {low} of {last}: the read models could not "
            f"catch up ({behind})",
            file=sys.stderr,
        )
    with registry.engine.connect() as conn:
        day = args.as_of or registry.clock.today()
        tb = trial_balance(conn, village.code, day, args.known_at)
    if args.csv:
        sys.stdout.write(trial_balance_csv(tb))
    else:
        title = f"{village.name}（{village.code}）{village.collective_name}"
        known = f"  记录截至 {tb.known_at.isoformat()}" if tb.known_at else ""
        print(f"{title}\n试算平衡表  截至 {tb.as_of}  科目表 {tb.chart_version}{known}\n")
        print(trial_balance_table(tb))
    if tb.total_debit != tb.total_credit:
        print(
            f"error: [{TRIAL_BALANCE_UNBALANCED}] 借贷不平衡 (debits and credits differ)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def run_history(registry: Registry, args: argparse.Namespace) -> int:
    if args.at_version is not None or args.at is not None:
        return run_state(registry, args)
    events = history(registry.store, args.aggregate.id)
    if not events:
        raise AggregateNotFound(f"no events for {args.aggregate.label}", field="aggregate_id")
    if args.json:
        rows = [to_json_value(asdict(e)) for e in events]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"aggregate {args.aggregate.id}: {len(events)} events")
    for e in events:
        print(f"\nv{e.version}  {e.event_type}  recorded {e.recorded_at.isoformat()}")
        print(f"    actor: {e.actor}    authority: {e.authority or '—'}")
        print(f"    {json.dumps(e.payload, ensure_ascii=False, sort_keys=True)}")
    return EXIT_OK


def run_state(registry: Registry, args: argparse.Namespace) -> int:
    try:
        found = state_at(registry.store, args.aggregate.id, args.at_version, args.at)
    except AggregateNotFound:
        raise AggregateNotFound(
            f"no events for {args.aggregate.label}", field="aggregate_id"
        ) from None
    if args.json:
        print(json.dumps(to_json_value(asdict(found)), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(
        f"{found.aggregate_type} {found.aggregate_id} at version {found.version} "
        f"(recorded {found.recorded_at.isoformat()})"
    )
    print(json.dumps(found.state, ensure_ascii=False, indent=2, sort_keys=True))
    return EXIT_OK


# -- output ---------------------------------------------------------------------------------------

TB_HEADER = ("科目编码", "科目名称", "借方余额", "贷方余额")


def print_loaded(summary: DemoSummary) -> None:
    print(
        f"demo district: {summary.villages} villages, {summary.assets} assets; "
        f"{summary.events} events recorded in {summary.seconds:.1f} s"
    )


def trial_balance_rows(tb: TrialBalance, money: Callable[[Decimal], str]) -> list[list[str]]:
    rows = [
        [line.account_code, line.account_name, money(line.debit), money(line.credit)]
        for line in tb.lines
    ]
    rows.append(["", "合计", money(tb.total_debit), money(tb.total_credit)])
    return rows


def trial_balance_csv(tb: TrialBalance) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TB_HEADER)
    writer.writerows(trial_balance_rows(tb, lambda amount: f"{amount:.2f}"))
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read the Chinese as UTF-8


def trial_balance_table(tb: TrialBalance) -> str:
    rows = [list(TB_HEADER), *trial_balance_rows(tb, lambda a: f"{a:,.2f}" if a else "")]
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(TB_HEADER))]
    lines = []
    for n, row in enumerate(rows):
        if n == len(rows) - 1:
            lines.append("  ".join("-" * w for w in widths))
        cells = [pad(cell, widths[i], right=i >= 2) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * (width - display_width(text))
    return space + text if right else text + space


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


if __name__ == "__main__":
    sys.exit(main())
