"""Months as the books name them: ``YYYY-MM`` (the shared ``month_of`` writes them)."""

from __future__ import annotations

import re
from datetime import date

from domain.shared.errors import InvalidInput

Month = str  # "2026-03"
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def check_month(text: str, field: str = "month") -> Month:
    if not isinstance(text, str) or not _MONTH.fullmatch(text):
        raise InvalidInput(f"{field} must be YYYY-MM, got {text!r}", field=field)
    return text


def first_day(month: Month) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def next_month(month: Month) -> Month:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def previous_month(month: Month) -> Month:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def last_day(month: Month) -> date:
    return date.fromordinal(first_day(next_month(month)).toordinal() - 1)
