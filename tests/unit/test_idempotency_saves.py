"""A command's saves are counted while it runs, so that the API knows whether the command
recorded anything or answered from facts recorded before it (and must wait for their fold)."""

from __future__ import annotations

from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from domain.shared.idempotency import IdempotencyKey, armed, companion
from tests.conftest import Memory


def key_used(key: str = "k-1") -> IdempotencyKey:
    return IdempotencyKey(
        principal="token-1",
        key=key,
        command="RegisterAsset",
        input_sha256="0" * 64,
        result_id=uuid4(),
        actor="test",
        authority=None,
    )


def test_only_saves_that_record_events_count(memory: Memory) -> None:
    first = key_used()
    with companion() as command:
        memory.store.save(first)  # records IdempotencyKey.Used
        memory.store.save(first)  # nothing new: records nothing
    assert command.saves == 1


def test_a_save_refused_on_a_unique_id_does_not_count(memory: Memory) -> None:
    memory.store.save(key_used())
    with companion() as command, pytest.raises(IntegrityError):
        memory.store.save(key_used())  # the same key, recorded already by someone else
    assert command.saves == 0


def test_nothing_is_counted_outside_a_command(memory: Memory) -> None:
    assert armed() is None
    with companion() as command:
        assert armed() is command
    assert armed() is None
