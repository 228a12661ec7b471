"""``qianwan user create | list | disable | enable | reset-password`` on a SQLite file, and the
demo's three users kept with its tokens (docs/rules.md W-)."""

from __future__ import annotations

import getpass
import io
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from scripts.cli import main
from scripts.demo_users import DEMO_ACCOUNTANT_VILLAGE
from scripts.token_cli import ensure_demo_tokens, print_demo_tokens, read_tokens_file
from tests.conftest import make_settings, settings_env
from tests.support import VILLAGE, seed_places
from tests.users_support import ADMIN_BY, CHEAP, PASSWORD


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings, _ = make_settings("sqlite", tmp_path)
    settings_env(settings, monkeypatch)
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    registry.close()
    return settings


@pytest.fixture
def registry(settings: Settings) -> Iterator[Registry]:
    opened = bootstrap(settings)
    yield opened
    opened.close()


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    replies = iter(answers)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(replies))


def create(*extra: str) -> int:
    return main(
        [
            *("user", "create", "--username", "kuaiji", "--name", "张会计"),
            *("--role", "accountant", "--village", VILLAGE, *extra),
        ]
    )


def test_create_list_disable_enable_and_reset(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, PASSWORD, PASSWORD)
    assert create() == 0
    out = capsys.readouterr().out
    assert "user kuaiji (张会计) created" in out and VILLAGE in out and PASSWORD not in out

    assert main(["user", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["username"], listed["role"], listed["disabled"]) == (
        "kuaiji",
        "accountant",
        False,
    )

    assert main(["user", "disable", "kuaiji", "--reason", "调岗"]) == 0
    assert main(["user", "list"]) == 0
    assert "disabled" in capsys.readouterr().out.splitlines()[-1]
    assert main(["user", "enable", "kuaiji"]) == 0

    stdin(monkeypatch, "a new long password\n")
    assert main(["user", "reset-password", "kuaiji", "--password-stdin"]) == 0
    registry = bootstrap(settings)
    try:
        registry.users.hasher = CHEAP  # verifies the default-parameter hash all the same
        assert registry.users.sign_in("kuaiji", "a new long password", "cli test").role
    finally:
        registry.close()


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["--username", "Bad Name"], "username_invalid"),
        (["--role", "accountant"], "accountant_needs_villages"),
        (["--role", "admin", "--village", VILLAGE], "role_not_scoped_to_villages"),
        (["--village", "320117999999", "--role", "auditor"], "village_not_registered"),
        (["--name", ""], "invalid_input"),
    ],
)
def test_a_user_that_cannot_be_is_refused_with_exit_code_2(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    code: str,
) -> None:
    stdin(monkeypatch, PASSWORD + "\n")
    base = {"--username": "kuaiji", "--name": "张会计", "--role": "auditor"}
    argv = ["user", "create", "--password-stdin"]
    pairs = list(zip(arguments[::2], arguments[1::2], strict=True))
    for flag, value in base.items():
        if flag not in dict(pairs):
            argv += [flag, value]
    for flag, value in pairs:
        argv += [flag, value]
    assert main(argv) == 2
    assert f"error: [{code}]" in capsys.readouterr().err


def test_passwords_that_differ_or_break_the_rules_are_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, PASSWORD, PASSWORD + "!")
    assert create() == 2
    assert "error: [password_mismatch]" in capsys.readouterr().err
    stdin(monkeypatch, "short\n")
    assert create("--password-stdin") == 2
    err = capsys.readouterr().err
    assert "error: [password_too_short]" in err and "short\n" not in err
    stdin(monkeypatch, "p" * 10_000 + "\n")
    assert create("--password-stdin") == 2
    assert "error: [password_too_long]" in capsys.readouterr().err
    stdin(monkeypatch, "with a nul \x00 inside\n")
    assert create("--password-stdin") == 2
    assert "error: [text_contains_forbidden_character]" in capsys.readouterr().err
    assert main(["user", "list"]) == 0
    assert "no users" in capsys.readouterr().out


def test_commands_on_an_unknown_user_are_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, PASSWORD + "\n")
    for argv in (
        ["user", "disable", "nobody", "--reason", "x"],
        ["user", "enable", "nobody"],
        ["user", "reset-password", "nobody", "--password-stdin"],
    ):
        assert main(argv) == 2
        assert "error: [user_not_found]" in capsys.readouterr().err
    stdin(monkeypatch, PASSWORD + "\n")
    assert create("--password-stdin") == 0
    assert main(["user", "disable", "kuaiji"]) == 2  # --reason is required
    assert main(["user", "disable", "kuaiji", "--reason", " "]) == 2
    assert "error: [invalid_input]" in capsys.readouterr().err


def test_the_demo_users_are_made_once_kept_with_the_tokens_and_printed(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert DEMO_ACCOUNTANT_VILLAGE[0] == VILLAGE  # the seeded village is the demo's 乌村桥村
    path = tmp_path / "var" / "demo-tokens.txt"
    tokens = ensure_demo_tokens(registry, path)
    first = read_tokens_file(path)
    names = ("ADMIN", "KUAIJI", "SHENJI")
    passwords = [first[f"QIANWAN_DEMO_{name}_PASSWORD"] for name in names]
    assert all(len(p) >= 10 for p in passwords) and len(set(passwords)) == 3
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    events = registry.store.last_notification_id()

    assert ensure_demo_tokens(registry, path) == tokens  # again: nothing new
    assert read_tokens_file(path) == first
    assert registry.store.last_notification_id() == events

    kuaiji = registry.users.user("kuaiji")
    assert (kuaiji.role, kuaiji.villages) == ("accountant", [VILLAGE])
    assert registry.users.user("shenji").role == "auditor"
    assert registry.users.user("admin").role == "admin"
    registry.users.hasher = CHEAP
    assert registry.users.sign_in("kuaiji", passwords[1], "demo").villages == (VILLAGE,)

    print_demo_tokens(tokens, path)
    out = capsys.readouterr().out
    assert f"  kuaiji / {passwords[1]}" in out and "乌村桥村" in out
    assert f"  admin / {passwords[0]}" in out and f"  shenji / {passwords[2]}" in out


def test_a_demo_user_whose_password_no_longer_works_gets_a_new_one(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "demo-tokens.txt"
    ensure_demo_tokens(registry, path)
    first = read_tokens_file(path)
    registry.users.disable_user("shenji", "test", ADMIN_BY)
    ensure_demo_tokens(registry, path)
    again = read_tokens_file(path)
    assert again["QIANWAN_DEMO_SHENJI_PASSWORD"] != first["QIANWAN_DEMO_SHENJI_PASSWORD"]
    assert again["QIANWAN_DEMO_KUAIJI_PASSWORD"] == first["QIANWAN_DEMO_KUAIJI_PASSWORD"]
    assert not registry.users.user("shenji").disabled
