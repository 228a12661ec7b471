"""The rules of elderly meal assistance (老年助餐), as plain functions, each citing its rule in
docs/rules.md (M-01 …). The aggregates (model/) and the commands (application.py, recording.py,
settling.py) call them; a rule is written here once.
"""

from __future__ import annotations

import calendar
from datetime import date

# -- M-02 enrolment age ------------------------------------------------------------------------

ENROLMENT_AGE_MIN = 60  # 老年助餐 serves people aged 60 and over (民发〔2023〕58号)


def birthday(born: date, years: int) -> date:
    """The day someone born on ``born`` turns ``years`` (29 February → 1 March) (M-02, M-05)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


# -- M-04 slot windows ---------------------------------------------------------------------------


def clock_seconds(text: str) -> int:
    """'11:30' or '11:30:15' → seconds after midnight; ValueError when malformed."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"not a time of day: {text!r}")
    h, m, s = (int(p) for p in (*parts, "00")[:3])
    if h > 23 or m > 59 or s > 59:
        raise ValueError(f"not a time of day: {text!r}")
    return h * 3600 + m * 60 + s


# -- M-11 the settlement month -------------------------------------------------------------------


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    """'2024-05' → (2024-05-01, 2024-05-31); ValueError when malformed."""
    if len(month) != 7 or month[4] != "-":
        raise ValueError(f"month must look like 2024-05, got {month!r}")
    year, number = int(month[:4]), int(month[5:])
    last = calendar.monthrange(year, number)[1]
    return date(year, number, 1), date(year, number, last)
