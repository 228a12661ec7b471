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
    CheckpointPublicKeyNotGiven,
    EventNoLongerSealed,
    EventPublicKeyNotGiven,
    LogDoesNotVerify,
    LogEmpty,
    NoCheckpointYet,
    NotificationNotCovered,
    NotificationNotSealed,
    ProofDoesNotHold,
    SealDisagreesWithCheckpoint,
    UnsignedEventsNotVouchedFor,
)
from domain.audit.keyfiles import raw_public_key
from domain.audit.merkle import leaf_hash
from domain.audit.proofs import EventProof
from domain.audit.signing import UNSIGNED, EventSignature, TrustedEventKeys
from domain.audit.store import CheckpointStore
from domain.audit.verify import (
    LogSignatures,
    SealedLeaf,
    StoredSubtrees,
    Verification,
    verify_log,
)
from domain.shared.eventstore import EventStore
from projections.projection import ProjectionFailed
from projections.runner import ProjectionRunner
from projections.seal import StoredTree

EVENT_PAGE = 1000  # notifications per read while verifying
SIGNATURE_PAGE = 1000  # signatures per read while verifying


def stored_events(store: EventStore, page: int = EVENT_PAGE) -> Iterator[Notification]:
    """Every stored event in notification order, read a page at a time."""
    start = 1
    while True:
        batch = store.recorder.select_notifications(start=start, limit=page)
        if not batch:
            return
        yield from batch
        start = batch[-1].id + 1


def stored_signatures(store: EventStore, page: int = SIGNATURE_PAGE) -> Iterator[EventSignature]:
    """Every stored event signature, ascending by first notification id, a page at a time."""
    read = getattr(store.recorder, "signatures_from", None)
    if read is None:  # the in-memory store signs nothing
        return
    start = 0
    while True:
        batch = read(start, page)
        if not batch:
            return
        yield from batch
        start = batch[-1].first_notification_id + 1


def stored_subtrees(engine: Engine) -> StoredSubtrees:
    """The seal's stored subtrees, read a page at a time as the verifier needs them."""

    def completed(a: int, b: int) -> dict[tuple[int, int], bytes]:
        with engine.connect() as conn:
            return StoredTree(conn).completed_between(a, b)

    with engine.connect() as conn:
        count = StoredTree(conn).node_count()
    return StoredSubtrees(completed, count)


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
    *,
    event_keys: TrustedEventKeys,
    checkpoint_keys: Sequence[bytes] = (),
    vouch_for_unsigned_prefix: bool = False,
) -> Checkpoint:
    """Seal everything recorded so far, verify the whole log (every event signed by a trusted
    event key, the seal equal to the events, every stored checkpoint), then sign and store the
    seal's size and root. A checkpoint is never signed over a log that does not verify: it
    would vouch for a forgery. ``vouch_for_unsigned_prefix``: the log's beginning recorded
    before event signing is vouched for by this checkpoint (once, after upgrading)."""
    try:
        runner.catch_up()
    except ProjectionFailed as failed:
        raise LogDoesNotVerify(
            f"the log could not be sealed ({failed}); run `qianwan verify`"
        ) from None
    trusted = [raw_public_key(key), *checkpoint_keys]
    result = verify(runner.store, runner.engine, (), trusted, checkpoints, event_keys=event_keys)
    refuse_unverified(result, vouch_for_unsigned_prefix)
    with runner.engine.connect() as conn:
        tree = StoredTree(conn)
        size = tree.size()
        if size == 0:
            raise LogEmpty("the log holds no events yet: there is nothing to sign")
        root = tree.root(size)
    checkpoint = sign(key, size, root, now or datetime.now(UTC))
    checkpoints.save(checkpoint)
    return checkpoint


def refuse_unverified(result: Verification, vouch_for_unsigned_prefix: bool) -> None:
    d = result.divergence
    if d is None:
        return
    prefix = result.signing.unsigned_prefix if result.signing is not None else 0
    if d.kind == UNSIGNED and d.position == 0 and d.notification_id is None and prefix:
        if vouch_for_unsigned_prefix:
            return
        raise UnsignedEventsNotVouchedFor(
            f"the log begins with {prefix} event(s) recorded before event signing and no "
            "trusted checkpoint covers them: check them, then sign with "
            "--vouch-for-unsigned-prefix"
        )
    where = "" if d.position is None else f" at position {d.position}"
    raise LogDoesNotVerify(f"the log does not verify{where}: {d.kind}: {d.detail}")


def verify(
    store: EventStore,
    engine: Engine,
    checkpoint_files: Sequence[Path] = (),
    trusted_keys: Sequence[bytes] = (),
    stored: CheckpointStore | None = None,
    *,
    event_keys: TrustedEventKeys,
) -> Verification:
    """Recompute the tree from the stored events; compare it with the seal (every leaf and
    every stored subtree), check every event's signature with ``event_keys``, and check the
    checkpoints in ``checkpoint_files`` and those in the table (when ``stored``) with
    ``trusted_keys``. Both kinds of key are required: none is ever taken from the database."""
    if not event_keys:
        raise EventPublicKeyNotGiven(
            "name the trusted public key(s) of the events (--event-public-key FILE): the "
            "signatures are checked against them, never against a key found in the database"
        )
    checkpoints = [(str(path), read_checkpoint_file(path)) for path in checkpoint_files]
    if stored is not None:
        checkpoints += [(f"stored checkpoint of size {cp.tree_size}", cp) for cp in stored.all()]
    if checkpoints and not trusted_keys:
        raise CheckpointPublicKeyNotGiven(
            f"{len(checkpoints)} checkpoint(s) to check, and no trusted checkpoint key: name it "
            "with --public-key FILE (a checkpoint's own key proves nothing)"
        )
    subtrees = stored_subtrees(engine)
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
            LogSignatures(stored_signatures(store), event_keys),
            subtrees,
        )


def seal_head(engine: Engine) -> tuple[int, bytes | None]:
    """The seal's size (events sealed) and its root now (None: empty, or subtrees missing)."""
    with engine.connect() as conn:
        tree = StoredTree(conn)
        size = tree.size()
        if size == 0:
            return 0, None
        try:
            return size, tree.root(size)
        except LookupError:
            return size, None


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
    proof = EventProof(
        notification_id=notification_id,
        leaf_index=leaf.leaf_index,
        tree_size=checkpoint.tree_size,
        audit_path=tuple(path),
        root=checkpoint.root,
        event=event,
        checkpoint=checkpoint,
    )
    if not proof.holds():  # the same checks as scripts/verify_proof.py
        raise ProofDoesNotHold(
            f"the proof of notification {notification_id} made from the stored seal does not "
            "verify (a stored subtree on its path is damaged); run `qianwan verify`",
            field="notification_id",
        )
    return proof
