"""Event signatures on SQLite and PostgreSQL (issue 11, item 5): every write transaction signed
in its own database transaction with a key kept outside the database; the seal refuses to seal
what no trusted signature vouches for, so no checkpoint ever signs it; verify reports it at its
position; a log recorded before event signing still loads, rebuilds and verifies once a trusted
checkpoint vouches for it."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from api.auth.authenticate import authenticate
from domain.audit.authenticity import as_signed
from domain.audit.errors import (
    EventSigningKeyNotConfigured,
    LogDoesNotVerify,
    UnsignedEventsNotVouchedFor,
)
from domain.audit.keyfiles import raw_public_key
from domain.audit.signing import EventSigner
from domain.audit.verify import Verification
from domain.shared.recorders import signing as recorder_signing
from domain.shared.recorders.signing import SIGNATURES_TABLE, SigningRecorder
from projections.audit import sign_checkpoint, stored_events, stored_signatures, verify
from projections.checks import rule_violations
from projections.replay import replay
from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from tests.audit_support import (
    AUDITOR,
    change_one_byte,
    forge,
    forge_receipt,
    last_id,
    lively_log,
    sealed_root,
)
from tests.support import VILLAGE, seed_places

CHECKPOINT_KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def logged(seeded: Registry) -> Registry:
    lively_log(seeded)
    return seeded


def checked(registry: Registry) -> Verification:
    return verify(
        registry.store,
        registry.engine,
        (),
        (raw_public_key(CHECKPOINT_KEY),),
        registry.checkpoints,
        event_keys=registry.event_keys.trusted,
    )


def checkpoint(registry: Registry, vouch: bool = False) -> int:
    cp = sign_checkpoint(
        registry.runner,
        registry.checkpoints,
        CHECKPOINT_KEY,
        event_keys=registry.event_keys.trusted,
        vouch_for_unsigned_prefix=vouch,
    )
    return cp.tree_size


def signature_rows(registry: Registry) -> list[tuple[int, int, int]]:
    return [
        (s.first_notification_id, s.last_notification_id, s.event_count)
        for s in stored_signatures(registry.store)
    ]


def appraise_again(registry: Registry) -> None:
    asset = registry.assets.id_of(VILLAGE, "ZC-001")
    registry.assets.appraise(asset, "1600000", "评估公司", "PG-2027-01", date(2027, 1, 5), AUDITOR)


# -- signed as recorded ---------------------------------------------------------------------------


def seal_halted(registry: Registry) -> str:
    """Fold: the seal refuses the event, and no projection folds it (all halt there); the
    seal's error."""
    registry.runner.catch_up()
    halted = registry.runner.halted(fresh=True)
    assert set(halted) == {p.name for p in registry.runner.projections}, halted
    assert len({h.notification_id for h in halted.values()}) == 1
    return halted["seal"].error


def test_every_write_transaction_is_signed_once_and_the_log_verifies(logged: Registry) -> None:
    rows = signature_rows(logged)

    covered = [nid for first, last, _ in rows for nid in range(first, last + 1)]
    assert covered == list(range(1, last_id(logged) + 1))  # every event, once, in order
    assert all(count == last - first + 1 for first, last, count in rows)
    assert len(rows) < last_id(logged)  # one per save: the seed's villages share one
    result = checked(logged)
    assert result.ok, result.divergence
    assert result.signing is not None
    assert result.signing.signed == last_id(logged)
    assert result.signing.key_ids == logged.event_keys.trusted.key_ids


