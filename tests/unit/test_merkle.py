"""RFC 6962 / 9162 Merkle hashing, proofs and their verification (domain/audit/merkle.py),
against the Certificate Transparency test vectors and an independent, literal reading of the
RFC's recursive definitions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest

from domain.audit.merkle import (
    EMPTY_ROOT,
    MemoryTree,
    append_leaves,
    consistency_proof,
    frontier_ranges,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_of,
    root_of_frontier,
    verify_consistency,
    verify_inclusion,
)

# The eight leaves of the CT test suite (transparency-dev/merkle, certificate-transparency).
CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, PATH): the CT vectors, with the index counted from 0.
CT_INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
# (size1, size2, PROOF)
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
MAX_SIZE = 40  # every (index, size) and (size1, size2) pair up to here


def ct_tree() -> MemoryTree:
    return MemoryTree([leaf_hash(d) for d in CT_LEAVES])


def tree_of(n: int) -> MemoryTree:
    return MemoryTree([leaf_hash(i.to_bytes(4, "big")) for i in range(n)])


# -- the RFC's definitions, read literally (independent of the module under test) ------------


def k_of(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = k_of(len(d))
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = k_of(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = k_of(len(d))
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


def strict(tree: MemoryTree) -> Callable[[int, int], bytes]:
    """A subtree source that answers only what the seal stores: perfect, aligned subtrees."""

    def hashes(lo: int, hi: int) -> bytes:
        size = hi - lo
        assert size > 0 and size & (size - 1) == 0, f"[{lo}, {hi}) is not perfect"
        assert lo % size == 0, f"[{lo}, {hi}) is not aligned"
        return tree.hashes(lo, hi)

    return hashes


# -- the CT vectors ------------------------------------------------------------------------------


def test_the_empty_tree_hashes_to_the_hash_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert MemoryTree().root() == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_the_roots_of_the_ct_leaves_are_the_published_ones(size: int) -> None:
    assert ct_tree().root(size).hex() == CT_ROOTS[size - 1]
    assert root_of(strict(ct_tree()), size).hex() == CT_ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "expected"), CT_INCLUSION)
def test_inclusion_proofs_are_the_published_ones(
    index: int, size: int, expected: list[str]
) -> None:
    proof = inclusion_proof(strict(ct_tree()), index, size)
    assert [p.hex() for p in proof] == expected
    root = bytes.fromhex(CT_ROOTS[size - 1])
    assert verify_inclusion(leaf_hash(CT_LEAVES[index]), index, size, proof, root)


@pytest.mark.parametrize(("size1", "size2", "expected"), CT_CONSISTENCY)
def test_consistency_proofs_are_the_published_ones(
    size1: int, size2: int, expected: list[str]
) -> None:
    proof = consistency_proof(strict(ct_tree()), size1, size2)
    assert [p.hex() for p in proof] == expected
    root1, root2 = bytes.fromhex(CT_ROOTS[size1 - 1]), bytes.fromhex(CT_ROOTS[size2 - 1])
    assert verify_consistency(size1, size2, root1, root2, proof)


# -- every small tree, against the literal definitions ----------------------------------------


def test_roots_agree_with_the_recursive_definition_for_every_size() -> None:
    for n in range(MAX_SIZE + 1):
        tree = tree_of(n)
        assert root_of(strict(tree), n) == mth(tree.leaves) == tree.root()


def test_every_inclusion_proof_matches_the_definition_and_verifies() -> None:
    for n in range(1, MAX_SIZE + 1):
        tree = tree_of(n)
        root = tree.root()
        for m in range(n):
            proof = inclusion_proof(strict(tree), m, n)
            assert proof == path(m, tree.leaves), (m, n)
            assert verify_inclusion(tree.leaves[m], m, n, proof, root), (m, n)


def test_every_consistency_proof_matches_the_definition_and_verifies() -> None:
    for n in range(1, MAX_SIZE + 1):
        tree = tree_of(n)
        for m in range(1, n + 1):
            proof = consistency_proof(strict(tree), m, n)
            assert proof == subproof(m, tree.leaves, True), (m, n)
            assert verify_consistency(m, n, tree.root(m), tree.root(n), proof), (m, n)


# -- what must not verify ------------------------------------------------------------------------


def flipped(proof: list[bytes], i: int) -> list[bytes]:
    changed = list(proof)
    changed[i] = bytes([changed[i][0] ^ 8]) + changed[i][1:]
    return changed


@pytest.mark.parametrize(("index", "size", "expected"), CT_INCLUSION[1:])
def test_a_corrupted_inclusion_proof_fails(index: int, size: int, expected: list[str]) -> None:
    proof = [bytes.fromhex(h) for h in expected]
    root = bytes.fromhex(CT_ROOTS[size - 1])
    leaf = leaf_hash(CT_LEAVES[index])
    assert verify_inclusion(leaf, index, size, proof, root)
    wrong = [
        (leaf, index - 1, size, proof, root),
        (leaf, index + 1, size, proof, root),
        (leaf, index ^ 2, size, proof, root),
        (leaf, index, size * 2, proof, root),
        (leaf, index, size // 2, proof, root),
        (leaf_hash(b"WrongLeaf"), index, size, proof, root),
        (leaf, index, size, proof, EMPTY_ROOT),
        (leaf, index, size, proof, SOME_HASH),
        (leaf, index, size, [*proof, b""], root),
        (leaf, index, size, [*proof, root], root),
        (leaf, index, size, [b"", *proof], root),
        (leaf, index, size, [root, *proof], root),
        (leaf, index, size, proof[:-1], root),
        (leaf, index, size, [proof[0], SOME_HASH, *proof[1:]], root),
        *((leaf, index, size, flipped(proof, i), root) for i in range(len(proof))),
    ]
    for case in wrong:
        assert not verify_inclusion(*case), case[1:3]


@pytest.mark.parametrize(("size1", "size2", "expected"), CT_CONSISTENCY[1:])
def test_a_corrupted_consistency_proof_fails(size1: int, size2: int, expected: list[str]) -> None:
    proof = [bytes.fromhex(h) for h in expected]
    root1, root2 = bytes.fromhex(CT_ROOTS[size1 - 1]), bytes.fromhex(CT_ROOTS[size2 - 1])
    wrong = [
        (size1 - 1, size2, root1, root2, proof),
        (size1 + 1, size2, root1, root2, proof),
        (size1 ^ 2, size2, root1, root2, proof),
        (size1, size2 * 2, root1, root2, proof),
        (size1, size2 // 2, root1, root2, proof),
        (size1, size2, b"WrongRoot", root2, proof),
        (size1, size2, root1, b"WrongRoot", proof),
        (size1, size2, root2, root1, proof),
        (size1, size2, root1, root2, []),
        (size1, size2, root1, root2, [*proof, b""]),
        (size1, size2, root1, root2, [*proof, root1]),
        (size1, size2, root1, root2, [*proof, root2]),
        (size1, size2, root1, root2, [b"", *proof]),
        (size1, size2, root1, root2, [root1, *proof]),
        (size1, size2, root1, root2, [root2, *proof]),
        (size1, size2, root1, root2, [proof[0], *proof]),
        (size1, size2, root1, root2, proof[:-1]),
        *((size1, size2, root1, root2, flipped(proof, i)) for i in range(len(proof))),
    ]
    for case in wrong:
        assert not verify_consistency(*case), case[:2]


def test_consistency_edge_cases_follow_rfc_9162() -> None:
    one, two = b"don't care 1", b"don't care 2"
    assert verify_consistency(0, 0, one, one, [])
    assert verify_consistency(1, 1, two, two, [])
    assert not verify_consistency(0, 0, one, two, [])
    assert not verify_consistency(1, 1, one, two, [])
    assert not verify_consistency(0, 1, one, two, [])
    assert not verify_consistency(1, 0, one, two, [])
    assert not verify_consistency(2, 1, one, two, [])
    assert not verify_consistency(1, 2, one, two, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert not verify_consistency(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert not verify_consistency(0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])


def test_inclusion_outside_the_tree_fails() -> None:
    leaf = leaf_hash(b"data")
    assert verify_inclusion(leaf, 0, 1, [], leaf)
    for index, size in ((0, 0), (1, 0), (2, 1), (1, 1)):
        assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)
        assert not verify_inclusion(leaf, index, size, [], leaf)


def test_a_leaf_can_never_pass_for_a_node() -> None:
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    # The second-preimage attack: present the node's children as one leaf.
    assert leaf_hash(a + b) != node_hash(a, b)


# -- appending -----------------------------------------------------------------------------------


@pytest.mark.parametrize("batch", [1, 2, 3, 7, 64])
def test_appending_in_batches_stores_every_perfect_subtree_and_keeps_the_root(batch: int) -> None:
    reference = tree_of(MAX_SIZE)
    frontier: list[bytes] = []
    stored: dict[tuple[int, int], bytes] = {}
    size = 0
    while size < MAX_SIZE:
        new = reference.leaves[size : size + batch]
        frontier, completed = append_leaves(frontier, size, new)
        for level, index, h in completed:
            assert (level, index) not in stored, "a subtree is completed only once"
            stored[(level, index)] = h
        size += len(new)
        assert root_of_frontier(frontier) == reference.root(size)
        assert frontier == [reference.hashes(lo, hi) for lo, hi in frontier_ranges(size)]
    expected = {
        (level, index): reference.hashes(index << level, (index + 1) << level)
        for level in range(1, MAX_SIZE.bit_length())
        for index in range(MAX_SIZE >> level)
    }
    assert stored == expected


def test_an_appended_tree_answers_proofs_from_its_stored_subtrees_alone() -> None:
    reference = tree_of(MAX_SIZE)
    frontier, completed = append_leaves([], 0, reference.leaves)
    stored = {(lv, ix): h for lv, ix, h in completed}
    stored.update({(0, i): h for i, h in enumerate(reference.leaves)})

    def hashes(lo: int, hi: int) -> bytes:
        level = (hi - lo).bit_length() - 1
        return stored[(level, lo >> level)]

    assert root_of(hashes, MAX_SIZE) == root_of_frontier(frontier) == reference.root()
    assert inclusion_proof(hashes, 17, MAX_SIZE) == path(17, reference.leaves)
    assert consistency_proof(hashes, 13, MAX_SIZE) == subproof(13, reference.leaves, True)
