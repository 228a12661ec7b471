# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the audit context: the event history of any aggregate."""

from __future__ import annotations

import graphene
from graphql import GraphQLResolveInfo

from api.audit.types import HistoryEvent
from api.common import context_of, parse_id
from domain.shared.history import MAX_HISTORY_EVENTS, history
from domain.shared.history import HistoryEvent as HistoryEventRow


class AuditQuery(graphene.ObjectType):
    history = graphene.NonNull(
        graphene.List(graphene.NonNull(HistoryEvent)),
        aggregate_id=graphene.ID(required=True, description="e.g. an asset's id."),
        description="Every event of one aggregate in version order (at most "
        f"{MAX_HISTORY_EVENTS}); empty when nothing has that id.",
    )

    @staticmethod
    def resolve_history(
        root: None, info: GraphQLResolveInfo, aggregate_id: str
    ) -> list[HistoryEventRow]:
        store = context_of(info).registry.store
        return history(store, parse_id(aggregate_id, "aggregateId"))
