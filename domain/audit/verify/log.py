"""verify_log: one pass over the stored events, the sealed leaves and the signatures."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Sequence

from eventsourcing.persistence import Notification

from domain.audit import canonical
from domain.audit.checkpoints import Checkpoint
from domain.audit.merkle import leaf_hash
from domain.audit.signing import SignedEvent
from domain.audit.verify.checkpoints import check_checkpoints, vouch_for_prefix
from domain.audit.verify.classify import classify, tail_missing
from domain.audit.verify.results import (
    SEAL_INCONSISTENT,
    SEARCH_WINDOW,
    ConsistencyProofs,
    Divergence,
    LogSignatures,
    SealedLeaf,
    StoredSubtrees,
    Verification,
)
from domain.audit.verify.walks import Fold, NodeCheck, SignatureWalk, signing_of


def verify_log(
    events: Iterator[Notification],
    sealed: Iterator[SealedLeaf],
    sealed_size: int,
    sealed_root: bytes,
    checkpoints: Sequence[tuple[str, Checkpoint]] = (),
    trusted_keys: Collection[bytes] = (),
    consistency: ConsistencyProofs | None = None,
    signatures: LogSignatures | None = None,
    subtrees: StoredSubtrees | None = None,
) -> Verification:
    """Walk the stored events, the sealed leaves and the signatures side by side; stop at the
    first difference. Then check every stored subtree, the seal's root and every checkpoint
    (signature, root, append-only), and that a trusted checkpoint covers the log's unsigned
    beginning. With ``trusted_keys`` empty, a checkpoint's own key is taken on trust (and
    vouches for nothing unsigned)."""
    fold = Fold(frozenset({sealed_size} | {cp.tree_size for _, cp in checkpoints}))
    fold.roots[0] = fold.root
    walk = None if signatures is None else SignatureWalk(signatures.rows, signatures.keys)
    nodes = None if subtrees is None else NodeCheck(subtrees.completed, sealed_size)

    def stop(found: Divergence) -> Verification:
        earlier = nodes.flush(fold.size) if nodes is not None else None
        return Verification(
            fold.size, fold.root, sealed_size, earlier or found, signing=signing_of(walk)
        )

    for position in itertools.count():
        event, leaf = next(events, None), next(sealed, None)
        if event is None and leaf is None:
            break
        if event is None:
            assert leaf is not None
            return stop(tail_missing(position, leaf, sealed_size))
        data = canonical.of_notification(event)
        hashed = leaf_hash(data)
        if leaf is not None and (event.id != leaf.notification_id or hashed != leaf.leaf_hash):
            window_sealed = [leaf, *itertools.islice(sealed, SEARCH_WINDOW - 1)]
            window_events = [event, *itertools.islice(events, SEARCH_WINDOW - 1)]
            return stop(classify(position, window_sealed, window_events))
        # leaf None: recorded after the seal's last batch, not sealed yet
        unsigned = walk.add(position, SignedEvent(event.id, hashed)) if walk else None
        if unsigned is not None:
            return stop(unsigned)
        completed = fold.add(hashed)
        damaged = nodes.add(completed, fold.size) if nodes is not None else None
        if damaged is not None:
            return stop(damaged)
    found: list[Divergence | None] = [walk.end(fold.size) if walk else None]
    if nodes is not None and subtrees is not None:
        found += [nodes.flush(fold.size), nodes.count_problem(subtrees.count)]
    if fold.roots.get(sealed_size, fold.root) != sealed_root:
        found.append(
            Divergence(
                SEAL_INCONSISTENT,
                None,
                None,
                "the events match the sealed leaves, but the stored subtrees give another root",
            )
        )
    results = check_checkpoints(
        fold, sealed_size, sealed_root, checkpoints, trusted_keys, consistency
    )
    found += [r.problem for r in results]
    signing = signing_of(walk)
    if signing is not None and signing.unsigned_prefix:
        signing, unvouched = vouch_for_prefix(signing, results, trusted_keys)
        found.append(unvouched)
    divergence = next((d for d in found if d is not None), None)
    return Verification(fold.size, fold.root, sealed_size, divergence, results, signing)
