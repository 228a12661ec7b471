# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the policy context."""

from __future__ import annotations

from datetime import date

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import READ_POLICIES, PermittedField
from api.common import context_of
from api.policy.types import PolicyInForce
from domain.policy.application import PolicyInForce as PolicyInForceRow


class PolicyQuery(graphene.ObjectType):
    policy_in_force = PermittedField(
        graphene.NonNull(PolicyInForce),
        permission=READ_POLICIES,
        key=graphene.String(required=True),
        place_code=graphene.String(required=True, description="A village, town or district."),
        on=graphene.Date(required=True),
        description="The policy value in force for a place on a day (`policy_not_in_force` "
        "when there is none).",
    )

    @staticmethod
    def resolve_policy_in_force(
        root: None, info: GraphQLResolveInfo, key: str, place_code: str, on: date
    ) -> PolicyInForceRow:
        return context_of(info).registry.policies.in_force(key, place_code, on)
