"""The walks verify makes in one pass over the stored events: the tree recomputed leaf by
leaf, every stored subtree against it, and the signatures in order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from domain.audit.merkle import Node, append_leaves, root_of_frontier
from domain.audit.signing import (
    SIGNATURE_MISMATCH,
    UNSIGNED,
    EventSignature,
    SignedEvent,
    TrustedEventKeys,
)
from domain.audit.verify.results import (
    NODE_PAGE,
    SEAL_INCONSISTENT,
    Divergence,
    Signing,
    StoredNodes,
)


@dataclass
class Fold:
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
class NodeCheck:
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


class SignatureWalk:
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


def signing_of(walk: SignatureWalk | None) -> Signing | None:
    if walk is None:
        return None
    return Signing(walk.signed, walk.prefix, None, tuple(sorted(walk.key_ids)))
