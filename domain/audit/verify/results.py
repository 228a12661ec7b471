"""What verify finds: the kinds of divergence, and the results it returns."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from domain.audit.checkpoints import Checkpoint
from domain.audit.signing import (
    SIGNATURE_MISMATCH,
    SIGNED_BY_UNTRUSTED_KEY,
    UNSIGNED,
    EventSignature,
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
