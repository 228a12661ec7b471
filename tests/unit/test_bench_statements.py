"""The statements phase of ``qianwan bench`` runs at a tiny size and reports every figure it
promises, each beside its target (no timed assertion: the figures are the machine's)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from projections.db import metadata
from projections.ledger.statements import balance_sheet
from scripts.bench.statements import DISTRICT, StatementSize, statement_lines, statements_phase
from scripts.cli import main

QUERIES = {
    "balanceSheet",
    "incomeStatement",
    "accountBalances",
    "accountBalances_sub_ledgers",
    "balanceSheet_district",
    "incomeStatement_district",
}


def test_the_phase_writes_balanced_books_and_times_every_statement() -> None:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    found = statements_phase(engine, StatementSize(lines=400, villages=3, repeats=2))
    assert found["village_lines"] == 400 and found["villages"] == 3
    assert set(found["queries"]) == QUERIES
    assert all(q["count"] == 2 and q["p99_ms"] >= 0 for q in found["queries"].values())
    printed = "\n".join(statement_lines(found))
    assert "≤ 100 ms" in printed and "≤ 1,000 ms" in printed
    with engine.connect() as conn:
        sheet = balance_sheet(conn, DISTRICT, date(2026, 11, 30))
    assert sheet.total_assets == sheet.total_liabilities_and_equity


def test_bench_statements_only_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    argv = ["bench", "--statements-only", "--statement-lines", "300", "--statement-villages", "2"]
    assert main([*argv, "--json", str(out)]) == 0
    assert "statements: one village of 300 journal lines" in capsys.readouterr().out
    assert set(json.loads(out.read_text())["phases"]["statements"]["queries"]) == QUERIES
