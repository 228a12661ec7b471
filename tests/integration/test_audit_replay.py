"""Replay for auditors, with the live store on SQLite and on PostgreSQL: every projection folded
afresh into a separate SQLite file up to a point of the log, with digests of its content that
agree with the live projections, the rebuilt ones, and the live ones as they stood then."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.audit.errors import ReplayFileExists
from projections.replay import notification_before, projection_digests, replay
from qianwan.bootstrap import Registry
from tests.audit_support import AUDITOR, last_id, lively_log
from tests.support import ACCOUNTANT


def live_digests(registry: Registry) -> dict[str, str]:
    return projection_digests(registry.engine, registry.runner.projections)


def test_live_rebuilt_and_replayed_projections_have_the_same_digests(
    seeded: Registry, tmp_path: Path
) -> None:
    lively_log(seeded)
    live = live_digests(seeded)
    positions = seeded.runner.positions()

    replayed = replay(seeded.store, seeded.runner.projections, tmp_path / "replay.sqlite3")
    seeded.runner.rebuild()

    assert replayed.digests == live
    assert live_digests(seeded) == live
    assert (replayed.until, replayed.events) == (last_id(seeded),) * 2
    assert set(live) == {
        "places",
        "asset_register",
        "land",
        "meals",
        "books",
        "ledger",
        "seal",
        "access",
        "web_users",
        "feed",
        "disclosures",
    }
    assert seeded.runner.positions() == positions


def test_a_replay_up_to_a_point_shows_the_projections_as_they_stood_then(
    seeded: Registry, tmp_path: Path
) -> None:
    asset = lively_log(seeded)
    then = live_digests(seeded)
    point = last_id(seeded)
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    seeded.assets.correct_invoice(asset, "FP-003", "31000", "billing_error", ACCOUNTANT)
    seeded.assets.appraise(asset, "1", "评估公司", "PG-2", date(2026, 6, 1), AUDITOR)
    now = live_digests(seeded)

    by_id = replay(seeded.store, seeded.runner.projections, tmp_path / "a.sqlite3", point)
    found = notification_before(seeded.store, moment)
    by_time = replay(seeded.store, seeded.runner.projections, tmp_path / "b.sqlite3", found)

    assert found == point
    assert by_id.digests == by_time.digests == then
    assert now["ledger"] != then["ledger"] and now["places"] == then["places"]
    assert live_digests(seeded) == now  # the live database was not touched


def test_a_replay_never_overwrites_a_file(seeded: Registry, tmp_path: Path) -> None:
    target = tmp_path / "there.sqlite3"
    target.write_bytes(b"keep me")
    with pytest.raises(ReplayFileExists):
        replay(seeded.store, seeded.runner.projections, target)
    assert target.read_bytes() == b"keep me"


def test_a_digest_changes_with_any_row_of_its_projection_only(seeded: Registry) -> None:
    lively_log(seeded)
    before = live_digests(seeded)
    with seeded.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE ledger_lines SET debit_fen = debit_fen + 1 WHERE line_no = 1")
    after = live_digests(seeded)
    assert after["ledger"] != before["ledger"]
    assert {k: v for k, v in after.items() if k != "ledger"} == {
        k: v for k, v in before.items() if k != "ledger"
    }
