"""RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their verification (pure functions).

Leaves and nodes have distinct prefixes (0x00 and 0x01), so a leaf can never pass for a node.
``MTH(D[n])`` for n > 1 splits at k, the largest power of two smaller than n. The functions here
work on any ``SubtreeHashes`` source, so the same code serves the in-memory reference and the
database-backed tree whose perfect subtrees are stored as they complete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()

# hash of the leaves [lo, hi): the tree's source of subtree hashes
SubtreeHashes = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n ≥ 2)."""
    assert n >= 2
    return 1 << ((n - 1).bit_length() - 1)


def perfect_ranges(lo: int, hi: int) -> list[tuple[int, int]]:
    """[lo, hi) as the perfect subtrees MTH splits it into, left to right, when lo is aligned."""
    ranges = []
    while lo < hi:
        size = 1 << ((hi - lo).bit_length() - 1)
        ranges.append((lo, lo + size))
        lo += size
    return ranges


def root_of(hashes: SubtreeHashes, n: int) -> bytes:
    """MTH of the first n leaves, folding the perfect subtrees from the right."""
    if n == 0:
        return EMPTY_ROOT
    parts = [hashes(lo, hi) for lo, hi in perfect_ranges(0, n)]
    acc = parts[-1]
    for part in reversed(parts[:-1]):
        acc = node_hash(part, acc)
    return acc


def range_hash(hashes: SubtreeHashes, lo: int, hi: int) -> bytes:
    """MTH of leaves [lo, hi) where [lo, hi) is a subtree of an RFC 6962 tree."""
    parts = [hashes(a, b) for a, b in perfect_ranges(lo, hi)]
    acc = parts[-1]
    for part in reversed(parts[:-1]):
        acc = node_hash(part, acc)
    return acc


def inclusion_proof(hashes: SubtreeHashes, m: int, n: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf m in the tree of size n."""
    assert 0 <= m < n
    path: list[bytes] = []
    lo, hi = 0, n
    while hi - lo > 1:
        k = split_point(hi - lo)
        if m < lo + k:
            path.append(range_hash(hashes, lo + k, hi))
            hi = lo + k
        else:
            path.append(range_hash(hashes, lo, lo + k))
            lo = lo + k
    path.reverse()
    return path


def consistency_proof(hashes: SubtreeHashes, m: int, n: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2: proves the tree of size m is a prefix of size n."""
    assert 0 < m <= n
    return _subproof(hashes, m, 0, n, True)


def _subproof(hashes: SubtreeHashes, m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if complete else [range_hash(hashes, lo, hi)]
    k = split_point(n)
    if m <= k:
        return [*_subproof(hashes, m, lo, lo + k, complete), range_hash(hashes, lo + k, hi)]
    return [*_subproof(hashes, m - k, lo + k, hi, False), range_hash(hashes, lo, lo + k)]


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``leaf`` (a leaf hash) sit at ``index`` of the tree ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree (size1, root1) a prefix of the tree (size2, root2)?"""
    if not 0 <= size1 <= size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0 or not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # a power of two: root1 is the first node of the path
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


# A completed perfect subtree: (level, index, hash); it covers the leaves
# [index * 2**level, (index + 1) * 2**level).
Node = tuple[int, int, bytes]


def frontier_ranges(size: int) -> list[tuple[int, int]]:
    """The perfect subtrees whose hashes summarise a tree of ``size`` leaves (its frontier),
    left to right: one per set bit of ``size``, largest first."""
    return perfect_ranges(0, size)


def append_leaves(
    frontier: Sequence[bytes], size: int, leaves: Sequence[bytes]
) -> tuple[list[bytes], list[Node]]:
    """Extend a tree of ``size`` leaves by ``leaves`` (leaf hashes) without rehashing it.

    ``frontier`` holds the hashes of ``frontier_ranges(size)``. Appending works like a binary
    counter: each new leaf merges with the equal-sized subtrees to its left. Returns the new
    frontier and every perfect subtree of two or more leaves completed on the way, so the cost
    is O(1) amortised per leaf and the tree's root or any proof needs only stored subtrees."""
    ranges = frontier_ranges(size)
    assert len(frontier) == len(ranges), "the frontier does not match the size"
    stack = list(frontier)
    levels = [(hi - lo).bit_length() - 1 for lo, hi in ranges]
    completed: list[Node] = []
    n = size
    for leaf in leaves:
        stack.append(leaf)
        levels.append(0)
        n += 1
        while len(levels) >= 2 and levels[-1] == levels[-2]:
            right, left = stack.pop(), stack.pop()
            levels.pop()
            level = levels.pop() + 1
            merged = node_hash(left, right)
            stack.append(merged)
            levels.append(level)
            completed.append((level, (n >> level) - 1, merged))
    return stack, completed


def root_of_frontier(frontier: Sequence[bytes]) -> bytes:
    """The root of the tree a frontier summarises (folding from the right, as ``root_of``)."""
    if not frontier:
        return EMPTY_ROOT
    acc = frontier[-1]
    for part in reversed(frontier[:-1]):
        acc = node_hash(part, acc)
    return acc


class MemoryTree:
    """The reference tree: every leaf hash in a list (tests and offline verification)."""

    def __init__(self, leaves: Sequence[bytes] = ()) -> None:
        self.leaves: list[bytes] = list(leaves)

    def hashes(self, lo: int, hi: int) -> bytes:
        if hi - lo == 1:
            return self.leaves[lo]
        k = split_point(hi - lo)
        return node_hash(self.hashes(lo, lo + k), self.hashes(lo + k, hi))

    def root(self, n: int | None = None) -> bytes:
        return root_of(self.hashes, len(self.leaves) if n is None else n)
