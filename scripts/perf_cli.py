"""The performance subcommands of ``qianwan``: ``bench`` (docs: README "Benchmark") and
``project`` (a projection worker; the scaled options of ``serve`` are in scripts/serve_cli.py,
docs/scaling.md). Thin: parse, call scripts/bench or the runner, print."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scripts.common import (
    EXIT_FAILED,
    EXIT_OK,
    ArgumentsInvalid,
    ProjectionUnknown,
    positive,
    positive_seconds,
)

if TYPE_CHECKING:
    from projections.runner import ProjectionRunner
    from qianwan.bootstrap import Registry

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

BENCH_EPILOG = """\
sizes: a district records a few hundred meals a day. The default (10 villages × 40 elders ×
60 days, ~36,000 events) runs in a few minutes; --villages 80 --elders 60 --days 150 stores
about a million events."""


def add_perf_commands(commands: Any) -> None:
    """Register the performance subcommands on the ``qianwan`` parser's subparsers."""
    bench = commands.add_parser(
        "bench",
        help="benchmark ingest, fold, rebuild and GraphQL against the machine's own limit",
        description="Build a synthetic district on a fresh database and measure, in one run, "
        "meals recorded per second, projections folded and rebuilt per second, and GraphQL "
        "latency under concurrent clients, each with its baseline on the same database.",
        epilog=BENCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_argument("--villages", type=positive, default=10, help="default 10")
    bench.add_argument("--elders", type=positive, default=40, help="per village, default 40")
    bench.add_argument("--days", type=positive, default=60, help="days of meals, default 60")
    bench.add_argument(
        "--database",
        metavar="URL",
        help="sqlite:///NEW_FILE or postgresql://…/DB (a fresh schema is created and dropped); "
        "default: a temporary SQLite file",
    )
    bench.add_argument("--clients", type=positive, default=4, help="GraphQL clients, default 4")
    bench.add_argument(
        "--server-workers", type=positive, default=2, help="server processes, default 2"
    )
    bench.add_argument(
        "--ingest-processes",
        type=positive,
        default=2,
        help="processes recording the meals at once (as several API processes), default 2",
    )
    bench.add_argument(
        "--fold-processes",
        type=int,
        default=0,
        metavar="N",
        help="processes folding the projections in the fold and rebuild phases "
        "(projections/parallel.py); default 0: one per CPU, at most one per group",
    )
    bench.add_argument(
        "--uploads-per-call",
        type=positive,
        default=10,
        help="uploads (canteen-days) each ingest call records in one transaction, at most "
        "50; 1: one upload per call; default 10",
    )
    bench.add_argument(
        "--requests", type=positive, default=3000, help="GraphQL requests at most, default 3000"
    )
    bench.add_argument(
        "--seconds", type=positive_seconds, default=60.0, help="GraphQL phase at most, default 60"
    )
    bench.add_argument("--no-graphql", action="store_true", help="skip the GraphQL phase")
    bench.add_argument("--keep", action="store_true", help="keep the database afterwards")
    bench.add_argument(
        "--statement-lines",
        type=int,
        default=0,
        metavar="N",
        help="time the statements of one village of N journal lines (1,000,000 for the issue-13 "
        "target; with --statements-only, the default) and of a district summing "
        "--statement-villages villages; default 0: no statements phase",
    )
    bench.add_argument("--statement-villages", type=positive, default=200, help="default 200")
    bench.add_argument("--statements-only", action="store_true", help="only the statements phase")
    bench.add_argument(
        "--pages-only",
        action="store_true",
        help="only the workbench's pages: load the demo district and time every page an "
        "accountant and an auditor reach (p95 target 200 ms)",
    )
    bench.add_argument(
        "--dashboard-only",
        action="store_true",
        help="only the dashboard: record the synthetic district (--villages, --elders, --days), "
        "then time the dashboard's query and page for the district and a town (p95 target "
        "300 ms)",
    )
    bench.add_argument(
        "--page-rounds",
        type=positive,
        default=10,
        help="with --pages-only or --dashboard-only: rounds, default 10",
    )
    bench.add_argument(
        "--settle-canteens",
        type=int,
        default=100,
        metavar="N",
        help="the settling phase, last: a second district of N canteens drafts a month in one "
        "command (canteen-months per second); default 100, 0 skips it",
    )
    bench.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    bench.set_defaults(run_alone=run_bench)

    project = commands.add_parser(
        "project",
        help="fold the projections up to the end of the log, or follow it as a worker",
        description="Bring every projection up to date. With --follow keep doing so as events "
        "are recorded (on PostgreSQL through the log's subscription; SQLite is polled), until "
        "interrupted: the projection worker of `qianwan serve --projections worker`.",
    )
    project.add_argument("--follow", action="store_true", help="keep following the log")
    project.add_argument(
        "--max-seconds",
        type=positive_seconds,
        metavar="S",
        help="with --follow: stop after S seconds",
    )
    project.add_argument(
        "--resume",
        action="append",
        metavar="NAME",
        default=[],
        help="let a halted projection fold again from where it stopped, once its cause is "
        "fixed (repeatable; `all` for every halted one)",
    )
    project.set_defaults(run=run_project)


def run_bench(args: argparse.Namespace) -> int:
    from scripts.bench import Options, run_bench, table
    from scripts.bench.district import Size
    from scripts.bench.report import ONE_MILLION
    from scripts.bench.settling import SettleSize
    from scripts.bench.statements import StatementSize

    options = Options(
        size=Size(args.villages, args.elders, args.days),
        database=args.database,
        clients=args.clients,
        server_workers=args.server_workers,
        ingest_processes=args.ingest_processes,
        fold_processes=args.fold_processes,
        uploads_per_call=args.uploads_per_call,
        requests=args.requests,
        seconds=args.seconds,
        graphql=not args.no_graphql,
        keep=args.keep,
        statements=StatementSize(
            args.statement_lines or (ONE_MILLION if args.statements_only else 0),
            args.statement_villages,
        ),
        statements_only=args.statements_only,
        pages_only=args.pages_only,
        page_rounds=args.page_rounds,
        dashboard_only=args.dashboard_only,
        settle=SettleSize(max(0, args.settle_canteens), args.elders),
    )
    result = run_bench(options, say=lambda text: print(text, file=sys.stderr, flush=True))
    print(table(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def run_project(registry: Registry, args: argparse.Namespace) -> int:
    from projections.follow import follow
    from projections.parallel import ParallelFold

    if args.max_seconds is not None and not args.follow:
        raise ArgumentsInvalid("qianwan project: --max-seconds needs --follow")
    runner = registry.runner
    if args.resume:
        unknown = sorted(set(args.resume) - {p.name for p in runner.projections} - {"all"})
        if unknown:
            raise ProjectionUnknown(f"no projection named {unknown[0]}")
        resumed = runner.resume(None if "all" in args.resume else args.resume)
        print(f"resumed: {', '.join(resumed) or 'nothing (none of them was halted)'}")
    started = time.perf_counter()
    parallel = runner.parallel if isinstance(runner.parallel, ParallelFold) else None
    if not args.follow:
        applied = parallel.catch_up() if parallel else runner.catch_up()
    else:
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        if args.max_seconds is not None:
            timer = threading.Timer(args.max_seconds, stop.set)
            timer.daemon = True
            timer.start()
        # Outages and reconnections are logged (projections/follow.py): to stderr, where a
        # supervisor (systemd's journal) keeps them.
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format=LOG_FORMAT)
        shares = parallel.shares if parallel else [tuple(p.name for p in runner.projections)]
        print(
            f"following the log in {len(shares)} process(es); stop with Ctrl-C or SIGTERM",
            file=sys.stderr,
            flush=True,
        )
        applied = parallel.follow(stop) if parallel else follow(registry.runner, stop)
    low = runner.active_low()
    took = time.perf_counter() - started
    print(f"projections at notification {low}: {applied} events applied in {took:.1f} s")
    return EXIT_FAILED if print_halted(runner) else EXIT_OK


def print_halted(runner: ProjectionRunner) -> bool:
    """Report the halted projections on stderr; True if there are any."""
    halted = runner.halted(fresh=True)
    for name, halt in sorted(halted.items()):
        print(
            f"HALTED {name} at notification {halt.notification_id} "
            f"({halt.halted_at:%Y-%m-%d %H:%M:%S} UTC): {halt.error}",
            file=sys.stderr,
        )
    if halted:
        print(
            "fix the cause, then: qianwan project --resume NAME (docs/architecture.md)",
            file=sys.stderr,
        )
    return bool(halted)
