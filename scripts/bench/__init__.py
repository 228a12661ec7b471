"""``qianwan bench``: the registry against the machine's own limit, in one run.

On a fresh database (a temporary SQLite file by default, or a fresh schema of a PostgreSQL
server) it records a synthetic district (scripts/bench/district.py) through the applications
and measures, each with its memory (RSS start, peak, end):

1. enrolment: meal points and elders registered per second;
2. ingest: meals accepted per second, one batch per meal point and day, ``uploads_per_call``
   of them (10; ``--uploads-per-call``) in each call and transaction (``record_meal_uploads``),
   with the projections deferred (``read_your_writes=False``: the scaled deployment, where the
   API records and a projection worker folds); baseline: the same rows in the same
   transactions, inserted plainly into a bare table of the same database;
3. fold: the worker's catch-up over everything recorded so far, events per second, in as many
   processes as the worker folds in (projections/parallel.py); baseline: the events per second
   the ingest processes wrote;
4. ingest inline: the last tenth of the days with read-your-writes (each upload folds before
   it returns: the single-process district), then asset and settlement commands, inline;
5. rebuild: every projection dropped and folded from zero, events per second, in as many
   processes; baseline: the same notifications read and decoded without projecting, in one;
6. GraphQL: N clients on loopback against a server started for it: p50/p95/p99 per query;
7. statements (``--statement-lines``, or alone with ``--statements-only``): p99 of the balance
   sheet, income statement and account balances of one large village and of a district summing
   its villages (scripts/bench/statements.py);
8. the workbench's pages, alone with ``--pages-only``: every page an accountant and an auditor
   reach on the demo district, p50/p95 each (scripts/bench/pages.py);
9. the dashboard, alone with ``--dashboard-only``: the synthetic district recorded and folded,
   then the dashboard's query and page timed, p50/p95 each (scripts/bench/dashboard.py);
10. settling, last (``--settle-canteens``, 0 to skip): a second district of that many canteens
   drafts a month in one command, canteen-months per second, against drafting one canteen-month
   per command (scripts/bench/settling.py).

Prints a table, writes JSON (``--json``), and judges the targets of issues 7 and 16, each beside
its baseline (scripts/bench/report.py).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import uuid4

from eventsourcing.utils import get_topic
from sqlalchemy import create_engine, text

from domain.audit.keyfiles import EVENTS, generate_key_pair
from domain.meals.model import Meal
from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from scripts.bench import baseline, phases
from scripts.bench import district as synthetic
from scripts.bench.dashboard import dashboard_only
from scripts.bench.graphql import Load, measure
from scripts.bench.pages import demo_pages
from scripts.bench.report import table, targets
from scripts.bench.settling import SettleSize, draft_timing, settling_phases
from scripts.bench.statements import StatementSize, statements_phase

DEFAULT_SIZE = synthetic.Size()
NO_STATEMENTS = StatementSize()
DEFAULT_SETTLE = SettleSize()
INLINE_SHARE = 10  # the last 1/INLINE_SHARE of the days are recorded with read-your-writes
BENCH_SECRET_BYTES = 32


@dataclass(frozen=True)
class Options:
    size: synthetic.Size = DEFAULT_SIZE
    database: str | None = None  # None: a temporary SQLite file
    clients: int = 4
    server_workers: int = 2  # server processes for the GraphQL phase
    ingest_processes: int = 2  # processes recording the deferred ingest at once
    fold_processes: int = 0  # processes folding in the fold and rebuild phases (0: automatic)
    uploads_per_call: int = 10  # deferred ingest: uploads (canteen-days) per call and transaction
    requests: int = 3000
    seconds: float = 60.0
    graphql: bool = True
    keep: bool = False  # keep the database (or schema) afterwards
    statements: StatementSize = NO_STATEMENTS  # lines 0: no statements phase
    statements_only: bool = False  # only the statements phase (no district, no GraphQL)
    pages_only: bool = False  # only the workbench's pages, on the demo district
    page_rounds: int = 10
    dashboard_only: bool = False  # only the dashboard, on the synthetic district
    settle: SettleSize = DEFAULT_SETTLE  # the settling phase's district (0 canteens: none)


@contextmanager
def fresh_database(url: str | None, keep: bool) -> Iterator[Settings]:
    """A database nobody else uses: a new SQLite file, or a new schema named bench_<random>."""
    if url is None:
        directory = Path(tempfile.mkdtemp(prefix="qianwan-bench-"))
        path = directory / "bench.sqlite3"
        try:
            yield Settings(database_url=f"sqlite:///{path.absolute()}")
        finally:
            if not keep:
                for file in directory.iterdir():
                    file.unlink()
                directory.rmdir()
        return
    settings = Settings(database_url=url)
    if not settings.is_postgres:
        if settings.sqlite_path.exists():
            raise FileExistsError(f"{settings.sqlite_path} exists: the benchmark needs a new file")
        yield settings
        return
    schema = f"bench_{uuid4().hex[:12]}"
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "schema"] + [("schema", schema)]
    settings = Settings(database_url=urlunsplit(parts._replace(query=urlencode(query))))
    try:
        yield settings
    finally:
        if not keep:
            engine = create_engine(settings.sqlalchemy_url())
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()


def analyze(settings: Settings) -> None:
    """PostgreSQL: refresh the planner's statistics of the benchmark's tables, as autovacuum
    does on a production server (it is off on the development server: without statistics the
    planner takes a growing log for an empty one)."""
    if not settings.is_postgres:
        return
    engine = create_engine(settings.sqlalchemy_url())
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        tables = conn.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"),
            {"schema": settings.postgres_schema},
        ).all()
        for table in tables:
            conn.execute(text(f'ANALYZE "{settings.postgres_schema}"."{table}"'))
    engine.dispose()


@contextmanager
def throwaway_keys(settings: Settings) -> Iterator[Settings]:
    """The settings with an event key and a personal data secret of the benchmark's own,
    made for this run and deleted after it: every event is signed, as in production."""
    with tempfile.TemporaryDirectory(prefix="qianwan-bench-keys-") as directory:
        pair = generate_key_pair(Path(directory), EVENTS)
        yield replace(
            settings,
            event_key_file=pair.private_path,
            personal_data_secret=secrets.token_hex(BENCH_SECRET_BYTES),
        )


def run_bench(options: Options, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Run every phase on a fresh database; returns the figures (see ``report.table``)."""
    load_before = os.getloadavg()[0]
    with (
        fresh_database(options.database, options.keep) as fresh,
        throwaway_keys(replace(fresh, fold_processes=options.fold_processes)) as settings,
    ):
        if options.pages_only:
            registry = bootstrap(settings)  # the demo loads as the server records: inline
            try:
                found = demo_pages(registry, options.page_rounds, say)
            finally:
                registry.close()
            storage = "postgres" if settings.is_postgres else "sqlite"
            return {"storage": storage, "phases": {"pages": found}, "targets": {}}
        registry = bootstrap(settings, read_your_writes=False)
        if options.dashboard_only:
            try:
                return dashboard_only(registry, settings, options, say)
            finally:
                registry.close()
        try:
            if options.statements_only:
                storage = "postgres" if settings.is_postgres else "sqlite"
                result: dict[str, Any] = {"storage": storage, "phases": {}}
            else:
                result = _phases(registry, settings, options, say)
            if options.statements.lines:
                say(f"statements: writing {options.statements.lines:,} journal lines …")
                found = statements_phase(
                    registry.engine, options.statements, lambda: analyze(settings)
                )
                result["phases"]["statements"] = found
        finally:
            registry.close()
        result["database"] = ("PostgreSQL" if settings.is_postgres else "SQLite") + (
            f" (kept: {settings.database_url})" if options.keep else ""
        )
    result["load_average"] = [load_before, os.getloadavg()[0]]
    result["targets"] = {} if options.statements_only else targets(result)
    return result


