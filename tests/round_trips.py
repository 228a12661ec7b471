"""Counting what one request costs the database: the statements on the read models' engine,
the connections it takes from the pool (on PostgreSQL each checkout pings the server first) and
the reads of the event store (a token's version, an aggregate). Counts, never times."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event

from qianwan.bootstrap import Registry

# Looked up at most once a second for the answer's warnings (api/execution.py), whatever the
# query: not the query's cost (the read of the positions, which joins it, is counted).
NOT_COUNTED = ("projection_halts",)
EVENT_STORE_READS = ("select_events", "select_notifications", "max_notification_id")


@dataclass
class RoundTrips:
    statements: list[str] = field(default_factory=list)
    checkouts: int = 0
    event_store_reads: int = 0

    @property
    def read_model_statements(self) -> int:
        return len(self.statements)

    def as_tuple(self) -> tuple[int, int, int]:
        """(statements on the read models, connections taken, event store reads)"""
        return (len(self.statements), self.checkouts, self.event_store_reads)


@contextmanager
def counting(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> Iterator[RoundTrips]:
    found = RoundTrips()

    def statement(conn: Any, cursor: Any, text: str, *args: Any) -> None:
        if "projection_positions" in text or not any(name in text for name in NOT_COUNTED):
            found.statements.append(text)

    def checkout(*args: Any) -> None:
        found.checkouts += 1

    def counted(method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            found.event_store_reads += 1
            return method(*args, **kwargs)

        return call

    recorder = registry.store.recorder
    with monkeypatch.context() as patch:
        for name in EVENT_STORE_READS:
            patch.setattr(recorder, name, counted(getattr(recorder, name)))
        patch.setattr(registry.store, "versions", counted(registry.store.versions))
        # the halts, read at most once a second for the answer's warnings: not the query's cost
        halted = registry.runner.halted()
        patch.setattr(registry.runner, "halted", lambda fresh=False: halted)
        event.listen(registry.engine, "before_cursor_execute", statement)
        event.listen(registry.engine.pool, "checkout", checkout)
        try:
            yield found
        finally:
            event.remove(registry.engine, "before_cursor_execute", statement)
            event.remove(registry.engine.pool, "checkout", checkout)
