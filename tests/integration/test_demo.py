"""The demo district loads through the applications without tripping a single rule, loads only
once, resumes after an interruption, and leaves balanced books with rent income."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from projections.ledger.queries import TrialBalance, trial_balance
from qianwan.bootstrap import Registry
from scripts import demo
from scripts.demo import (
    asset_version,
    demo_loaded,
    load_demo,
    planned_events,
    read_assets,
    read_places,
)

AS_OF = date(2026, 10, 31)  # the last day of the demo's facts
README_VILLAGE = "320117107206"  # 乌村桥村: the README's first query asks for its trial balance


def balances(tb: TrialBalance) -> dict[str, tuple[Any, Any]]:
    return {line.account_code: (line.debit, line.credit) for line in tb.lines}


def demo_village_codes() -> list[str]:
    return sorted({a["village_code"] for a in read_assets()})


def test_the_demo_trips_no_rule_and_a_second_load_records_nothing(registry: Registry) -> None:
    summary = load_demo(registry, progress=False)

    assets = read_assets()
    assert summary.events == planned_events(read_places(), assets)
    assert (summary.villages, summary.assets) == (32, len(assets))
    # No step was refused: each asset holds its registration and one event per step.
    for asset in assets:
        assert asset_version(registry.assets, asset) == 1 + len(asset["steps"]), asset["asset_code"]
    assert demo_loaded(registry)
    assert len(demo_village_codes()) >= 12
    assert {a["village_code"][:9] for a in assets} == {t["code"] for t in read_places()["towns"]}

    last = registry.store.last_notification_id()
    again = load_demo(registry, progress=False)

    assert again.events == 0
    assert registry.store.last_notification_id() == last


def test_an_interrupted_load_resumes_after_the_last_recorded_step(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run_step = demo.run_step
    calls = 0

    def failing_after_50_steps(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > 50:
            raise KeyboardInterrupt
        real_run_step(*args)

    monkeypatch.setattr(demo, "run_step", failing_after_50_steps)
    with pytest.raises(KeyboardInterrupt):
        load_demo(registry, progress=False)
    monkeypatch.undo()

    load_demo(registry, progress=False)

    assert registry.store.last_notification_id() == planned_events(read_places(), read_assets())
    assert demo_loaded(registry)


def test_the_demo_leaves_balanced_books_with_rent_income_and_every_kind_of_outcome(
    registry: Registry,
) -> None:
    load_demo(registry, progress=False)

    with registry.engine.connect() as conn:
        books = {code: trial_balance(conn, code, AS_OF) for code in demo_village_codes()}

    for code, tb in books.items():
        assert tb.total_debit == tb.total_credit, code
    with_rent = [c for c, tb in books.items() if balances(tb).get("501", (0, 0))[1] > 0]
    assert len(with_rent) >= 3
    assert README_VILLAGE in with_rent
    assert balances(books["320117003292"])["211"][1] > 0  # 长乐村: five years' rent prepaid
    assert balances(books["320117002291"])["112"][0] == 60000  # 梅山村: half of 2025 unpaid
    assert balances(books["320117004210"])["504"][1] == 88000  # 向阳村: old school sold at a gain
    statuses = {
        registry.assets.get(registry.assets.id_of(a["village_code"], a["asset_code"])).status
        for a in read_assets()
    }
    assert {"contracted", "in_arrears", "terminated", "disposed", "rejected"} <= statuses
