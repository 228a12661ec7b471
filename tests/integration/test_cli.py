"""The ``qianwan`` command, run in-process on a SQLite file, and once as a real server."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from qianwan.settings import Settings
from scripts.cli import main
from scripts.demo import all_planned_events, read_assets
from scripts.token_cli import DEMO_TOKENS_FILE, read_tokens_file
from tests.conftest import make_settings, settings_env

VILLAGE = "320117107206"  # 乌村桥村, which has rent income in the demo
AS_OF = "2026-10-31"
SERVER_START_SECONDS = 180  # liveness only: it loads the demo first, slow on a busy machine

TRIAL_BALANCE_QUERY = """
query TrialBalance($villageCode: String!, $asOf: Date) {
  trialBalance(villageCode: $villageCode, asOf: $asOf) {
    totalDebit
    totalCredit
    lines { accountCode accountName debit credit }
  }
}
"""


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    settings, _ = make_settings("sqlite", tmp_path)
    settings_env(settings, monkeypatch)
    return settings.database_url


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """One database with the demo district, shared by the tests that only read it."""
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("demo"))
    with pytest.MonkeyPatch.context() as patch:
        settings_env(settings, patch)
        assert main(["demo"]) == 0
    yield settings


@pytest.fixture
def demo_database(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    settings_env(demo_settings, monkeypatch)
    capsys.readouterr()
    return demo_settings.database_url


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "") or "0")


def test_help_says_what_qianwan_is_and_where_the_data_lives(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0

    out = capsys.readouterr().out
    assert "溧水区" in out
    assert "QIANWAN_DATABASE_URL" in out
    assert "sqlite:///var/qianwan.sqlite3" in out
    for command in ("serve", "demo", "rebuild", "trial-balance", "history"):
        assert command in out


def test_demo_loads_the_district_and_politely_declines_a_second_time(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    first = capsys.readouterr().out
    events = all_planned_events()
    assert f"32 villages, {len(read_assets())} assets; {events} events recorded" in first

    assert main(["demo"]) == 0
    assert "loaded already" in capsys.readouterr().out


def test_trial_balance_prints_a_balanced_table_in_chinese(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trial-balance", VILLAGE, "--as-of", AS_OF]) == 0

    out = capsys.readouterr().out
    assert "乌村桥村" in out
    assert "科目编码  科目名称" in out
    assert "借方余额" in out and "贷方余额" in out
    rent = next(line for line in out.splitlines() if line.startswith("501"))
    assert "经营收入" in rent
    assert amount(rent.split()[-1]) > 0
    totals = next(line for line in out.splitlines() if "合计" in line).split()
    assert totals[0] == "合计"
    assert amount(totals[1]) == amount(totals[2]) > 0


def test_trial_balance_csv_has_a_bom_for_excel_and_balances(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trial-balance", VILLAGE, "--as-of", AS_OF, "--csv"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rows[0] == ["科目编码", "科目名称", "借方余额", "贷方余额"]
    by_code = {r[0]: r for r in rows[1:-1]}
    assert Decimal(by_code["501"][3]) > 0
    assert rows[-1][1] == "合计"
    assert Decimal(rows[-1][2]) == Decimal(rows[-1][3]) > 0


def test_history_prints_an_assets_events_in_order_with_their_provenance(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", f"{VILLAGE}/NF-01", "--json"]) == 0

    events = json.loads(capsys.readouterr().out)
    asset = next(
        a for a in read_assets() if (a["village_code"], a["asset_code"]) == (VILLAGE, "NF-01")
    )
    assert [e["version"] for e in events] == list(range(1, len(asset["steps"]) + 2))
    assert events[0]["event_type"] == "Asset.Registered"
    assert events[0]["payload"]["asset_code"] == "NF-01"
    assert {e["actor"] for e in events} == {f"accountant:{VILLAGE}"}
    assert all(e["authority"] and e["recorded_at"] for e in events)

    assert main(["history", f"{VILLAGE}/NF-01"]) == 0
    text = capsys.readouterr().out
    assert "v1  Asset.Registered" in text
    assert "authority: 乌村桥村资产登记〔2024〕" in text


def test_rebuild_refolds_every_event_and_says_how_long_it_took(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rebuild"]) == 0

    out = capsys.readouterr().out
    assert f"{all_planned_events()} events applied in" in out
    assert main(["trial-balance", VILLAGE, "--as-of", AS_OF, "--csv"]) == 0
    totals = capsys.readouterr().out.splitlines()[-1].split(",")
    assert Decimal(totals[2]) == Decimal(totals[3]) > 0


def test_an_unknown_village_is_refused_with_exit_code_2(
    demo_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trial-balance", "320117107299"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error: [village_not_registered] village 320117107299 is not registered" in captured.err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until_healthy(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the server was not healthy after {SERVER_START_SECONDS} s:\n{log.read_text()}")


def test_serve_loads_the_demo_prints_its_tokens_and_users_and_answers_a_trial_balance_query(
    tmp_path: Path,
) -> None:
    pytest.importorskip("api.app")
    qianwan = Path(sys.executable).parent / "qianwan"
    assert qianwan.exists(), "install the console script first: pip install -e ."
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "QIANWAN_DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3"}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(qianwan), "serve", "--port", str(port), "--demo"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(server, base, log)
        query = {"query": TRIAL_BALANCE_QUERY, "variables": {"villageCode": VILLAGE, "asOf": AS_OF}}
        tokens = read_tokens_file(tmp_path / DEMO_TOKENS_FILE)
        platform = tokens["QIANWAN_PLATFORM_TOKEN"]

        anonymous = httpx.post(f"{base}/graphql", json=query, timeout=30)
        response = httpx.post(
            f"{base}/graphql",
            json=query,
            headers={"Authorization": f"Bearer {platform}"},
            timeout=30,
        )

        assert anonymous.status_code == 401
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert platform in log.read_text()  # printed for the first-time user
        kuaiji = tokens["QIANWAN_DEMO_KUAIJI_PASSWORD"]  # the demo's web users beside them
        assert f"kuaiji / {kuaiji}" in log.read_text() and "乌村桥村" in log.read_text()
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        tb = body["data"]["trialBalance"]
        assert Decimal(tb["totalDebit"]) == Decimal(tb["totalCredit"]) > 0
        rent = next(line for line in tb["lines"] if line["accountCode"] == "501")
        assert Decimal(rent["credit"]) > 0
        assert f"http://127.0.0.1:{port}/graphql" in log.read_text()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
