"""When the database fails during a write, the caller is told what happened to the fact, never
"failed" for a fact that was recorded: the store asks the log before it answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError, StoredEvent
from sqlalchemy import func, select

from domain.shared import eventstore
from domain.shared.errors import WriteOutcomeUnknown
from projections.assets import register
from qianwan.bootstrap import Registry
from tests.support import refused, register_building


def failing_insert(
    registry: Registry, message: str, commit_first: bool
) -> Callable[..., Sequence[int] | None]:
    original = registry.store.recorder.insert_events

    def insert(stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if commit_first:
            original(stored_events, **kwargs)  # the COMMIT went through; its answer did not
        raise OperationalError(message)

    return insert


def assets_registered(registry: Registry) -> int:
    with registry.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(register)) or 0)


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("server closed the connection unexpectedly", "database_unavailable"),
        ("database is locked", "database_busy"),
    ],
)
def test_a_write_the_database_did_not_keep_is_refused_retryably(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch, message: str, code: str
) -> None:
    monkeypatch.setattr(
        seeded.store.recorder, "insert_events", failing_insert(seeded, message, False)
    )
    with refused(seeded.store, code):
        register_building(seeded.assets, "ZC-LOST")
    monkeypatch.undo()
    register_building(seeded.assets, "ZC-LOST")  # sent again: recorded once
    assert assets_registered(seeded) == 1


def test_a_write_kept_although_the_database_reported_a_failure_is_answered_as_recorded(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = seeded.store.last_notification_id()
    monkeypatch.setattr(
        seeded.store.recorder,
        "insert_events",
        failing_insert(seeded, "connection lost during COMMIT", True),
    )
    asset = register_building(seeded.assets, "ZC-KEPT")  # no exception: it was recorded
    monkeypatch.undo()
    assert seeded.assets.get(asset).name
    assert seeded.store.last_notification_id() > before
    assert assets_registered(seeded) == 1  # and folded: read-your-writes held
    assert register_building(seeded.assets, "ZC-KEPT") == asset  # sent again: nothing new
    assert assets_registered(seeded) == 1


def test_a_write_whose_fate_cannot_be_asked_is_reported_as_unknown_and_safe_to_repeat(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(eventstore, "OUTCOME_CHECK_SECONDS", 0.05)
    monkeypatch.setattr(eventstore, "OUTCOME_CHECK_PAUSE_SECONDS", 0.01)

    def unreachable(*_: Any) -> Any:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(eventstore, "select_recorded", unreachable)
    monkeypatch.setattr(
        seeded.store.recorder,
        "insert_events",
        failing_insert(seeded, "connection lost during COMMIT", True),
    )
    with pytest.raises(WriteOutcomeUnknown):
        register_building(seeded.assets, "ZC-UNKNOWN")
    monkeypatch.undo()
    asset = register_building(seeded.assets, "ZC-UNKNOWN")  # the retry the answer asks for
    assert seeded.assets.get(asset).name
    seeded.await_projections(seeded.store.last_notification_id())  # as the API's answer does
    assert assets_registered(seeded) == 1  # recorded once, whatever the first attempt did
