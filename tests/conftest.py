"""Fixtures. Storage-touching tests take ``settings`` or ``registry``: each runs twice, on SQLite
and on the machine's PostgreSQL (a fresh schema per test, dropped afterwards). Unit tests take
``memory``: the applications on eventsourcing's in-memory store, no projections."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, text

from domain.assets.application import AssetApplication
from domain.audit.keyfiles import EVENTS, generate_key_pair, key_paths
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared.eventstore import EventStore
from qianwan.bootstrap import Registry, bootstrap, policy_keys
from qianwan.settings import Settings
from tests.support import seed_places

POSTGRES_URL = os.environ.get(
    "QIANWAN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
POSTGRES_ON = os.environ.get("QIANWAN_TEST_POSTGRES", "on") != "off"

STORAGES = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_ON, reason="QIANWAN_TEST_POSTGRES=off"),
        ],
    ),
]


TEST_PERSONAL_DATA_SECRET = "qianwan-tests-personal-data-secret"  # not the development one
# Tests fold in their own process (they patch handlers, budgets, clocks there); folding in several
# processes has its own tests (tests/integration/test_parallel_fold.py).
TEST_FOLD_PROCESSES = 1


def event_key_file(directory: Path) -> Path:
    """An event signing key of the test's own (made once per directory), as production has."""
    private, _ = key_paths(directory / "event-keys", EVENTS)
    if not private.exists():
        generate_key_pair(private.parent, EVENTS)
    return private


_KEYS = Path(tempfile.mkdtemp(prefix="qianwan-test-keys-"))  # one event key for the session


def signed_settings(database_url: str, key_directory: Path | None = None) -> Settings:
    """Settings for ``database_url`` as production has them (see ``make_settings``)."""
    key = event_key_file(key_directory or _KEYS)
    secret = TEST_PERSONAL_DATA_SECRET
    return Settings(
        database_url,
        event_key_file=key,
        personal_data_secret=secret,
        fold_processes=TEST_FOLD_PROCESSES,
    )


def make_settings(storage: str, tmp_path: Path) -> tuple[Settings, str | None]:
    """Settings as production has them: an event key of the test's own, a personal data
    secret that is not the development one."""
    key = event_key_file(tmp_path)
    secret = TEST_PERSONAL_DATA_SECRET
    schema = ""
    if storage == "sqlite":
        url = f"sqlite:///{tmp_path}/qianwan.sqlite3"
    else:
        schema = f"t_{uuid4().hex[:16]}"
        url = f"{POSTGRES_URL}?schema={schema}"
    found = Settings(
        url, event_key_file=key, personal_data_secret=secret, fold_processes=TEST_FOLD_PROCESSES
    )
    return found, schema or None


def settings_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give ``settings`` to the command line, which reads its settings from the environment."""
    for name, value in settings.to_env().items():
        monkeypatch.setenv(name, value)


def session_event_public_key() -> Path:
    """The public key of the session's event key (``signed_settings``): what an auditor would
    be given to trust."""
    return key_paths(event_key_file(_KEYS).parent, EVENTS)[1]


def use_database(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """The command line on ``database_url``, with the test event key and secret (as
    production's environment has them)."""
    settings_env(signed_settings(database_url), monkeypatch)


def drop_schema(schema: str) -> None:
    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=STORAGES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    result, schema = make_settings(request.param, tmp_path)
    yield result
    if schema:
        drop_schema(schema)


@pytest.fixture
def registry(settings: Settings) -> Iterator[Registry]:
    r = bootstrap(settings)
    yield r
    r.close()


@pytest.fixture
def seeded(registry: Registry) -> Registry:
    seed_places(registry.places, registry.policies)
    return registry


@dataclass
class Memory:
    store: EventStore
    places: ReferenceApplication
    policies: PolicyApplication
    assets: AssetApplication


@pytest.fixture
def memory() -> Iterator[Memory]:
    store = EventStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    places = ReferenceApplication(store)
    policies = PolicyApplication(store, policy_keys())
    m = Memory(store, places, policies, AssetApplication(store, places, policies))
    seed_places(m.places, m.policies)
    yield m
    store.close()
