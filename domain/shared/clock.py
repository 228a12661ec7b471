"""One clock for the whole registry: its time zone, today and now, and how dates and times that
people write are read.

Business dates ("today": a meal's day, a token's expiry, the books' default as-of) and every time
written without an offset are in the registry's time zone, ``Asia/Shanghai`` unless
``QIANWAN_TIME_ZONE`` names another IANA zone (qianwan/settings.py). Nothing here reads the
host's own zone (``TZ``, /etc/localtime): a registry on a UTC host in Frankfurt answers as one in
Nanjing. Recorded times (eventsourcing's event timestamps) stay UTC and carry their offset.

Dates and times people write must lie inside a range the registry can compute with: centuries
from the edges of Python's calendar, so that a term of 70 years, a birthday or the day before
never overflows, and an offset of a day never pushes a time past year 9999 or before year 1.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.shared.errors import (
    DateInvalid,
    DateOutOfRange,
    TimeInvalid,
    TimeOutOfRange,
    TimeZoneUnknown,
)

DEFAULT_TIME_ZONE = "Asia/Shanghai"  # China Standard Time, UTC+8, no daylight saving since 1991
DATE_MIN = date(1800, 1, 1)  # before any birth date a resident ID number may carry (1890)
DATE_MAX = date(2999, 12, 31)  # past any term a contract may run (70 years at most)
TIME_MIN = datetime(DATE_MIN.year, 1, 1, tzinfo=UTC)
TIME_MAX = datetime(DATE_MAX.year + 1, 1, 1, tzinfo=UTC)  # excluded
WALL_CLOCK_MIN = datetime(DATE_MIN.year, 1, 1)  # a time without an offset: its dates, as written
WALL_CLOCK_MAX = datetime(DATE_MAX.year + 1, 1, 1)  # excluded
TIME_TEXT_MAX_CHARS = 64  # longer than any ISO 8601 time; longer text is not parsed


def time_zone(name: str) -> ZoneInfo:
    """The IANA zone of that name (e.g. Asia/Shanghai), or ``time_zone_unknown``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise TimeZoneUnknown(
            f"{name!r} names no IANA time zone known here (such as {DEFAULT_TIME_ZONE!r})",
            field="time_zone",
        ) from None


def system_utc_now() -> datetime:
    """Now, from the system's seconds since the epoch (which know no time zone)."""
    return datetime.fromtimestamp(time.time(), UTC)


def default_zone() -> ZoneInfo:
    return time_zone(DEFAULT_TIME_ZONE)


@dataclass(frozen=True)
class Clock:
    """The registry's clock. ``zone``: the registry's time zone. ``utc_now``: where the present
    moment comes from; a test injects its own (``Clock(zone, lambda: moment)``)."""

    zone: tzinfo = field(default_factory=default_zone)
    utc_now: Callable[[], datetime] = system_utc_now

    @classmethod
    def named(cls, zone_name: str) -> Clock:
        return cls(time_zone(zone_name))

    def now(self) -> datetime:
        """The present moment, in the registry's zone."""
        return self.utc_now().astimezone(self.zone)

    def today(self) -> date:
        """The business date now, in the registry's zone (not the host's)."""
        return self.now().date()

    def aware(self, moment: datetime, field: str = "at") -> datetime:
        """``moment`` with its offset, or in the registry's zone when it has none; refused
        (``time_out_of_range``) outside TIME_MIN–TIME_MAX, before any arithmetic can overflow."""
        found = moment if moment.tzinfo is not None else moment.replace(tzinfo=self.zone)
        # Comparing aware times never overflows; converting one near year 1 or 9999 may.
        if not TIME_MIN <= found < TIME_MAX:
            raise TimeOutOfRange(
                f"{field} {moment.isoformat()} is outside {DATE_MIN.year}–{DATE_MAX.year}",
                field=field,
            )
        return found

    def read_time(self, text: str, field: str = "at") -> datetime:
        """An ISO 8601 time as people write it: ``2024-08-20T07:30`` (the registry's zone),
        ``2024-08-20T07:30+08:00`` or ``2024-08-19T23:30Z``."""
        return self.aware(parse_iso_time(text, field), field)

    def wall_clock(self, moment: datetime) -> datetime:
        return wall_clock(moment, self.zone)


def wall_clock(moment: datetime, zone: tzinfo, field: str = "at") -> datetime:
    """The wall-clock time in ``zone``, without an offset. A naive ``moment`` is one already and
    comes back as it is (not moved across a daylight-saving gap). On the hot path of meal
    uploads: naive comparisons, no conversion unless there is an offset."""
    if moment.tzinfo is None:
        if not WALL_CLOCK_MIN <= moment < WALL_CLOCK_MAX:
            raise TimeOutOfRange(f"{field} {moment.isoformat()} is outside what the registry holds")
        return moment
    if not TIME_MIN <= moment < TIME_MAX:
        raise TimeOutOfRange(f"{field} {moment.isoformat()} is outside what the registry holds")
    return moment.astimezone(zone).replace(tzinfo=None)


def parse_iso_time(text: str, field: str = "at") -> datetime:
    """An ISO 8601 time, naive or aware as written (``time_invalid`` otherwise)."""
    if not isinstance(text, str) or len(text) > TIME_TEXT_MAX_CHARS:
        raise TimeInvalid(f"{field} must be an ISO 8601 time such as 2024-08-20T07:30", field=field)
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise TimeInvalid(
            f"{field} {text!r} is not an ISO 8601 time such as 2024-08-20T07:30 or "
            "2024-08-20T07:30+08:00",
            field=field,
        ) from None


def business_date(day: date, field: str = "on") -> date:
    """``day`` when the registry can hold it (DATE_MIN–DATE_MAX), else ``date_out_of_range``."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise DateOutOfRange(
            f"{field} {day.isoformat()} is outside {DATE_MIN.isoformat()}–{DATE_MAX.isoformat()}",
            field=field,
        )
    return day


def read_date(text: str, field: str = "on") -> date:
    """A date written YYYY-MM-DD, inside DATE_MIN–DATE_MAX."""
    if not isinstance(text, str) or len(text) > TIME_TEXT_MAX_CHARS:
        raise DateInvalid(f"{field} must be a date YYYY-MM-DD", field=field)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise DateInvalid(f"{field} {text!r} is not a date YYYY-MM-DD", field=field) from None
    return business_date(day, field)


def in_utc(moment: datetime, field: str = "at") -> datetime:
    """An aware time in UTC (``time_out_of_range`` when it cannot be held). A naive time is a
    programmer's error here: whoever read it (the GraphQL scalar, the command line) gave it the
    registry's zone, and the host's zone must never be guessed."""
    if moment.tzinfo is None:
        raise TypeError(f"{field}: a time without an offset reached the books; use Clock.aware")
    if not TIME_MIN <= moment < TIME_MAX:
        raise TimeOutOfRange(
            f"{field} {moment.isoformat()} is outside what the registry holds", field=field
        )
    return moment.astimezone(UTC)


def month_of(day: date) -> str:
    """The calendar month a day falls in, as ``YYYY-MM`` (settlement and summary months)."""
    return f"{day.year:04d}-{day.month:02d}"
