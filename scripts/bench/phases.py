"""The benchmark's phases on a bootstrapped registry: each returns plain figures and the memory
it used. Orchestrated by scripts/bench/__init__.py."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.meals.uploads import MealRecordInput
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry
from qianwan.settings import Settings
from scripts.bench import district as synthetic
from scripts.bench import parallel
from scripts.bench.baseline import rate
from scripts.bench.memory import Sampler

Batch = tuple[str, date, str, list[MealRecordInput]]


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


def timed(name: str, work: Callable[[Phase], None]) -> Phase:
    phase = Phase(name)
    with Sampler() as memory:
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
    registry: Registry, district: synthetic.District, batches: Iterable[Batch], name: str
) -> Phase:
    """Record the meal batches through the application in this process; count the meals
    accepted (events: the meals and one MealBatch per upload)."""

    def record(phase: Phase) -> None:
        batches_done = events = refused = 0
        for village, _day, batch_no, records in batches:
            by = Provenance(f"meal-point:{village}/ST-01", "助餐点每日就餐登记（bench）")
            result = registry.meals.record_meals(district.points[village], batch_no, records, by)
            new = sum(1 for o in result.outcomes if o.status == "accepted")
            refused += result.refused_count
            phase.count += new
            batches_done, events = batches_done + 1, events + new + 1
        phase.extra.update(batches=batches_done, events=events, refused=refused, processes=1)

    return timed(name, record)


def ingest_in_processes(
    settings: Settings, district: synthetic.District, days: range, processes: int
) -> Phase:
    """The same, by ``processes`` processes at once (scripts/bench/parallel.py)."""
    recorded, seconds, memory = parallel.ingest_in_processes(settings, district, days, processes)
    phase = Phase("ingest", recorded.meals, seconds, memory)
    phase.extra.update(
        batches=recorded.batches,
        events=recorded.events,
        refused=recorded.refused,
        processes=processes,
    )
    return phase


def fold(registry: Registry) -> Phase:
    """Bring every projection up to the end of the log, as a projection worker does."""

    def catch_up(phase: Phase) -> None:
        phase.count = registry.runner.catch_up()

    return timed("fold", catch_up)


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

    return timed("rebuild", refold)
