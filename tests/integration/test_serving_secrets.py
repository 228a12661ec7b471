"""The server serves real data only on real secrets (issue 11, item 8): without an event signing
key, or on the public development secret for personal data, it refuses to start with a coded
error and records nothing; development mode (``--dev``, ``--demo``) starts, and says loudly what
it uses instead."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from api.app import app_from_env
from domain.audit.errors import EventSigningKeyNotConfigured, PersonalDataSecretNotConfigured
from qianwan.bootstrap import bootstrap
from qianwan.settings import DEV_PERSONAL_DATA_SECRET, Settings
from scripts.cli import main
from tests.conftest import make_settings, settings_env


@pytest.fixture
def production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A registry's settings in the environment, in an empty working directory; the server
    itself is never started (uvicorn.run fails the test if it is reached)."""
    settings, _ = make_settings("sqlite", tmp_path)
    monkeypatch.chdir(tmp_path)

    def never(*args: Any, **kwargs: Any) -> None:
        pytest.fail("the server started")

    monkeypatch.setattr("uvicorn.run", never)
    return settings


def events_in(settings: Settings) -> int:
    registry = bootstrap(replace(settings, event_key_file=None))
    try:
        return registry.store.last_notification_id()
    finally:
        registry.close()


def refused(capsys: pytest.CaptureFixture[str], code: str, *argv: str) -> None:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: [{code}] "), err


def test_serve_without_an_event_key_refuses_to_start_and_records_nothing(
    production: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_env(replace(production, event_key_file=None), monkeypatch)

    refused(capsys, "event_signing_key_not_configured", "serve")
    refused(capsys, "event_signing_key_not_configured", "demo")
    assert events_in(production) == 0


def test_serve_on_the_development_personal_data_secret_refuses_to_start(
    production: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_env(replace(production, personal_data_secret=DEV_PERSONAL_DATA_SECRET), monkeypatch)
    monkeypatch.delenv("QIANWAN_PERSONAL_DATA_SECRET", raising=False)

    refused(capsys, "personal_data_secret_not_configured", "serve")
    assert events_in(production) == 0


def test_each_server_process_refuses_the_same(
    production: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_env(replace(production, event_key_file=None), monkeypatch)
    with pytest.raises(EventSigningKeyNotConfigured):
        app_from_env()
    settings_env(replace(production, personal_data_secret=DEV_PERSONAL_DATA_SECRET), monkeypatch)
    monkeypatch.delenv("QIANWAN_PERSONAL_DATA_SECRET", raising=False)
    with pytest.raises(PersonalDataSecretNotConfigured):
        app_from_env()


def test_development_mode_starts_on_a_development_key_and_says_so_loudly(
    production: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    unkeyed = replace(
        production, event_key_file=None, personal_data_secret=DEV_PERSONAL_DATA_SECRET
    )
    settings_env(unkeyed, monkeypatch)
    monkeypatch.delenv("QIANWAN_PERSONAL_DATA_SECRET", raising=False)
    started: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(a))

    assert main(["serve", "--dev"]) == 0

    err = capsys.readouterr().err
    assert started
    assert "DEVELOPMENT MODE" in err
    assert "DEVELOPMENT key var/dev-keys/event.key" in err
    assert "PUBLIC development secret" in err
    assert (tmp_path / "var/dev-keys/event.key").is_file()
