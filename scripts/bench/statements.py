"""The statements phase of ``qianwan bench``: how long 资产负债表, 收益及收益分配表 and 科目余额表
take for one village whose journal holds ``lines`` lines (a log of ~lines/2 … lines events: a
programme fact posts one entry of two to four lines), and for a district summing ``villages``
villages.

The journal and its month balances are written straight into the ledger's tables, as the ledger
projection would fold them (one entry of two lines per synthetic fact, sub-ledger rows for 112),
under a synthetic district of its own (329999): recording a million events through the
applications first would measure the ingest again, while a statement's cost depends only on
the tables it reads (docs/statements.md). Each statement is called ``repeats`` times in
process; p50/p95/p99 in milliseconds. No timed assertion anywhere: the figures are printed
beside the targets (≤ 100 ms for a village, ≤ 1 s for the district)."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert

from projections.ledger.statements import account_balances, balance_sheet, income_statement
from projections.ledger.tables import balances, entries, lines, sub_balances
from projections.places import districts, towns, villages

DISTRICT = "329999"
TOWN = "329999001"
VILLAGE_TARGET_MS = 100.0
DISTRICT_TARGET_MS = 1000.0
FIRST_MONTH = (2024, 1)
MONTHS = 36  # 2024-01 … 2026-12
CHUNK = 20_000  # rows per INSERT
COUNTERPARTIES = 2000  # tenants of the big village (112 sub-ledger)
# (debit account, credit account, counterparty on 112?)
PAIRS = (("112", "501", True), ("102", "112", True), ("513", "102", False), ("102", "503", False))
SEED = 20261207


@dataclass(frozen=True)
class StatementSize:
    lines: int = 0  # journal lines of the big village; 0: no statements phase
    villages: int = 200
    repeats: int = 30


def village_code(n: int) -> str:
    return f"{TOWN}{n:03d}"


def _month(index: int) -> tuple[int, int]:
    total = FIRST_MONTH[0] * 12 + FIRST_MONTH[1] - 1 + index
    return total // 12, total % 12 + 1


def _places(conn: Connection, count: int) -> None:
    conn.execute(
        insert(districts).values(
            code=DISTRICT, name="基准区", city="基准市", province="基准省", source_notification_id=0
        )
    )
    conn.execute(
        insert(towns).values(
            code=TOWN, district_code=DISTRICT, name="基准镇", kind="town", name_invented=True,
            code_invented=True, source="qianwan bench", source_notification_id=0,
        )
    )  # fmt: skip
    conn.execute(
        insert(villages),
        [
            {
                "code": village_code(n), "town_code": TOWN, "name": f"基准{n}村",
                "collective_name": f"基准{n}村股份经济合作社", "name_invented": True,
                "code_invented": True, "source": "qianwan bench", "aggregate_id": f"bench-{n}",
                "source_notification_id": 0,
            }
            for n in range(1, count + 1)
        ],
    )  # fmt: skip


def _journal(conn: Connection, village: str, entry_count: int, rng: random.Random) -> int:
    """``entry_count`` entries of two lines spread over MONTHS months; returns lines written."""
    moved: dict[tuple[str, str], list[int]] = {}
    sub: dict[tuple[str, str, str], list[Any]] = {}
    counters: dict[str, int] = {}
    recorded = datetime(2026, 12, 1, tzinfo=UTC)
    entry_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    written = 0

    def flush() -> None:
        if entry_rows:
            conn.execute(insert(entries), entry_rows)
            conn.execute(insert(lines), line_rows)
        entry_rows.clear()
        line_rows.clear()

    for n in range(entry_count):
        year, month_no = _month(n * MONTHS // max(entry_count, 1))
        month = f"{year:04d}-{month_no:02d}"
        day = date(year, month_no, 1 + n % 28)
        counters[month] = counters.get(month, 0) + 1
        debit, credit, tenant = PAIRS[n % len(PAIRS)]
        fen = rng.randint(100, 1_000_000)
        party = f"承租人{rng.randint(1, COUNTERPARTIES):04d}" if tenant else None
        entry_id = f"b{village[-3:]}-{n}"
        entry_rows.append(
            {
                "entry_id": entry_id, "village_code": village, "entry_date": day,
                "chart_version": "2023", "description": "基准", "source_notification_id": n,
                "source_aggregate_id": "bench", "source_version": 1,
                "source_event_type": "Bench.Posted", "actor": "bench", "authority": None,
                "recorded_at": recorded, "voucher_no": f"记-{month}-{counters[month]:04d}",
                "fact_date": day, "kind": "programme", "voucher_id": None,
                "reverses_entry_id": None,
            }
        )  # fmt: skip
        for line_no, (account, d, c) in enumerate(((debit, fen, 0), (credit, 0, fen)), 1):
            cp = party if account == "112" else None
            line_rows.append(
                {
                    "entry_id": entry_id, "line_no": line_no, "village_code": village,
                    "entry_date": day, "account_code": account, "debit_fen": d, "credit_fen": c,
                    "counterparty": cp, "counterparty_kind": "person" if cp else None,
                    "reference": None,
                }
            )  # fmt: skip
            total = moved.setdefault((account, month), [0, 0])
            total[0] += d
            total[1] += c
            if cp is not None:
                found = sub.setdefault((account, cp, month), [0, 0, day])
                found[0] += d
                found[1] += c
                found[2] = max(found[2], day)
            written += 1
        if len(line_rows) >= CHUNK:
            flush()
    flush()
    conn.execute(
        insert(balances),
        [
            {"village_code": village, "account_code": a, "month": m, "debit_fen": d,
             "credit_fen": c}
            for (a, m), (d, c) in moved.items()
        ],
    )  # fmt: skip
    if sub:
        conn.execute(
            insert(sub_balances),
            [
                {"village_code": village, "account_code": a, "counterparty": cp,
                 "reference": "", "month": m, "debit_fen": d, "credit_fen": c, "last_date": last}
                for (a, cp, m), (d, c, last) in sub.items()
            ],
        )  # fmt: skip
    return written


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)

    return {"count": len(ordered), "p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def _time(engine: Engine, call: Callable[[Connection], object], repeats: int) -> dict[str, float]:
    samples = []
    with engine.connect() as conn:
        call(conn)  # warm the caches once, as a server that has answered before
        for _ in range(repeats):
            started = time.perf_counter()
            call(conn)
            samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def statements_phase(
    engine: Engine, size: StatementSize, written_hook: Callable[[], None] = lambda: None
) -> dict[str, Any]:
    """Write the journals, call ``written_hook`` (PostgreSQL: refresh the planner's
    statistics, as autovacuum would), then time the statements; the figures and targets."""
    rng = random.Random(SEED)
    started = time.perf_counter()
    with engine.begin() as conn:
        _places(conn, size.villages)
        big = _journal(conn, village_code(1), size.lines // 2, rng)
        small = sum(
            _journal(conn, village_code(n), max(2, size.lines // 2 // 1000), rng)
            for n in range(2, size.villages + 1)
        )
    written = time.perf_counter() - started
    written_hook()
    village, end = village_code(1), date(2026, 11, 30)
    queries = {
        "balanceSheet": lambda c: balance_sheet(c, village, end),
        "incomeStatement": lambda c: income_statement(c, village, 2026, 11),
        "accountBalances": lambda c: account_balances(c, village, "2026-01", "2026-11"),
        "accountBalances_sub_ledgers": lambda c: account_balances(
            c, village, "2026-01", "2026-11", True
        ),
        "balanceSheet_district": lambda c: balance_sheet(c, DISTRICT, end),
        "incomeStatement_district": lambda c: income_statement(c, DISTRICT, 2026, 11),
    }
    timings = {name: _time(engine, q, size.repeats) for name, q in queries.items()}
    return {
        "load_average": round(os.getloadavg()[0], 1),
        "counterparties": COUNTERPARTIES,
        "village_lines": big,
        "other_lines": small,
        "villages": size.villages,
        "seconds_to_write": round(written, 1),
        "queries": timings,
        "targets_ms": {"village": VILLAGE_TARGET_MS, "district": DISTRICT_TARGET_MS},
    }


def statement_lines(found: dict[str, Any]) -> list[str]:
    """The phase's table: each statement's p50/p95/p99 beside its target."""
    out = [
        "",
        f"statements: one village of {found['village_lines']:,} journal lines, a district of "
        f"{found['villages']} villages ({found['other_lines']:,} more lines), written in "
        f"{found['seconds_to_write']} s; {found['counterparties']:,} counterparties in 112; "
        f"load average {found['load_average']}",
        f"  {'statement':26} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  target",
    ]
    for name, q in found["queries"].items():
        target = found["targets_ms"]["district" if name.endswith("_district") else "village"]
        verdict = "met" if q["p99_ms"] <= target else "NOT met"
        timings = f"{q['p50_ms']:>8.1f} {q['p95_ms']:>8.1f} {q['p99_ms']:>8.1f}"
        out.append(f"  {name:26} {q['count']:>7} {timings}  ≤ {target:,.0f} ms {verdict}")
    return out
