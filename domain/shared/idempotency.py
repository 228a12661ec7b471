"""Client idempotency keys for creates (TigerBeetle, Formance): the same key with the same
content gives the first result; the same key with other content is refused.

An ``IdempotencyKey`` aggregate per (principal, key) — id uuid5 of both — holds the command's
name, the SHA-256 of its canonical input and the id of what it created. It is saved in the SAME
transaction as the created aggregate: ``companion(...)`` arms the event store so that the first
save that includes an aggregate of the created type saves the key with it. A command that saved
nothing (a retry the natural key recognised) gets its key saved on its own afterwards.

Armed without a key, a companion only counts the saves of a command that recorded events: a
command that recorded nothing answered from facts another request recorded, and its answer
must wait until the projections show them (api/idempotency.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import BaseAggregate, event

from domain.shared.aggregate import QianwanAggregate
from domain.shared.errors import ConcurrentUpdate, DomainError, InvalidInput
from domain.shared.values import deterministic_id

MAX_IDEMPOTENCY_KEY_CHARS = 200


class IdempotencyKeyReused(DomainError):
    """This idempotency key was used before for a different request (another command or other
    content); a retry must send the very same request, a new request a new key."""

    code = "idempotency_key_reused"


class IdempotencyKey(QianwanAggregate):
    """The first use of a client's key: what it asked for and what it created."""

    @staticmethod
    def create_id(principal: str, key: str) -> UUID:
        return deterministic_id("idempotency-key", principal, key)

    @event("Used")
    def __init__(
        self,
        principal: str,
        key: str,
        command: str,
        input_sha256: str,
        result_id: UUID,
        actor: str,
        authority: str | None,
    ) -> None:
        """principal: whose key (an API token id): keys of different clients never meet.
        key: the client's key. command: e.g. the mutation ``registerAsset``. input_sha256: of
        the canonical JSON of the command's input. result_id: the aggregate it created."""
        self.principal = principal
        self.key = key
        self.command = command
        self.input_sha256 = input_sha256
        self.result_id = result_id


def check_key(key: str) -> str:
    text = key.strip() if isinstance(key, str) else ""
    if not text or len(text) > MAX_IDEMPOTENCY_KEY_CHARS:
        raise InvalidInput(
            f"idempotency_key must be 1 to {MAX_IDEMPOTENCY_KEY_CHARS} characters",
            field="idempotency_key",
        )
    return text


def canonical_sha256(command: str, arguments: Any) -> str:
    """SHA-256 of the command's name and its input as canonical JSON (sorted keys, money and
    numbers in their normal form), so that 120000 and "120000.00" count as the same content."""
    document = json.dumps(
        [command, _canonical(arguments)], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (UUID, Enum)):
        return str(value.value if isinstance(value, Enum) else value)
    if isinstance(value, float):
        return repr(value)
    return value


# -- saving the key with the created aggregate, and watching what a request saves ------------


@dataclass
class Companion:
    """What one command of a request saves. With ``make``: an aggregate to save with the first
    save that includes an aggregate of ``created`` (an idempotency key with what it created).
    Without: it only counts the saves, so that the request knows whether it recorded anything
    (a request that recorded nothing answers from facts another request recorded)."""

    created: type[QianwanAggregate] | None = None
    make: Callable[[QianwanAggregate], QianwanAggregate] | None = None
    saves: int = 0  # saves that recorded events while armed
    joined: QianwanAggregate | None = None  # joined to the save in progress
    recording: bool = False  # the save in progress has events to record
    _saved: list[QianwanAggregate] = field(default_factory=list)

    @property
    def saved(self) -> QianwanAggregate | None:
        return self._saved[0] if self._saved else None


_armed: ContextVar[Companion | None] = ContextVar("qianwan_companion", default=None)


@contextmanager
def companion(
    created: type[QianwanAggregate] | None = None, make: Callable[[Any], Any] | None = None
) -> Iterator[Companion]:
    """Within the block, saves are counted, and the first save including one aggregate of
    ``created`` also saves ``make(that aggregate)``, in the same transaction."""
    armed = Companion(created, make)
    token = _armed.set(armed)
    try:
        yield armed
    finally:
        _armed.reset(token)


def armed() -> Companion | None:
    """The companion armed for the command running now, if any."""
    return _armed.get()


def join(objs: tuple[Any, ...]) -> tuple[tuple[Any, ...], Companion | None]:
    """What the event store saves: ``objs``, and the armed companion when its time has come;
    and the armed companion, to be told how the save went."""
    armed = _armed.get()
    if armed is None:
        return objs, None
    armed.joined = None
    armed.recording = any(_has_events(o) for o in objs)
    if armed.make is None or armed.created is None or armed.saved is not None:
        return objs, armed
    created = [o for o in objs if isinstance(o, armed.created)]
    if len(created) != 1:
        return objs, armed
    armed.joined = armed.make(created[0])
    return (*objs, armed.joined), armed


def _has_events(obj: Any) -> bool:
    """An aggregate saved again without a new event (a retry that changed nothing) records
    nothing; an event saved on its own does."""
    if obj is None:
        return False
    return bool(obj.pending_events) if isinstance(obj, BaseAggregate) else True


def joined_saved(armed: Companion | None) -> None:
    if armed is None:
        return
    if armed.recording:
        armed.saves += 1
    if armed.joined is not None:
        armed._saved.append(armed.joined)
        armed.joined = None


def joined_conflicted(armed: Companion | None, exists: Callable[[UUID], bool]) -> None:
    """The save failed on a unique id. When the companion's id is the one taken (a concurrent
    request with the same key), say so as a retryable refusal rather than let the caller think
    its own aggregate was created meanwhile."""
    if armed is None or armed.joined is None:
        return
    joined, armed.joined = armed.joined, None
    if exists(joined.id):
        raise ConcurrentUpdate("a request with the same idempotency key is being recorded")
