"""Create mutations take a client key, ``idempotencyKey``: a retry with the same key and the same
input returns the first result and records nothing; the same key with another input (or for
another mutation) is refused with ``idempotency_key_reused``.

The key is an ``IdempotencyKey`` aggregate (domain/shared/idempotency.py) whose id is uuid5 of
the caller's token and the key; it is saved in the same transaction as the aggregate the
mutation creates. A mutation declares ``Meta.creates`` and implements ``created_id(payload)``
and ``replay(info, id)`` (one with a ``Meta.subject`` inherits both, api/mutation.py); this
module wraps its resolver (CommandMutation.Field does it).

A replay, and any command that recorded nothing because what it asked for was recorded before
(by its natural key), answers from facts another request recorded: maybe a moment ago, by a
request with the same key that has saved and not yet folded its events. So the answer is read
only once the projections show the log as it stands (``RequestContext.after_command``); the
resolver of every mutation counts what its command recorded, to know when to wait.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import isawaitable
from typing import Any
from uuid import UUID

import graphene
from eventsourcing.persistence import IntegrityError
from graphql import GraphQLResolveInfo

from api.common import RequestContext, context_of, field_error, without_unit
from domain.shared.commands import get_or_none
from domain.shared.errors import DomainError
from domain.shared.idempotency import (
    MAX_IDEMPOTENCY_KEY_CHARS,
    IdempotencyKey,
    IdempotencyKeyReused,
    canonical_sha256,
    check_key,
    companion,
)

IDEMPOTENCY_KEY = "idempotency_key"


def with_idempotency_key(arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        **arguments,
        IDEMPOTENCY_KEY: graphene.String(
            description=f"A key of yours (at most {MAX_IDEMPOTENCY_KEY_CHARS} characters) that "
            "makes retries safe: the same key with the same input returns the first result "
            "and records nothing; with another input it is refused (`idempotency_key_reused`)."
        ),
    }


async def awaited(value: Any) -> Any:
    return await value if isawaitable(value) else value


def as_written(value: Any) -> Any:
    """The input by the schema's names (money without its unit, ``without_unit``): what the
    digest of a key's first use covers, so that it stays what it was when recorded."""
    if isinstance(value, dict):
        return {without_unit(str(k)): as_written(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_written(v) for v in value]
    return value


def watched(resolver: Callable[..., Any]) -> Callable[..., Any]:
    """``resolver`` with what its command records counted (``RequestContext.after_command``)."""

    async def resolve(root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        with companion():
            return await awaited(resolver(root, info, **args))

    return resolve


def idempotent(mutation: Any, resolver: Callable[..., Any]) -> Callable[..., Any]:
    """``resolver`` with the idempotency key handled around it."""
    command = mutation.__name__

    async def resolve(root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        key = args.pop(IDEMPOTENCY_KEY, None)
        if key is None:
            with companion(mutation.creates):
                return await awaited(resolver(root, info, **args))
        context = context_of(info)
        try:
            key = check_key(key)
        except DomainError as error:
            return mutation(errors=[field_error(error)])
        use = KeyUse(context, command, key, canonical_sha256(command, as_written(args)))
        earlier = use.earlier()
        if earlier is not None:
            return await use.replay(mutation, info, earlier)
        with companion(mutation.creates, use.record) as armed:
            payload = await awaited(resolver(root, info, **args))
        if payload.errors:  # a request with the same key may have been recorded meanwhile
            earlier = use.earlier()
            return payload if earlier is None else await use.replay(mutation, info, earlier)
        created = mutation.created_id(payload)
        if armed.saved is None and created is not None:  # the command saved nothing new
            try:
                context.registry.store.save(use.record_id(UUID(str(created))))
            except IntegrityError:
                earlier = use.earlier()
                assert earlier is not None
                return await use.replay(mutation, info, earlier)
        return payload

    return resolve


class KeyUse:
    """One use of a key: whose it is, for which mutation and input."""

    def __init__(self, context: RequestContext, command: str, key: str, digest: str) -> None:
        principal = context.principal
        assert principal is not None, "mutations run for an authenticated caller"
        self.context = context
        self.principal = principal.token_id
        self.command = command
        self.key = key
        self.digest = digest

    def earlier(self) -> IdempotencyKey | None:
        store = self.context.registry.store
        return get_or_none(
            store, IdempotencyKey.create_id(self.principal, self.key), IdempotencyKey
        )

    def record(self, created: Any) -> IdempotencyKey:
        return self.record_id(created.id)

    def record_id(self, created: UUID) -> IdempotencyKey:
        return IdempotencyKey(
            principal=self.principal,
            key=self.key,
            command=self.command,
            input_sha256=self.digest,
            result_id=created,
            actor=self.context.actor,
            authority=None,
        )

    async def replay(self, mutation: Any, info: GraphQLResolveInfo, earlier: IdempotencyKey) -> Any:
        if (earlier.command, earlier.input_sha256) != (self.command, self.digest):
            refusal = IdempotencyKeyReused(
                f"the key {self.key!r} was used for another request", field=IDEMPOTENCY_KEY
            )
            return mutation(errors=[field_error(refusal)])
        self.context.after_command()  # the earlier request may not have folded its events yet
        return await awaited(mutation.replay(info, earlier.result_id))
