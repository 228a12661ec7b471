"""Checking checkpoints against the recomputed tree and the seal, and the trusted checkpoint
that vouches for an older log's unsigned beginning."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from domain.audit.checkpoints import Checkpoint
from domain.audit.merkle import verify_consistency
from domain.audit.signing import UNSIGNED
from domain.audit.verify.results import (
    REWRITTEN,
    SIGNATURE_INVALID,
    TRUNCATED,
    CheckpointCheck,
    ConsistencyProofs,
    Divergence,
    Signing,
)
from domain.audit.verify.walks import Fold


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
    fold: Fold,
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
    fold: Fold,
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
