"""``qianwan token create | list | revoke`` on a SQLite file, and the demo's tokens file."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.access.application import token_hash
from domain.access.model import ApiToken
from domain.shared.values import Provenance
from projections.access import api_tokens
from qianwan.bootstrap import bootstrap
from qianwan.settings import Settings
from scripts.cli import main
from scripts.token_cli import ensure_demo_tokens, read_tokens_file
from tests.conftest import make_settings, settings_env
from tests.support import seed_places

VILLAGE = "320117107206"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings, _ = make_settings("sqlite", tmp_path)
    settings_env(settings, monkeypatch)
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    registry.close()
    return settings


@pytest.fixture
def database(settings: Settings) -> str:
    return settings.database_url


def created_secret(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_create_prints_the_secret_once_and_the_registry_keeps_only_its_hash(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # when an accountant's token is created for one village
    code = main(
        ["token", "create", "--role", "accountant", "--village", VILLAGE, "--name", "王会计"]
    )

    # then its secret is printed, and only the SHA-256 of it is stored
    out = capsys.readouterr().out
    assert code == 0
    secret = created_secret(out)
    assert secret.startswith("qw_") and len(secret) > 40
    assert "role:     accountant" in out and VILLAGE in out
    registry = bootstrap(settings)
    try:
        with registry.engine.connect() as conn:
            (stored,) = conn.execute(select(api_tokens)).mappings().all()
        events = registry.store.recorder.select_notifications(start=1, limit=1000)
        assert stored["token_hash"] == token_hash(secret)
        assert all(secret.encode() not in n.state for n in events)
    finally:
        registry.close()

    # and listing never shows it again
    assert main(["token", "list"]) == 0
    listing = capsys.readouterr().out
    assert secret not in listing and "王会计" in listing and VILLAGE in listing


def test_a_revoked_token_is_listed_as_revoked(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "--role", "platform"]) == 0
    capsys.readouterr()
    assert main(["token", "list", "--json"]) == 0
    (token,) = json.loads(capsys.readouterr().out)

    assert main(["token", "revoke", token["id"]]) == 0
    assert main(["token", "revoke", token["id"]]) == 0  # again: nothing new, no error
    capsys.readouterr()
    assert main(["token", "list", "--json"]) == 0
    (revoked,) = json.loads(capsys.readouterr().out)
    assert revoked["revoked_at"] is not None and revoked["role"] == "platform"


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["--role", "accountant"], "accountant_needs_villages"),
        (["--role", "platform", "--village", VILLAGE], "role_not_scoped_to_villages"),
        (["--role", "auditor", "--village", "320117107299"], "village_not_registered"),
        (["--role", "admin", "--expires", "2020-01-01"], "token_expiry_not_in_future"),
    ],
)
def test_a_token_that_cannot_work_is_refused_with_exit_code_2(
    database: str, capsys: pytest.CaptureFixture[str], arguments: list[str], code: str
) -> None:
    assert main(["token", "create", *arguments]) == 2
    captured = capsys.readouterr()
    assert f"[{code}]" in captured.err and "qw_" not in captured.out


def test_revoking_an_unknown_token_is_refused(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "revoke", "00000000-0000-4000-8000-000000000000"]) == 2
    assert "[token_not_found]" in capsys.readouterr().err


def test_the_demo_tokens_are_issued_once_and_kept_private(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "var" / "demo-tokens.txt"
    registry = bootstrap(settings)
    try:
        first = ensure_demo_tokens(registry, path)
        again = ensure_demo_tokens(registry, path)
        assert [t.role for t in first] == ["admin", "platform"]
        assert again == first
        kept = read_tokens_file(path)  # beside the demo users' passwords (test_user_cli.py)
        assert {t.variable: kept[t.variable] for t in first} == {
            t.variable: t.secret for t in first
        }
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        platform_id = ApiToken.create_id(token_hash(first[1].secret))
        registry.access.revoke_token(platform_id, "test", Provenance("admin:test"))
        renewed = ensure_demo_tokens(registry, path)
        assert renewed[0] == first[0] and renewed[1].secret != first[1].secret
    finally:
        registry.close()
