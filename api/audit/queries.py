# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the audit context: the event history of any aggregate, any aggregate as it
was at a version or a recorded time, and the proof that one event is in the sealed log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.audit.types import AggregateState, EventProof, HistoryEvent, SealState
from api.auth.permissions import READ_HISTORY, READ_PROOFS, Owner, PermittedField
from api.common import Row, context_of, parse_id
from domain.audit.proofs import EventProof as EventProofRow
from domain.audit.verification import LastVerification, last_verification, verification_id
from domain.shared.history import MAX_HISTORY_EVENTS, history, state_at
from domain.shared.history import AggregateState as AggregateStateRow
from domain.shared.history import HistoryEvent as HistoryEventRow
from projections.audit import prove, seal_head


class AuditQuery(graphene.ObjectType):
    history = PermittedField(
        graphene.NonNull(graphene.List(graphene.NonNull(HistoryEvent))),
        permission=READ_HISTORY.of("aggregate_id", Owner.AGGREGATE),
        aggregate_id=graphene.ID(required=True, description="e.g. an asset's id."),
        description="Every event of one aggregate in version order (at most "
        f"{MAX_HISTORY_EVENTS}); empty when nothing has that id.",
    )

    aggregate_at = PermittedField(
        graphene.NonNull(AggregateState),
        permission=READ_HISTORY.of("id", Owner.AGGREGATE),
        id=graphene.ID(required=True, description="The aggregate's id, e.g. an asset's."),
        version=graphene.Int(description="Its state after this version."),
        at=graphene.DateTime(description="Its state as recorded at this time."),
        description="Any aggregate as it was at a version or at a recorded time (neither: now).",
    )
    event_proof = PermittedField(
        graphene.NonNull(EventProof),
        permission=READ_PROOFS,
        notification_id=graphene.Int(required=True, description="The event's place in the log."),
        description="The inclusion proof of one event against the latest signed checkpoint.",
    )
    seal_state = PermittedField(
        graphene.NonNull(SealState),
        permission=READ_PROOFS,
        description="The audit seal now: its size and root, the latest signed checkpoint and "
        "the latest run of `qianwan verify` with its result.",
    )

    @staticmethod
    def resolve_seal_state(root: None, info: GraphQLResolveInfo) -> Row:
        registry = context_of(info).registry
        size, seal_root = seal_head(registry.engine)
        latest = registry.checkpoints.latest()
        return {
            "events": registry.store.last_notification_id(),
            "sealed": size,
            "root": None if seal_root is None else seal_root.hex(),
            "last_checkpoint": None if latest is None else latest.to_json(),
            "checkpoints": registry.checkpoints.count(),
            "last_verification": run_row(last_verification(registry.store)),
        }

    @staticmethod
    def resolve_aggregate_at(
        root: None,
        info: GraphQLResolveInfo,
        id: str,
        version: int | None = None,
        at: datetime | None = None,
    ) -> AggregateStateRow:
        store = context_of(info).registry.store
        return state_at(store, parse_id(id, "id"), version, at)

    @staticmethod
    def resolve_event_proof(root: None, info: GraphQLResolveInfo, notification_id: int) -> Row:
        registry = context_of(info).registry
        proof = prove(registry.store, registry.engine, registry.checkpoints, notification_id)
        return proof_row(proof)

    @staticmethod
    def resolve_history(
        root: None, info: GraphQLResolveInfo, aggregate_id: str
    ) -> list[HistoryEventRow]:
        store = context_of(info).registry.store
        return history(store, parse_id(aggregate_id, "aggregateId"))


def proof_row(proof: EventProofRow) -> Row:
    document: dict[str, Any] = proof.to_json()
    return {
        "notification_id": proof.notification_id,
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "leaf_hash": document["leaf_hash"],
        "audit_path": document["audit_path"],
        "root": document["root"],
        "checkpoint": document["checkpoint"],
        "public_key": document["public_key"],
        "event": document["event"],
        "json": document,
    }


def run_row(last: LastVerification | None) -> Row | None:
    if last is None:
        return None
    return {
        **vars(last.outcome),
        "ok": last.outcome.ok,
        "recorded_at": last.recorded_at,
        "actor": last.actor,
        "runs": last.runs,
        "record_id": verification_id(),
    }
