"""The registry's clock: one time zone (Asia/Shanghai unless QIANWAN_TIME_ZONE says otherwise),
whatever the host's, and the dates and times it can hold."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from domain.shared.clock import DATE_MAX, DATE_MIN, Clock, business_date, in_utc, read_date
from domain.shared.errors import DomainError
from qianwan.settings import Settings
from tests.clock_support import BEIJING_MORNING, host_zone, move_host_clock

__all__ = ["host_zone"]  # a fixture

CLOCK_REFUSALS = (
    "date_invalid",
    "date_out_of_range",
    "time_invalid",
    "time_out_of_range",
    "time_zone_unknown",
)


def at(moment: datetime) -> Clock:
    return Clock(utc_now=lambda: moment)


def code_of(action: Any) -> str:
    with pytest.raises(DomainError) as error:
        action()
    return error.value.code


def test_today_is_the_date_in_beijing_whatever_the_hosts_zone(host_zone: str) -> None:
    assert at(BEIJING_MORNING).today() == date(2024, 8, 20)
    assert at(BEIJING_MORNING).now().isoformat() == "2024-08-20T07:45:00+08:00"


def test_the_default_clock_reads_the_systems_seconds_not_its_zone(
    host_zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    move_host_clock(monkeypatch, BEIJING_MORNING)
    assert date.today() == date(2024, 8, 19)
    assert Clock().today() == date(2024, 8, 20)
    assert Settings().clock().today() == date(2024, 8, 20)


def test_another_zone_can_be_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIANWAN_TIME_ZONE", "Asia/Urumqi")  # UTC+6
    clock = Settings.from_env().clock()
    assert Clock(clock.zone, lambda: BEIJING_MORNING).today() == date(2024, 8, 20)
    assert clock.read_time("2024-08-20T07:30").isoformat() == "2024-08-20T07:30:00+06:00"


@pytest.mark.parametrize("name", ["Mars/Olympus", "utc", "../etc/passwd", "Asia", ""])
def test_an_unknown_time_zone_is_refused_before_anything_starts(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("QIANWAN_TIME_ZONE", name)
    if not name:  # empty: the default
        assert Settings.from_env().time_zone == "Asia/Shanghai"
        return
    assert code_of(Settings.from_env) == "time_zone_unknown"
    assert code_of(lambda: Settings(time_zone=name + "\0")) == "time_zone_unknown"


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("2024-08-20T07:30", "2024-08-19T23:30:00+00:00"),  # no offset: Beijing
        ("2024-08-20 07:30:00", "2024-08-19T23:30:00+00:00"),
        ("2024-08-20", "2024-08-19T16:00:00+00:00"),  # midnight in Beijing
        ("2024-08-20T07:30+08:00", "2024-08-19T23:30:00+00:00"),
        ("2024-08-19T23:30Z", "2024-08-19T23:30:00+00:00"),
        ("2024-08-19T16:30-07:00", "2024-08-19T23:30:00+00:00"),
    ],
)
def test_a_time_without_an_offset_is_read_in_the_registrys_zone(
    host_zone: str, text: str, meant: str
) -> None:
    moment = Clock().read_time(text)
    assert moment.tzinfo is not None
    assert moment.astimezone(UTC).isoformat() == meant


def test_the_wall_clock_is_the_registrys(host_zone: str) -> None:
    clock, breakfast = Clock(), datetime(2024, 8, 20, 7, 30)
    assert clock.wall_clock(datetime(2024, 8, 19, 23, 30, tzinfo=UTC)) == breakfast
    assert clock.wall_clock(breakfast) == breakfast  # without an offset: the registry's already


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("9999-12-31T23:59:59-12:00", "time_out_of_range"),  # past datetime.max in UTC
        ("0001-01-01T00:00:00+12:00", "time_out_of_range"),  # before datetime.min in UTC
        ("0001-01-01T00:00:00", "time_out_of_range"),  # before datetime.min in Beijing
        ("9999-12-31T23:59:59.999999", "time_out_of_range"),
        ("3000-01-01T08:00:00", "time_out_of_range"),  # 3000-01-01T00:00Z: one past the last
        ("1799-12-31T23:59:59Z", "time_out_of_range"),
        ("2024-08-20T24:30", "time_invalid"),
        ("yesterday", "time_invalid"),
        ("2024-08-20T07:30" + " " * 100, "time_invalid"),
    ],
)
def test_times_the_registry_cannot_hold_are_refused_with_a_code(text: str, code: str) -> None:
    assert code_of(lambda: Clock().read_time(text, "known_at")) == code


def test_the_edges_of_the_time_range_are_held() -> None:
    clock = Clock(timezone(timedelta(hours=8)))
    first = clock.read_time("1800-01-01T08:00:00")
    assert first.astimezone(UTC) == datetime(1800, 1, 1, tzinfo=UTC)
    assert clock.read_time("3000-01-01T07:59:59.999999").astimezone(UTC).year == 2999


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0001-01-01", "date_out_of_range"),
        ("9999-12-31", "date_out_of_range"),
        ("1799-12-31", "date_out_of_range"),
        ("3000-01-01", "date_out_of_range"),
        ("2024-02-30", "date_invalid"),
        ("2024-8-20", "date_invalid"),
        ("", "date_invalid"),
    ],
)
def test_dates_the_registry_cannot_hold_are_refused_with_a_code(text: str, code: str) -> None:
    assert code_of(lambda: read_date(text, "as_of")) == code


def test_the_edges_of_the_date_range_are_held() -> None:
    assert read_date("1800-01-01") == DATE_MIN
    assert read_date("2999-12-31") == DATE_MAX
    assert business_date(date(1890, 1, 1)) == date(1890, 1, 1)  # the oldest birth year


def test_a_time_without_an_offset_never_reaches_the_books_as_the_hosts() -> None:
    with pytest.raises(TypeError):
        in_utc(datetime(2024, 8, 20, 7, 30))
    aware = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12)))
    assert code_of(lambda: in_utc(aware)) == "time_out_of_range"
    assert in_utc(datetime(2024, 8, 20, 7, 30, tzinfo=timezone(timedelta(hours=8)))).hour == 23


def test_the_registrys_zone_needs_no_zone_files_on_the_host() -> None:
    # a slim image without /usr/share/zoneinfo: the tzdata package (a dependency) has the zones
    script = "from qianwan.settings import Settings; print(Settings().clock().now().utcoffset())"
    env = {**os.environ, "PYTHONTZPATH": ""}
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, check=False, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "8:00:00"
