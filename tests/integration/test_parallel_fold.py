"""Folding in parallel (projections/parallel.py), on SQLite and on PostgreSQL: the projections
folded in shares, each by its own runner and process, equal the books folded in one process;
a share's process killed mid-rebuild resumes with nothing lost or doubled; a projection halted
in one share does not stop the others; two workers of the same share fold each event once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import update

from projections.db import positions
from projections.ledger.projection import LedgerProjection
from projections.parallel import FoldProcessFailed, ParallelFold, plan
from projections.projection import Source
from qianwan.bootstrap import WORKER, Registry, bootstrap
from qianwan.settings import Settings
from tests.integration.test_meals_journey import serve_month, three_elders
from tests.integration.test_projections import busy_village, notification_of, snapshot
from tests.support import meals_registry, register_building, register_canteen, seed_places

THREAD_TIMEOUT_SECONDS = 120
SHARES = 3  # more shares than the machine has cores: the partition, not the speed, is tested


@pytest.fixture
def live(settings: Settings) -> Iterator[Registry]:
    """A district folded inline, in one process (the books every test compares with): assets,
    contracts, vouchers, a closed year, a canteen's month of meals."""
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    busy_village(registry)
    meals = meals_registry(registry)
    point = register_canteen(meals)
    serve_month(meals, point, three_elders(meals))
    yield registry
    registry.close()


def in_shares(settings: Settings, batch_size: int = 10) -> Registry:
    """Another registry on the same database that folds in SHARES processes."""
    registry = bootstrap(
        replace(settings, fold_processes=SHARES, projection_batch_size=batch_size),
        read_your_writes=False,
    )
    assert registry.runner.parallel is not None
    registry.runner.rebuild_batch_size = batch_size
    return registry


def test_the_shares_hold_every_projection_once_by_whole_groups() -> None:
    names = ["places", "meals", "feed", "seal", "ledger", "books", "asset_register", "land"]
    for processes in (1, 2, 3, 8):
        shares = plan(names, processes)
        folded = [n for share in shares for n in share]
        assert sorted(folded) == sorted(names)
        assert len(shares) == min(processes, 5)
        assert any(set(s) >= {"ledger", "books", "asset_register", "land"} for s in shares)
    assert plan(names, 2)[0] == ("meals",)  # the heaviest group alone


def test_a_rebuild_in_shares_equals_the_books_folded_in_one_process(
    live: Registry, settings: Settings
) -> None:
    built = snapshot(live)
    assert len(built["meal_register"]) > 100 and len(built["ledger_entries"]) >= 10
    parallel = in_shares(settings)
    try:
        applied = parallel.runner.rebuild()
        assert applied == live.store.last_notification_id()
        assert snapshot(parallel) == built
        assert parallel.runner.parallel is not None
        assert len(parallel.runner.parallel.seconds) == SHARES
    finally:
        parallel.close()


def test_a_share_killed_mid_rebuild_resumes_with_nothing_lost_or_doubled(
    live: Registry, settings: Settings
) -> None:
    built = snapshot(live)
    last = live.store.last_notification_id()
    parallel = in_shares(settings, batch_size=5)
    folder = parallel.runner.parallel
    assert isinstance(folder, ParallelFold)
    victim = folder.shares[1]
    killed: list[int] = []

    def kill_mid_share(done: int) -> None:
        """Once the victim's process has committed a batch, but not its last one."""
        at = parallel.runner.positions()
        if not killed and 0 < min(at[n] for n in victim) < last:
            folder.children[0].process.kill()
            killed.append(min(at[n] for n in victim))

    try:
        with pytest.raises(FoldProcessFailed):
            parallel.runner.rebuild(progress=kill_mid_share)
        assert killed, "the victim was not caught mid-rebuild"
        stopped = parallel.runner.positions()
        assert 0 < min(stopped[n] for n in victim) < last
        assert folder.catch_up() > 0  # resumes from the positions
        assert snapshot(parallel) == built
    finally:
        parallel.close()


