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
- ``seal_inconsistent``: the events agree with the sealed leaves but a stored subtree is not the
  hash of its leaves, or there are subtrees no tree of that size has (the seal tables were
  edited). Every stored subtree is checked, streaming, in linear time;
- ``unsigned``: an event no signature covers, after the log's first signed event; or the log's
  unsigned beginning (recorded before event signing) with no trusted checkpoint vouching for it;
- ``signature_mismatch``: the events a signature lists are not the ones stored there (changed,
  moved, one put into a gap or taken out), or its signature does not hold;
- ``signed_by_untrusted_key``: a signature by a key the verifier was not given.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from eventsourcing.persistence import Notification

from domain.audit import canonical
from domain.audit.checkpoints import Checkpoint
from domain.audit.merkle import (
    Node,
    append_leaves,
    leaf_hash,
    root_of_frontier,
    verify_consistency,
)
from domain.audit.signing import (
    SIGNATURE_MISMATCH,
    SIGNED_BY_UNTRUSTED_KEY,
    UNSIGNED,
    EventSignature,
    SignedEvent,
    TrustedEventKeys,
)

SEARCH_WINDOW = 1000  # events looked at past a divergence to tell its kind
NODE_PAGE = 4096  # leaves folded between two reads of the stored subtrees they complete

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
    UNSIGNED,
    SIGNATURE_MISMATCH,
    SIGNED_BY_UNTRUSTED_KEY,
)

# (old size, new size) → the consistency proof between them, from the stored seal
ConsistencyProofs = Callable[[int, int], list[bytes]]
# (a, b) → the stored subtrees completed when the tree grew from a to b leaves, by (level, index)
StoredNodes = Callable[[int, int], Mapping[tuple[int, int], bytes]]


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
class Signing:
    """What the signatures showed: events vouched for, the log's unsigned beginning."""

    signed: int = 0  # events a trusted signature vouches for
    unsigned_prefix: int = 0  # events recorded before event signing, at the log's beginning
    prefix_vouched_by: int | None = None  # size of the trusted checkpoint that covers them
    key_ids: tuple[str, ...] = ()  # the keys that signed


@dataclass(frozen=True)
class Verification:
    events: int  # in the log now
    root: bytes  # of the tree recomputed from all of them
    sealed: int  # leaves in the seal
    divergence: Divergence | None  # the first problem found, if any
    checkpoints: tuple[CheckpointCheck, ...] = field(default=())
    signing: Signing | None = None  # None: signatures were not checked

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

    def add(self, leaf: bytes) -> list[Node]:
        """Append a leaf; returns the perfect subtrees it completes."""
        self.frontier, completed = append_leaves(self.frontier, self.size, [leaf])
        self.size += 1
        if self.size in self.wanted:
            self.roots[self.size] = root_of_frontier(self.frontier)
        return completed

    @property
    def root(self) -> bytes:
        return root_of_frontier(self.frontier)


def expected_node_count(size: int) -> int:
    """How many perfect subtrees of two or more leaves a tree of ``size`` leaves has."""
    return sum(size >> level for level in range(1, size.bit_length()))


@dataclass
class _NodeCheck:
    """Every stored subtree against the one recomputed from the leaves, a page at a time."""

    stored: StoredNodes
    sealed_size: int
    pending: list[Node] = field(default_factory=list)
    checked: int = 0  # the subtrees completed up to this size are checked

    def add(self, completed: list[Node], size: int) -> Divergence | None:
        if size <= self.sealed_size:
            self.pending += completed
        if size % NODE_PAGE == 0:
            return self.flush(size)
        return None

    def flush(self, size: int) -> Divergence | None:
        upto = min(size, self.sealed_size)
        if upto <= self.checked:
            return None
        found = self.stored(self.checked, upto)
        expected, self.pending = self.pending, []
        self.checked = upto
        for level, index, node in expected:
            if found.get((level, index)) != node:
                first, last = index << level, ((index + 1) << level) - 1
                state = "missing" if (level, index) not in found else "not the hash of its leaves"
                detail = (
                    f"the stored subtree at level {level}, index {index} (leaves {first}..{last}) "
                    f"is {state}: the seal tables were edited"
                )
                return Divergence(SEAL_INCONSISTENT, first, None, detail)
        return None

    def count_problem(self, stored_count: int | None) -> Divergence | None:
        expected = expected_node_count(self.sealed_size)
        if stored_count is None or stored_count == expected:
            return None
        detail = (
            f"the seal holds {stored_count} stored subtrees; a tree of {self.sealed_size} leaves "
            f"has {expected}: the seal tables were edited"
        )
        return Divergence(SEAL_INCONSISTENT, None, None, detail)


