# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The permission middleware guards a subscription's root field exactly as a query's: a field
that declares no permission is refused to everyone (deny by default), a role the declaration
does not name is refused (api/feed/execution.py runs the field through the middleware, which
graphql-core's own ``subscribe`` would not)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, cast

import graphene
from graphql import parse

from api.auth.middleware import FORBIDDEN, attach_permissions
from api.auth.permissions import READ_HISTORY, PermittedField
from api.auth.principal import Principal
from api.common import RequestContext
from api.execution import GraphQLRequest
from api.feed.execution import subscribe
from domain.access.roles import Role


class Query(graphene.ObjectType):
    nothing = graphene.Int()


class Subscription(graphene.ObjectType):
    undeclared = graphene.Int()
    auditors_only = PermittedField(graphene.Int, permission=READ_HISTORY)

    @staticmethod
    async def subscribe_undeclared(root: Any, info: Any) -> AsyncIterator[int]:
        yield 1

    @staticmethod
    async def subscribe_auditors_only(root: Any, info: Any) -> AsyncIterator[int]:
        yield 2


SCHEMA = attach_permissions(graphene.Schema(query=Query, subscription=Subscription))


def first(text: str, role: Role) -> Any:
    """The errors refusing the subscription, or its first result."""
    principal = Principal("token", role, "a token", None)
    context = RequestContext(cast(Any, None), principal=principal)

    async def run() -> Any:
        found = await subscribe(SCHEMA, parse(text), GraphQLRequest(text, None, None), context)
        if isinstance(found, list):
            return found
        async for result in found:
            return result
        return None

    return asyncio.run(run())


def codes(errors: Any) -> list[str]:
    assert isinstance(errors, list), errors
    return [e["extensions"]["code"] for e in errors]


def test_a_subscription_that_declares_no_permission_is_refused_to_everyone() -> None:
    for role in Role:
        assert codes(first("subscription { undeclared }", role)) == [FORBIDDEN]


def test_a_subscription_is_refused_to_the_roles_its_permission_does_not_name() -> None:
    assert codes(first("subscription { auditorsOnly }", Role.PLATFORM)) == [FORBIDDEN]
    assert first("subscription { auditorsOnly }", Role.AUDITOR) == {"data": {"auditorsOnly": 2}}
