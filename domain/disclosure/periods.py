"""The periods a disclosure covers: a whole month ``YYYY-MM`` or quarter ``YYYY-Qn``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.disclosure.errors import DisclosurePeriodInvalid
from domain.disclosure.vocabulary import MONTH, QUARTER
from domain.shared.clock import DATE_MAX, DATE_MIN

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")


@dataclass(frozen=True)
class Period:
    """text: "2026-03" or "2026-Q1". kind: month or quarter. number: the month (1–12) or the
    quarter (1–4). start, end: its first and last day."""

    text: str
    kind: str
    year: int
    number: int

    @property
    def first_month(self) -> int:
        return self.number if self.kind == MONTH else 3 * self.number - 2

    @property
    def last_month(self) -> int:
        return self.number if self.kind == MONTH else 3 * self.number

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        if self.last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.last_month + 1, 1) - timedelta(days=1)

    def next(self) -> Period:
        return period_containing(self.end + timedelta(days=1), self.kind)


def parse_period(text: object, field: str = "period") -> Period:
    """The period ``text`` names (docs/rules.md D-01), within the registry's years."""
    if isinstance(text, str):
        if found := _MONTH.fullmatch(text):
            period = Period(text, MONTH, int(found[1]), int(found[2]))
        elif found := _QUARTER.fullmatch(text):
            period = Period(text, QUARTER, int(found[1]), int(found[2]))
        else:
            period = None
        if period is not None and DATE_MIN.year <= period.year < DATE_MAX.year:
            return period
    shown = repr(text)[:40]
    raise DisclosurePeriodInvalid(
        f"{field} must be a month YYYY-MM or a quarter YYYY-Qn of the years "
        f"{DATE_MIN.year}–{DATE_MAX.year - 1}, got {shown}",
        field=field,
    )


def period_containing(day: date, kind: str) -> Period:
    """The month or quarter ``day`` lies in."""
    if kind == MONTH:
        return Period(f"{day.year:04d}-{day.month:02d}", MONTH, day.year, day.month)
    quarter = (day.month - 1) // 3 + 1
    return Period(f"{day.year:04d}-Q{quarter}", QUARTER, day.year, quarter)
