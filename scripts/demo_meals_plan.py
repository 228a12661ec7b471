"""Three months of meals for the demo district, generated from the roster in
``demo_data/lishui_meals.json`` with a seeded random generator (the same plan on every run), and
the frauds planted in them that the auditors' findings must catch.

Elders keep habits of their own (how often they come for breakfast, lunch, dinner), miss a few
days a month and sometimes a week; delivered meals go to care-dependent elders of points that
deliver. One batch per meal point and day. Nothing here touches the registry:
scripts/demo_meals.py records the plan.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from domain.meals.rules import clock_seconds
from domain.meals.vocabulary import DEFAULT_SLOT_WINDOWS, SLOTS

MEALS_FILE = Path(__file__).parent / "demo_data" / "lishui_meals.json"
SEED = "lishui-meals-2026Q3"
PERIOD_START, PERIOD_END = date(2026, 7, 1), date(2026, 9, 30)
CARE = frozenset({"care_dependent", "partly_care_dependent"})

# The planted frauds (docs/rules.md M-07, M-08, M-10: subsidies after death, invented meals,
# double claims).
DIED, DEATH_REPORTED, LATE_UPLOAD = date(2026, 7, 20), date(2026, 8, 25), date(2026, 8, 26)
DEAD_ELDER = "CJ-05"  # 城郊村: died 20 July; the canteen claimed his lunch until 24 August
NEVER_ABSENT_ELDER = "WCQ-01"  # 乌村桥村: a lunch recorded on every one of the 92 days
DOUBLE_CLAIMED_ELDER, DOUBLE_CLAIMING_POINT = "WCQ-03", "LS-ZCD"  # eats at 乌村桥村 …
DOUBLE_CLAIM_DAYS = (date(2026, 8, 12), date(2026, 8, 19), date(2026, 8, 26))  # … 骆山村 claims
LATE_LUNCH_POINT, LATE_LUNCH_DAY = "CL-ZCD", date(2026, 9, 8)  # 长乐村: lunches at 14:35–14:50
LATE_LUNCH_ELDERS = ("CL-02", "CL-03", "CL-04")
CROWDED_POINT, CROWDED_DAY, CROWDED_DINNERS = "STZ-ZCD", date(2026, 8, 20), 14  # above capacity
SPIKE_POINT, SPIKE_DAY = "XY-ZT", date(2026, 9, 15)  # every elder three meals: a sudden spike


@dataclass(frozen=True)
class Planted:
    """A planted fraud and the finding that must catch it (kind, point, day, elder)."""

    kind: str
    meal_point: str
    on: date
    elder: str | None
    story: str


STORIES = {
    "late_death": "died 20 July, reported 25 August: the lunches claimed meanwhile are voided, "
    "the paid July ones clawed back in August",
    "after_report": "a lunch uploaded after the death was reported: refused",
    "double": "骆山村 claims the lunch an elder of 乌村桥村 ate at home: refused",
    "late_lunch": "lunches at 14:35–14:50, long after the window (staff eating late): refused",
    "crowded": "34 meals claimed at a point that serves 30 a day",
    "spike": "every elder recorded for all three meals on one day",
    "never_absent": "a lunch every day for three months: real people fall ill and travel",
}
PLANTED = (
    Planted("meal_after_death", "CJ-ZT", DIED + timedelta(1), DEAD_ELDER, STORIES["late_death"]),
    Planted("meal_after_death", "CJ-ZT", LATE_UPLOAD, DEAD_ELDER, STORIES["after_report"]),
    *(
        Planted(
            "duplicate_claim", DOUBLE_CLAIMING_POINT, day, DOUBLE_CLAIMED_ELDER, STORIES["double"]
        )
        for day in DOUBLE_CLAIM_DAYS
    ),
    *(
        Planted("meal_outside_window", LATE_LUNCH_POINT, LATE_LUNCH_DAY, r, STORIES["late_lunch"])
        for r in LATE_LUNCH_ELDERS
    ),
    Planted("daily_count_above_capacity", CROWDED_POINT, CROWDED_DAY, None, STORIES["crowded"]),
    Planted("sudden_spike", SPIKE_POINT, SPIKE_DAY, None, STORIES["spike"]),
    Planted("never_absent", "WCQ-ZT", PERIOD_END, NEVER_ABSENT_ELDER, STORIES["never_absent"]),
)


@dataclass(frozen=True)
class PlannedMeal:
    """refusal: the code the registry must give (a planted fraud), None when it must accept."""

    record_id: str
    elder: str  # the roster ref
    served_at: datetime
    slot: str
    delivery: bool = False
    price_yuan: str | None = None
    refusal: str | None = None


@dataclass(frozen=True)
class PlannedBatch:
    meal_point: str
    batch_no: str
    day: date
    meals: tuple[PlannedMeal, ...]
    after_death_reported: bool = False  # recorded once the death is recorded


def read_meals() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MEALS_FILE.read_text(encoding="utf-8"))
    return data


def days() -> Iterator[date]:
    for n in range((PERIOD_END - PERIOD_START).days + 1):
        yield PERIOD_START + timedelta(n)


class Elder:
    """A roster entry with the habits the seeded generator gives it."""

    def __init__(self, entry: dict[str, Any], point: dict[str, Any]) -> None:
        self.ref: str = entry["ref"]
        self.entry = entry
        steps = {s["do"]: s for s in entry.get("steps", ())}
        self.enrolled_on = date.fromisoformat(entry["enrolled_on"])
        self.suspended = (
            (
                date.fromisoformat(steps["suspend_elder"]["from_on"]),
                date.fromisoformat(steps["resume_elder"]["resumed_on"]),
            )
            if "suspend_elder" in steps
            else None
        )
        moved = steps.get("move_elder")
        self.moved_on = date.fromisoformat(moved["moved_on"]) if moved else None
        self.windows: list[tuple[str, date, date | None]] = [
            (c["category"], date.fromisoformat(c["valid_from"]), None) for c in entry["categories"]
        ]
        if "grant_category" in steps:
            g = steps["grant_category"]
            self.windows.append((g["category"], date.fromisoformat(g["valid_from"]), None))
        if "end_category" in steps:
            e = steps["end_category"]
            self.windows = [
                (c, f, date.fromisoformat(e["valid_to"]) if c == e["category"] else t)
                for c, f, t in self.windows
            ]
        habits = random.Random(f"{SEED}/{self.ref}")
        slots = point_windows(point)
        self.rates = {
            "breakfast": habits.choice((0, 0, 0.1, 0.2, 0.35)) if "breakfast" in slots else 0,
            "lunch": habits.uniform(0.72, 0.92),
            "dinner": habits.choice((0, 0.1, 0.2, 0.3, 0.5)) if "dinner" in slots else 0,
        }
        # a couple of days off every month: nobody eats at the canteen every single day
        self.days_off = {date(2026, m, habits.randint(1, 28)) for m in (7, 8, 9) for _ in "ab"}
        if habits.random() < 0.4:  # a week with the children in town
            start = PERIOD_START + timedelta(habits.randint(0, 80))
            self.days_off |= {start + timedelta(n) for n in range(habits.randint(3, 8))}

    def categories_on(self, day: date) -> set[str]:
        return {c for c, f, t in self.windows if f <= day and (t is None or day <= t)}

    def registered_for(self, day: date) -> bool:
        """Enrolled, not suspended, not moved away, not (known to be) dead."""
        if day < self.enrolled_on or (self.moved_on is not None and day >= self.moved_on):
            return False
        if self.ref == DEAD_ELDER and day >= DEATH_REPORTED:
            return False
        return not (self.suspended and self.suspended[0] <= day < self.suspended[1])


def point_windows(point: dict[str, Any]) -> dict[str, tuple[str, str]]:
    slots = point.get("slots") or DEFAULT_SLOT_WINDOWS
    return {s: (w[0], w[1]) for s, w in slots.items()}


def meal_time(point: dict[str, Any], slot: str, day: date, pick: random.Random) -> datetime:
    """A minute inside the slot's window, away from its edges."""
    start, end = (clock_seconds(t) // 60 for t in point_windows(point)[slot])
    minute = pick.randint(start + 5, end - 15)
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60)


