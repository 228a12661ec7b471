"""The auditor's workflow through the ``qianwan`` command, on SQLite and PostgreSQL: keygen,
checkpoint, verify, prove (checked by the standalone script in an isolated interpreter), replay,
export, check, and time travel in ``history`` and ``trial-balance``."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.audit.errors import EventSigningKeyNotConfigured
from domain.audit.merkle import leaf_hash
from qianwan.bootstrap import Registry
from scripts import audit_common
from scripts.cli import main
from tests.audit_support import MIDDLE, change_one_byte, forge_receipt, last_id, lively_log
from tests.support import ACCOUNTANT, VILLAGE

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_proof.py"
STANDALONE_SECONDS = 60


@pytest.fixture
def auditor(seeded: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Registry:
    """A lively log; the CLI on the same database, run from an empty directory."""
    lively_log(seeded)
    for name, value in seeded.settings.to_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return seeded


def event_public_key(registry: Registry) -> str:
    """The public half of the test's event key (tests/conftest.py), as an auditor is given it."""
    assert registry.settings.event_key_file is not None
    return str(registry.settings.event_key_file.with_suffix(".pub"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def standalone(proof: Path, public_key: Path, where: Path) -> subprocess.CompletedProcess[str]:
    """The checker copied on its own into ``where`` and run isolated (-I: no site packages, no
    environment, no current directory on the path), as an auditor would."""
    where.mkdir(exist_ok=True)
    script = where / "verify_proof.py"
    if not script.exists():
        shutil.copy(SCRIPT, script)
    return subprocess.run(
        [sys.executable, "-I", str(script), str(proof), "--public-key", str(public_key)],
        capture_output=True,
        text=True,
        cwd=where,
        timeout=STANDALONE_SECONDS,
        check=False,
    )


def test_keygen_checkpoint_verify_prove_and_the_standalone_check(
    auditor: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "keygen", "--dir", "keys")
    assert code == 0 and "key id:" in out
    private, public = tmp_path / "keys/checkpoint.key", tmp_path / "keys/checkpoint.pub"
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert run(capsys, "keygen", "--dir", "keys")[0] == 2  # never overwritten

    code, out, _ = run(capsys, "checkpoint", "--key", str(private), "--out", "cp.json")
    assert code == 0, out
    checkpoint = json.loads((tmp_path / "cp.json").read_text())
    assert checkpoint["tree_size"] == last_id(auditor)

    trusted = ("--public-key", str(public), "--event-public-key", event_public_key(auditor))
    size = last_id(auditor)
    code, out, _ = run(capsys, "verify", "--checkpoint", "cp.json", *trusted)
    assert code == 0, out
    assert out.startswith(f"OK: {size} events; tree size {size}, root ")
    assert last_id(auditor) == size + 2  # its outcome, recorded (the first run opens the record)
    assert checkpoint["root"] in out
    assert "cp.json: size" in out and ": consistent" in out

    assert run(capsys, "prove", str(MIDDLE), "--out", "proof.json")[0] == 0
    checked = standalone(tmp_path / "proof.json", public, tmp_path / "elsewhere")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith(f"OK: notification {MIDDLE} ")

    proof = json.loads((tmp_path / "proof.json").read_text())
    event = bytearray(base64.b64decode(proof["event"]))
    event[-5] ^= 0x01  # one byte of the event's stored state
    proof["event"] = base64.b64encode(bytes(event)).decode()
    (tmp_path / "tampered.json").write_text(json.dumps(proof))
    checked = standalone(tmp_path / "tampered.json", public, tmp_path / "elsewhere")
    assert checked.returncode == 1
    assert checked.stdout.startswith("FAILED: the event is not in the tree")


def test_after_one_byte_changes_in_the_database_verify_and_prove_say_so(
    auditor: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "keygen", "--dir", "keys")
    run(capsys, "checkpoint", "--key", "keys/checkpoint.key", "--out", "cp.json")
    change_one_byte(auditor, MIDDLE)

    trusted = (
        "--public-key",
        "keys/checkpoint.pub",
        "--event-public-key",
        event_public_key(auditor),
    )
    code, out, _ = run(capsys, "verify", "--checkpoint", "cp.json", "--json", *trusted)
    assert code == 1
    result = json.loads(out)
    assert (result["kind"], result["position"], result["notification_id"]) == (
        "changed",
        MIDDLE - 1,
        MIDDLE,
    )
    code, out, _ = run(capsys, "verify", *trusted)
    assert out.startswith(f"DIVERGED at position {MIDDLE - 1} (notification {MIDDLE}): changed")

    code, _, err = run(capsys, "prove", str(MIDDLE))
    assert code == 2 and "[event_no_longer_matches_seal]" in err


def test_prove_needs_a_checkpoint_that_covers_the_event(
    auditor: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "prove", "3")
    assert code == 2 and "[no_checkpoint_yet]" in err
    run(capsys, "keygen", "--dir", "keys")
    run(capsys, "checkpoint", "--key", "keys/checkpoint.key", "--out", "cp.json")
    auditor.assets.appraise(
        auditor.assets.id_of(VILLAGE, "ZC-001"),
        "1",
        "某",
        "PG-9",
        datetime(2026, 7, 1).date(),
        ACCOUNTANT,
    )
    code, _, err = run(capsys, "prove", str(last_id(auditor)))
    assert code == 2 and "[notification_not_covered_by_checkpoint]" in err
    code, _, err = run(capsys, "prove", "999999")
    assert code == 2 and "[notification_not_sealed]" in err


def test_export_writes_bom_csv_and_a_manifest_naming_the_checkpoint(
    auditor: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("export", "--village", VILLAGE, "--from", "2024-01-01", "--to", "2025-12-31")
    code, _, err = run(capsys, *args, "--out", "export")
    assert code == 2 and "[no_checkpoint_yet]" in err
    run(capsys, "keygen", "--dir", "keys")
    run(capsys, "checkpoint", "--key", "keys/checkpoint.key", "--out", "cp.json")

    code, _, err = run(capsys, *args, "--out", "export")
    assert code == 0, err

    folder = tmp_path / "export"
    manifest = json.loads((folder / "manifest.json").read_text())
    cp = json.loads((tmp_path / "cp.json").read_text())
    assert manifest["checkpoint"] == cp and manifest["root"] == cp["root"]
    for name, described in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert data.startswith("\ufeff".encode())
        assert hashlib.sha256(data).hexdigest() == described["sha256"]
    journal = list(csv.DictReader(io.StringIO((folder / "journal.csv").read_text("utf-8-sig"))))
    assert {row["科目编码"] for row in journal} >= {"112", "501", "102"}
    for row in journal:  # the voucher number of the line, by the month of its date
        assert row["凭证号"] == f"记-{row['日期'][:7]}-{int(row['凭证号'][-4:]):04d}"
    assert {row["往来单位"] for row in journal if row["科目编码"] == "112"} != {""}
    assert sum(float(r["借方"]) for r in journal) == sum(float(r["贷方"]) for r in journal)
    events = list(csv.DictReader(io.StringIO((folder / "events.csv").read_text("utf-8-sig"))))
    assert {int(r["notification_id"]) for r in events} == {int(r["来源事件号"]) for r in journal}
    for row in events:  # every exported event is the one sealed under the checkpoint's root
        data = base64.b64decode(row["canonical_base64"])
        assert leaf_hash(data).hex() == row["leaf_hash"]
        assert int(row["leaf_index"]) < manifest["tree_size"]
    tb = (folder / "trial_balance.csv").read_text("utf-8-sig")
    assert tb.startswith("科目编码,科目名称,借方余额,贷方余额")
    assert run(capsys, *args, "--out", "export")[0] == 2  # not into a directory in use


def test_replay_and_check_from_the_command_line(
    auditor: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "replay", "--until", "10", "--into", "ten.sqlite3")
    assert code == 0 and "up to notification 10" in out
    assert (tmp_path / "ten.sqlite3").exists()
    digests = dict(line.split() for line in out.splitlines()[1:])
    assert set(digests) == {
        "places",
        "asset_register",
        "land",
        "meals",
        "books",
        "ledger",
        "seal",
        "access",
        "web_users",
        "feed",
        "disclosures",
    }
    later = datetime.now(UTC).isoformat()
    code, out, _ = run(capsys, "replay", "--until", later, "--into", "all.sqlite3")
    assert code == 0 and f"up to notification {last_id(auditor)}" in out
    assert run(capsys, "replay", "--until", "10", "--into", "ten.sqlite3")[0] == 2

    code, out, _ = run(capsys, "check")
    assert code == 0 and out.startswith("OK: the domain rules and the ledger checks hold")
    with auditor.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE ledger_lines SET debit_fen = debit_fen + 1 WHERE line_no = 1")
    code, out, _ = run(capsys, "check")
    assert code == 1 and "VIOLATION entries_balance" in out


def test_check_without_the_events_key_is_refused_with_a_code(
    auditor: Registry, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a signed log and an installation configured with no key to trust its events
    monkeypatch.delenv("QIANWAN_EVENT_KEY_FILE", raising=False)
    monkeypatch.delenv("QIANWAN_EVENT_PUBLIC_KEYS", raising=False)
    # when the operator runs the check, it says what is missing instead of a refold that
    # trusts nothing (every projection "differing from the log")
    code, out, err = run(capsys, "check")
    assert code == 2 and out == ""
    assert err.startswith("error: [event_public_key_not_given]")
    assert "VIOLATION" not in err


def test_history_and_trial_balance_travel_in_time(
    auditor: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    asset = auditor.assets.id_of(VILLAGE, "ZC-001")
    time.sleep(0.01)
    before = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    auditor.assets.reverse_receipt(asset, "SJ-001", "amount_mistyped", ACCOUNTANT)
    auditor.assets.correct_invoice(asset, "FP-001", "3000", "amount_mistyped", ACCOUNTANT)

    code, out, _ = run(capsys, "history", f"{VILLAGE}/ZC-001", "--at-version", "5", "--json")
    assert code == 0
    state = json.loads(out)
    assert state["version"] == 5 and state["state"]["status"] == "contracted"
    assert state["state"]["invoices"] == {}
    code, out, _ = run(capsys, "history", f"{VILLAGE}/ZC-001", "--at", before)
    assert code == 0 and '"amount_yuan": "30000.00"' in out
    code, out, _ = run(capsys, "history", f"{VILLAGE}/ZC-001")
    assert "Asset.InvoiceCorrected" in out and "Asset.ReceiptReversed" in out
    assert "记账凭证: 记-2024-01-0001 (2024-01-10)" in out  # what the registration posted
    code, _, err = run(capsys, "history", f"{VILLAGE}/ZC-001", "--at-version", "99")
    assert code == 2 and "[version_not_recorded]" in err

    tb_args = ("trial-balance", VILLAGE, "--as-of", "2024-12-31", "--csv")
    _, then, _ = run(capsys, *tb_args, "--known-at", before)
    _, now, _ = run(capsys, *tb_args)
    rows_then = {r[0]: r for r in csv.reader(io.StringIO(then.lstrip("\ufeff")))}
    rows_now = {r[0]: r for r in csv.reader(io.StringIO(now.lstrip("\ufeff")))}
    assert rows_then["102"][2] == "30000.00"  # the receipt, as the books showed it then
    assert rows_now["102"][2:] == ["0.00", "0.00"]  # reversed since (and the invoice corrected)
    assert rows_now["112"][2] == "3000.00"


# -- explicit trust, existing databases, coded file errors (issue 11, items 8, 9 and the lows) --


def refused(capsys: pytest.CaptureFixture[str], code: str, *argv: str) -> str:
    """Run a command that must be refused with ``code``: exit 2, one coded line, no traceback."""
    status, out, err = run(capsys, *argv)
    assert status == 2, (out, err)
    assert err.startswith(f"error: [{code}] "), err
    assert "Errno" not in err and "Traceback" not in err
    return err


def stored_checkpoints(registry: Registry) -> int:
    return len(registry.checkpoints.all())


def test_verify_takes_no_key_on_trust(
    auditor: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    before = last_id(auditor)
    events = ("--event-public-key", event_public_key(auditor))
    refused(capsys, "event_public_key_not_given", "verify")
    assert last_id(auditor) == before  # a refused verify records nothing
    assert run(capsys, "verify", *events)[0] == 0  # no checkpoint yet: nothing else to trust
    run(capsys, "keygen", "--dir", "keys")
    run(capsys, "checkpoint", "--key", "keys/checkpoint.key", "--out", "cp.json")

    before = last_id(auditor)
    refused(capsys, "checkpoint_public_key_not_given", "verify", *events)
    assert last_id(auditor) == before
    other = ("--public-key", "keys/other.pub")
    run(capsys, "keygen", "--dir", "other")
    (Path("other/checkpoint.pub")).rename("keys/other.pub")
    code, out, _ = run(capsys, "verify", *events, *other)
    assert code == 1 and "signature_invalid" in out  # signed, but not by the key given
    assert run(capsys, "verify", *events, "--public-key", "keys/checkpoint.pub")[0] == 0
    assert last_id(auditor) == before + 2  # each run that checked recorded its outcome


def test_verify_answers_as_before_when_its_outcome_cannot_be_recorded(
    auditor: Registry, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_key(*args: object) -> None:
        raise EventSigningKeyNotConfigured("no event key in this shell")

    monkeypatch.setattr(audit_common, "record_verification", no_key)
    before = last_id(auditor)
    code, out, err = run(capsys, "verify", "--event-public-key", event_public_key(auditor))
    assert code == 0 and out.startswith(f"OK: {before} events")
    assert "outcome was not recorded (event_signing_key_not_configured)" in err
    assert last_id(auditor) == before


def test_an_audit_command_on_a_missing_database_refuses_and_creates_nothing(
    auditor: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if auditor.settings.is_postgres:
        missing = auditor.settings.database_url.replace("schema=", "schema=missing_")
    else:
        missing = f"sqlite:///{tmp_path}/nowhere/qianwan.sqlite3"
    monkeypatch.setenv("QIANWAN_DATABASE_URL", missing)

    for command in (("verify",), ("check",), ("prove", "1"), ("checkpoint", "--key", "k")):
        refused(capsys, "database_not_found", *command)

    assert not (tmp_path / "nowhere").exists()
    if auditor.settings.is_postgres:
        with auditor.engine.connect() as conn:
            schema = missing.rsplit("schema=", 1)[1]
            found = conn.exec_driver_sql(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,)
            ).first()
        assert found is None


def test_every_key_and_output_file_problem_is_a_coded_refusal_and_records_nothing(
    auditor: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = last_id(auditor)
    refused(capsys, "key_file_not_given", "keygen")
    refused(capsys, "key_file_not_given", "checkpoint")
    refused(capsys, "key_file_not_found", "checkpoint", "--key", "var/keys/checkpoint.key")
    (tmp_path / "junk.key").write_text("not a key")
    refused(capsys, "key_file_invalid", "checkpoint", "--key", "junk.key")
    run(capsys, "keygen", "--dir", "keys")
    refused(capsys, "key_file_invalid", "checkpoint", "--key", "keys/checkpoint.pub")
    (tmp_path / "a-file").write_text("")
    refused(capsys, "key_directory_not_writable", "keygen", "--dir", "a-file/keys")
    refused(capsys, "key_file_exists", "keygen", "--dir", "keys")

    (tmp_path / "taken.json").write_text("{}")
    key = ("--key", "keys/checkpoint.key")
    refused(capsys, "output_file_exists", "checkpoint", *key, "--out", "taken.json")
    assert stored_checkpoints(auditor) == 0  # refused before anything was signed or stored
    refused(capsys, "output_not_writable", "checkpoint", *key, "--out", "a-file/cp.json")
    assert run(capsys, "checkpoint", *key, "--out", "cp.json")[0] == 0
    refused(capsys, "output_file_exists", "prove", "3", "--out", "taken.json")
    trusted = ("--event-public-key", event_public_key(auditor))
    refused(capsys, "key_file_not_found", "verify", *trusted, "--public-key", "missing.pub")
    refused(capsys, "checkpoint_file_not_found", "verify", *trusted, "--checkpoint", "no.json")
    refused(capsys, "replay_file_exists", "replay", "--until", "3", "--into", "taken.json")
    refused(capsys, "output_not_writable", "replay", "--until", "3", "--into", "a-file/r.db")
    refused(capsys, "arguments_invalid", "replay", "--until", "soon", "--into", "r.sqlite3")
    export = ("export", "--village", VILLAGE, "--from", "2024-01-01", "--to", "2024-12-31")
    refused(capsys, "output_not_writable", *export, "--out", "a-file")
    assert last_id(auditor) == before
    assert stored_checkpoints(auditor) == 1


def test_a_replay_file_is_refused_as_a_registry_with_a_code(
    auditor: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run(capsys, "replay", "--until", "10", "--into", "ten.sqlite3")[0] == 0
    monkeypatch.setenv("QIANWAN_DATABASE_URL", f"sqlite:///{tmp_path}/ten.sqlite3")

    refused(capsys, "database_is_a_replay", "trial-balance", VILLAGE)
    refused(capsys, "database_is_a_replay", "verify")
    with closing(sqlite3.connect(tmp_path / "ten.sqlite3")) as replayed:  # as the replay made it
        tables = {name for (name,) in replayed.execute("SELECT name FROM sqlite_master")}
    assert "replay_info" in tables and "stored_events" not in tables


def test_check_re_runs_the_domain_rules_and_reports_a_forged_receipt(
    auditor: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = forge_receipt(auditor)

    code, out, _ = run(capsys, "check")

    assert code == 1
    assert (
        f"VIOLATION domain_rules notification {forged} (Asset.RentReceived): "
        "[payment_exceeds_amount_due]"
    ) in out
