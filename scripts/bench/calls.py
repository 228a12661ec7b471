"""Recording the synthetic district's uploads through the application, one or several uploads
(canteen-days) in each call and transaction: what the ingest phase does in one process or in
each of several (scripts/bench/parallel.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from domain.meals.uploads import BatchResult, MealRecordInput, UploadInput
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry
from scripts.bench import district as synthetic

Batch = tuple[str, date, str, list[MealRecordInput]]


@dataclass
class Recorded:
    """What a share of the ingest recorded: meals accepted, records refused, uploads (batches),
    events (the meals and one MealBatch per upload) and write transactions (calls)."""

    meals: int = 0
    refused: int = 0
    batches: int = 0
    events: int = 0
    calls: int = 0

    def add(self, other: Recorded) -> None:
        self.meals, self.refused = self.meals + other.meals, self.refused + other.refused
        self.batches, self.events = self.batches + other.batches, self.events + other.events
        self.calls += other.calls


def record_in_calls(
    registry: Registry, district: synthetic.District, batches: Iterable[Batch], per_call: int
) -> Recorded:
    """Record the batches through the application, ``per_call`` uploads in each call (one
    transaction: ``record_meal_uploads``; 1: ``record_meals``, one upload a call)."""
    done = Recorded()
    for call in _calls(batches, per_call):
        by = Provenance(f"meal-point:{call[0][0]}/ST-01", "助餐点每日就餐登记（bench）")
        if per_call == 1:
            village, _day, batch_no, records = call[0]
            results: Sequence[BatchResult] = [
                registry.meals.record_meals(district.points[village], batch_no, records, by)
            ]
        else:
            uploads = [UploadInput(district.points[v], no, rs) for v, _d, no, rs in call]
            results = registry.meals.record_meal_uploads(uploads, by)
        for result in results:
            new = sum(1 for o in result.outcomes if o.status == "accepted")
            done.meals, done.refused = done.meals + new, done.refused + result.refused_count
            done.batches, done.events = done.batches + 1, done.events + new + 1
        done.calls += 1
    return done


def _calls(batches: Iterable[Batch], per_call: int) -> Iterator[list[Batch]]:
    call: list[Batch] = []
    for batch in batches:
        call.append(batch)
        if len(call) == per_call:
            yield call
            call = []
    if call:
        yield call