def meal(
    point: dict[str, Any], elder: Elder, day: date, slot: str, pick: random.Random
) -> PlannedMeal:
    cared_for = bool(elder.categories_on(day) & CARE)
    delivery = point["delivery_offered"] and slot != "breakfast" and cared_for
    return PlannedMeal(
        record_id=f"{day:%m%d}-{elder.ref}-{slot[0]}",
        elder=elder.ref,
        served_at=meal_time(point, slot, day, pick),
        slot=slot,
        delivery=delivery,
        price_yuan=(point.get("price_yuan") or {}).get(slot),
    )


def slots_served(point: dict[str, Any], elder: Elder, day: date, rank: int) -> list[str]:
    """The slots the elder eats at the point that day (planted days first, then habits)."""
    offered = point_windows(point)
    if not elder.registered_for(day):
        return []
    if point["code"] == SPIKE_POINT and day == SPIKE_DAY:
        return list(offered)
    if point["code"] == CROWDED_POINT and day == CROWDED_DAY:
        return ["lunch", "dinner"] if rank < CROWDED_DINNERS else ["lunch"]
    if elder.ref == DEAD_ELDER and day > DIED:
        return ["lunch"]  # invented after the death, every day
    if elder.ref == NEVER_ABSENT_ELDER or (
        elder.ref == DOUBLE_CLAIMED_ELDER and day in DOUBLE_CLAIM_DAYS
    ):
        return ["lunch"]
    if day in elder.days_off:
        return []
    pick = random.Random(f"{SEED}/{elder.ref}/{day}")
    weekend = 0.9 if day.weekday() >= 5 else 1.0
    served = [s for s in SLOTS if s in offered and pick.random() < elder.rates[s] * weekend]
    late_lunch = (point["code"], day) == (LATE_LUNCH_POINT, LATE_LUNCH_DAY)
    if late_lunch and elder.ref in LATE_LUNCH_ELDERS:
        served = [s for s in served if s != "lunch"]  # the planted late lunch replaces it
    return served


