"""``qianwan backup`` and ``qianwan restore``: a backup taken while the server writes holds every
write acknowledged before it began; a restore goes only into a new or empty database, and is
checked against the backup (integrity, events, last notification id, projections, the seal).
On PostgreSQL both refuse with the exact pg_dump / pg_restore command, which works."""

from __future__ import annotations

import shlex
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import create_engine, text

from domain.assets.model import Asset
from projections.replay import projection_digests
from qianwan.backup import describe, sha256
from qianwan.bootstrap import Registry, bootstrap
from scripts.cli import main
from tests.audit_support import change_one_byte, lively_log
from tests.conftest import (
    POSTGRES_ON,
    POSTGRES_URL,
    drop_schema,
    signed_settings,
    use_database,
)
from tests.conftest import session_event_public_key as event_public_key
from tests.support import VILLAGE, register_building, seed_places

WRITES_BEFORE_BACKUP = 5
WRITES_AFTER_BACKUP = 5
WRITER_SECONDS = 120  # liveness only: the writer thread is stopped long before


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    """A registry on a SQLite file, which the command line also uses; run from tmp_path."""
    url = f"sqlite:///{tmp_path}/live.sqlite3"
    use_database(monkeypatch, url)
    monkeypatch.chdir(tmp_path)
    registry = bootstrap(signed_settings(url))
    seed_places(registry.places, registry.policies)
    yield registry
    registry.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def event_rows(path: Path, until: int) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM stored_events WHERE notification_id <= ? ORDER BY notification_id",
            (until,),
        ).fetchall()


def originators(path: Path) -> set[UUID]:
    return {UUID(str(row[1])) for row in event_rows(path, 2**62)}


