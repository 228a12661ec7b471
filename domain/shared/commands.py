"""Helpers every application uses to save: idempotent creation and conflict translation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.shared.aggregate import QianwanAggregate
from domain.shared.errors import ConcurrentUpdate, DomainError
from domain.shared.eventstore import EventStore

A = TypeVar("A", bound=QianwanAggregate)


def get_or_none(store: EventStore, aggregate_id: UUID, cls: type[A]) -> A | None:
    try:
        aggregate: object = store.repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None
    assert isinstance(aggregate, cls), f"{aggregate_id} is a {type(aggregate)}, not {cls}"
    return aggregate


def get_or_refuse(
    store: EventStore,
    aggregate_id: UUID,
    cls: type[A],
    refusal: type[DomainError],
    field: str,
    version: int | None = None,
) -> A:
    """The aggregate of kind ``cls`` with this id (as of ``version``). Refused as ``refusal``
    when there is none, or when the id is of another kind (user input may name any id)."""
    try:
        aggregate: object = store.repository.get(aggregate_id, version=version)
    except AggregateNotFoundError:
        aggregate = None
    if not isinstance(aggregate, cls):
        raise refusal(f"no {cls.__name__} {aggregate_id}", field=field)
    return aggregate


def create_once(
    store: EventStore,
    new: A,
    same_content: Callable[[A], bool],
    conflict: Callable[[A], DomainError],
) -> UUID:
    """Save a newly created aggregate whose id is deterministic (uuid5 of its natural key).

    Same key and same content as an existing one: nothing is recorded and the id is returned
    (a safe retry). Same key, other content: ``conflict`` is raised. The event store's unique
    (id, version) constraint decides between two concurrent creators; the loser sees the winner.
    """
    existing = get_or_none(store, new.id, type(new))
    if existing is None:
        try:
            store.save(new)
            return new.id
        except IntegrityError:
            existing = get_or_none(store, new.id, type(new))
            assert existing is not None
    if same_content(existing):
        return existing.id
    raise conflict(existing)


@contextmanager
def translating_conflicts() -> Iterator[None]:
    """A concurrent writer got there first: a domain error the caller can retry."""
    try:
        yield
    except IntegrityError as error:
        raise ConcurrentUpdate(
            "the record was changed by someone else at the same time; reload and retry"
        ) from error
