"""``qianwan bench`` runs end to end at a very small size and reports every figure it promises
(the GraphQL phase included: a real server on loopback, stopped afterwards)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.bench.graphql import PLATFORM_QUERIES
from scripts.cli import main

PHASES = {
    "enrolment",
    "ingest",
    "ingest_events",
    "ingest_baseline",
    "fold",
    "ingest_inline",
    "assets",
    "settlements",
    "rebuild",
    "rebuild_baseline",
    "graphql",
    "graphql_single",
}


def test_the_benchmark_runs_at_a_tiny_size_and_reports_every_phase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    code = main(
        [
            "bench",
            *("--villages", "2", "--elders", "3", "--days", "32"),
            *("--clients", "2", "--requests", "30", "--seconds", "20", "--server-workers", "1"),
            *("--json", str(out)),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    result = json.loads(out.read_text())
    assert set(result["phases"]) == PHASES
    phases = result["phases"]
    assert phases["ingest"]["count"] > 0 and phases["ingest"]["per_second"] > 0
    assert phases["ingest_baseline"]["count"] == phases["ingest_events"]["count"]
    assert phases["rebuild"]["count"] == phases["rebuild_baseline"]["count"] == result["events"]
    assert phases["settlements"]["count"] == 2 * 4  # one month, four steps, two canteens
    graphql = phases["graphql"]
    assert graphql["errors"] == 0 and graphql["requests"] == 30
    asked = set(graphql["queries"])  # a random draw of 30 from the platform's queries
    assert asked and asked <= set(PLATFORM_QUERIES)
    assert all(p["memory"]["peak_mb"] > 0 for name, p in phases.items() if "memory" in p)
    assert "rebuild every projection" in printed and "p99 ms" in printed
    assert phases["graphql_single"]["clients"] == 1 and phases["graphql_single"]["requests"] == 10
    alone = set(phases["graphql_single"]["queries"])
    assert set(result["targets"]) >= {
        "rebuild_events_per_second",
        *(f"{name}_p99_ms_1_clients" for name in alone),
        *(f"{name}_p99_ms_2_clients" for name in asked),
    }


def test_memory_is_judged_flat_by_the_peaks_of_the_phases_quarters() -> None:
    from scripts.bench.memory import Memory, quarter_peaks

    steady = [(t / 10, 100.0 + (5 if t % 7 == 0 else 0)) for t in range(400)]
    assert quarter_peaks(steady) == [105.0] * 4
    assert Memory(100, 105, 100, quarter_peaks(steady)).flat is True
    growing = [(t / 10, 100.0 + t / 4) for t in range(400)]
    peaks = quarter_peaks(growing)
    assert peaks == sorted(peaks) and peaks[-1] - peaks[1] > 16
    assert Memory(100, peaks[-1], peaks[-1], peaks).flat is False
    assert quarter_peaks([(0.0, 1.0)]) == [] and Memory(1, 1, 1, []).flat is None


def test_the_dashboard_phase_times_the_query_and_the_page_of_a_district_and_a_town(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dashboard.json"
    arguments = ("--villages", "2", "--elders", "3", "--days", "35", "--ingest-processes", "1")
    code = main(["bench", "--dashboard-only", *arguments, "--page-rounds", "3", "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    result = json.loads(out.read_text())
    found = result["phases"]["dashboard"]
    assert (found["from"], found["to"]) == ("2024-01", "2024-02")
    assert set(found["timings"]) == {
        "query 320998", "query 320998101", "page 320998", "page 320998101",
    }  # fmt: skip
    assert all(t["count"] == 3 and t["p95_ms"] > 0 for t in found["timings"].values())
    assert result["events"] > result["phases"]["ingest"]["count"] > 0
    assert "vs 300 ms target" in printed and "page 320998101" in printed