def restore_into(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_database(monkeypatch, f"sqlite:///{path}")


def wait_for(condition: Callable[[], bool], failed: list[BaseException]) -> None:
    deadline = time.monotonic() + WRITER_SECONDS
    while not condition():
        assert not failed, failed
        assert time.monotonic() < deadline, "the writer did not get on"
        time.sleep(0.01)


def test_a_backup_taken_while_another_thread_writes_holds_every_acknowledged_write(
    live: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    acknowledged: list[str] = []
    stop = threading.Event()
    failed: list[BaseException] = []

    def write() -> None:
        try:
            n = 0
            while not stop.is_set():
                register_building(live.assets, f"ZC-{n:04d}")
                acknowledged.append(f"ZC-{n:04d}")  # the command returned: acknowledged
                n += 1
        except BaseException as error:
            failed.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        wait_for(lambda: len(acknowledged) >= WRITES_BEFORE_BACKUP, failed)
        before_backup = list(acknowledged)
        last_before_backup = live.store.last_notification_id()

        status, out, err = run(capsys, "backup", str(tmp_path / "backup.sqlite3"))

        during = len(acknowledged)
        wait_for(lambda: len(acknowledged) >= during + WRITES_AFTER_BACKUP, failed)
    finally:
        stop.set()
        writer.join()
    assert (status, err, failed) == (0, "", [])
    taken = describe(tmp_path / "backup.sqlite3")
    assert taken.integrity == "ok" and not (tmp_path / "backup.sqlite3-wal").exists()
    assert f"{taken.events} events, last notification {taken.last_notification_id}" in out
    assert taken.last_notification_id >= last_before_backup
    assert {Asset.create_id(VILLAGE, code) for code in before_backup} <= originators(
        tmp_path / "backup.sqlite3"
    )
    # A consistent cut: the backup is exactly the live log up to its last event.
    live_path = live.settings.sqlite_path
    until = taken.last_notification_id
    assert event_rows(tmp_path / "backup.sqlite3", until) == event_rows(live_path, until)
    assert live.store.last_notification_id() > until  # and the server wrote on


def test_a_restore_into_a_new_path_holds_what_the_backup_holds_with_projections_caught_up(
    live: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lively_log(live)
    # Recorded but not folded yet when the backup is taken (as behind a projection worker).
    unfolded = bootstrap(live.settings, read_your_writes=False)
    register_building(unfolded.assets, "ZC-900")
    unfolded.close()
    assert run(capsys, "backup", "backup.sqlite3")[0] == 0
    taken = describe(tmp_path / "backup.sqlite3")
    restore_into(tmp_path / "restored" / "qianwan.sqlite3", monkeypatch)

    status, out, err = run(capsys, "restore", "backup.sqlite3")

    assert (status, err) == (0, "")
    assert f"projections: caught up to notification {taken.last_notification_id}" in out
    assert "(1 events folded now)" in out
    assert "seal: not checked" in out
    restored = describe(tmp_path / "restored" / "qianwan.sqlite3")
    assert restored.same_content(taken)
    assert sha256(tmp_path / "backup.sqlite3") == taken.sha256  # the backup was only read
    live.runner.catch_up()
    again = bootstrap(signed_settings(f"sqlite:///{restored.path}"))
    try:
        projections = live.runner.projections
        assert projection_digests(again.engine, projections) == projection_digests(
            live.engine, projections
        )
    finally:
        again.close()


def test_a_restore_never_writes_over_a_database_that_holds_data(
    live: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register_building(live.assets, "ZC-001")
    assert run(capsys, "backup", "backup.sqlite3")[0] == 0
    other = bootstrap(signed_settings(f"sqlite:///{tmp_path}/other.sqlite3"))
    seed_places(other.places, other.policies)
    other.close()
    before = describe(tmp_path / "other.sqlite3")
    restore_into(tmp_path / "other.sqlite3", monkeypatch)

    status, out, err = run(capsys, "restore", "backup.sqlite3")

    assert status == 2 and out == ""
    assert err.startswith("error: [database_not_empty] ")
    after = describe(tmp_path / "other.sqlite3")
    assert after.same_content(before) and after.sha256 == before.sha256


def test_a_restore_may_fill_a_database_in_which_nothing_was_recorded(
    live: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register_building(live.assets, "ZC-001")
    assert run(capsys, "backup", "backup.sqlite3")[0] == 0
    bootstrap(signed_settings(f"sqlite:///{tmp_path}/empty.sqlite3")).close()
    restore_into(tmp_path / "empty.sqlite3", monkeypatch)

    status, _, err = run(capsys, "restore", "backup.sqlite3")

    assert (status, err) == (0, "")
    restored = describe(tmp_path / "empty.sqlite3")
    assert restored.same_content(describe(tmp_path / "backup.sqlite3"))


def test_a_backup_never_replaces_a_file(
    live: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken.sqlite3").write_bytes(b"an older backup")
    last = live.store.last_notification_id()

    status, out, err = run(capsys, "backup", "taken.sqlite3")

    assert status == 2 and out == ""
    assert err.startswith("error: [backup_file_exists] ")
    assert (tmp_path / "taken.sqlite3").read_bytes() == b"an older backup"
    assert live.store.last_notification_id() == last
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_a_restore_with_a_trusted_key_verifies_the_seal_and_fails_on_a_changed_event(
    live: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lively_log(live)
    assert run(capsys, "keygen", "--dir", "keys")[0] == 0
    assert run(capsys, "checkpoint", "--key", "keys/checkpoint.key", "--out", "cp.json")[0] == 0
    assert run(capsys, "backup", "good.sqlite3")[0] == 0
    change_one_byte(live, 5)
    assert run(capsys, "backup", "changed.sqlite3")[0] == 0
    keys = ("--public-key", "keys/checkpoint.pub", "--event-public-key", str(event_public_key()))

    restore_into(tmp_path / "a.sqlite3", monkeypatch)
    status, out, _ = run(capsys, "restore", "good.sqlite3", *keys)
    assert status == 0 and "seal: OK:" in out

    restore_into(tmp_path / "b.sqlite3", monkeypatch)
    status, out, _ = run(capsys, "restore", "changed.sqlite3", *keys)
    assert status == 1 and "seal: DIVERGED" in out


# -- PostgreSQL: the pg_dump and pg_restore commands ---------------------------------------------


@pytest.fixture
def postgres(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Registry]:
    if not POSTGRES_ON:
        pytest.skip("QIANWAN_TEST_POSTGRES=off")
    schema = f"t_{uuid4().hex[:16]}"
    url = f"{POSTGRES_URL}?schema={schema}"
    use_database(monkeypatch, url)
    monkeypatch.chdir(tmp_path)
    registry = bootstrap(signed_settings(url))
    try:
        seed_places(registry.places, registry.policies)
        register_building(registry.assets, "ZC-001")
        yield registry
    finally:
        registry.close()
        drop_schema(schema)


def command_in(err: str, program: str) -> list[str]:
    """The command the refusal ends with, as arguments (it is printed as a shell line)."""
    return shlex.split(err[err.rindex(f"{program} --host=") :])


@pytest.mark.postgres
def test_on_postgresql_backup_and_restore_refuse_with_commands_that_work(
    postgres: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = postgres.store.last_notification_id()
    status, out, err = run(capsys, "backup", str(tmp_path / "q.dump"))
    assert status == 2 and out == ""
    assert err.startswith("error: [postgresql_backup_needs_pg_dump] ")
    assert f"--schema={postgres.settings.postgres_schema}" in err
    dump = command_in(err, "pg_dump")

    status, out, err = run(capsys, "restore", str(tmp_path / "q.dump"))
    assert status == 2 and out == ""
    assert err.startswith("error: [postgresql_restore_needs_pg_restore] ")
    restore = command_in(err, "pg_restore")
    assert postgres.store.last_notification_id() == last and not (tmp_path / "q.dump").exists()

    subprocess.run(dump, check=True, capture_output=True, timeout=120)
    database = f"qianwan_restore_{uuid4().hex[:12]}"
    admin = create_engine(
        POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        restore = [f"--dbname={database}" if a.startswith("--dbname=") else a for a in restore]
        subprocess.run(restore, check=True, capture_output=True, timeout=120)
        url = postgres.settings.database_url.replace("/test?", f"/{database}?")
        restored = bootstrap(signed_settings(url))
        try:
            assert restored.store.last_notification_id() == last
            projections = postgres.runner.projections
            assert projection_digests(restored.engine, projections) == projection_digests(
                postgres.engine, projections
            )
        finally:
            restored.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
