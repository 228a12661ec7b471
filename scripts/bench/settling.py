"""The bench's settling phase: a district of many canteens closing a month in one command.

The main synthetic district has 10 canteens × 2 months, too few to time a command that drafts
hundreds at once. So, after every other phase (nothing measured later sees its data), this
records a second synthetic district (``SETTLE_DISTRICT``, ``canteens`` canteens of ``elders``
elders each, the same meal rates as the main one) with one month of meals (April 2024),
projections deferred, folds it, and then times ``draft_settlements`` over the whole district
with the projections deferred (the command; a projection worker folds) and the fold of what it
recorded (the worker's share), then the same command again (a retry: every canteen unchanged).
The baseline is the per-command figure of the main district: ``draft_settlement`` one canteen
and month at a time, as the "settlement commands" phase drafts (scripts/bench/phases.py).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.meals.policy_keys import DEFAULT_MEAL_PRICES, DEFAULT_MEAL_SUBSIDIES
from domain.shared.values import Provenance
from qianwan.bootstrap import bootstrap
from qianwan.settings import Settings
from scripts.bench import district as synthetic
from scripts.bench.phases import Phase, ingest, timed

SETTLE_DISTRICT = "320997"  # not a real district: the settling phase's own
MONTH = "2024-04"
MONTH_DAYS = range(91, 121)  # 2024-04-01 … 2024-04-30, counted from synthetic.START
DRAFTED_ON = date(2024, 5, 3)
FIRST_ELDER = synthetic.BIRTH_DAYS * 150  # its elders' ID numbers after the main ones
BY = Provenance("accountant:bench-district", "区民政局月度结算（bench）")


@dataclass(frozen=True)
class SettleSize:
    canteens: int = 100  # 0: no settling phase
    elders: int = 40  # per canteen


def settling_phases(
    settings: Settings,
    size: SettleSize,
    say: Callable[[str], None],
    analyze: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Record the settling district, then time the bulk drafts, their fold and a retry.
    analyze: refreshes the planner's statistics after the meals are folded (PostgreSQL)."""
    registry = bootstrap(settings, read_your_writes=False)
    try:
        registry.meals.today = lambda: DRAFTED_ON + timedelta(days=30)
        say(f"settling: {size.canteens} canteens × {size.elders} elders, one month of meals …")
        shape = synthetic.Size(villages=size.canteens, elders=size.elders, days=MONTH_DAYS.stop)
        towns, villages = synthetic.record_places(registry, shape, SETTLE_DISTRICT)
        on = synthetic.POLICIES_FROM
        for key, value in (
            ("meals.subsidy_yuan", DEFAULT_MEAL_SUBSIDIES),
            ("meals.standard_price_yuan", DEFAULT_MEAL_PRICES),
        ):
            registry.policies.set_policy(key, SETTLE_DISTRICT, on, value, "bench", synthetic.ADMIN)
        district = synthetic.record_people(registry, shape, villages, FIRST_ELDER)
        district.towns = towns
        meals = ingest(
            registry, district, synthetic.meal_batches(district, MONTH_DAYS), "settle_ingest"
        )
        registry.runner.catch_up()
        analyze()
        say(f"  {meals.count:,} meals; drafting {MONTH} for the district in one command …")
        outcomes: list[Any] = []

        def draft(phase: Phase) -> None:
            cpu = time.process_time()
            found = registry.meals.draft_settlements(SETTLE_DISTRICT, MONTH, DRAFTED_ON, BY)
            phase.extra["cpu_seconds"] = round(time.process_time() - cpu, 3)  # this process's
            outcomes.extend(found)
            phase.count = sum(1 for o in found if o.status == "drafted")

        drafting = timed("settlement_drafting", draft)
        drafting.extra.update(
            outcomes=dict(Counter(o.status for o in outcomes)),
            meals_claimed=sum(o.meals for o in outcomes),
            projections="deferred (a projection worker folds)",
        )
        folded = timed("settlement_drafting_fold", lambda p: _fold(registry, p, drafting.count))
        again: list[Any] = []

        def retry(phase: Phase) -> None:
            again.extend(registry.meals.draft_settlements(SETTLE_DISTRICT, MONTH, DRAFTED_ON, BY))
            phase.count = len(again)

        retried = timed("settlement_drafting_retry", retry)
        retried.extra["outcomes"] = dict(Counter(o.status for o in again))
    finally:
        registry.close()
    both = Phase("settlement_drafting_with_fold", drafting.count)
    both.seconds = drafting.seconds + folded.seconds
    return {
        "settlement_drafting": drafting.as_dict(),
        "settlement_drafting_fold": folded.as_dict(),
        "settlement_drafting_with_fold": both.as_dict(),
        "settlement_drafting_retry": retried.as_dict(),
        "settlement_drafting_size": {
            "canteens": size.canteens,
            "elders": size.elders,
            "month": MONTH,
            "meals": meals.count,
        },
    }


def _fold(registry: Any, phase: Phase, canteen_months: int) -> None:
    """The worker's catch-up over the drafts: counted in canteen-months (and events)."""
    started = registry.store.last_notification_id()
    phase.extra["events"] = registry.runner.catch_up()
    phase.extra["log_end"] = started
    phase.count = canteen_months


def draft_timing(seconds: float, count: int) -> dict[str, Any]:
    """The per-command baseline as a phase row: canteen-months drafted one by one."""
    found = Phase("settlement_drafting_baseline", count, seconds)
    return {**found.as_dict(), "what": "draft_settlement, one canteen-month per command"}