def test_the_signatures_kept_for_the_seal_are_bounded_by_events_not_only_by_transactions(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process recording large transactions keeps at most MAX_SIGNED_EVENTS_HERE of their
    events (always the newest transaction); the seal folds the others the long way, and the
    log still verifies."""
    monkeypatch.setattr(recorder_signing, "MAX_SIGNED_EVENTS_HERE", 3)
    recorder = seeded.store.recorder
    assert isinstance(recorder, SigningRecorder)
    lively_log(seeded)
    kept = recorder.signed_here(1, last_id(seeded))
    assert kept, "the newest transaction is always kept"
    events_kept = sum(len(events) for _, events in kept)
    newest = max(kept, key=lambda made: made[0].first_notification_id)
    assert events_kept <= 3 or kept == [newest]
    assert newest[0].last_notification_id == last_id(seeded)
    assert recorder._signed_events_here == events_kept
    seeded.runner.catch_up()
    assert not seeded.runner.halted(fresh=True)
    result = checked(seeded)
    assert result.ok, result.divergence


def test_nothing_is_recorded_without_an_event_signing_key(settings: Settings) -> None:
    seeded = bootstrap(settings)
    seed_places(seeded.places, seeded.policies)
    seeded.close()
    unkeyed = bootstrap(replace(settings, event_key_file=None))
    try:
        before, rows = last_id(unkeyed), signature_rows(unkeyed)
        with pytest.raises(EventSigningKeyNotConfigured) as refused:
            lively_log(unkeyed)
        assert refused.value.code == "event_signing_key_not_configured"
        assert (last_id(unkeyed), signature_rows(unkeyed)) == (before, rows)
    finally:
        unkeyed.close()


# -- forgeries ------------------------------------------------------------------------------------


def test_a_forged_receipt_at_the_tail_is_never_sealed_checkpointed_or_passed_by_check(
    logged: Registry,
) -> None:
    checkpoint(logged)
    before = sealed_root(logged)
    forged = forge_receipt(logged)

    assert "unsigned" in seal_halted(logged)  # the seal refuses it …
    assert set(logged.runner.positions().values()) == {forged - 1}  # … so no book shows it
    assert sealed_root(logged) == before  # not sealed, so no checkpoint can sign it
    with pytest.raises(LogDoesNotVerify):
        checkpoint(logged)
    result = checked(logged)
    assert result.divergence is not None
    assert (result.divergence.kind, result.divergence.position) == ("unsigned", forged - 1)
    found = {
        (v.subject, v.message.split("]")[0]) for v in rule_violations(logged.store, logged.policies)
    }
    assert (f"notification {forged} (Asset.RentReceived)", "[payment_exceeds_amount_due") in found


def test_an_event_signed_with_a_key_of_the_forgers_own_is_not_trusted(logged: Registry) -> None:
    forged = forge_receipt(logged)
    (stored,) = logged.store.recorder.select_notifications(start=forged, limit=1, stop=forged)
    own = EventSigner(Ed25519PrivateKey.generate()).sign([as_signed(stored)])
    with logged.engine.begin() as conn:
        conn.execute(
            text(
                f"INSERT INTO {SIGNATURES_TABLE} (first_notification_id, last_notification_id, "
                "event_count, key_id, signature) VALUES (:f, :l, 1, :k, :s)"
            ),
            {"f": forged, "l": forged, "k": own.key_id, "s": own.signature},
        )

    assert seal_halted(logged)
    result = checked(logged)
    assert result.divergence is not None
    assert (result.divergence.kind, result.divergence.position) == (
        "signed_by_untrusted_key",
        forged - 1,
    )


def test_an_event_put_into_a_gap_of_the_ids_is_unsigned(settings: Settings) -> None:
    """PostgreSQL's ids have gaps where an insert rolled back; an event put into one is
    covered by no signature (SQLite: the gap is made by moving its id counter on)."""
    registry = bootstrap(settings, read_your_writes=False)
    try:
        seed_places(registry.places, registry.policies)
        lively_log(registry)
        gap = last_id(registry) + 1
        with registry.engine.begin() as conn:
            if settings.is_postgres:
                conn.execute(
                    text(
                        "SELECT nextval(pg_get_serial_sequence('qianwan_events', "
                        "'notification_id'))"
                    )
                )
            else:
                conn.execute(
                    text("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'stored_events'")
                )
        appraise_again(registry)  # recorded after the gap
        assert last_id(registry) == gap + 1
        with registry.engine.begin() as conn:
            (model,) = registry.store.recorder.select_notifications(start=gap + 1, limit=1)
            originator = uuid4()
            conn.execute(
                text(
                    f"INSERT INTO {'qianwan_events' if settings.is_postgres else 'stored_events'} "
                    "(notification_id, originator_id, originator_version, topic, state) "
                    "VALUES (:nid, :o, 1, :t, :s)"
                ),
                {
                    "nid": gap,
                    "o": originator if settings.is_postgres else originator.hex,
                    "t": model.topic,
                    "s": bytes(model.state),
                },
            )

        result = checked(registry)
        assert result.divergence is not None
        assert (result.divergence.kind, result.divergence.notification_id) == ("unsigned", gap)
        assert seal_halted(registry)
    finally:
        registry.close()


# -- logs recorded before event signing -----------------------------------------------------------

LEGACY_LOG = Path(__file__).resolve().parents[1] / "fixtures" / "log_before_event_signing.json"


def load_legacy_log(settings: Settings) -> dict[str, Any]:
    """The event rows the code before event signing wrote (tests/fixtures), put into this
    database's event table as they were: same ids, same bytes, no signatures."""
    document: dict[str, Any] = json.loads(LEGACY_LOG.read_text(encoding="utf-8"))
    registry = bootstrap(settings, read_your_writes=False)
    table = "qianwan_events" if settings.is_postgres else "stored_events"
    try:
        with registry.engine.begin() as conn:
            for e in document["events"]:
                conn.execute(
                    text(
                        f"INSERT INTO {table} (notification_id, originator_id, "
                        "originator_version, topic, state) VALUES (:nid, :o, :v, :t, :s)"
                    ),
                    {
                        "nid": e["notification_id"],
                        "o": UUID(e["originator_id"])
                        if settings.is_postgres
                        else e["originator_id"],
                        "v": e["originator_version"],
                        "t": e["topic"],
                        "s": base64.b64decode(e["state_base64"]),
                    },
                )
            if settings.is_postgres:  # where the old code's sequence stood
                conn.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence('qianwan_events', "
                        "'notification_id'), :last)"
                    ),
                    {"last": len(document["events"])},
                )
    finally:
        registry.close()
    return document


