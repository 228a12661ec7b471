"""Verifying the log: recompute the Merkle tree from the stored events and compare it with the
seal and with signed checkpoints (docs/audit.md, "What verify reports").

Pure: the caller hands over the stored events and the sealed leaves as iterators (in order), so
a log of any length is checked in one pass with the memory of a small window.

The first position where the stored events and the seal part ways is classified by looking a
little ahead (``SEARCH_WINDOW``) for where the sealed event went and where the current one came
from. "Holds" means: the current event, encoded as if it sat at the sealed event's notification
id, hashes to the sealed leaf; so an event found again under another id counts as moved, not
changed.

- ``changed``: the event at this position is not what was sealed (its bytes, or its id);
- ``deleted``: sealed events are missing here and the log goes on after them (or the last sealed
  event alone is missing);
- ``inserted``: events not in the seal stand before the sealed event that belongs here;
- ``swapped``: the sealed event is found later and the event here was sealed later: reordered;
- ``truncated``: the log ends before the seal (or before a signed checkpoint) does;
- ``rewritten``: the events and the seal agree, but not with a signed checkpoint: both were
  rewritten after it was signed;
- ``signature_invalid``: a checkpoint's signature does not hold, or its key is not trusted;
- ``seal_inconsistent``: the events agree with the sealed leaves but the stored subtrees do not
  give the same root (the seal tables were edited).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field

from eventsourcing.persistence import Notification

from domain.audit import canonical
from domain.audit.checkpoints import Checkpoint
from domain.audit.merkle import (
    append_leaves,
    leaf_hash,
    root_of_frontier,
    verify_consistency,
)

SEARCH_WINDOW = 1000  # events looked at past a divergence to tell its kind

CHANGED = "changed"
DELETED = "deleted"
INSERTED = "inserted"
SWAPPED = "swapped"
TRUNCATED = "truncated"
REWRITTEN = "rewritten"
SIGNATURE_INVALID = "signature_invalid"
SEAL_INCONSISTENT = "seal_inconsistent"
KINDS = (
    CHANGED,
    DELETED,
    INSERTED,
    SWAPPED,
    TRUNCATED,
    REWRITTEN,
    SIGNATURE_INVALID,
    SEAL_INCONSISTENT,
)

# (old size, new size) → the consistency proof between them, from the stored seal
ConsistencyProofs = Callable[[int, int], list[bytes]]


@dataclass(frozen=True)
class SealedLeaf:
    leaf_index: int
    notification_id: int
    leaf_hash: bytes


@dataclass(frozen=True)
class Divergence:
    kind: str
    position: int | None  # the first leaf index (0-based) that is no longer as sealed or signed
    notification_id: int | None  # the notification id sealed (or now) at that position
    detail: str


@dataclass(frozen=True)
class CheckpointCheck:
    source: str  # a file name, or "stored #n"
    checkpoint: Checkpoint
    problem: Divergence | None


@dataclass(frozen=True)
class Verification:
    events: int  # in the log now
    root: bytes  # of the tree recomputed from all of them
    sealed: int  # leaves in the seal
    divergence: Divergence | None  # the first problem found, if any
    checkpoints: tuple[CheckpointCheck, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.divergence is None

    @property
    def unsealed(self) -> int:
        return max(self.events - self.sealed, 0)


def holds(event: Notification, leaf: SealedLeaf) -> bool:
    """Is ``event`` the one sealed as ``leaf``, wherever it is stored now?"""
    data = canonical.of_notification(event, leaf.notification_id)
    return leaf_hash(data) == leaf.leaf_hash


def classify(
    position: int, sealed: Sequence[SealedLeaf], current: Sequence[Notification]
) -> Divergence:
    """Name the divergence at ``position``: ``sealed`` and ``current`` start there (both
    non-empty) and run on for up to SEARCH_WINDOW items."""
    leaf, event = sealed[0], current[0]
    moved_to = next((i for i, e in enumerate(current) if holds(e, leaf)), None)
    came_from = next((j for j, s in enumerate(sealed) if holds(event, s)), None)
    if moved_to == 0:
        detail = (
            f"the event sealed as notification {leaf.notification_id} is stored as "
            f"notification {event.id} now"
        )
        return Divergence(CHANGED, position, leaf.notification_id, detail)
    if moved_to is None and came_from is None:
        detail = (
            f"notification {event.id} ({event.topic}) is not the event sealed at this position "
            f"(notification {leaf.notification_id})"
        )
        return Divergence(CHANGED, position, leaf.notification_id, detail)
    if moved_to is None:
        assert came_from is not None
        last = sealed[came_from - 1].notification_id
        detail = (
            f"{came_from} sealed event(s) missing: notifications {leaf.notification_id}"
            f"..{last}; the log goes on with notification {event.id}"
        )
        return Divergence(DELETED, position, leaf.notification_id, detail)
    if came_from is None:
        detail = (
            f"{moved_to} event(s) not in the seal (from notification {event.id}) stand before "
            f"the sealed notification {leaf.notification_id}"
        )
        return Divergence(INSERTED, position, event.id, detail)
    detail = (
        f"the event sealed at position {position} (notification {leaf.notification_id}) is now "
        f"at position {position + moved_to}, and the event here was sealed at position "
        f"{position + came_from}"
    )
    return Divergence(SWAPPED, position, leaf.notification_id, detail)


def tail_missing(position: int, leaf: SealedLeaf, sealed_size: int) -> Divergence:
    missing = sealed_size - position
    if missing == 1:
        detail = f"the last sealed event (notification {leaf.notification_id}) is missing"
        return Divergence(DELETED, position, leaf.notification_id, detail)
    detail = (
        f"the log ends after {position} events; the seal holds {sealed_size}: the last "
        f"{missing} (from notification {leaf.notification_id}) are missing"
    )
    return Divergence(TRUNCATED, position, leaf.notification_id, detail)


@dataclass
class _Fold:
    """The tree recomputed from the stored events, one leaf at a time."""

    wanted: frozenset[int]  # sizes whose roots checkpoints need
    frontier: list[bytes] = field(default_factory=list)
    size: int = 0
    roots: dict[int, bytes] = field(default_factory=dict)

    def add(self, leaf: bytes) -> None:
        self.frontier, _ = append_leaves(self.frontier, self.size, [leaf])
        self.size += 1
        if self.size in self.wanted:
            self.roots[self.size] = root_of_frontier(self.frontier)

    @property
    def root(self) -> bytes:
        return root_of_frontier(self.frontier)


def verify_log(
    events: Iterator[Notification],
    sealed: Iterator[SealedLeaf],
    sealed_size: int,
    sealed_root: bytes,
    checkpoints: Sequence[tuple[str, Checkpoint]] = (),
    trusted_keys: Collection[bytes] = (),
    consistency: ConsistencyProofs | None = None,
) -> Verification:
    """Walk the stored events and the sealed leaves side by side; stop at the first difference.
    Then check the stored seal's root and every checkpoint (signature, root, append-only).
    With ``trusted_keys`` empty, a checkpoint's own key is taken on trust."""
    fold = _Fold(frozenset({sealed_size} | {cp.tree_size for _, cp in checkpoints}))
    fold.roots[0] = fold.root
    for position in itertools.count():
        event, leaf = next(events, None), next(sealed, None)
        if event is None and leaf is None:
            break
        if leaf is None:  # recorded after the seal's last batch: not sealed yet
            assert event is not None
            fold.add(leaf_hash(canonical.of_notification(event)))
            continue
        if event is None:
            missing = tail_missing(position, leaf, sealed_size)
            return Verification(position, fold.root, sealed_size, missing)
        data = canonical.of_notification(event)
        if event.id != leaf.notification_id or leaf_hash(data) != leaf.leaf_hash:
            window_sealed = [leaf, *itertools.islice(sealed, SEARCH_WINDOW - 1)]
            window_events = [event, *itertools.islice(events, SEARCH_WINDOW - 1)]
            found = classify(position, window_sealed, window_events)
            return Verification(position, fold.root, sealed_size, found)
        fold.add(leaf_hash(data))
    divergence: Divergence | None = None
    if fold.roots.get(sealed_size, fold.root) != sealed_root:
        divergence = Divergence(
            SEAL_INCONSISTENT,
            None,
            None,
            "the events match the sealed leaves, but the stored subtrees give another root",
        )
    results = check_checkpoints(
        fold, sealed_size, sealed_root, checkpoints, trusted_keys, consistency
    )
    if divergence is None:
        divergence = next((r.problem for r in results if r.problem is not None), None)
    return Verification(fold.size, fold.root, sealed_size, divergence, results)


