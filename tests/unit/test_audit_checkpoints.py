"""Signed checkpoints and their key files, and the standalone proof checker's own Ed25519 (RFC
8032) and inclusion code, against the RFC's test vectors and the `cryptography` package."""

from __future__ import annotations

import base64
import copy
import importlib.util
import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import Notification

from domain.audit import canonical
from domain.audit.checkpoints import (
    Checkpoint,
    read_checkpoint_file,
    sign,
    signed_message,
    write_json_file,
)
from domain.audit.errors import (
    CheckpointFileInvalid,
    KeyFileExists,
    KeyFileUnreadable,
    OutputFileExists,
)
from domain.audit.keyfiles import generate_key_pair, load_private_key, load_public_key
from domain.audit.merkle import MemoryTree, inclusion_proof, leaf_hash
from domain.audit.proofs import EventProof

ROOT = bytes(range(32))
WHEN = datetime(2026, 5, 1, 8, 30, 15, 999, tzinfo=UTC)
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_proof.py"

# RFC 8032 §7.1, TEST 1 (empty message), TEST 2 (one byte) and TEST 3 (two bytes).
RFC8032 = [
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
]


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    """scripts/verify_proof.py, loaded as the file it is (it imports nothing of the repo)."""
    spec = importlib.util.spec_from_file_location("verify_proof", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# -- checkpoints -----------------------------------------------------------------------------------


def test_a_checkpoint_signs_size_root_and_time_as_four_lines_of_text() -> None:
    key = Ed25519PrivateKey.generate()
    cp = sign(key, 42, ROOT, WHEN)

    assert cp.signed_at == WHEN.replace(microsecond=0)
    assert cp.message == (
        b"qianwan-checkpoint-v1\n42\n" + ROOT.hex().encode() + b"\n2026-05-01T08:30:15Z\n"
    )
    assert cp.message == signed_message(42, ROOT, WHEN)
    assert cp.public_key == raw_public(key)
    assert cp.signature_valid()


@pytest.mark.parametrize(
    "change",
    [
        {"tree_size": 43},
        {"root": bytes(32)},
        {"signed_at": datetime(2026, 5, 1, 8, 30, 16, tzinfo=UTC)},
        {"public_key": raw_public(Ed25519PrivateKey.generate())},
    ],
)
def test_changing_anything_signed_breaks_the_signature(change: dict[str, Any]) -> None:
    cp = sign(Ed25519PrivateKey.generate(), 42, ROOT, WHEN)
    assert not Checkpoint(**{**vars(cp), **change}).signature_valid()


def test_a_checkpoint_file_reads_back_the_same(tmp_path: Path) -> None:
    cp = sign(Ed25519PrivateKey.generate(), 42, ROOT, WHEN)
    write_json_file(tmp_path / "cp.json", cp.to_json())

    assert read_checkpoint_file(tmp_path / "cp.json") == cp
    with pytest.raises(OutputFileExists):  # evidence is never overwritten
        write_json_file(tmp_path / "cp.json", cp.to_json())


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(format="other"),
        lambda d: d.update(tree_size=-1),
        lambda d: d.update(tree_size="42"),
        lambda d: d.update(root="xyz"),
        lambda d: d.update(signature="00"),
        lambda d: d.pop("signed_at"),
    ],
)
def test_a_malformed_checkpoint_file_is_refused(tmp_path: Path, damage: Any) -> None:
    document = sign(Ed25519PrivateKey.generate(), 42, ROOT, WHEN).to_json()
    damage(document)
    (tmp_path / "cp.json").write_text(json.dumps(document))

    with pytest.raises(CheckpointFileInvalid):
        read_checkpoint_file(tmp_path / "cp.json")


# -- key files -----------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_can_read(tmp_path: Path) -> None:
    pair = generate_key_pair(tmp_path / "keys")

    assert stat.S_IMODE(os.stat(pair.private_path).st_mode) == 0o600
    assert pair.private_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert pair.public_path.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    key = load_private_key(pair.private_path)
    assert raw_public(key) == pair.public_key == load_public_key(pair.public_path)


def test_keygen_never_overwrites_a_key(tmp_path: Path) -> None:
    pair = generate_key_pair(tmp_path)
    before = pair.private_path.read_bytes()

    with pytest.raises(KeyFileExists):
        generate_key_pair(tmp_path)
    assert pair.private_path.read_bytes() == before
    pair.private_path.unlink()
    with pytest.raises(KeyFileExists):  # the public half alone is enough to refuse
        generate_key_pair(tmp_path)


