"""The auditor's operations on a running registry: sign a checkpoint of the seal, verify the log
against the seal and the checkpoints, prove that one event is in the log (docs/audit.md).

The pure parts live in domain/audit; this module reads the event store, the seal tables and the
checkpoint table, and hands them over.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import Notification
from sqlalchemy.engine import Engine

from domain.audit import canonical
from domain.audit.checkpoints import Checkpoint, read_checkpoint_file, sign
from domain.audit.errors import (
    EventNoLongerSealed,
    LogEmpty,
    NoCheckpointYet,
    NotificationNotCovered,
    NotificationNotSealed,
    SealDisagreesWithCheckpoint,
)
from domain.audit.merkle import leaf_hash
from domain.audit.proofs import EventProof
from domain.audit.store import CheckpointStore
from domain.audit.verify import SealedLeaf, Verification, verify_log
from domain.shared.eventstore import EventStore
from projections.runner import ProjectionRunner
from projections.seal import StoredTree

EVENT_PAGE = 1000  # notifications per read while verifying


def stored_events(store: EventStore, page: int = EVENT_PAGE) -> Iterator[Notification]:
    """Every stored event in notification order, read a page at a time."""
    start = 1
    while True:
        batch = store.recorder.select_notifications(start=start, limit=page)
        if not batch:
            return
        yield from batch
        start = batch[-1].id + 1


def sealed_leaves(engine: Engine, below: int) -> Iterator[SealedLeaf]:
    """The seal's leaves with an index below ``below``, in order, a page at a time."""
    index = 0
    while index < below:
        with engine.connect() as conn:
            batch = [
                leaf for leaf in StoredTree(conn).leaves_from(index) if leaf.leaf_index < below
            ]
        if not batch:
            return
        yield from batch
        index = batch[-1].leaf_index + 1


def sign_checkpoint(
    runner: ProjectionRunner,
    checkpoints: CheckpointStore,
    key: Ed25519PrivateKey,
    now: datetime | None = None,
) -> Checkpoint:
    """Seal everything recorded so far, then sign and store the seal's size and root."""
    runner.catch_up()
    with runner.engine.connect() as conn:
        tree = StoredTree(conn)
        size = tree.size()
        if size == 0:
            raise LogEmpty("the log holds no events yet: there is nothing to sign")
        root = tree.root(size)
    checkpoint = sign(key, size, root, now or datetime.now(UTC))
    checkpoints.save(checkpoint)
    return checkpoint


def verify(
    store: EventStore,
    engine: Engine,
    checkpoint_files: Sequence[Path] = (),
    trusted_keys: Sequence[bytes] = (),
    stored: CheckpointStore | None = None,
) -> Verification:
    """Recompute the tree from the stored events; compare it with the seal, with the
    checkpoints in ``checkpoint_files`` and with those in the table (when ``stored``)."""
    checkpoints = [(str(path), read_checkpoint_file(path)) for path in checkpoint_files]
    if stored is not None:
        checkpoints += [(f"stored checkpoint of size {cp.tree_size}", cp) for cp in stored.all()]
    with engine.connect() as conn:
        tree = StoredTree(conn)
        size = tree.size()
        try:
            root = tree.root(size)
        except LookupError:  # subtrees missing from the seal tables
            root = b""

        def consistency(old: int, new: int) -> list[bytes]:
            try:
                return tree.consistency_proof(old, new)
            except LookupError:
                return []

        return verify_log(
            stored_events(store),
            sealed_leaves(engine, size),
            size,
            root,
            checkpoints,
            trusted_keys,
            consistency,
        )


def prove(
    store: EventStore, engine: Engine, stored: CheckpointStore, notification_id: int
) -> EventProof:
    """The inclusion proof of one event against the latest checkpoint."""
    checkpoint = stored.latest()
    if checkpoint is None:
        raise NoCheckpointYet("no checkpoint is signed yet: run `qianwan checkpoint` first")
    with engine.connect() as conn:
        tree = StoredTree(conn)
        leaf = tree.leaf_of(notification_id)
        if leaf is None:
            raise NotificationNotSealed(
                f"notification {notification_id} is not in the seal", field="notification_id"
            )
        if leaf.leaf_index >= checkpoint.tree_size:
            raise NotificationNotCovered(
                f"notification {notification_id} was sealed after the latest checkpoint (size "
                f"{checkpoint.tree_size}); sign a new checkpoint first",
                field="notification_id",
            )
        if tree.root(checkpoint.tree_size) != checkpoint.root:
            raise SealDisagreesWithCheckpoint(
                f"the seal no longer gives the root signed for size {checkpoint.tree_size}; run "
                "`qianwan verify`"
            )
        path = tree.inclusion_proof(leaf.leaf_index, checkpoint.tree_size)
    found = store.recorder.select_notifications(
        start=notification_id, limit=1, stop=notification_id
    )
    event = canonical.of_notification(found[0]) if found else b""
    if not found or leaf_hash(event) != leaf.leaf_hash:
        raise EventNoLongerSealed(
            f"the stored event {notification_id} no longer matches its seal; run `qianwan verify`",
            field="notification_id",
        )
    return EventProof(
        notification_id=notification_id,
        leaf_index=leaf.leaf_index,
        tree_size=checkpoint.tree_size,
        audit_path=tuple(path),
        root=checkpoint.root,
        event=event,
        checkpoint=checkpoint,
    )
