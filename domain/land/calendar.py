"""Working days: Monday to Friday, less public holidays, plus the weekends worked instead (调休).

Periods follow Civil Code art. 201: the day a period starts from is not counted. A plan filed on
day F has been filed for N working days *before* day T when at least N working days lie strictly
between F and T; the earliest day T is therefore the day after the N-th working day after F.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

MAX_PERIOD_DAYS = 3660  # no working-day period the registry counts spans more than ten years


@dataclass(frozen=True)
class WorkingCalendar:
    """holidays: weekdays (or any days) that are not working days. working_weekends: Saturdays
    and Sundays that are working days."""

    holidays: frozenset[date]
    working_weekends: frozenset[date]

    @classmethod
    def from_policy(cls, value: dict[str, Any]) -> WorkingCalendar:
        """From the JSON shape of the ``calendar.public_holidays`` policy."""
        return cls(
            frozenset(date.fromisoformat(d) for d in value["holidays"]),
            frozenset(date.fromisoformat(d) for d in value.get("working_weekends", [])),
        )

    @classmethod
    def weekdays_only(cls) -> WorkingCalendar:
        return cls(frozenset(), frozenset())

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekends:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days_between(self, after: date, before: date) -> int:
        """Working days strictly after ``after`` and strictly before ``before``."""
        return sum(1 for day in _days(after, before) if self.is_working_day(day))

    def holidays_between(self, after: date, before: date) -> list[date]:
        """The holidays that fell on weekdays strictly between the two days (for the record)."""
        return [d for d in _days(after, before) if d.weekday() < 5 and d in self.holidays]

    def nth_working_day_after(self, start: date, n: int) -> date:
        assert n >= 1
        day, found = start, 0
        for _ in range(MAX_PERIOD_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                found += 1
                if found == n:
                    return day
        raise ValueError(f"no {n} working days within {MAX_PERIOD_DAYS} days of {start}")


def _days(after: date, before: date) -> Iterable[date]:
    span = min((before - after).days - 1, MAX_PERIOD_DAYS)
    return (after + timedelta(days=k) for k in range(1, span + 1))
