# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""An aggregate's history as auditors read it: every recorded event with its provenance."""

from __future__ import annotations

import graphene

from api.common import JSON


class HistoryEvent(graphene.ObjectType):
    """One recorded event. Events are never edited or deleted; mistakes are corrected by
    later events."""

    aggregate_id = graphene.ID(required=True)
    version = graphene.Int(required=True, description="1 for the creating event, then +1 each.")
    event_type = graphene.String(
        required=True, name="type", description="e.g. Asset.Registered, Asset.Contracted"
    )
    recorded_at = graphene.DateTime(required=True, description="When it was recorded (UTC).")
    actor = graphene.String(required=True, description="Who recorded it.")
    authority = graphene.String(description="The resolution or document it rests on.")
    payload = graphene.Field(
        graphene.NonNull(JSON),
        description="The event's own fields (money as strings of yuan, dates ISO 8601).",
    )
    notification_id = graphene.Int(
        description="Its place in the log (the seal's order; `eventProof` takes it)."
    )


class Checkpoint(graphene.ObjectType):
    """A signed statement: the log held `treeSize` events whose Merkle root was `root`
    (docs/audit.md). Signed text: "qianwan-checkpoint-v1\\n<treeSize>\\n<root>\\n<signedAt>\\n"."""

    tree_size = graphene.Int(required=True)
    root = graphene.String(required=True, description="SHA-256, 64 hex digits.")
    signed_at = graphene.String(required=True, description="UTC, YYYY-MM-DDTHH:MM:SSZ.")
    public_key = graphene.String(required=True, description="Ed25519, 64 hex digits.")
    key_id = graphene.String(required=True, description="First 8 bytes of SHA-256(key), hex.")
    signature = graphene.String(required=True, description="Ed25519, 128 hex digits.")


class EventProof(graphene.ObjectType):
    """That one event is in the log the latest checkpoint vouches for: check it offline with
    scripts/verify_proof.py and the district's public key."""

    notification_id = graphene.Int(required=True)
    leaf_index = graphene.Int(required=True, description="Its leaf in the Merkle tree (from 0).")
    tree_size = graphene.Int(required=True)
    leaf_hash = graphene.String(required=True, description="SHA-256(0x00 || event), hex.")
    audit_path = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="RFC 9162 inclusion proof, hex, from the leaf upwards.",
    )
    root = graphene.String(required=True)
    checkpoint = graphene.Field(graphene.NonNull(Checkpoint))
    public_key = graphene.String(required=True, description="The key the checkpoint names.")
    event = graphene.String(
        required=True, description="The event's canonical bytes (docs/audit.md), base64."
    )
    json = graphene.Field(
        graphene.NonNull(JSON), description="The whole proof as verify_proof.py reads it."
    )


class AggregateState(graphene.ObjectType):
    """An aggregate as it was at one of its versions (time travel)."""

    aggregate_id = graphene.ID(required=True)
    aggregate_type = graphene.String(required=True, name="type", description="e.g. Asset")
    version = graphene.Int(required=True)
    recorded_at = graphene.DateTime(required=True, description="When that version was recorded.")
    state = graphene.Field(
        graphene.NonNull(JSON),
        description="Its attributes then (money as strings of yuan, dates ISO 8601).",
    )


class SealVerificationRun(graphene.ObjectType):
    """The outcome of one `qianwan verify` run, as it recorded it (a signed event of the
    `SealVerification` aggregate; docs/audit.md)."""

    result = graphene.String(
        required=True,
        description="`ok`, or the kind of the first divergence (changed, deleted, inserted, "
        "swapped, truncated, rewritten, signature_invalid, seal_inconsistent, unsigned, "
        "signature_mismatch, signed_by_untrusted_key).",
    )
    ok = graphene.Boolean(required=True)
    recorded_at = graphene.DateTime(required=True, description="When it was recorded (UTC).")
    actor = graphene.String(required=True, description="Who ran it.")
    events_checked = graphene.Int(required=True, description="The events in the log then.")
    checked_through = graphene.Int(
        required=True, description="The last notification id the log held when it started."
    )
    root = graphene.String(required=True, description="The root it recomputed, hex.")
    sealed = graphene.Int(required=True, description="Events in the seal then.")
    position = graphene.Int(description="Where the log departed (a leaf index, from 0).")
    notification_id = graphene.Int(description="The notification at that position.")
    detail = graphene.String(description="Why, as verify printed it.")
    checkpoints_checked = graphene.Int(required=True)
    checkpoints_consistent = graphene.Int(required=True)
    event_key_ids = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="Fingerprints of the event keys it trusted (first 8 bytes of SHA-256, hex).",
    )
    checkpoint_key_ids = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        description="Fingerprints of the checkpoint keys it trusted.",
    )
    runs = graphene.Int(required=True, description="How many runs were recorded in all.")
    record_id = graphene.ID(
        required=True, description="The `SealVerification` record's id: every run, in `history`."
    )


class SealState(graphene.ObjectType):
    """The audit seal now: the log, the seal, the latest signed checkpoint and the latest
    recorded verification."""

    events = graphene.Int(required=True, description="The last notification id of the log.")
    sealed = graphene.Int(required=True, description="Events the seal holds.")
    root = graphene.String(description="The seal's root now, hex (null: nothing sealed).")
    last_checkpoint = graphene.Field(Checkpoint, description="Null: none signed yet.")
    checkpoints = graphene.Int(required=True, description="Checkpoints stored here.")
    last_verification = graphene.Field(
        SealVerificationRun, description="Null: `qianwan verify` never recorded a run."
    )
