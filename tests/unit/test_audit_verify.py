"""The canonical bytes of an event, and the verifier's reading of a log against its seal (pure:
synthetic events, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID, uuid4, uuid5

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import Notification

from domain.audit import canonical
from domain.audit.checkpoints import sign
from domain.audit.merkle import MemoryTree, consistency_proof, leaf_hash
from domain.audit.verify import SealedLeaf, Verification, verify_log

NAMESPACE = UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
SIZE = 20
KEY = Ed25519PrivateKey.generate()


def event(nid: int, n: int | None = None) -> Notification:
    """The n-th event of the log (content), stored at notification ``nid``."""
    n = nid if n is None else n
    return Notification(
        id=nid,
        originator_id=uuid5(NAMESPACE, f"aggregate-{n % 4}"),
        originator_version=n,
        topic="tests:Thing.Happened",
        state=f'{{"n": {n}, "actor": "tester"}}'.encode(),
    )


LOG = [event(nid) for nid in range(1, SIZE + 1)]


def seal_of(log: list[Notification]) -> list[SealedLeaf]:
    return [SealedLeaf(i, e.id, leaf_hash(canonical.of_notification(e))) for i, e in enumerate(log)]


SEALED = seal_of(LOG)
TREE = MemoryTree([leaf.leaf_hash for leaf in SEALED])


def run(current: list[Notification], **more: object) -> Verification:
    return verify_log(iter(current), iter(SEALED), SIZE, TREE.root(), **more)  # type: ignore[arg-type]


def found(current: list[Notification]) -> tuple[str, int | None] | None:
    d = run(current).divergence
    return None if d is None else (d.kind, d.position)


# -- canonical bytes -----------------------------------------------------------------------------


def test_canonical_bytes_are_length_prefixed_fields_that_decode_back() -> None:
    e = event(7)
    data = canonical.of_notification(e)

    assert data[:4] == len(b"qianwan-event-v1").to_bytes(4, "big")
    assert data[4:20] == b"qianwan-event-v1"
    assert data[20:24] == (8).to_bytes(4, "big") and data[24:32] == (7).to_bytes(8, "big")
    back = canonical.decode(data)
    assert (back.notification_id, back.originator_id, back.originator_version) == (
        7,
        e.originator_id,
        7,
    )
    assert (back.topic, back.state) == (e.topic, e.state)


def _field_by_field(
    notification_id: int, originator: UUID, version: int, topic: str, state: bytes
) -> bytes:
    """The documented encoding written out plainly: six length-prefixed fields."""
    parts = (
        b"qianwan-event-v1",
        notification_id.to_bytes(8, "big"),
        originator.bytes,
        version.to_bytes(8, "big"),
        topic.encode("utf-8"),
        state,
    )
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)


@pytest.mark.parametrize(
    ("notification_id", "version", "topic", "state"),
    [
        (1, 1, "domain.meals.model.meal:Meal.Recorded", b'{"a":1}'),
        (2**64 - 1, 2**63, "话题", b""),
        (0, 0, "", bytes(range(256)) * 3),
    ],
)
def test_the_fast_encoding_writes_the_documented_bytes(
    notification_id: int, version: int, topic: str, state: bytes
) -> None:
    originator = uuid4()
    expected = _field_by_field(notification_id, originator, version, topic, state)
    assert canonical.encode_fields(notification_id, originator, version, topic, state) == expected
    event_ = canonical.CanonicalEvent(notification_id, originator, version, topic, state)
    assert canonical.encode(event_) == expected


def test_moving_bytes_between_fields_changes_the_encoding() -> None:
    a = replace(event(1), topic="ab", state=b"c")
    b = replace(event(1), topic="a", state=b"bc")
    assert canonical.of_notification(a) != canonical.of_notification(b)


def test_the_notification_id_is_part_of_what_is_hashed() -> None:
    assert canonical.of_notification(event(3)) != canonical.of_notification(event(4, n=3))
    assert canonical.of_notification(event(4, n=3), notification_id=3) == canonical.of_notification(
        event(3)
    )


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x00\x00\x05abc", canonical.of_notification(event(1))[:-1], b"\x00" * 40],
)
def test_what_is_not_canonical_does_not_decode(data: bytes) -> None:
    with pytest.raises(ValueError):
        canonical.decode(data)


# -- reading a log against its seal --------------------------------------------------------------


def test_the_untouched_log_verifies_with_its_size_and_root() -> None:
    result = run(list(LOG))
    assert result.ok
    assert (result.events, result.sealed, result.root) == (SIZE, SIZE, TREE.root())


def test_a_changed_event_is_found_where_it_is() -> None:
    changed = list(LOG)
    changed[5] = replace(LOG[5], state=LOG[5].state.replace(b"tester", b"tasted"))
    assert found(changed) == ("changed", 5)


def test_deleted_events_are_found_with_how_many() -> None:
    result = run(LOG[:5] + LOG[8:])
    assert result.divergence is not None
    assert (result.divergence.kind, result.divergence.position) == ("deleted", 5)
    assert result.divergence.detail.startswith("3 sealed event(s) missing")


def test_the_last_event_alone_missing_is_a_deletion_and_more_is_a_truncation() -> None:
    assert found(LOG[:-1]) == ("deleted", SIZE - 1)
    assert found(LOG[:-4]) == ("truncated", SIZE - 4)


def test_an_event_put_before_others_which_move_one_place_on_is_an_insertion() -> None:
    forged = replace(event(5, n=99), id=5)
    log = [*LOG[:4], forged, *(replace(e, id=e.id + 1) for e in LOG[4:])]
    assert found(log) == ("inserted", 4)


def test_an_event_put_in_a_gap_of_the_ids_is_an_insertion() -> None:
    gapped = [e if e.id < 6 else replace(e, id=e.id + 1) for e in LOG]  # no id 6
    sealed = seal_of(gapped)
    root = MemoryTree([leaf.leaf_hash for leaf in sealed]).root()
    log = [*gapped[:5], event(6, n=99), *gapped[5:]]
    result = verify_log(iter(log), iter(sealed), SIZE, root)
    assert result.divergence is not None
    assert (result.divergence.kind, result.divergence.position) == ("inserted", 5)
    assert result.divergence.notification_id == 6


def test_two_exchanged_events_are_a_swap() -> None:
    log = list(LOG)
    log[3], log[9] = replace(LOG[9], id=4), replace(LOG[3], id=10)
    assert found(log) == ("swapped", 3)


def test_an_event_moved_to_another_id_in_place_is_changed() -> None:
    log = [*LOG[:-1], replace(LOG[-1], id=LOG[-1].id + 5)]
    assert found(log) == ("changed", SIZE - 1)


def test_checkpoints_are_checked_for_signature_root_and_extension() -> None:
    signed = sign(KEY, 12, TREE.root(12), datetime.now(UTC))
    public = signed.public_key

    def proofs(old: int, new: int) -> list[bytes]:
        return consistency_proof(TREE.hashes, old, new)

    ok = run(list(LOG), checkpoints=[("cp", signed)], trusted_keys=[public], consistency=proofs)
    assert ok.ok and ok.checkpoints[0].problem is None

    wrong_root = replace(signed, root=TREE.root(11))
    bad = run(list(LOG), checkpoints=[("cp", wrong_root)], trusted_keys=[public])
    assert bad.divergence is not None and bad.divergence.kind == "signature_invalid"

    other = sign(KEY, 12, TREE.root(11), datetime.now(UTC))  # signed, but not this log's root
    rewritten = run(list(LOG), checkpoints=[("cp", other)], trusted_keys=[public])
    assert rewritten.divergence is not None
    assert (rewritten.divergence.kind, rewritten.divergence.position) == ("rewritten", 0)

    ahead = sign(KEY, SIZE + 5, TREE.root(), datetime.now(UTC))
    short = run(list(LOG), checkpoints=[("cp", ahead)], trusted_keys=[public])
    assert short.divergence is not None
    assert (short.divergence.kind, short.divergence.position) == ("truncated", SIZE)


def test_a_seal_whose_subtrees_disagree_with_its_leaves_is_inconsistent() -> None:
    result = verify_log(iter(LOG), iter(SEALED), SIZE, TREE.root(SIZE - 1))
    assert result.divergence is not None and result.divergence.kind == "seal_inconsistent"
