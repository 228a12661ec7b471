# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Setting a policy value for a jurisdiction from a date on."""

from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import WRITE_POLICIES
from api.common import JSON, attempt, context_of
from api.mutation import Authorized, CommandMutation
from api.policy.types import PolicyInForce


class SetPolicy(CommandMutation):
    """Adopt or revise a policy value for a jurisdiction from a date on. Setting the same value
    from the same date again records nothing."""

    class Meta:
        permission = WRITE_POLICIES

    policy = graphene.Field(
        PolicyInForce,
        description="The value now in force for the jurisdiction on `effectiveFrom`; null "
        "when refused.",
    )

    class Arguments(Authorized):
        key = graphene.String(required=True, description="A policy key the registry knows.")
        jurisdiction = graphene.String(
            required=True, description="CN or a 6-, 9- or 12-digit place code."
        )
        effective_from = graphene.Date(required=True)
        value = JSON(required=True, description="Shape depends on the key.")
        source = graphene.String(required=True, description="The document the value comes from.")

    @staticmethod
    def mutate(
        root: None,
        info: GraphQLResolveInfo,
        key: str,
        jurisdiction: str,
        effective_from: date,
        value: Any,
        source: str,
        authority: str | None = None,
    ) -> SetPolicy:
        context = context_of(info)
        policies = context.registry.policies

        def command() -> object:
            by = context.provenance(authority)
            return policies.set_policy(key, jurisdiction, effective_from, value, source, by)

        recorded, errors = attempt(command)
        if recorded is None:
            return SetPolicy(policy=None, errors=errors)
        # Read after the command, outside ``attempt``: errors mean "nothing recorded".
        policy = policies.in_force(key, jurisdiction, effective_from)
        return SetPolicy(policy=policy, errors=[])


class PolicyMutations(graphene.ObjectType):
    set_policy = SetPolicy.Field()
