"""The projection worker's back-off, and what it retries: outages of the database, never a
projection's own failure (projections/follow.py)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any, cast

import pytest

from projections.follow import Backoff, follow
from projections.runner import ProjectionRunner


class FlakyRunner:
    """Stands in for the runner: its first catch-ups fail as ``failures`` says, then it works
    and, after ``runs`` more, stops the worker."""

    def __init__(self, failures: list[Exception], stop: threading.Event, runs: int = 3) -> None:
        self.failures = failures
        self.stop = stop
        self.runs = runs
        self.store: Any = type("Store", (), {"recorder": object()})()

    def catch_up(self, progress: Any = None, **_: Any) -> int:
        if self.failures:
            raise self.failures.pop(0)
        self.runs -= 1
        if self.runs <= 0:
            self.stop.set()
        if progress is not None:
            progress(1)
        return 1

    def positions(self) -> dict[str, int]:
        return {"assets": 7}

    def active_low(self) -> int:
        return 7


def test_the_back_off_doubles_up_to_its_bound_and_starts_again_after_a_reset() -> None:
    backoff = Backoff(first=0.5, most=3.0)
    assert [backoff.delay() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    backoff.reset()
    assert backoff.delay() == 0.5


def test_an_outage_is_logged_waited_out_and_folding_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stop = threading.Event()
    locked = sqlite3.OperationalError("database is locked")
    runner = FlakyRunner([locked, locked], stop)
    caplog.set_level(logging.INFO, logger="qianwan.follow")

    applied = follow(cast(ProjectionRunner, runner), stop, backoff=Backoff(0.001, 0.002))

    assert applied == 3
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0].startswith("database unavailable (database is locked); trying again")
    assert "(attempt 2)" in messages[1]
    assert messages[2] == "database back after 2 attempt(s); projections at 7"


def test_a_failure_that_is_not_an_outage_stops_the_worker() -> None:
    stop = threading.Event()
    runner = FlakyRunner([ValueError("a handler's bug")], stop)

    with pytest.raises(ValueError, match="a handler's bug"):
        follow(cast(ProjectionRunner, runner), stop, backoff=Backoff(0.001, 0.002))