def test_a_projection_halted_in_one_share_does_not_stop_the_others(
    live: Registry, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = snapshot(live)
    last = live.store.last_notification_id()
    target = notification_of(live, ":Asset.Contracted")
    parallel = in_shares(settings)
    try:
        parallel.runner.rebuild()  # once whole, then the ledger's share again, halting
        ledger_share = parallel.runner.share(["ledger", "books"])
        others = parallel.runner.share(["meals", "asset_register", "feed"])
        parallel.runner.drop_tables([p for p in ledger_share.projections])
        parallel.runner.drop_tables([p for p in others.projections])
        parallel.runner.create_tables()
        original = LedgerProjection.handlers

        def failing(conn: Any, event: Any, source: Source) -> None:
            if source.notification_id == target:
                raise ValueError("cannot fold this one")
            original[type(event)](conn, event, source)

        patched = {cls: failing for cls in original}
        monkeypatch.setattr(LedgerProjection, "handlers", patched)
        ledger_share.catch_up()
        others.catch_up()

        at = parallel.runner.positions()
        assert set(parallel.runner.halted(fresh=True)) == {"ledger"}
        assert at["ledger"] == target - 1 and at["books"] == last
        assert {at[n] for n in ("meals", "asset_register", "feed")} == {last}
        monkeypatch.setattr(LedgerProjection, "handlers", original)
        parallel.runner.resume(["ledger"])
        ledger_share.catch_up()
        assert snapshot(parallel) == built
    finally:
        parallel.close()


def test_a_share_folds_no_further_than_the_seal(live: Registry, settings: Settings) -> None:
    """So that an event the seal refuses is folded by no projection (projections/halting.py)."""
    last = live.store.last_notification_id()
    parallel = in_shares(settings)
    try:
        meals = parallel.runner.share(["meals"])
        assert meals.guards == ("seal",)
        parallel.runner.drop_tables(list(meals.projections))
        parallel.runner.create_tables()
        with parallel.engine.begin() as conn:
            conn.execute(update(positions).where(positions.c.name == "seal").values(position=7))
        meals.catch_up()
        assert meals.positions() == {"meals": 7}
        with parallel.engine.begin() as conn:
            conn.execute(update(positions).where(positions.c.name == "seal").values(position=last))
        meals.catch_up()
        assert meals.positions() == {"meals": last}
        assert snapshot(parallel) == snapshot(live)
    finally:
        parallel.close()


def test_two_workers_of_the_same_share_fold_each_event_once(
    live: Registry, settings: Settings
) -> None:
    """Two runners of the same share in two registries (as two worker processes would be),
    folding at once in small batches: the position lock lets one fold each batch."""
    built = snapshot(live)
    one, two = in_shares(settings, batch_size=3), in_shares(settings, batch_size=3)
    names = ["meals", "ledger", "books", "asset_register", "land"]
    try:
        one.runner.drop_tables([p for p in one.runner.projections if p.name in names])
        one.runner.create_tables()
        runners = [one.runner.share(names), two.runner.share(names)]
        errors: list[BaseException] = []
        applied: list[int] = []
        start = threading.Barrier(2, timeout=THREAD_TIMEOUT_SECONDS)

        def fold(runner: Any) -> None:
            try:
                start.wait()
                applied.append(runner.catch_up())
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=fold, args=(r,)) for r in runners]
        for t in threads:
            t.start()
        for t in threads:
            t.join(THREAD_TIMEOUT_SECONDS)
        assert errors == []
        assert sum(applied) == live.store.last_notification_id()  # each batch by one of them
        assert snapshot(one) == built
    finally:
        one.close()
        two.close()


def test_a_worker_in_shares_serves_read_your_writes(
    live: Registry, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`qianwan project --follow` folding in shares: a command waits until every share has
    folded its events (never folding them itself), then reads them."""
    worker = in_shares(settings)
    writer = bootstrap(settings, folding=WORKER, worker_wait_seconds=THREAD_TIMEOUT_SECONDS)

    def never(*args: Any, **kwargs: Any) -> int:
        raise AssertionError("the command folded: the worker was not in time")

    monkeypatch.setattr(writer.runner, "catch_up", never)
    folder = worker.runner.parallel
    assert isinstance(folder, ParallelFold)
    stop = threading.Event()
    failed: list[BaseException] = []

    def follow() -> None:
        try:
            folder.follow(stop)
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=follow)
    thread.start()
    try:
        register_building(writer.assets, "ZC-900")  # returns once the worker folded it
        last = writer.store.last_notification_id()
        assert min(writer.runner.positions().values()) == last
        assert writer.runner.wait_for_worker(last, 0.0)
    finally:
        stop.set()
        thread.join(THREAD_TIMEOUT_SECONDS)
        writer.close()
        worker.close()
    assert failed == []


def test_two_rebuilds_in_shares_at_once_fold_each_event_once(
    live: Registry, settings: Settings
) -> None:
    """Two folders in shares started at once (as two workers would be: each folds its first
    share and starts processes for the others), from empty read models: every share is folded
    by two processes at the same time, and each event still exactly once."""
    built = snapshot(live)
    one, two = in_shares(settings, batch_size=5), in_shares(settings, batch_size=5)
    try:
        one.runner.drop_tables(one.runner.rebuilt_projections())
        one.runner.create_tables()
        folders = [one.runner.parallel, two.runner.parallel]
        errors: list[BaseException] = []
        start = threading.Barrier(2, timeout=THREAD_TIMEOUT_SECONDS)

        def fold(folder: Any) -> None:
            try:
                start.wait()
                folder.catch_up()
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=fold, args=(f,)) for f in folders]
        for t in threads:
            t.start()
        for t in threads:
            t.join(THREAD_TIMEOUT_SECONDS)
        assert errors == []
        assert snapshot(one) == built
    finally:
        one.close()
        two.close()
