"""A projection worker outlives the database going away: its PostgreSQL connections are killed
(``pg_terminate_backend``, what a server restart does to them, without stopping the machine's
shared server) and it reconnects, logs it, and folds every later event exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, func, select, text

from projections.assets import register
from projections.checks import fold_violations
from qianwan.bootstrap import Registry, bootstrap
from tests.conftest import POSTGRES_ON, POSTGRES_URL, drop_schema, signed_settings
from tests.support import register_building, seed_places

REPOSITORY = Path(__file__).resolve().parents[2]
FOLDED_WITHIN_SECONDS = 120  # liveness only: a worker that gave up never gets there
KILLS_WHILE_WRITING = 3
ASSETS_WHILE_KILLING = 12

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_ON, reason="QIANWAN_TEST_POSTGRES=off"),
]


@pytest.fixture
def database() -> Iterator[Registry]:
    """A fresh schema with places; this registry records and never folds (the worker does)."""
    schema = f"t_{uuid4().hex[:16]}"
    registry = bootstrap(signed_settings(f"{POSTGRES_URL}?schema={schema}"), read_your_writes=False)
    try:
        seed_places(registry.places, registry.policies)
        yield registry
    finally:
        registry.close()
        drop_schema(schema)


def terminate_connections(application_name: str) -> int:
    """Kill every server process of the worker, as a restart of PostgreSQL would."""
    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": application_name},
            ).all()
    finally:
        engine.dispose()
    return len(rows)


def low_position(registry: Registry) -> int:
    return min(registry.runner.positions().values(), default=0)


def wait_until_folded(registry: Registry, worker: subprocess.Popen[bytes], log: Path) -> None:
    last = registry.store.last_notification_id()
    deadline = time.monotonic() + FOLDED_WITHIN_SECONDS
    while low_position(registry) < last:
        assert worker.poll() is None, f"the worker exited:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"not folded:\n{log.read_text()}"
        time.sleep(0.1)


def registered(registry: Registry, asset_code: str) -> int:
    with registry.engine.connect() as conn:
        found = conn.scalar(
            select(func.count()).select_from(register).where(register.c.asset_code == asset_code)
        )
    return int(found or 0)


def start_worker(registry: Registry, name: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **registry.settings.to_env(),
        "PGAPPNAME": name,  # libpq names every connection of the worker: ours to kill
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "scripts.cli", "project", "--follow", "--max-seconds", "600"],
            cwd=REPOSITORY,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def test_a_worker_reconnects_after_its_connections_are_killed_and_folds_each_event_once(
    database: Registry, tmp_path: Path
) -> None:
    name = f"qianwan-test-worker-{uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    worker = start_worker(database, name, log)
    try:
        wait_until_folded(database, worker, log)

        # Killed while idle, then an event: the worker must come back to fold it.
        assert terminate_connections(name) > 0
        register_building(database.assets, "ZC-100")
        wait_until_folded(database, worker, log)

        # Killed again and again while events keep arriving.
        codes = [f"ZC-{n:03d}" for n in range(200, 200 + ASSETS_WHILE_KILLING)]
        writer = threading.Thread(
            target=lambda: [register_building(database.assets, c) for c in codes]
        )
        writer.start()
        for _ in range(KILLS_WHILE_WRITING):
            terminate_connections(name)
            time.sleep(0.3)
        writer.join()
        wait_until_folded(database, worker, log)

        assert worker.poll() is None
        said = log.read_text()
        assert "database unavailable" in said and "trying again in" in said
        assert "database back after" in said
        assert [registered(database, c) for c in ["ZC-100", *codes]] == [1] * (len(codes) + 1)
        until = low_position(database)
        assert until == database.store.last_notification_id()
        projections = database.runner.projections
        assert fold_violations(database.store, database.engine, projections, until) == ()
    finally:
        stop_worker(worker)