class _SignatureWalk:
    """The stored signatures (ascending, never overlapping) against the events, one at a time."""

    def __init__(self, signatures: Iterator[EventSignature], keys: TrustedEventKeys) -> None:
        self.rows = signatures
        self.keys = keys
        self.current = next(signatures, None)
        self.collected: list[SignedEvent] = []
        self.start = 0  # the position of the first event collected
        self.seen_signed = False
        self.signed = 0
        self.prefix = 0
        self.key_ids: set[str] = set()

    def add(self, position: int, event: SignedEvent) -> Divergence | None:
        nid = event.notification_id
        while self.current is not None and self.current.last_notification_id < nid:
            problem = self._finish(position)
            if problem is not None:
                return problem
        if self.current is not None and self.current.first_notification_id <= nid:
            if not self.collected:
                self.start = position
            self.collected.append(event)
            return None
        if not self.seen_signed:
            self.prefix += 1  # the log's unsigned beginning: judged at the end
            return None
        detail = (
            f"notification {nid} is covered by no signature, and the log is signed since an "
            "earlier event: it was put there without the signing key"
        )
        return Divergence(UNSIGNED, position, nid, detail)

    def end(self, position: int) -> Divergence | None:
        """The log ended at ``position``: the signatures left must be complete there."""
        while self.current is not None:
            problem = self._finish(position)
            if problem is not None:
                return problem
        return None

    def _finish(self, position: int) -> Divergence | None:
        row, events = self.current, self.collected
        assert row is not None
        at = self.start if events else position
        self.seen_signed = True
        self.collected = []
        self.current = next(self.rows, None)
        problem = self.keys.problem(row, events)
        if problem is not None:
            return Divergence(problem.kind, at, row.first_notification_id, problem.detail)
        if self.current is not None and (
            self.current.first_notification_id <= row.last_notification_id
        ):
            detail = (
                f"the signatures of notifications {row.first_notification_id}.."
                f"{row.last_notification_id} and {self.current.first_notification_id}.."
                f"{self.current.last_notification_id} overlap"
            )
            return Divergence(SIGNATURE_MISMATCH, at, self.current.first_notification_id, detail)
        self.signed += len(events)
        self.key_ids.add(row.key_id)
        return None


@dataclass(frozen=True)
class LogSignatures:
    """The stored signatures, in order, and the event keys the verifier trusts."""

    rows: Iterator[EventSignature]
    keys: TrustedEventKeys


@dataclass(frozen=True)
class StoredSubtrees:
    """The seal's stored subtrees: those completed between two sizes, and how many there are."""

    completed: StoredNodes
    count: int


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
    fold = _Fold(frozenset({sealed_size} | {cp.tree_size for _, cp in checkpoints}))
    fold.roots[0] = fold.root
    walk = None if signatures is None else _SignatureWalk(signatures.rows, signatures.keys)
    nodes = None if subtrees is None else _NodeCheck(subtrees.completed, sealed_size)

    def stop(found: Divergence) -> Verification:
        earlier = nodes.flush(fold.size) if nodes is not None else None
        return Verification(
            fold.size, fold.root, sealed_size, earlier or found, signing=_signing(walk)
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
    signing = _signing(walk)
    if signing is not None and signing.unsigned_prefix:
        signing, unvouched = vouch_for_prefix(signing, results, trusted_keys)
        found.append(unvouched)
    divergence = next((d for d in found if d is not None), None)
    return Verification(fold.size, fold.root, sealed_size, divergence, results, signing)


def _signing(walk: _SignatureWalk | None) -> Signing | None:
    if walk is None:
        return None
    return Signing(walk.signed, walk.prefix, None, tuple(sorted(walk.key_ids)))


def vouch_for_prefix(
    signing: Signing, results: Sequence[CheckpointCheck], trusted_keys: Collection[bytes]
) -> tuple[Signing, Divergence | None]:
    """The log's unsigned beginning holds only if a checkpoint that holds, signed by a key the
    verifier was given, covers all of it: whoever signed it vouched for those events."""
    n = signing.unsigned_prefix
    covering = [
        r.checkpoint.tree_size
        for r in results
        if r.problem is None
        and r.checkpoint.public_key in trusted_keys
        and r.checkpoint.tree_size >= n
    ]
    if covering:
        return replace(signing, prefix_vouched_by=min(covering)), None
    detail = (
        f"the first {n} event(s) carry no signature (recorded before event signing, or their "
        "signatures were removed) and no trusted checkpoint covers them: sign one with "
        "`qianwan checkpoint --vouch-for-unsigned-prefix` after checking them"
    )
    return signing, Divergence(UNSIGNED, 0, None, detail)


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
