"""The audit seal on SQLite and PostgreSQL: built incrementally as events arrive, equal to the
tree built in one go, kept on rebuild; and every kind of tampering by raw SQL caught by verify at
the right position, including a rewrite of the log and the seal together, which only a
checkpoint signed before it can catch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from domain.audit import canonical
from domain.audit.checkpoints import sign, write_json_file
from domain.audit.errors import ProofDoesNotHold
from domain.audit.keyfiles import raw_public_key
from domain.audit.merkle import MemoryTree, leaf_hash, verify_consistency, verify_inclusion
from domain.audit.signing import TrustedEventKeys
from domain.audit.verify import Verification
from projections.audit import prove, sign_checkpoint, stored_events, verify
from projections.projection import ProjectionFailed
from projections.seal import SealProjection, StoredTree, leaves, nodes
from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from tests.audit_support import (
    AUDITOR,
    MIDDLE,
    change_one_byte,
    delete,
    delete_signatures_from,
    insert_before,
    last_id,
    lively_log,
    resign_with_stolen_key,
    rewrite_seal,
    sealed_root,
    swap,
)
from tests.support import seed_places

KEY = Ed25519PrivateKey.generate()
KEY_PUBLIC = raw_public_key(KEY)
SMALL_BATCH = 3


@pytest.fixture
def small_batches(settings: Settings) -> Iterator[Registry]:
    """A registry folding 3 events per batch, so the seal grows over many batches."""
    registry = bootstrap(replace(settings, projection_batch_size=SMALL_BATCH))
    seed_places(registry.places, registry.policies)
    yield registry
    registry.close()


@pytest.fixture
def logged(seeded: Registry) -> Registry:
    lively_log(seeded)
    return seeded


def reference_tree(registry: Registry) -> MemoryTree:
    return MemoryTree(
        [leaf_hash(canonical.of_notification(n)) for n in stored_events(registry.store)]
    )


def checked(registry: Registry, *files: Path, keys: tuple[bytes, ...] = ()) -> Verification:
    trusted = keys or (KEY_PUBLIC,)
    return verify(
        registry.store,
        registry.engine,
        files,
        trusted,
        registry.checkpoints,
        event_keys=events_of(registry),
    )


def events_of(registry: Registry) -> TrustedEventKeys:
    return registry.event_keys.trusted


# -- building it ----------------------------------------------------------------------------------


def test_the_seal_grown_batch_by_batch_is_the_tree_of_the_whole_log(
    small_batches: Registry,
) -> None:
    lively_log(small_batches)
    reference = reference_tree(small_batches)
    n = len(reference.leaves)
    assert n == last_id(small_batches) > 5 * SMALL_BATCH

    with small_batches.engine.connect() as conn:
        tree = StoredTree(conn)
        assert tree.size() == n
        assert tree.root(n) == reference.root()
        stored_leaves = conn.execute(select(leaves).order_by(leaves.c.leaf_index)).all()
        node_count = conn.scalar(select(func.count()).select_from(nodes))
        for m in (1, 7, n // 2, n):
            assert tree.root(m) == reference.root(m)
            proof = tree.consistency_proof(m, n)
            assert verify_consistency(m, n, reference.root(m), reference.root(), proof)
        for index in (0, n // 3, n - 1):
            path = tree.inclusion_proof(index, n)
            assert verify_inclusion(reference.leaves[index], index, n, path, reference.root())

    assert [(r.leaf_index, r.notification_id) for r in stored_leaves] == [
        (i, i + 1) for i in range(n)
    ]
    assert [bytes(r.leaf_hash) for r in stored_leaves] == reference.leaves
    # every perfect subtree of two or more leaves, stored once: n - popcount(n) of them
    assert node_count == n - bin(n).count("1")


def test_a_rebuild_keeps_the_seal_as_it_was_recorded(logged: Registry) -> None:
    before = sealed_root(logged)
    change_one_byte(logged, MIDDLE)

    logged.runner.rebuild()

    assert sealed_root(logged) == before  # not refolded from the changed log
    assert checked(logged).divergence is not None


def test_an_untouched_log_verifies_with_its_size_and_root(logged: Registry) -> None:
    result = checked(logged)

    assert result.ok, result.divergence
    assert (result.events, result.sealed, result.unsealed) == (last_id(logged),) * 2 + (0,)
    assert result.root == reference_tree(logged).root() == sealed_root(logged)[1]


# -- each kind of tampering ----------------------------------------------------------------------


def assert_caught(result: Verification, kind: str, position: int | None) -> None:
    assert result.divergence is not None, "tampering went unnoticed"
    assert (result.divergence.kind, result.divergence.position) == (kind, position), (
        result.divergence
    )


def test_one_changed_byte_in_one_event_is_caught_where_it_is(logged: Registry) -> None:
    change_one_byte(logged, MIDDLE)
    assert_caught(checked(logged), "changed", MIDDLE - 1)  # positions count from 0


def test_an_event_deleted_in_the_middle_is_caught(logged: Registry) -> None:
    delete(logged, MIDDLE)
    result = checked(logged)
    assert_caught(result, "deleted", MIDDLE - 1)
    assert result.divergence is not None
    assert result.divergence.notification_id == MIDDLE


def test_the_last_event_deleted_is_caught(logged: Registry) -> None:
    last = last_id(logged)
    delete(logged, last)
    assert_caught(checked(logged), "deleted", last - 1)


def test_an_inserted_event_is_caught(logged: Registry) -> None:
    insert_before(logged, MIDDLE)
    assert_caught(checked(logged), "inserted", MIDDLE - 1)


def test_two_swapped_events_are_caught(logged: Registry) -> None:
    swap(logged, MIDDLE, MIDDLE + 3)
    result = checked(logged)
    assert_caught(result, "swapped", MIDDLE - 1)
    assert result.divergence is not None
    assert f"position {MIDDLE + 2}" in result.divergence.detail


def test_a_truncated_log_is_caught(logged: Registry) -> None:
    last = last_id(logged)
    delete(logged, last - 2, last - 1, last)
    assert_caught(checked(logged), "truncated", last - 3)


def test_a_rewrite_of_log_and_seal_is_caught_only_by_a_checkpoint_signed_before(
    logged: Registry, tmp_path: Path
) -> None:
    early_file, late_file = tmp_path / "early.json", tmp_path / "late.json"
    with logged.engine.connect() as conn:  # as if signed when the log was MIDDLE - 2 long
        early = sign(KEY, MIDDLE - 2, StoredTree(conn).root(MIDDLE - 2), datetime.now(UTC))
    late = sign_checkpoint(logged.runner, logged.checkpoints, KEY, event_keys=events_of(logged))
    assert late.tree_size == last_id(logged)
    write_json_file(early_file, early.to_json())
    write_json_file(late_file, late.to_json())

    change_one_byte(logged, MIDDLE)
    rewrite_seal(logged)
    with logged.engine.begin() as conn:  # the attacker deletes the stored checkpoints too
        conn.exec_driver_sql("DELETE FROM audit_checkpoints")
    # The seal alone cannot tell (it was refolded from the new log); the signatures can:
    assert_caught(checked(logged), "signature_mismatch", MIDDLE - 1)
    resign_with_stolen_key(logged)  # unless the event key was stolen too

    assert checked(logged).ok  # then events, seal and signatures agree
    result = checked(logged, early_file, late_file, keys=(late.public_key,))
    # The early checkpoint still holds, so the change is after it, within the late one.
    assert_caught(result, "rewritten", MIDDLE - 2)
    assert [c.problem is None for c in result.checkpoints] == [True, False]


def test_a_damaged_subtree_deep_in_the_seal_is_found_and_no_proof_through_it_is_handed_out(
    logged: Registry,
) -> None:
    sign_checkpoint(logged.runner, logged.checkpoints, KEY, event_keys=events_of(logged))
    n = last_id(logged)
    assert n > 16  # the subtree of leaves 0..1 lies under the frontier's first subtree (0..15)
    with logged.engine.begin() as conn:
        conn.execute(
            nodes.update()
            .where(nodes.c.level == 1, nodes.c.node_index == 0)
            .values(node_hash=bytes(32))
        )

    assert_caught(checked(logged), "seal_inconsistent", 0)
    with pytest.raises(ProofDoesNotHold):  # leaf 2's path runs through the damaged subtree
        prove(logged.store, logged.engine, logged.checkpoints, 3)
    assert prove(logged.store, logged.engine, logged.checkpoints, 1).holds()  # not through it


def test_a_subtree_added_to_the_seal_tables_is_found(logged: Registry) -> None:
    with logged.engine.begin() as conn:
        conn.execute(nodes.insert().values(level=1, node_index=10_000, node_hash=bytes(32)))

    result = checked(logged)
    assert_caught(result, "seal_inconsistent", None)
    assert result.divergence is not None and "stored subtrees" in result.divergence.detail


def test_a_checkpoint_whose_root_was_altered_has_an_invalid_signature(
    logged: Registry, tmp_path: Path
) -> None:
    cp = sign_checkpoint(logged.runner, logged.checkpoints, KEY, event_keys=events_of(logged))
    altered = tmp_path / "altered.json"
    document = cp.to_json()
    document["root"] = "00" * 32
    write_json_file(altered, document)

    assert_caught(checked(logged, altered), "signature_invalid", None)


def test_a_checkpoint_signed_by_another_key_is_not_trusted(
    logged: Registry, tmp_path: Path
) -> None:
    cp = sign_checkpoint(logged.runner, logged.checkpoints, KEY, event_keys=events_of(logged))
    other = Ed25519PrivateKey.generate()
    forged = tmp_path / "forged.json"
    write_json_file(forged, sign(other, cp.tree_size, cp.root, cp.signed_at).to_json())

    result = checked(logged, forged, keys=(cp.public_key,))
    assert_caught(result, "signature_invalid", None)


def test_a_log_truncated_with_its_seal_is_caught_by_a_checkpoint(logged: Registry) -> None:
    cp = sign_checkpoint(logged.runner, logged.checkpoints, KEY, event_keys=events_of(logged))
    last = last_id(logged)
    delete(logged, last - 1, last)
    delete_signatures_from(logged, last - 1)
    with logged.engine.begin() as conn:  # and the seal cut back to match
        conn.execute(leaves.delete().where(leaves.c.leaf_index >= last - 2))
        conn.execute(nodes.delete())
    rewrite_seal(logged)

    result = checked(logged)
    assert_caught(result, "truncated", last - 2)
    assert result.checkpoints[0].checkpoint == cp


def test_events_recorded_after_the_last_seal_are_reported_not_failed(
    logged: Registry,
) -> None:
    writer = bootstrap(logged.settings, read_your_writes=False)  # saves without folding
    try:
        lively_log_tail(writer)
    finally:
        writer.close()

    result = checked(logged)

    assert result.ok, result.divergence
    assert (result.unsealed, result.events) == (1, last_id(logged))
    logged.runner.catch_up()
    assert checked(logged).unsealed == 0


def lively_log_tail(registry: Registry) -> None:
    asset = registry.assets.id_of("320117107206", "ZC-001")
    registry.assets.appraise(asset, "1600000", "评估公司", "PG-2027-01", date(2027, 1, 5), AUDITOR)


def test_a_failing_seal_rolls_its_whole_batch_back_and_a_later_run_resumes(
    small_batches: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    lively_log(small_batches)
    runner = small_batches.runner
    before = runner.positions()
    original = SealProjection.handle_notifications

    def failing(self: SealProjection, conn: Any, notifications: Any) -> None:
        raise sqlalchemy.exc.OperationalError("INSERT …", {}, Exception("disk I/O error"))

    monkeypatch.setattr(SealProjection, "handle_notifications", failing)
    writer = bootstrap(small_batches.settings, read_your_writes=False)
    try:
        lively_log_tail(writer)
    finally:
        writer.close()
    with pytest.raises(ProjectionFailed) as failed:
        runner.catch_up()

    assert failed.value.projection == "seal"
    assert runner.positions() == before  # no projection moved: one transaction per batch
    monkeypatch.setattr(SealProjection, "handle_notifications", original)
    runner.catch_up()
    assert checked(small_batches).ok
    assert set(runner.positions().values()) == {last_id(small_batches)}
