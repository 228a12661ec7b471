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
from api.auth.middleware import attach_permissions
from api.auth.mutations import AccessMutations
from api.auth.queries import AccessQuery
from api.books.mutations import BooksMutations
from api.books.queries import BooksQuery
from api.dashboard.queries import DashboardQuery
from api.disclosure.mutations import DisclosureMutations
from api.disclosure.queries import DisclosureQuery
from api.enums import plain_values
from api.feed.subscriptions import FeedSubscription
from api.land.mutations import LandMutations
from api.land.queries import LandQuery
from api.ledger.queries import LedgerQuery
from api.meals.mutations import MealMutations
from api.meals.queries import MealsQuery
from api.places.queries import PlacesQuery
from api.policy.mutations import PolicyMutations
from api.policy.queries import PolicyQuery
from api.scalars import bind_scalars
from api.statements.queries import StatementsQuery
from api.summary.queries import SummaryQuery
from domain.shared.clock import Clock

REGENERATE = "python -m api.schema > schema.graphql"


# Bases in reverse: graphene lists the fields of the last base first.
class Query(
    DisclosureQuery,
    AccessQuery,
    DashboardQuery,
    SummaryQuery,
    PolicyQuery,
    AuditQuery,
    BooksQuery,
    StatementsQuery,
    LedgerQuery,
    MealsQuery,
    LandQuery,
    AssetsQuery,
    PlacesQuery,
    graphene.ObjectType,
):
    """Reads: places, the asset register, the parcel register, meal assistance, the books,
    histories of recorded events, policies, API tokens, disclosures (村务公开)."""


class Mutation(
    DisclosureMutations,
    AccessMutations,
    PolicyMutations,
    BooksMutations,
    MealMutations,
    LandMutations,
    AssetMutations,
    graphene.ObjectType,
):
    """Commands. Each payload has `errors`: when it is not empty, nothing was recorded."""


class Subscription(FeedSubscription, graphene.ObjectType):
    """The change feed, over WebSocket (graphql-transport-ws) at /graphql: docs/api.md."""


def build_schema(clock: Clock | None = None) -> graphene.Schema:
    """The schema, with each field's permission declaration copied where the permission
    middleware reads it (api/auth/middleware.py), the registry's reading of dates, times and
    decimals (api/scalars.py): times without an offset are in ``clock``'s zone, and the
    vocabulary enums parsing into the domain's plain codes (api/enums.py)."""
    schema = attach_permissions(
        plain_values(graphene.Schema(query=Query, mutation=Mutation, subscription=Subscription))
    )
    return bind_scalars(schema, clock or Clock())


def sdl() -> str:
    """The schema as committed in schema.graphql."""
    return str(build_schema()) + "\n"


if __name__ == "__main__":
    sys.stdout.buffer.write(sdl().encode("utf-8"))
