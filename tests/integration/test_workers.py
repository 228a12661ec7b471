"""Projections folded by a worker of their own: a command waits for the worker's positions, so
a client still reads its own writes; without a worker it folds itself after its wait; and on
PostgreSQL the API (several processes) and the worker run as separate processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from projections.assets import register
from projections.follow import follow
from qianwan.bootstrap import WORKER, Registry, bootstrap
from qianwan.settings import Settings
from tests.conftest import POSTGRES_ON, drop_schema, make_settings
from tests.support import ADMIN, VILLAGE, register_building, seed_places

REPOSITORY = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 60
WORKER_WAIT_SECONDS = 60.0  # long: an effect seen sooner was folded by the worker
REGISTER_ASSET = """mutation ($code: String!) {
  registerAsset(villageCode: "320117107206", assetCode: $code, name: "村部旧楼",
                kind: "collective_building", areaM2: "320.5", location: "乌村桥村12号",
                registeredOn: "2024-01-10") {
    errors { code message } asset { id assetCode } } }"""
ASSET = "query ($id: ID!) { asset(id: $id) { id assetCode name } }"


def registered(registry: Registry, asset_code: str) -> int:
    with registry.engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(register)
                .where(register.c.asset_code == asset_code)
            )
            or 0
        )


@pytest.fixture
def worker(settings: Settings) -> Iterator[Registry]:
    """A projection worker following the log in a thread, as `qianwan project --follow`."""
    registry = bootstrap(settings, read_your_writes=False)
    stop = threading.Event()
    failed: list[BaseException] = []

    def run() -> None:
        try:
            follow(registry.runner, stop)
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    yield registry
    stop.set()
    thread.join(timeout=30)
    registry.close()
    assert not thread.is_alive() and failed == []


def test_a_command_waits_for_the_worker_and_its_effect_is_read_right_after(
    settings: Settings, worker: Registry
) -> None:
    api = bootstrap(settings, folding=WORKER, worker_wait_seconds=WORKER_WAIT_SECONDS)
    try:
        seed_places(api.places, api.policies)
        started = time.monotonic()
        register_building(api.assets, "ZC-001")
        assert time.monotonic() - started < WORKER_WAIT_SECONDS / 2  # the worker folded it
        assert registered(api, "ZC-001") == 1
        last = api.store.last_notification_id()
        assert min(api.runner.positions().values()) >= last
    finally:
        api.close()


def test_without_a_worker_a_command_folds_itself_after_its_wait(settings: Settings) -> None:
    api = bootstrap(settings, folding=WORKER, worker_wait_seconds=0.2)
    try:
        seed_places(api.places, api.policies)
        register_building(api.assets, "ZC-002")
        assert registered(api, "ZC-002") == 1
    finally:
        api.close()


# -- separate processes (PostgreSQL: the log's subscription, several API processes) --------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "scripts.cli", *args],
            cwd=REPOSITORY,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def graphql(base: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=WORKER_WAIT_SECONDS + 30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


def wait_until_up(base: str, processes: list[subprocess.Popen[bytes]], logs: list[Path]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs, strict=True):
            assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the API did not come up:\n" + logs[0].read_text())


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_ON, reason="QIANWAN_TEST_POSTGRES=off")
def test_the_api_and_the_worker_as_processes_read_a_clients_own_writes(tmp_path: Path) -> None:
    settings, schema = make_settings("postgres", tmp_path)
    assert schema is not None
    try:
        registry = bootstrap(settings)
        seed_places(registry.places, registry.policies)
        token = registry.access.issue_token("accountant", [VILLAGE], "worker test", ADMIN).secret
        registry.close()
        env = {
            **os.environ,
            **settings.to_env(),  # the database, its event key and personal data secret
            "QIANWAN_WORKER_WAIT_SECONDS": str(WORKER_WAIT_SECONDS),
        }
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        logs = [tmp_path / "api.log", tmp_path / "worker.log"]
        api = start(
            ["serve", "--port", str(port), "--workers", "2", "--projections", "worker"],
            env,
            logs[0],
        )
        worker = start(["project", "--follow", "--max-seconds", "180"], env, logs[1])
        try:
            wait_until_up(base, [api, worker], logs)
            for n in range(3):
                started = time.monotonic()
                made = graphql(base, token, REGISTER_ASSET, {"code": f"ZC-{n:03d}"})
                assert time.monotonic() - started < WORKER_WAIT_SECONDS / 2, logs[1].read_text()
                payload = made["data"]["registerAsset"]
                assert payload["errors"] == [] and payload["asset"]["assetCode"] == f"ZC-{n:03d}"
                read = graphql(base, token, ASSET, {"id": payload["asset"]["id"]})
                assert read["data"]["asset"]["assetCode"] == f"ZC-{n:03d}"
        finally:
            stop(api)
            stop(worker)
    finally:
        drop_schema(schema)
