"""The host's clock and time zone, as tests move them: the registry must not care.

``host_zone`` sets the process's local time zone (TZ, as /etc/localtime would on a server) to UTC
and to Los Angeles in turn. ``move_host_clock`` moves ``time.time``, which both ``date.today``
and the registry's clock read, to a given moment; it keeps ticking from there."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

HOST_ZONES = ["UTC", "America/Los_Angeles"]
BEIJING_MORNING = datetime(2024, 8, 19, 23, 45, tzinfo=UTC)  # 2024-08-20 07:45 in Beijing


@pytest.fixture(params=HOST_ZONES)
def host_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def move_host_clock(monkeypatch: pytest.MonkeyPatch, to: datetime) -> None:
    real = time.time
    shift = to.timestamp() - real()
    monkeypatch.setattr(time, "time", lambda: real() + shift)


def naive_utc_wall_clock(moment: datetime) -> str:
    """The UTC wall-clock time of ``moment``, written without an offset."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()
