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

from domain.audit.verify.checkpoints import check_checkpoint, check_checkpoints, vouch_for_prefix
from domain.audit.verify.classify import classify, holds, tail_missing
from domain.audit.verify.log import verify_log
from domain.audit.verify.results import (
    CHANGED,
    DELETED,
    INSERTED,
    KINDS,
    REWRITTEN,
    SEAL_INCONSISTENT,
    SEARCH_WINDOW,
    SIGNATURE_INVALID,
    SWAPPED,
    TRUNCATED,
    CheckpointCheck,
    ConsistencyProofs,
    Divergence,
    LogSignatures,
    SealedLeaf,
    Signing,
    StoredNodes,
    StoredSubtrees,
    Verification,
)

__all__ = [
    "CHANGED",
    "DELETED",
    "INSERTED",
    "KINDS",
    "REWRITTEN",
    "SEAL_INCONSISTENT",
    "SEARCH_WINDOW",
    "SIGNATURE_INVALID",
    "SWAPPED",
    "TRUNCATED",
    "CheckpointCheck",
    "ConsistencyProofs",
    "Divergence",
    "LogSignatures",
    "SealedLeaf",
    "Signing",
    "StoredNodes",
    "StoredSubtrees",
    "Verification",
    "check_checkpoint",
    "check_checkpoints",
    "classify",
    "holds",
    "tail_missing",
    "verify_log",
    "vouch_for_prefix",
]