def test_a_file_that_is_not_an_ed25519_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "junk.key").write_text("not a key")
    with pytest.raises(KeyFileUnreadable):
        load_private_key(tmp_path / "junk.key")
    with pytest.raises(KeyFileUnreadable):
        load_public_key(tmp_path / "junk.key")
    with pytest.raises(KeyFileUnreadable):
        load_private_key(tmp_path / "missing.key")


# -- the standalone checker ------------------------------------------------------------------------


@pytest.mark.parametrize(("public", "message", "signature"), RFC8032)
def test_the_standalone_ed25519_accepts_the_rfc_8032_vectors(
    checker: ModuleType, public: str, message: str, signature: str
) -> None:
    pk, msg, sig = bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)
    assert checker.ed25519_verify(pk, msg, sig)
    assert not checker.ed25519_verify(pk, msg + b"\x00", sig)
    assert not checker.ed25519_verify(pk, msg, sig[:-1] + bytes([sig[-1] ^ 1]))


def test_the_standalone_ed25519_agrees_with_the_cryptography_package(checker: ModuleType) -> None:
    for n in range(12):
        key = Ed25519PrivateKey.generate()
        message = os.urandom(n * 11)
        signature = key.sign(message)
        assert checker.ed25519_verify(raw_public(key), message, signature)
        assert not checker.ed25519_verify(raw_public(key), message + b"!", signature)
        other = raw_public(Ed25519PrivateKey.generate())
        assert not checker.ed25519_verify(other, message, signature)


def test_the_standalone_ed25519_refuses_malformed_input(checker: ModuleType) -> None:
    _, _, signature = RFC8032[0]
    sig = bytes.fromhex(signature)
    public = bytes.fromhex(RFC8032[0][0])
    assert not checker.ed25519_verify(public[:31], b"", sig)
    assert not checker.ed25519_verify(public, b"", sig[:63])
    big_s = sig[:32] + (2**253).to_bytes(32, "little")  # S ≥ L: malleable, refused
    assert not checker.ed25519_verify(public, b"", big_s)


def a_proof(key: Ed25519PrivateKey) -> dict[str, Any]:
    events = [
        Notification(
            id=n,
            originator_id=uuid4(),
            originator_version=1,
            topic="tests:Thing.Happened",
            state=b'{"n": %d}' % n,
        )
        for n in range(1, 12)
    ]
    data = [canonical.of_notification(e) for e in events]
    tree = MemoryTree([leaf_hash(d) for d in data])
    cp = sign(key, 11, tree.root(), WHEN)
    proof = EventProof(
        7, 6, 11, tuple(inclusion_proof(tree.hashes, 6, 11)), tree.root(), data[6], cp
    )
    assert proof.holds()
    return proof.to_json()


def test_a_proof_holds_for_the_checker_and_fails_when_any_part_changes(
    checker: ModuleType,
) -> None:
    key = Ed25519PrivateKey.generate()
    proof, public = a_proof(key), raw_public(key)
    ok, summary = checker.check(proof, public)
    assert ok, summary
    assert "notification 7" in summary and "leaf 6" in summary

    def changed(edit: Any) -> dict[str, Any]:
        altered = copy.deepcopy(proof)
        edit(altered)
        return altered

    def flip_event_byte(p: dict[str, Any]) -> None:
        data = bytearray(base64.b64decode(p["event"]))
        data[-3] ^= 0x01
        p["event"] = base64.b64encode(bytes(data)).decode()

    failing = [
        flip_event_byte,
        lambda p: p.update(leaf_index=5),
        lambda p: p.update(tree_size=12),
        lambda p: p.update(notification_id=8),
        lambda p: p["audit_path"].reverse(),
        lambda p: p.update(root="00" * 32),
        lambda p: p["checkpoint"].update(signed_at="2026-05-01T08:30:16Z"),
        lambda p: p["checkpoint"].update(tree_size=10),
        lambda p: p["checkpoint"].update(signature="00" * 64),
    ]
    for edit in failing:
        assert not checker.check(changed(edit), public)[0]
    other = raw_public(Ed25519PrivateKey.generate())
    assert checker.check(proof, other) == (
        False,
        "the checkpoint is signed by another key than the one given",
    )


def test_the_checker_reads_a_pem_public_key_or_hex(checker: ModuleType, tmp_path: Path) -> None:
    pair = generate_key_pair(tmp_path)
    assert checker.read_public_key(pair.public_path.read_text()) == pair.public_key
    assert checker.read_public_key(pair.public_key.hex()) == pair.public_key
    with pytest.raises(ValueError):
        checker.read_public_key("abcd")
