"""Every ``qianwan`` subcommand, given hostile or missing input or a database it cannot open,
fails the same way: one line on stderr, ``error: [code] message``, exit 2, and nothing
recorded. An unexpected exception is ``internal_error`` with its traceback in a log file (or on
stderr with ``--debug``), never a bare traceback."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from qianwan.backup import describe
from qianwan.bootstrap import bootstrap
from scripts import cli
from scripts.cli import build_parser, main
from tests.conftest import session_event_public_key, signed_settings, use_database
from tests.support import register_building, seed_places

FAILURE = re.compile(r"error: \[[a-z_]+\] ")
TOKEN_ACTIONS = ("create", "list", "revoke")
USER_ACTIONS = ("create", "list", "disable", "enable", "reset-password")
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Place:
    """A small registry on SQLite, its keys, and a file and a directory to misuse."""

    url: str
    database: Path
    keys: Path
    file: Path  # an ordinary file that is not a database
    directory: Path  # a directory holding one file


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Place]:
    root = tmp_path_factory.mktemp("cli-failures")
    database = root / "qianwan.sqlite3"
    url = f"sqlite:///{database}"
    registry = bootstrap(signed_settings(url))
    seed_places(registry.places, registry.policies)
    register_building(registry.assets, "ZC-001")
    registry.close()
    (root / "notes.txt").write_text("not a database\n")
    (root / "full").mkdir()
    (root / "full" / "x").write_text("x")
    keys = root / "keys"
    with pytest.MonkeyPatch.context() as patch:
        use_database(patch, url)
        assert main(["keygen", "--dir", str(keys)]) == 0
        checkpoint = ["checkpoint", "--key", str(keys / "checkpoint.key")]
        assert main([*checkpoint, "--out", str(root / "cp.json")]) == 0
    yield Place(url, database, keys, root / "notes.txt", root / "full")


# By subcommand: (code, command line) that must be refused on a database that opens fine.
# {file}: a file that is not a database; {new}: a path never made; {keys}: the key directory;
# {database}: the registry's own file. The command lines are split on spaces.
REFUSALS: dict[str, list[tuple[str, str]]] = {
    "": [("arguments_invalid", ""), ("arguments_invalid", "no-such-command")],
    "serve": [
        ("arguments_invalid", "serve --port 70000"),
        ("arguments_invalid", "serve --port eighty"),
        ("address_not_usable", "serve --host no-such-host.invalid"),
    ],
    "demo": [("arguments_invalid", "demo --villages 3")],
    "rebuild": [("arguments_invalid", "rebuild now")],
    "trial-balance": [
        ("village_code_invalid", "trial-balance abc"),
        ("village_not_registered", "trial-balance 320117107299"),
        ("arguments_invalid", "trial-balance 320117107206 --as-of 2025-13-01"),
        ("arguments_invalid", "trial-balance 320117107206 --as-of 0001-01-01"),
        ("date_before_chart_of_accounts", "trial-balance 320117107206 --as-of 1900-01-01"),
        ("arguments_invalid", "trial-balance 320117107206 --known-at 9999-12-31T23:59:59-12:00"),
    ],
    "history": [
        ("arguments_invalid", "history nonsense"),
        ("aggregate_not_found", "history 320117107206/XX-99"),
        ("aggregate_not_found", "history 320117107206/XX-99 --at-version 2"),
        ("arguments_invalid", "history 320117107206/ZC-001 --at-version " + "9" * 30),
        ("version_not_recorded", "history 320117107206/ZC-001 --at-version 0"),
        ("arguments_invalid", "history 320117107206/ZC-001 --at 0001-01-01T00:00:00+14:00"),
    ],
    "keygen": [
        ("key_directory_not_writable", "keygen --dir {file}"),
        ("key_file_exists", "keygen --dir {keys}"),
    ],
    "checkpoint": [
        ("key_file_not_found", "checkpoint --key {keys}/missing.key"),
        ("key_file_invalid", "checkpoint --key {file}"),
    ],
    "verify": [
        ("event_public_key_not_given", "verify"),
        ("checkpoint_file_not_found", "verify --event-public-key {eventpub} --checkpoint {new}"),
        ("checkpoint_file_invalid", "verify --event-public-key {eventpub} --checkpoint {file}"),
        ("key_file_invalid", "verify --event-public-key {eventpub} --public-key {file}"),
    ],
    "prove": [
        ("arguments_invalid", "prove first"),
        ("arguments_invalid", "prove " + "9" * 30),
        ("notification_not_sealed", "prove 99999"),
    ],
    "replay": [
        ("arguments_invalid", "replay --until garbage --into {new}"),
        ("arguments_invalid", "replay --until " + "9" * 30 + " --into {new}"),
        ("replay_file_exists", "replay --until 3 --into {file}"),
    ],
    "export": [
        (
            "village_not_registered",
            "export --village 320117107299 --from 2025-01-01 --to 2025-12-31 --out {new}",
        ),
        (
            "arguments_invalid",
            "export --village 320117107206 --from 2025-02-30 --to 2025-12-31 --out {new}",
        ),
    ],
    "check": [("arguments_invalid", "check --fix")],
    "bench-seal": [
        ("arguments_invalid", "bench-seal --events 0"),
        ("arguments_invalid", "bench-seal --per-save -1"),
    ],
    "bench": [
        ("arguments_invalid", "bench --villages 0"),
        ("arguments_invalid", "bench --seconds nan"),
        ("path_not_usable", "bench --database sqlite:///{file}"),
    ],
    "project": [
        ("arguments_invalid", "project --max-seconds 1"),
        ("arguments_invalid", "project --follow --max-seconds -1"),
    ],
    "statement": [
        ("arguments_invalid", "statement"),
        ("arguments_invalid", "statement income 320117107206"),
        ("place_code_invalid", "statement balance-sheet abc"),
        ("village_not_registered", "statement balance-sheet 320117107299"),
        ("statement_period_invalid", "statement balances 320117107206 --from 2025-13 --to 2026-01"),
        (
            "statement_account_not_in_chart",
            "statement ledger 320117107206 --account 999 --year 2025",
        ),
    ],
    "token": [("arguments_invalid", "token")],
    "token create": [
        ("arguments_invalid", "token create --role god"),
        ("accountant_needs_villages", "token create --role accountant"),
        ("village_code_invalid", "token create --role accountant --village 1"),
        ("token_expiry_not_in_future", "token create --role admin --expires 2020-01-01"),
    ],
    "token list": [("arguments_invalid", "token list --all")],
    "token revoke": [
        ("arguments_invalid", "token revoke not-an-id"),
        ("token_not_found", f"token revoke {UNKNOWN_ID}"),
    ],
    "user": [("arguments_invalid", "user")],
    "user create": [
        ("arguments_invalid", "user create --username abc --name x --role god"),
        ("username_invalid", "user create --username 1bad --name x --role admin"),
        ("accountant_needs_villages", "user create --username abc --name x --role accountant"),
        ("village_code_invalid", "user create --username abc --name x --role auditor --village 1"),
    ],
    "user list": [("arguments_invalid", "user list --all")],
    "user disable": [
        ("arguments_invalid", "user disable abc"),
        ("user_not_found", "user disable nobody --reason gone"),
    ],
    "user enable": [("user_not_found", "user enable nobody")],
    "user reset-password": [("user_not_found", "user reset-password nobody --password-stdin")],
    "voucher": [
        ("arguments_invalid", "voucher"),
        ("arguments_invalid", "voucher review not-an-id"),
        ("voucher_not_found", f"voucher review {UNKNOWN_ID} --by 李"),
        ("arguments_invalid", "voucher record 320117107206 --date 2026-04-03 --summary x --line 5"),
        (
            "village_not_registered",
            "voucher record 320117107299 --date 2026-04-03 --summary x --line 513:1:0 "
            "--line 101:0:1",
        ),
        (
            "path_not_usable",
            "voucher record 320117107206 --date 2026-04-03 --summary x --lines-file {new}",
        ),
        ("arguments_invalid", "voucher list 320117107206 --status draft"),
    ],
    "disclosure": [
        ("arguments_invalid", "disclosure"),
        ("arguments_invalid", "disclosure show not-an-id"),
        ("arguments_invalid", "disclosure review " + UNKNOWN_ID + " --approved --rejected"),
        ("disclosure_period_invalid", "disclosure draft 320117107206 2026-Q5"),
        ("disclosure_period_not_ended", "disclosure draft 320117107206 2998-12"),
        ("village_not_registered", "disclosure draft 320117107299 2026-03"),
        ("disclosure_not_found", f"disclosure publish {UNKNOWN_ID}"),
        ("disclosure_not_found", f"disclosure verify {UNKNOWN_ID}"),
        ("village_code_invalid", "disclosure overdue 32011710720X"),
        ("district_code_invalid", "disclosure overdue 32O117"),
    ],
    "settle": [
        ("arguments_invalid", "settle"),
        ("arguments_invalid", "settle 320117107 2026-01 --on someday"),
        ("invalid_input", "settle 320117107 2026-13"),
        ("settlement_month_not_ended", "settle 320117107 2998-12"),
        ("village_code_invalid", "settle 32011710720X 2026-01"),
        ("meal_point_not_found", "settle 320117108 2026-01"),
    ],
    "close": [
        ("arguments_invalid", "close"),
        ("invalid_input", "close month 320117107206 2026-13"),
        ("period_not_ended", "close month 320117107206 2999-01"),
        ("period_not_last_closed", "close reopen 320117107206 2026-01 --reason x"),
        ("arguments_invalid", "close year 320117107206 last"),
    ],
    "backup": [
        ("backup_file_exists", "backup {file}"),
        ("arguments_invalid", "backup"),
    ],
    "restore": [
        ("backup_file_not_found", "restore {new}"),
        ("backup_file_invalid", "restore {file}"),
        ("database_not_empty", "restore {database}"),
    ],
}


CASES = [(name, code, line) for name, cases in REFUSALS.items() for code, line in cases]


def argv(place: Place, line: str) -> tuple[str, ...]:
    paths = {
        "file": place.file,
        "new": place.directory.parent / "never-made",
        "keys": place.keys,
        "database": place.database,
        "eventpub": session_event_public_key(),
    }
    return tuple(line.format(**paths).split())


# Each command that opens the database, with arguments it would otherwise accept.
OPENING = {
    "serve": ("serve", "--port", "0"),
    "demo": ("demo",),
    "rebuild": ("rebuild",),
    "trial-balance": ("trial-balance", "320117107206"),
    "statement": ("statement", "balance-sheet", "320117107206"),
    "history": ("history", "320117107206"),
    "checkpoint": ("checkpoint",),
    "verify": ("verify",),
    "prove": ("prove", "1"),
    "replay": ("replay", "--until", "1", "--into", "replay.sqlite3"),
    "export": (
        "export",
        "--village",
        "320117107206",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--out",
        "books",
    ),
    "check": ("check",),
    "project": ("project", "--follow"),
    "voucher": ("voucher", "list", "320117107206"),
    "close": ("close", "month", "320117107206", "2026-01"),
    "disclosure": ("disclosure", "list", "320117107206"),
    "settle": ("settle", "320117107", "2026-01"),
    "token create": ("token", "create", "--role", "admin"),
    "token list": ("token", "list"),
    "token revoke": ("token", "revoke", UNKNOWN_ID),
    "user create": ("user", "create", "--username", "abc", "--name", "x", "--role", "admin"),
    "user list": ("user", "list"),
    "user disable": ("user", "disable", "abc", "--reason", "x"),
    "user enable": ("user", "enable", "abc"),
    "user reset-password": ("user", "reset-password", "abc", "--password-stdin"),
}
UNREACHABLE = {
    "PostgreSQL refusing connections": "postgresql://postgres@127.0.0.1:1/qianwan",
    "an unknown PostgreSQL host": "postgresql://postgres@no-such-host.invalid:5432/qianwan",
}


def subcommands() -> set[str]:
    """Every command, token and user action the parser knows, and "" for none at all."""
    parser = build_parser()
    choices: dict[str, argparse.ArgumentParser] = {}
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        choices.update(getattr(action, "choices", None) or {})
    tokens = (f"token {a}" for a in TOKEN_ACTIONS)
    return {"", *choices, *tokens, *(f"user {a}" for a in USER_ACTIONS)}


def run(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().err


def assert_failed_with(status: int, err: str, code: str) -> None:
    assert FAILURE.match(err), err
    assert err.startswith(f"error: [{code}] "), err
    assert "Traceback" not in err
    assert status == 2


def test_every_subcommand_has_hostile_cases_and_opening_cases() -> None:
    assert set(REFUSALS) == subcommands()
    alone = {"", "keygen", "bench", "bench-seal", "backup", "restore", "token", "user"}
    assert set(OPENING) | alone == subcommands()


@pytest.mark.parametrize(("name", "code", "line"), CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_every_subcommand_refuses_hostile_input_with_a_code_and_records_nothing(
    name: str,
    code: str,
    line: str,
    place: Place,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_database(monkeypatch, place.url)
    monkeypatch.chdir(tmp_path)
    before = describe(place.database)

    status, err = run(capsys, argv(place, line))

    assert_failed_with(status, err, code)
    assert describe(place.database).same_content(before)
    assert not (place.directory.parent / "never-made").exists()


@pytest.mark.parametrize("name", sorted(OPENING))
def test_a_sqlite_path_that_cannot_be_opened_is_database_unavailable(
    name: str,
    place: Place,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "missing.sqlite3"
    for url in (
        f"sqlite:///{place.file}/qianwan.sqlite3",  # its directory is a file
        f"sqlite:///{place.directory}",  # a directory
        f"sqlite:///{place.file}",  # not a database
        f"sqlite:///{missing}",  # not there: only serve, demo, token create make one
    ):
        use_database(monkeypatch, url)
        if url.endswith("missing.sqlite3") and name in ("serve", "demo", "token create"):
            continue
        status, err = run(capsys, OPENING[name])
        absent = url.endswith(("missing.sqlite3", "notes.txt/qianwan.sqlite3"))
        creates = name in ("serve", "demo", "token create")
        expected = "database_not_found" if absent and not creates else "database_unavailable"
        assert_failed_with(status, err, expected)
    assert not missing.exists()
    assert place.file.read_text() == "not a database\n"


@pytest.mark.parametrize("name", sorted(OPENING))
@pytest.mark.parametrize("server", sorted(UNREACHABLE))
def test_an_unreachable_postgresql_is_database_unavailable_and_hides_the_password(
    name: str,
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    url = UNREACHABLE[server].replace("postgres@", "postgres:s3cret@")
    use_database(monkeypatch, url)
    status, err = run(capsys, OPENING[name])
    assert_failed_with(status, err, "database_unavailable")
    assert "s3cret" not in err and len(err.splitlines()) == 1


def test_history_of_an_unknown_asset_names_the_code_it_tried(
    place: Place, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_database(monkeypatch, place.url)
    status, err = run(capsys, ("history", "320117107206/XX-99"))
    assert status == 2
    assert err == "error: [aggregate_not_found] no events for asset 320117107206/XX-99\n"


def test_an_unexpected_exception_is_one_line_with_the_traceback_in_a_log(
    place: Place,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object) -> int:
        raise RuntimeError("a bug")

    use_database(monkeypatch, place.url)
    monkeypatch.setattr(cli, "run_rebuild", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    status, err = run(capsys, ("rebuild",))
    assert_failed_with(status, err, "internal_error")
    assert len(err.splitlines()) == 1 and "RuntimeError: a bug" in err
    log = Path(re.findall(r"see the log: (\S+);", err)[0])
    assert log.parent == tmp_path and 'raise RuntimeError("a bug")' in log.read_text()

    status, err = run(capsys, ("--debug", "rebuild"))
    assert status == 2 and err.startswith("error: [internal_error] RuntimeError: a bug\n")
    assert "Traceback (most recent call last)" in err


def test_ctrl_c_is_one_coded_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run", interrupted)
    status = main(["check"])
    err = capsys.readouterr().err
    assert status == 130
    assert err.startswith("error: [interrupted] ") and err.count("\n") == 1
    assert "Traceback" not in err
