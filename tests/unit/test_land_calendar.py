"""Working days and the filing period before listing (Civil Code art. 201: the first day is not
counted; the listing day must come after the period has run)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.land.calendar import WorkingCalendar
from domain.land.errors import ListingBeforeFilingPeriodElapsed
from domain.land.policy_keys import DEFAULT_PUBLIC_HOLIDAYS
from domain.land.rules import check_filing_period

CHINA = WorkingCalendar.from_policy(DEFAULT_PUBLIC_HOLIDAYS)
PLAIN = WorkingCalendar.weekdays_only()


def test_weekends_rest_holidays_rest_and_make_up_weekends_work() -> None:
    assert PLAIN.is_working_day(date(2024, 10, 1))  # a Tuesday, on a weekdays-only calendar
    assert not CHINA.is_working_day(date(2024, 10, 1))  # National Day
    assert CHINA.is_working_day(date(2024, 10, 12))  # a Saturday worked (调休)
    assert not CHINA.is_working_day(date(2024, 10, 13))  # an ordinary Sunday


def test_working_days_are_counted_strictly_between_two_days() -> None:
    assert PLAIN.working_days_between(date(2024, 4, 1), date(2024, 4, 2)) == 0
    assert PLAIN.working_days_between(date(2024, 4, 1), date(2024, 4, 8)) == 4  # Tue–Fri
    assert CHINA.working_days_between(date(2024, 4, 1), date(2024, 4, 8)) == 3  # + Sun 7th


@pytest.mark.parametrize(
    ("filed_on", "earliest"),
    [
        (date(2024, 4, 1), date(2024, 4, 17)),  # Qingming Thu–Fri off, Sunday 7th worked
        (date(2024, 9, 27), date(2024, 10, 17)),  # National Day week, two weekends worked
        (date(2025, 1, 20), date(2025, 2, 9)),  # Spring Festival; Sun 26 Jan and Sat 8 Feb worked
    ],
)
def test_the_earliest_listing_day_is_after_ten_working_days(filed_on: date, earliest: date) -> None:
    day_before = date.fromordinal(earliest.toordinal() - 1)
    with pytest.raises(ListingBeforeFilingPeriodElapsed) as info:
        check_filing_period(filed_on, day_before, 10, CHINA)
    assert str(earliest) in info.value.message
    assert check_filing_period(filed_on, earliest, 10, CHINA) == 10


def test_the_record_names_the_weekday_holidays_that_were_not_counted() -> None:
    assert CHINA.holidays_between(date(2024, 9, 27), date(2024, 10, 17)) == [
        date(2024, 10, d) for d in (1, 2, 3, 4, 7)
    ]
    assert CHINA.nth_working_day_after(date(2024, 9, 27), 1) == date(2024, 9, 29)
