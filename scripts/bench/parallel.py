"""Ingest in several processes at once, as several API processes of the scaled deployment record
the uploads of different meal points: each process has its own registry (projections deferred)
and records the batches of its share of the villages, day by day. The clock starts when every
process has bootstrapped and stops when the last one is done.

SQLite serialises the writes (one writer at a time) and PostgreSQL's event table lock does the
same; what runs in parallel is everything before the insert: look-ups, checks, encoding.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from qianwan.bootstrap import bootstrap
from qianwan.heap import freeze_startup_heap
from qianwan.settings import Settings
from scripts.bench import district as synthetic
from scripts.bench.calls import Recorded, record_in_calls
from scripts.bench.memory import Sampler

START_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Share:
    """What one process records: the district (ids of points and elders), its villages, days."""

    settings: Settings
    district: synthetic.District
    villages: tuple[str, ...]
    days: range
    uploads_per_call: int = 1


def record_share(share: Share, ready: Any, go: Any) -> Recorded:
    """The body of one process: bootstrap, wait for the others, record, report."""
    registry = bootstrap(share.settings, read_your_writes=False)
    freeze_startup_heap()  # as a server process does (qianwan/heap.py)
    registry.meals.today = lambda: share.district.size.end + timedelta(days=60)
    mine = synthetic.District(
        share.district.size,
        share.district.towns,
        list(share.villages),
        share.district.points,
        share.district.elders,
        {},
    )
    try:
        ready.put(True)
        go.wait(START_TIMEOUT_SECONDS)
        batches = synthetic.meal_batches(mine, share.days)
        return record_in_calls(registry, mine, batches, share.uploads_per_call)
    finally:
        registry.close()


def _worker(share: Share, ready: Any, go: Any, results: Any) -> None:
    try:
        results.put(record_share(share, ready, go))
    except BaseException as error:  # reported to the parent
        results.put(error)
        raise


def ingest_in_processes(
    settings: Settings,
    district: synthetic.District,
    days: range,
    processes: int,
    uploads_per_call: int = 1,
) -> tuple[Recorded, float, dict[str, float]]:
    """(totals, seconds, memory of all processes) for ``days`` recorded by ``processes``,
    ``uploads_per_call`` uploads in each call (one transaction)."""
    context = multiprocessing.get_context("spawn")
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    shares = [
        Share(settings, district, tuple(district.villages[n::processes]), days, uploads_per_call)
        for n in range(processes)
    ]
    workers = [
        context.Process(target=_worker, args=(share, ready, go, results), daemon=True)
        for share in shares
        if share.villages
    ]
    for w in workers:
        w.start()
    try:
        for _ in workers:
            ready.get(timeout=START_TIMEOUT_SECONDS)
        with Sampler(children=True) as memory:
            started = time.perf_counter()
            go.set()
            done = [results.get() for _ in workers]
            seconds = time.perf_counter() - started
        for found in done:
            if isinstance(found, BaseException):
                raise RuntimeError("an ingest process failed") from found
        recorded = [r for r in done if isinstance(r, Recorded)]
    finally:
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():
                w.kill()
    totals = Recorded()
    for r in recorded:
        totals.add(r)
    return totals, seconds, memory.result.as_dict()
