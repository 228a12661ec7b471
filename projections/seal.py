"""The audit seal: an RFC 6962 Merkle tree over the canonical bytes of every stored event, in
notification order, kept up to date as the events arrive (docs/audit.md).

It is a projection that takes the raw notifications (``handle_notifications``): hashing what is
stored, not what a decoder makes of it. Each batch reads the tree's frontier (at most one stored
hash per bit of the size), hashes the batch's events, and bulk-inserts the new leaves and every
perfect subtree they complete, in the runner's transaction. Appending never rehashes the log;
a root or a proof is a handful of stored hashes, fetched in one statement.

The seal is kept on ``rebuild``: it is the record of what the log held when each event arrived,
which a refold of a log changed since must not overwrite. ``qianwan verify`` compares it with
the stored events, and signed checkpoints of its root make even a rewrite of both detectable.

The seal never seals an event that no trusted signature vouches for (domain/audit/signing.py):
it raises instead, and stops there, so a checkpoint can never sign a forged event. Events
recorded before event signing existed (an older log's unsigned beginning) are sealed as they are.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from eventsourcing.persistence import Notification
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    LargeBinary,
    Table,
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Engine

from domain.audit import canonical
from domain.audit.authenticity import EventAuthenticity, EventNotAuthentic
from domain.audit.merkle import (
    SubtreeHashes,
    append_leaves,
    consistency_proof,
    frontier_ranges,
    inclusion_proof,
    leaf_hash,
    root_of,
)
from domain.audit.signing import SignedEvent
from domain.audit.verify import SealedLeaf
from projections.batching import insert_rows
from projections.db import metadata
from projections.projection import Handlers, Projection

HASH_BYTES = 32
MAX_LEAVES_PER_READ = 5000  # leaves per page when the verifier reads the seal

leaves = Table(
    "seal_leaves",
    metadata,
    Column("leaf_index", BigInteger, primary_key=True, autoincrement=False),
    Column("notification_id", BigInteger, nullable=False, unique=True),
    Column("leaf_hash", LargeBinary(HASH_BYTES), nullable=False),
)

# Every completed perfect subtree of two or more leaves: level L, index i covers the leaves
# [i * 2**L, (i + 1) * 2**L). Written once, when its last leaf arrives; never updated.
nodes = Table(
    "seal_nodes",
    metadata,
    Column("level", Integer, primary_key=True, autoincrement=False),
    Column("node_index", BigInteger, primary_key=True, autoincrement=False),
    Column("node_hash", LargeBinary(HASH_BYTES), nullable=False),
)

T = TypeVar("T")
_PLACEHOLDER = bytes(HASH_BYTES)


def _key(lo: int, hi: int) -> tuple[int, int]:
    """(level, index) of the perfect, aligned subtree [lo, hi)."""
    level = (hi - lo).bit_length() - 1
    assert hi - lo == 1 << level and lo % (1 << level) == 0, f"[{lo}, {hi}) is not stored"
    return level, lo >> level


class StoredTree:
    """The sealed tree as the tables hold it, read on one connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def size(self) -> int:
        last = self.conn.scalar(select(func.max(leaves.c.leaf_index)))
        return 0 if last is None else int(last) + 1

    def fetch(self, ranges: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """The stored hashes of perfect, aligned subtrees, by (level, index), in at most two
        statements (leaves and larger subtrees)."""
        keys = {_key(lo, hi) for lo, hi in ranges}
        found: dict[tuple[int, int], bytes] = {}
        leaf_keys = [index for level, index in keys if level == 0]
        if leaf_keys:
            rows = self.conn.execute(
                select(leaves.c.leaf_index, leaves.c.leaf_hash).where(
                    leaves.c.leaf_index.in_(leaf_keys)
                )
            )
            found.update({(0, int(i)): bytes(h) for i, h in rows})
        node_keys = [(level, index) for level, index in keys if level > 0]
        if node_keys:
            match = or_(
                *(and_(nodes.c.level == lv, nodes.c.node_index == ix) for lv, ix in node_keys)
            )
            rows = self.conn.execute(
                select(nodes.c.level, nodes.c.node_index, nodes.c.node_hash).where(match)
            )
            found.update({(int(lv), int(ix)): bytes(h) for lv, ix, h in rows})
        missing = keys - found.keys()
        if missing:
            raise LookupError(f"the seal lacks the subtrees {sorted(missing)[:5]}")
        return found

    def compute(self, algorithm: Callable[[SubtreeHashes], T]) -> T:
        """Run a Merkle ``algorithm`` on stored hashes: once to learn which subtrees it reads
        (its control flow depends on sizes only), then again on the hashes fetched at once."""
        wanted: list[tuple[int, int]] = []

        def record(lo: int, hi: int) -> bytes:
            wanted.append((lo, hi))
            return _PLACEHOLDER

        algorithm(record)
        found = self.fetch(wanted)
        return algorithm(lambda lo, hi: found[_key(lo, hi)])

    def frontier(self, size: int) -> list[bytes]:
        ranges = frontier_ranges(size)
        found = self.fetch(ranges)
        return [found[_key(lo, hi)] for lo, hi in ranges]

    def root(self, size: int) -> bytes:
        return self.compute(lambda hashes: root_of(hashes, size))

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        return self.compute(lambda hashes: inclusion_proof(hashes, index, size))

    def consistency_proof(self, old_size: int, size: int) -> list[bytes]:
        return self.compute(lambda hashes: consistency_proof(hashes, old_size, size))

    def completed_between(self, a: int, b: int) -> dict[tuple[int, int], bytes]:
        """The stored subtrees (level ≥ 1) completed when the tree grew from ``a`` to ``b``
        leaves: per level, one range of the primary key, so a page reads only its own rows."""
        ranges = []
        for level in range(1, b.bit_length()):
            low, high = a >> level, (b >> level) - 1
            if low <= high:
                ranges.append(and_(nodes.c.level == level, nodes.c.node_index.between(low, high)))
        if not ranges:
            return {}
        rows = self.conn.execute(
            select(nodes.c.level, nodes.c.node_index, nodes.c.node_hash).where(or_(*ranges))
        )
        return {(int(lv), int(ix)): bytes(h) for lv, ix, h in rows}

    def node_count(self) -> int:
        return int(self.conn.scalar(select(func.count()).select_from(nodes)) or 0)

    def leaf_of(self, notification_id: int) -> SealedLeaf | None:
        row = self.conn.execute(
            select(leaves).where(leaves.c.notification_id == notification_id)
        ).first()
        return None if row is None else _sealed(row)

    def leaves_from(self, leaf_index: int, limit: int = MAX_LEAVES_PER_READ) -> list[SealedLeaf]:
        rows = self.conn.execute(
            select(leaves)
            .where(leaves.c.leaf_index >= leaf_index)
            .order_by(leaves.c.leaf_index)
            .limit(limit)
        )
        return [_sealed(row) for row in rows]


def _sealed(row: Any) -> SealedLeaf:
    return SealedLeaf(int(row.leaf_index), int(row.notification_id), bytes(row.leaf_hash))


def seal(
    conn: Connection,
    notifications: Sequence[Notification],
    size: int | None = None,
    frontier: list[bytes] | None = None,
    hashes: Sequence[bytes] | None = None,
) -> tuple[int, list[bytes]]:
    """Append ``notifications`` (in notification order, none sealed yet) to the tree. Returns
    the new size and frontier. ``size``, ``frontier``, ``hashes`` (the leaf hashes): if the
    caller knows them already."""
    tree = StoredTree(conn)
    size = tree.size() if size is None else size
    if hashes is None:
        hashes = [leaf_hash(canonical.of_notification(n)) for n in notifications]
    new_frontier, completed = append_leaves(
        tree.frontier(size) if frontier is None else frontier, size, hashes
    )
    insert_rows(
        conn,
        leaves,
        [
            {"leaf_index": size + i, "notification_id": n.id, "leaf_hash": h}
            for i, (n, h) in enumerate(zip(notifications, hashes, strict=True))
        ],
    )
    insert_rows(
        conn, nodes, [{"level": lv, "node_index": ix, "node_hash": h} for lv, ix, h in completed]
    )
    return size + len(hashes), new_frontier


class SealProjection(Projection):
    name = "seal"
    tables = (leaves, nodes)
    handlers: ClassVar[Handlers] = {}
    kept_on_rebuild = True
    guards_the_log = True  # an event whose signature fails is folded by no projection

    def __init__(self, authenticity: EventAuthenticity) -> None:
        self.authenticity = authenticity
        # The frontier after the last batch, per engine. Sound whenever the size matches:
        # the tree of the first n events is a function of the log, so a rolled-back batch or
        # another process that sealed the same events meanwhile leaves it right (or, if the
        # size differs, unused). It saves reading the frontier on every batch.
        self._frontiers: weakref.WeakKeyDictionary[Engine, tuple[int, list[bytes]]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def handle_notifications(self, conn: Connection, notifications: Sequence[Notification]) -> None:
        with self._lock:
            known = self._frontiers.get(conn.engine)
        size = StoredTree(conn).size()
        frontier = known[1] if known is not None and known[0] == size else None
        hashes = [leaf_hash(canonical.of_notification(n)) for n in notifications]
        self.check_signed(notifications, hashes)
        new = seal(conn, notifications, size, frontier, hashes)
        with self._lock:
            self._frontiers[conn.engine] = new

    def check_signed(self, notifications: Sequence[Notification], hashes: Sequence[bytes]) -> None:
        """Raise unless a trusted signature vouches for every event of the batch (an older
        log's unsigned beginning aside)."""
        leaves = {n.id: SignedEvent(n.id, h) for n, h in zip(notifications, hashes, strict=True)}
        found = self.authenticity.check(
            notifications, contiguous=True, allow_unsigned_prefix=True, leaves=leaves
        )
        if found is not None:
            raise EventNotAuthentic(found)
