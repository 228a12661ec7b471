"""The demo's disclosures (村务公开): the district's schedule (monthly, within 10 days) in force
from the month before last; that month's disclosure drafted, reviewed by each village's finance
group and published in every village but one, which is left overdue; and the last complete
month's published too in 乌村桥村 and one more village, so that the public pages and the
overdue findings have data (invented demo data; docs/disclosure.md).

The periods follow the registry's today. Loading is resumable: a village's period already
published is skipped, an open one is carried on."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from typing import Any

from tqdm import tqdm

from domain.disclosure.model import Disclosure
from domain.disclosure.periods import Period, period_containing
from domain.disclosure.policy_keys import SCHEDULE_KEY
from domain.disclosure.vocabulary import DRAFTED, MONTH, PUBLISHED, REJECTED, REVIEWED
from domain.shared.errors import PolicyNotInForce
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry
from scripts.demo_books import demo_villages

DISTRICT = "320117"
WUCUNQIAO = "320117107206"  # 乌村桥村: publishes both months
SCHEDULE = {"frequency": "monthly", "due_days": 10}
EVENTS_PER_DISCLOSURE = 3  # drafted, reviewed, published
ADMIN = Provenance("admin:demo", "溧水区村务公开制度（演示）")


def periods(today: date) -> tuple[Period, Period]:
    """(the month before last, the last complete month) on ``today``."""
    last = period_containing(today.replace(day=1) - timedelta(days=1), MONTH)
    return period_containing(last.start - timedelta(days=1), MONTH), last


def plan(places: dict[str, Any], today: date) -> list[tuple[str, str, Period]]:
    """(village code, name, period) of every disclosure the demo publishes."""
    villages = demo_villages(places)
    earlier, last = periods(today)
    overdue = overdue_village(places)
    second = next(code for code, _ in villages if code not in (WUCUNQIAO, overdue))
    planned = [(code, name, earlier) for code, name in villages if code != overdue]
    planned += [(code, name, last) for code, name in villages if code in (WUCUNQIAO, second)]
    return planned


def overdue_village(places: dict[str, Any]) -> str:
    """The village the demo leaves without its disclosure of the month before last."""
    return next(code for code, _ in reversed(demo_villages(places)) if code != WUCUNQIAO)


def planned_disclosure_events(places: dict[str, Any]) -> int:
    """How many events the disclosure demo records into a store holding the rest of the demo:
    the schedule policy and three per disclosure (as many whatever the day)."""
    return 1 + EVENTS_PER_DISCLOSURE * len(plan(places, date(2026, 1, 1)))


def schedule_set(registry: Registry) -> bool:
    try:
        registry.policies.in_force(SCHEDULE_KEY, DISTRICT, date(2999, 12, 31))
    except PolicyNotInForce:
        return False
    return True


def state_of(registry: Registry, code: str, period: Period) -> str | None:
    found = registry.disclosure.editions(code, period.text)
    return found[-1].state if found else None


def disclosure_demo_loaded(registry: Registry, places: dict[str, Any]) -> bool:
    today = registry.clock.today()
    return schedule_set(registry) and all(
        state_of(registry, code, period) == PUBLISHED for code, _, period in plan(places, today)
    )


def load_disclosure_demo(registry: Registry, places: dict[str, Any], progress: bool = True) -> None:
    """Set the schedule and publish the planned disclosures; what is there is skipped."""
    today = registry.clock.today()
    planned = plan(places, today)
    with tqdm(
        total=planned_disclosure_events(places),
        desc="demo disclosures",
        unit="fact",
        file=sys.stderr,
        disable=not progress,
    ) as bar:
        if not schedule_set(registry):
            earlier, _ = periods(today)
            registry.policies.set_policy(
                SCHEDULE_KEY, DISTRICT, earlier.start, SCHEDULE, "溧水区村务公开制度（演示）", ADMIN
            )
            bar.update(1)
        for code, name, period in planned:
            before = registry.store.last_notification_id()
            publish(registry, code, name, period, today)
            bar.update(registry.store.last_notification_id() - before)


def publish(registry: Registry, code: str, name: str, period: Period, today: date) -> None:
    app = registry.disclosure
    by = Provenance(f"accountant:{code}", f"{name}村务公开（演示）")
    state = state_of(registry, code, period)
    if state == PUBLISHED:
        return
    made = (
        Disclosure.create_id(code, period.text, 1)
        if state is not None
        else app.draft(code, period.text, None, None, by)
    )
    held_on = min(period.end + timedelta(days=3), today)
    if state in (None, DRAFTED, REJECTED):
        members = [f"{name}理财组{n}" for n in ("甲", "乙", "丙")]
        app.review(made, held_on, members, True, "账目清楚，同意公开", by)
    assert state in (None, DRAFTED, REJECTED, REVIEWED), state
    app.publish(made, held_on, by)
