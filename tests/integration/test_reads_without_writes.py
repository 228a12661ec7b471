"""Reading never needs the write lock: with the read models up to date, catching up before a
read writes nothing, so reads go on while another process holds SQLite's write lock (or on a
read-only copy), and the command line's books print. When the read models are behind and the
database will not take the fold, the read goes on over them and says so."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from scripts.cli import main
from tests.conftest import signed_settings, use_database
from tests.support import VILLAGE, leased_building, seed_places

BUSY_MS = 2000  # how long this test's own connections wait for a lock


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another process's writer, holding SQLite's write lock."""
    other = sqlite3.connect(path, isolation_level=None, timeout=BUSY_MS / 1000)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def books(tmp_path: Path) -> Iterator[tuple[Settings, Path]]:
    path = tmp_path / "books.sqlite3"
    settings = signed_settings(f"sqlite:///{path}")
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    leased_building(registry.assets)
    registry.close()
    yield settings, path


def test_catching_up_an_up_to_date_database_writes_nothing(
    books: tuple[Settings, Path],
) -> None:
    settings, path = books
    registry: Registry = bootstrap(settings, read_your_writes=False)
    try:
        with write_lock_held(path):
            assert registry.runner.catch_up() == 0  # would wait for the lock if it wrote
            assert registry.runner.catch_up_for_reading() is None
    finally:
        registry.close()


def test_the_command_line_prints_the_books_while_another_process_writes(
    books: tuple[Settings, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, path = books
    use_database(monkeypatch, settings.database_url)
    with write_lock_held(path):
        code = main(["trial-balance", VILLAGE, "--as-of", "2024-12-31"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "合计" in out.out
    assert "note:" not in out.err


def test_books_behind_on_a_database_that_refuses_writes_are_read_with_a_note(
    books: tuple[Settings, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, _ = books
    writer = bootstrap(settings, read_your_writes=False)  # records without folding
    try:
        leased_building(writer.assets, "ZC-002")
        last = writer.store.last_notification_id()
    finally:
        writer.close()

    def read_only(*_: object, **__: object) -> int:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("projections.runner.ProjectionRunner._run_batch", read_only)
    use_database(monkeypatch, settings.database_url)
    code = main(["trial-balance", VILLAGE, "--as-of", "2024-12-31"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "合计" in out.out
    assert f"of {last}" in out.err
    assert "readonly" in out.err
