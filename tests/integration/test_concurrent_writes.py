"""Many threads of one process writing at once (the server's request threads): each write is
either recorded and answered as such, or refused cleanly and retryably with nothing recorded.
Never a timeout inside the connection pool, never a recorded fact answered as a failure."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from domain.shared.errors import DomainError
from projections.assets import register
from qianwan.bootstrap import Registry
from tests.support import ACCOUNTANT, register_building

THREADS = 6
WRITES_PER_THREAD = 12
RETRYABLE = {"database_busy", "database_unavailable", "write_outcome_unknown"}
THREAD_TIMEOUT_SECONDS = 600


def write_at_once(registry: Registry, write: object) -> tuple[list[str], list[BaseException]]:
    start = threading.Barrier(THREADS)
    recorded: list[str] = []
    failed: list[BaseException] = []

    def writer(n: int) -> None:
        start.wait()
        for k in range(WRITES_PER_THREAD):
            code = f"ZC-{n}-{k:02d}"
            try:
                write(code)  # type: ignore[operator]
            except BaseException as error:
                failed.append(error)
            else:
                recorded.append(code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a writer never got an answer"
    return recorded, failed


def test_concurrent_writers_are_recorded_or_refused_retryably_never_both(
    seeded: Registry,
) -> None:
    def write(code: str) -> None:
        asset = register_building(seeded.assets, code)
        seeded.assets.confirm_rights(asset, f"证-{code}", date(2024, 2, 1), ACCOUNTANT)

    recorded, failed = write_at_once(seeded, write)

    unexpected = [e for e in failed if not (isinstance(e, DomainError) and e.code in RETRYABLE)]
    assert unexpected == [], unexpected[:3]
    assert failed == []  # one server's writers all get their turn within the wait
    with seeded.engine.connect() as conn:
        confirmed = set(
            conn.scalars(select(register.c.asset_code).where(register.c.rights_confirmed))
        )
        assets = conn.scalar(select(func.count()).select_from(register))
    assert confirmed == set(recorded)  # the read models show every write answered as recorded
    assert assets == THREADS * WRITES_PER_THREAD
    assert min(seeded.runner.positions().values()) == seeded.store.last_notification_id()


def test_a_writer_that_cannot_get_its_turn_is_refused_retryably_and_records_nothing(
    seeded: Registry,
) -> None:
    seeded.store.save_wait_seconds = 0.05
    before = seeded.store.last_notification_id()
    holding = threading.Event()
    release = threading.Event()

    def hold_the_gate(last: int) -> None:
        holding.set()
        release.wait(THREAD_TIMEOUT_SECONDS)

    seeded.store.add_save_listener(hold_the_gate)
    first = threading.Thread(target=register_building, args=(seeded.assets, "ZC-FIRST"))
    first.start()
    try:
        assert holding.wait(THREAD_TIMEOUT_SECONDS)
        if not seeded.settings.is_postgres:  # SQLite folds (listens) inside the writers' gate
            with pytest.raises(DomainError) as refused:
                register_building(seeded.assets, "ZC-SECOND")
            assert refused.value.code == "database_busy"
            assert seeded.store.last_notification_id() == before + 1  # the first one only
    finally:
        release.set()
        first.join(THREAD_TIMEOUT_SECONDS)
    with seeded.engine.connect() as conn:
        codes = set(conn.scalars(select(register.c.asset_code)))
    assert "ZC-FIRST" in codes
    assert "ZC-SECOND" not in codes
