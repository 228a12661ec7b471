"""One served registry per module for the change feed's protocol and client tests (SQLite: the
protocol does not depend on the storage; tests/integration/test_feed.py runs on both)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qianwan.bootstrap import bootstrap
from tests.conftest import make_settings
from tests.feed_support import LiveServer, first_event, run, serving, token
from tests.support import seed_places


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The test district's places on SQLite, served to every test of the module."""
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("feed"))
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    with serving(registry) as live:
        yield live
    registry.close()


@pytest.fixture(scope="module")
def secret(server: LiveServer) -> str:
    return token(server.registry, "platform")


@pytest.fixture(autouse=True)
def still_serving(server: LiveServer, secret: str) -> Iterator[None]:
    """After every test, whatever it did: a new client is served the first event."""
    yield
    reply = run(first_event(server, secret))
    assert reply["type"] == "next"
    assert reply["payload"]["data"]["events"]["notificationId"] == 1
