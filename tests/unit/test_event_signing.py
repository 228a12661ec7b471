"""Event signatures, pure: the signed message, what a trusted key vouches for, and the verifier's
walk over events and signatures (synthetic events, no database)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID, uuid5

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import Notification

from domain.audit import canonical
from domain.audit.checkpoints import sign
from domain.audit.keyfiles import raw_public_key
from domain.audit.merkle import MemoryTree, leaf_hash
from domain.audit.signing import (
    EventSignature,
    EventSigner,
    SignedEvent,
    TrustedEventKeys,
    signed_event,
    signed_message,
)
from domain.audit.verify import LogSignatures, SealedLeaf, Verification, verify_log

NAMESPACE = UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
SIGNER = EventSigner(Ed25519PrivateKey.generate())
TRUSTED = TrustedEventKeys([SIGNER.public_key])
CHECKPOINT_KEY = Ed25519PrivateKey.generate()


def event(nid: int) -> Notification:
    return Notification(
        id=nid,
        originator_id=uuid5(NAMESPACE, f"aggregate-{nid % 3}"),
        originator_version=nid,
        topic="tests:Thing.Happened",
        state=f'{{"n": {nid}}}'.encode(),
    )


def leaves(nids: Sequence[int]) -> list[SignedEvent]:
    return [
        signed_event(n, e.originator_id, e.originator_version, e.topic, e.state)
        for n, e in ((n, event(n)) for n in nids)
    ]


# -- the message and what a key vouches for ------------------------------------------------------


def test_the_signed_message_is_length_prefixed_and_lists_id_and_leaf_of_every_event() -> None:
    events = leaves([7, 8])
    message = signed_message(SIGNER.key_id, events)

    tag = b"qianwan-event-signature-v1"
    assert message.startswith(len(tag).to_bytes(4, "big") + tag)
    key = bytes.fromhex(SIGNER.key_id)
    assert message[4 + len(tag) :].startswith(len(key).to_bytes(4, "big") + key)
    body = message[-2 * 40 :]
    assert body == b"".join(e.notification_id.to_bytes(8, "big") + e.leaf_hash for e in events)
    assert events[0].leaf_hash == leaf_hash(canonical.of_notification(event(7)))
    assert SIGNER.key_id == hashlib.sha256(SIGNER.public_key).digest()[:8].hex()


def test_a_signature_vouches_for_exactly_the_events_it_lists() -> None:
    events = leaves([3, 4, 5])
    signature = SIGNER.sign(events)
    assert (signature.first_notification_id, signature.last_notification_id) == (3, 5)
    assert TRUSTED.problem(signature, events) is None

    changed = [events[0], SignedEvent(4, bytes(32)), events[2]]
    assert TRUSTED.problem(signature, changed).kind == "signature_mismatch"  # type: ignore[union-attr]
    one_more = [*events[:2], leaves([5])[0], leaves([5])[0]]  # an event put into its range
    assert TRUSTED.problem(signature, one_more).kind == "signature_mismatch"  # type: ignore[union-attr]
    other = EventSigner(Ed25519PrivateKey.generate()).sign(events)
    assert TRUSTED.problem(other, events).kind == "signed_by_untrusted_key"  # type: ignore[union-attr]
    assert TrustedEventKeys().problem(signature, events) is not None  # no key: nothing trusted


# -- the verifier's walk --------------------------------------------------------------------------


def run(
    log: list[Notification],
    signatures: list[EventSignature],
    sealed: int | None = None,
    checkpoint_size: int | None = None,
) -> Verification:
    """Verify ``log`` with the first ``sealed`` events sealed (default: all)."""
    sealed_log = log[: len(log) if sealed is None else sealed]
    seal = [
        SealedLeaf(i, e.id, leaf_hash(canonical.of_notification(e)))
        for i, e in enumerate(sealed_log)
    ]
    tree = MemoryTree([s.leaf_hash for s in seal])
    checkpoints = []
    if checkpoint_size is not None:
        cp = sign(CHECKPOINT_KEY, checkpoint_size, tree.root(checkpoint_size), datetime.now(UTC))
        checkpoints.append(("cp", cp))
    return verify_log(
        iter(log),
        iter(seal),
        len(seal),
        tree.root(),
        checkpoints,
        [raw_public_key(CHECKPOINT_KEY)],
        signatures=LogSignatures(iter(signatures), TRUSTED),
    )


def found(result: Verification) -> tuple[str, int | None] | None:
    d = result.divergence
    return None if d is None else (d.kind, d.position)


LOG = [event(n) for n in range(1, 11)]
SIGNED = [
    SIGNER.sign(leaves([1, 2, 3])),
    SIGNER.sign(leaves([4])),
    SIGNER.sign(leaves(range(5, 11))),
]


def test_a_log_signed_transaction_by_transaction_verifies() -> None:
    result = run(LOG, SIGNED)
    assert result.ok, result.divergence
    assert result.signing is not None and result.signing.signed == 10


def test_an_event_appended_without_a_signature_is_unsigned_sealed_or_not() -> None:
    tail = [*LOG, event(11)]
    assert found(run(tail, SIGNED)) == ("unsigned", 10)
    assert found(run(tail, SIGNED, sealed=10)) == ("unsigned", 10)  # recorded after the seal


def test_a_signature_removed_from_the_middle_leaves_its_events_unsigned() -> None:
    assert found(run(LOG, [SIGNED[0], SIGNED[2]])) == ("unsigned", 3)


def test_overlapping_signatures_are_a_mismatch() -> None:
    overlapping = [SIGNED[0], SIGNER.sign(leaves([3, 4])), SIGNED[2]]
    assert found(run(LOG, overlapping))[0] == "signature_mismatch"  # type: ignore[index]


def test_an_unsigned_beginning_holds_only_under_a_trusted_checkpoint_that_covers_it() -> None:
    later = SIGNED[1:]  # events 1..3 recorded before event signing
    result = run(LOG, later)
    assert found(result) == ("unsigned", 0)
    assert result.signing is not None and result.signing.unsigned_prefix == 3
    assert found(run(LOG, later, checkpoint_size=2)) == ("unsigned", 0)  # covers too few
    vouched = run(LOG, later, checkpoint_size=3)
    assert vouched.ok, vouched.divergence
    assert vouched.signing is not None and vouched.signing.prefix_vouched_by == 3