def planted_meals(point: dict[str, Any], day: date) -> list[PlannedMeal]:
    """Records that must be refused, added to the day's upload of their point."""
    found = []
    if point["code"] == DOUBLE_CLAIMING_POINT and day in DOUBLE_CLAIM_DAYS:
        at = datetime(day.year, day.month, day.day, 11, 50)
        found.append(
            PlannedMeal(
                f"{day:%m%d}-{DOUBLE_CLAIMED_ELDER}-l",
                DOUBLE_CLAIMED_ELDER,
                at,
                "lunch",
                refusal="second_meal_in_slot",
            )
        )
    if point["code"] == LATE_LUNCH_POINT and day == LATE_LUNCH_DAY:
        for n, ref in enumerate(LATE_LUNCH_ELDERS):
            at = datetime(day.year, day.month, day.day, 14, 35 + 7 * n)
            found.append(
                PlannedMeal(
                    f"{day:%m%d}-{ref}-l", ref, at, "lunch", refusal="time_outside_slot_window"
                )
            )
    return found


def plan_meals(data: dict[str, Any]) -> list[PlannedBatch]:
    """Every upload of the demo, in the order they are recorded."""
    points = {p["code"]: p for p in data["meal_points"]}
    roster = [Elder(e, points[e["meal_point"]]) for e in data["elders"]]
    batches = []
    for day in days():
        for code, point in points.items():
            here = [e for e in roster if e.entry["meal_point"] == code]
            records = [
                meal(point, elder, day, slot, random.Random(f"{SEED}/{elder.ref}/{day}/{slot}"))
                for rank, elder in enumerate(here)
                for slot in slots_served(point, elder, day, rank)
            ]
            records += planted_meals(point, day)
            if records:
                batches.append(PlannedBatch(code, f"{code}-{day:%Y%m%d}", day, tuple(records)))
    at = datetime(LATE_UPLOAD.year, LATE_UPLOAD.month, LATE_UPLOAD.day, 11, 40)
    late = PlannedMeal(
        f"{LATE_UPLOAD:%m%d}-{DEAD_ELDER}-l", DEAD_ELDER, at, "lunch", refusal="meal_after_death"
    )
    batches.append(
        PlannedBatch(
            "CJ-ZT",
            f"CJ-ZT-{LATE_UPLOAD:%Y%m%d}-补录",
            LATE_UPLOAD,
            (late,),
            after_death_reported=True,
        )
    )
    return batches


def voided_by_death(batches: list[PlannedBatch]) -> int:
    """Meals accepted for the dead elder after the death: record_death voids them."""
    return sum(
        1
        for b in batches
        for m in b.meals
        if m.elder == DEAD_ELDER and m.refusal is None and m.served_at.date() > DIED
    )