def _phases(
    registry: Registry, settings: Settings, options: Options, say: Callable[[str], None]
) -> dict[str, Any]:
    size = options.size
    registry.meals.today = lambda: size.end + timedelta(days=60)
    say("setting up the district …")
    district, enrolment = phases.setup(registry, size)
    split = size.days - max(1, size.days // INLINE_SHARE)
    processes = options.ingest_processes
    say(
        f"ingest: {split} days of meals in {processes} process(es), "
        f"{options.uploads_per_call} upload(s) per transaction, projections deferred …"
    )
    first_id = registry.store.last_notification_id() + 1
    per_call = options.uploads_per_call
    if processes > 1:
        ingest = phases.ingest_in_processes(settings, district, range(split), processes, per_call)
    else:
        days = synthetic.meal_batches(district, range(split))
        ingest = phases.ingest(registry, district, days, "ingest", per_call)
    last_id = registry.store.last_notification_id()
    analyze(settings)
    say(f"  {ingest.count:,} meals at {ingest.per_second:,.0f}/s; folding …")
    fold = phases.fold(registry)
    registry.store.add_save_listener(registry.runner.wait_for)  # from now on: read-your-writes
    say(f"ingest: {size.days - split} days inline …")
    inline = phases.ingest(
        registry,
        district,
        synthetic.meal_batches(district, range(split, size.days)),
        "ingest_inline",
    )
    analyze(settings)
    say("asset and settlement commands …")
    assets, settlements = phases.commands(registry, district)
    say("baseline: the same rows as plain inserts …")
    plain = baseline.plain_inserts(
        settings,
        baseline.stored_batches(registry.store, first_id, last_id),
        get_topic(Meal.Recorded),  # type: ignore[attr-defined]
    )
    say("rebuild …")
    rebuild = phases.rebuild(registry)
    analyze(settings)
    decoded = baseline.read_and_decode(registry.store, registry.runner.rebuild_batch_size)
    events = registry.store.last_notification_id()
    result: dict[str, Any] = {
        "storage": "postgres" if settings.is_postgres else "sqlite",
        "size": {"villages": size.villages, "elders": size.elders, "days": size.days},
        "events": events,
        "cpus": os.cpu_count(),
        "phases": {
            "enrolment": enrolment.as_dict(),
            "ingest": {
                **ingest.as_dict(),
                "projections": "deferred (read_your_writes=False), as a projection worker folds",
            },
            "ingest_events": {
                **phases.Phase("ingest_events", ingest.extra["events"], ingest.seconds).as_dict(),
            },
            "ingest_baseline": _timing(
                plain, "plain INSERTs of the same rows, in the same transactions"
            ),
            "fold": fold.as_dict(),
            "fold_baseline": {
                **phases.Phase("fold_baseline", ingest.extra["events"], ingest.seconds).as_dict(),
                "what": f"events written by {processes} ingest process(es) (the ingest phase)",
            },
            "ingest_inline": {**inline.as_dict(), "projections": "inline (read-your-writes)"},
            "assets": assets.as_dict(),
            "settlements": settlements.as_dict(),
            "rebuild": rebuild.as_dict(),
            "rebuild_baseline": _timing(decoded, "read and decode every notification"),
        },
    }
    if options.graphql:
        say(f"GraphQL: {options.clients} clients …")
        token = registry.access.issue_token("platform", [], "bench platform", synthetic.ADMIN)
        load = Load(options.clients, options.requests, options.seconds, options.server_workers)
        load.token = token.secret
        alone, loaded = measure(settings, district, load)
        result["phases"]["graphql_single"] = alone
        result["phases"]["graphql"] = loaded
    result["phases"]["settlement_drafting_baseline"] = draft_timing(
        settlements.extra["draft_seconds"], settlements.extra["drafts"]
    )
    if options.settle.canteens:
        found = settling_phases(settings, options.settle, say, lambda: analyze(settings))
        result["phases"].update(found)
    return result


def _timing(timing: baseline.Timing, what: str) -> dict[str, Any]:
    return {
        "count": timing.count,
        "seconds": round(timing.seconds, 3),
        "per_second": round(timing.per_second, 1),
        "what": what,
    }


__all__ = ["Options", "run_bench", "table"]
