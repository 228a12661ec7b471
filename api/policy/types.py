# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Policy as data: values that differ by place and change from effective dates on."""

from __future__ import annotations

import graphene

from api.common import JSON


class PolicyInForce(graphene.ObjectType):
    """The value of a policy that applies to a place on a day: the most specific jurisdiction
    (village → town → district → CN) with a value in force wins."""

    key = graphene.String(required=True, description="e.g. assets.public_bidding_threshold_yuan")
    jurisdiction = graphene.String(required=True, description="CN or a place code.")
    effective_from = graphene.Date(required=True, description="First day the value applies.")
    value = graphene.Field(graphene.NonNull(JSON), description="Shape depends on the key.")
    source = graphene.String(required=True, description="The document the value comes from.")
