# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The GraphQL schema, assembled from the contexts' root fields.

``python -m api.schema > schema.graphql`` prints the SDL committed at the repository root; a
test fails when that file and this code disagree.
"""

from __future__ import annotations

import sys

import graphene

from api.assets.mutations import AssetMutations
from api.assets.queries import AssetsQuery
from api.audit.queries import AuditQuery
from api.ledger.queries import LedgerQuery
from api.places.queries import PlacesQuery
from api.policy.mutations import PolicyMutations
from api.policy.queries import PolicyQuery

REGENERATE = "python -m api.schema > schema.graphql"


# Bases in reverse: graphene lists the fields of the last base first.
class Query(PolicyQuery, AuditQuery, LedgerQuery, AssetsQuery, PlacesQuery, graphene.ObjectType):
    """Reads: places, the asset register, the books, histories of recorded events, policies."""


class Mutation(PolicyMutations, AssetMutations, graphene.ObjectType):
    """Commands. Each payload has `errors`: when it is not empty, nothing was recorded."""


def build_schema() -> graphene.Schema:
    return graphene.Schema(query=Query, mutation=Mutation)


def sdl() -> str:
    """The schema as committed in schema.graphql."""
    return str(build_schema()) + "\n"


if __name__ == "__main__":
    sys.stdout.buffer.write(sdl().encode("utf-8"))