def test_a_log_written_before_event_signing_loads_rebuilds_and_verifies_once_vouched_for(
    settings: Settings,
) -> None:
    legacy = load_legacy_log(settings)
    recorded = len(legacy["events"])
    registry = bootstrap(settings)  # the upgraded code opens the old log
    try:
        registry.runner.catch_up()  # the seal seals the unsigned beginning
        assert set(registry.runner.positions().values()) == {recorded}
        stored = [base64.b64encode(bytes(n.state)).decode() for n in stored_events(registry.store)]
        assert stored == [e["state_base64"] for e in legacy["events"]]  # byte for byte
        assert registry.runner.rebuild() == recorded
        assert rule_violations(registry.store, registry.policies) == ()
        asset = registry.assets.id_of(VILLAGE, "ZC-001")
        assert len(list(registry.store.events.get(asset))) == 12  # loads as before

        result = checked(registry)
        assert result.divergence is not None
        assert (result.divergence.kind, result.divergence.position) == ("unsigned", 0)
        assert result.signing is not None and result.signing.unsigned_prefix == recorded
        with pytest.raises(UnsignedEventsNotVouchedFor):
            checkpoint(registry)
        assert checkpoint(registry, vouch=True) == recorded  # once, after upgrading
        secret = legacy["admin_token_secret"]
        assert authenticate(registry, f"Bearer {secret}") is None  # unsigned: re-issue tokens

        appraise_again(registry)  # recorded from now on: signed
        result = checked(registry)
        assert result.ok, result.divergence
        assert result.signing is not None
        assert (result.signing.unsigned_prefix, result.signing.prefix_vouched_by) == (
            recorded,
            recorded,
        )
        assert result.signing.signed == 1
        forged = forge(registry, recorded + 1, {b'"PG-2027-01"': b'"PG-2027-99"'})
        assert seal_halted(registry)  # no unsigned event after a signed one is sealed
        found = checked(registry).divergence
        assert found is not None and (found.kind, found.position) == ("unsigned", forged - 1)
    finally:
        registry.close()


def test_a_replay_of_a_log_written_before_event_signing_seals_its_unsigned_beginning(
    settings: Settings, tmp_path: Path
) -> None:
    load_legacy_log(settings)
    registry = bootstrap(settings)
    try:
        appraise_again(registry)
        done = replay(registry.store, registry.runner.projections, tmp_path / "r.sqlite3")
        assert done.until == last_id(registry)
    finally:
        registry.close()


def test_an_event_changed_between_its_save_and_the_fold_is_not_sealed(settings: Settings) -> None:
    """The process that signed a transaction compares the stored events with what it signed
    (no read-back): a byte changed in between still stops the seal."""
    registry = bootstrap(settings, read_your_writes=False)
    try:
        seed_places(registry.places, registry.policies)
        registry.runner.catch_up()
        lively_log(registry)
        change_one_byte(registry, last_id(registry))

        assert "signature_mismatch" in seal_halted(registry)
    finally:
        registry.close()