def check_checkpoints(
    fold: _Fold,
    sealed_size: int,
    sealed_root: bytes,
    checkpoints: Sequence[tuple[str, Checkpoint]],
    trusted_keys: Collection[bytes],
    consistency: ConsistencyProofs | None,
) -> tuple[CheckpointCheck, ...]:
    """Each checkpoint, smallest first: signed by a trusted key, its root recomputed from the
    events, and the seal an append-only extension of it (a consistency proof)."""
    ordered = sorted(checkpoints, key=lambda sc: sc[1].tree_size)
    vouched = 0  # leaves before this are vouched for by a checkpoint that held
    results = []
    for source, cp in ordered:
        problem = check_checkpoint(
            fold, sealed_size, sealed_root, cp, trusted_keys, consistency, vouched
        )
        if problem is None:
            vouched = max(vouched, cp.tree_size)
        results.append(CheckpointCheck(source, cp, problem))
    return tuple(results)


def check_checkpoint(
    fold: _Fold,
    sealed_size: int,
    sealed_root: bytes,
    cp: Checkpoint,
    trusted_keys: Collection[bytes],
    consistency: ConsistencyProofs | None,
    vouched: int,
) -> Divergence | None:
    if trusted_keys and cp.public_key not in trusted_keys:
        detail = f"checkpoint of size {cp.tree_size} is signed by key {cp.key_id}, not trusted"
        return Divergence(SIGNATURE_INVALID, None, None, detail)
    if not cp.signature_valid():
        detail = f"the signature of the checkpoint of size {cp.tree_size} does not hold"
        return Divergence(SIGNATURE_INVALID, None, None, detail)
    if cp.tree_size > fold.size:
        detail = (
            f"a checkpoint signed {cp.signed_at:%Y-%m-%d %H:%M:%S}Z vouches for {cp.tree_size} "
            f"events; the log holds {fold.size}"
        )
        return Divergence(TRUNCATED, fold.size, None, detail)
    rewritten = (
        f"the first {cp.tree_size} events no longer hash to the root signed "
        f"{cp.signed_at:%Y-%m-%d %H:%M:%S}Z: the log was rewritten after it, somewhere in "
        f"positions {vouched}..{cp.tree_size - 1}"
    )
    if fold.roots[cp.tree_size] != cp.root:
        return Divergence(REWRITTEN, vouched, None, rewritten)
    if consistency is not None and cp.tree_size <= sealed_size:
        proof = consistency(cp.tree_size, sealed_size) if cp.tree_size else []
        if not verify_consistency(cp.tree_size, sealed_size, cp.root, sealed_root, proof):
            detail = (
                f"the seal is not an append-only extension of the checkpoint of size {cp.tree_size}"
            )
            return Divergence(REWRITTEN, vouched, None, detail)
    return None
