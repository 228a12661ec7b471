"""The benchmark's phases on a bootstrapped registry: each returns plain figures and the memory
it used. Orchestrated by scripts/bench/__init__.py."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from qianwan.bootstrap import Registry
from qianwan.settings import Settings
from scripts.bench import district as synthetic
from scripts.bench import parallel
from scripts.bench.baseline import rate
from scripts.bench.calls import Batch, Recorded, record_in_calls
from scripts.bench.memory import Sampler


@dataclass
class Phase:
    """What one phase did: ``count`` things in ``seconds``, and its memory."""

    name: str
    count: int = 0
    seconds: float = 0.0
    memory: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return rate(self.count, self.seconds)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "count": self.count,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
        }
        if self.memory:
            found["memory"] = self.memory
        return {**found, **self.extra}


def timed(name: str, work: Callable[[Phase], None], children: bool = False) -> Phase:
    """``work`` timed, with the memory of this process (and, ``children``, of the processes it
    starts)."""
    phase = Phase(name)
    with Sampler(children=children) as memory:
        started = time.perf_counter()
        work(phase)
        phase.seconds = time.perf_counter() - started
    phase.memory = memory.result.as_dict()
    return phase


def setup(registry: Registry, size: synthetic.Size) -> tuple[synthetic.District, Phase]:
    """Places and policies (not timed), then meal points and elders (timed: enrolments/s)."""
    towns, villages = synthetic.record_places(registry, size)
    synthetic.record_policies(registry, villages)
    found: list[synthetic.District] = []

    def enrol(phase: Phase) -> None:
        found.append(synthetic.record_people(registry, size, villages))
        phase.count = size.villages * (size.elders + 1)

    phase = timed("enrolment", enrol)
    found[0].towns = towns
    return found[0], phase


def ingest(
    registry: Registry,
    district: synthetic.District,
    batches: Iterable[Batch],
    name: str,
    uploads_per_call: int = 1,
) -> Phase:
    """Record the meal batches through the application in this process; count the meals
    accepted (events: the meals and one MealBatch per upload)."""

    def record(phase: Phase) -> None:
        done = record_in_calls(registry, district, batches, uploads_per_call)
        phase.count = done.meals
        phase.extra.update(_extra(done, 1, uploads_per_call))

    return timed(name, record)


def ingest_in_processes(
    settings: Settings,
    district: synthetic.District,
    days: range,
    processes: int,
    uploads_per_call: int = 1,
) -> Phase:
    """The same, by ``processes`` processes at once (scripts/bench/parallel.py)."""
    recorded, seconds, memory = parallel.ingest_in_processes(
        settings, district, days, processes, uploads_per_call
    )
    phase = Phase("ingest", recorded.meals, seconds, memory)
    phase.extra.update(_extra(recorded, processes, uploads_per_call))
    return phase


def _extra(done: Recorded, processes: int, uploads_per_call: int) -> dict[str, Any]:
    return {
        "batches": done.batches,
        "events": done.events,
        "refused": done.refused,
        "processes": processes,
        "uploads_per_transaction": uploads_per_call,
        "transactions": done.calls,
    }


def fold(registry: Registry) -> Phase:
    """Bring every projection up to the end of the log, as a projection worker does: in as many
    processes as the worker folds in (projections/parallel.py)."""

    def catch_up(phase: Phase) -> None:
        parallel = registry.runner.parallel
        phase.count = parallel.catch_up() if parallel else registry.runner.catch_up()
        _processes(registry, phase)

    return timed("fold", catch_up, children=True)


def _processes(registry: Registry, phase: Phase) -> None:
    """How many processes folded, and the seconds of each share of the projections."""
    parallel = registry.runner.parallel
    phase.extra["processes"] = len(parallel.shares) if parallel else 1
    if parallel:
        phase.extra["shares_seconds"] = {k: round(v, 2) for k, v in parallel.seconds.items()}


def commands(registry: Registry, district: synthetic.District) -> tuple[Phase, Phase]:
    """Asset registrations, contracts, rent invoices and receipts; then every month's meal
    settlements (drafted, submitted, verified, approved)."""

    def assets(phase: Phase) -> None:
        synthetic.record_assets(registry, district, lambda n: _add(phase, n))

    def settlements(phase: Phase) -> None:
        drafts: list[float] = []
        synthetic.record_settlements(registry, district, lambda n: _add(phase, n), drafts.append)
        phase.extra.update(drafts=len(drafts), draft_seconds=round(sum(drafts), 3))

    return timed("assets", assets), timed("settlements", settlements)


def _add(phase: Phase, n: int) -> None:
    phase.count += n


def rebuild(registry: Registry) -> Phase:
    def refold(phase: Phase) -> None:
        phase.count = registry.runner.rebuild()
        _processes(registry, phase)

    return timed("rebuild", refold, children=True)
