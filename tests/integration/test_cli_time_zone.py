"""The ``qianwan`` command reads "today" and every time without an offset in the registry's time
zone (Asia/Shanghai), whatever the host's zone, and refuses times and dates it cannot hold."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from domain.shared.history import history
from qianwan.bootstrap import Registry, bootstrap
from scripts.cli import main
from tests.clock_support import BEIJING_MORNING, host_zone, move_host_clock, naive_utc_wall_clock
from tests.conftest import signed_settings, use_database
from tests.support import VILLAGE, leased_building, seed_places

__all__ = ["host_zone"]  # a fixture


@pytest.fixture
def leased(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, datetime]]:
    """A SQLite registry with one leased building: its id and when its first event was recorded."""
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    use_database(monkeypatch, url)
    registry: Registry = bootstrap(signed_settings(url))
    seed_places(registry.places, registry.policies)
    asset = leased_building(registry.assets)
    recorded = history(registry.store, asset)[0].recorded_at.astimezone(UTC)
    registry.close()
    yield str(asset), recorded


def csv_totals(out: str) -> tuple[Decimal, Decimal]:
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[-1][1] == "合计"
    return Decimal(rows[-1][2]), Decimal(rows[-1][3])


def test_the_trial_balance_is_as_of_todays_date_in_beijing(
    leased: tuple[str, datetime],
    host_zone: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    move_host_clock(monkeypatch, BEIJING_MORNING)
    assert main(["trial-balance", VILLAGE]) == 0
    assert "截至 2024-08-20" in capsys.readouterr().out


def test_known_at_without_an_offset_is_beijing_time(
    leased: tuple[str, datetime], host_zone: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a time written without an offset: R + 4 h as a UTC wall clock, R − 4 h in Beijing
    _, recorded = leased
    text = naive_utc_wall_clock(recorded + timedelta(hours=4))

    books = ["trial-balance", VILLAGE, "--as-of", "2026-12-31", "--csv"]
    assert main(books) == 0
    assert csv_totals(capsys.readouterr().out)[0] > 0

    # when the books are printed as known then
    assert main([*books, "--known-at", text]) == 0

    # then nothing was known yet at R − 4 h
    assert csv_totals(capsys.readouterr().out) == (Decimal("0.00"), Decimal("0.00"))


def test_history_at_a_time_without_an_offset_is_beijing_time(
    leased: tuple[str, datetime], host_zone: str, capsys: pytest.CaptureFixture[str]
) -> None:
    asset, recorded = leased
    before = naive_utc_wall_clock(recorded + timedelta(hours=4))  # R − 4 h in Beijing
    assert main(["history", asset, "--at", before]) == 2
    assert "[aggregate_not_recorded_by_then]" in capsys.readouterr().err
    after = naive_utc_wall_clock(recorded + timedelta(hours=9))  # R + 1 h in Beijing
    assert main(["history", asset, "--at", after]) == 0


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["--known-at", "9999-12-31T23:59:59-12:00"], "time_out_of_range"),
        (["--known-at", "0001-01-01T00:00:00"], "time_out_of_range"),
        (["--known-at", "2024-08-20T25:00"], "time_invalid"),
        (["--as-of", "9999-12-31"], "date_out_of_range"),
        (["--as-of", "0001-01-01"], "date_out_of_range"),
    ],
)
def test_times_and_dates_beyond_what_the_registry_holds_are_refused_with_a_code(
    leased: tuple[str, datetime],
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    code: str,
) -> None:
    assert main(["trial-balance", VILLAGE, *arguments]) == 2
    assert f"[{code}]" in capsys.readouterr().err
