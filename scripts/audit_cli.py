"""The auditor's subcommands of ``qianwan`` (docs/audit.md): keygen, checkpoint, verify, prove,
replay, export, check and bench-seal. Thin: parse, call projections/audit.py and friends, print.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.audit.checkpoints import refuse_existing, write_json_file
from domain.audit.errors import EventPublicKeyNotGiven, KeyFileNotGiven, LogDoesNotVerify
from domain.audit.keyfiles import CHECKPOINT, PURPOSES, generate_key_pair, key_id, load_private_key
from domain.audit.keyfiles import load_public_key as load_public_key_file
from domain.audit.signing import TrustedEventKeys
from domain.audit.verification import outcome_of
from domain.shared.recorders.signing import SIGNATURES_TABLE
from projections.audit import prove, sign_checkpoint, verify
from projections.checks import (
    PROJECTION_FAILED,
    Violation,
    all_violations,
    check_projections_folding,
)
from projections.export import export_books
from projections.projection import ProjectionFailed
from projections.replay import notification_before, replay
from scripts.audit_common import (
    add_key_options,
    print_verification,
    record_outcome,
    verification_json,
)
from scripts.common import (
    EXIT_FAILED,
    EXIT_OK,
    ArgumentsInvalid,
    iso_date,
    iso_time,
    positive,
    stored_int,
)

if TYPE_CHECKING:
    from qianwan.bootstrap import Registry

DEFAULT_CHECKPOINT_DIR = Path("var/checkpoints")


def add_audit_commands(commands: Any) -> None:
    """Register the audit subcommands on the ``qianwan`` parser's subparsers."""
    keygen = commands.add_parser(
        "keygen",
        help="write a new Ed25519 key pair: for checkpoints, or for signing events",
        description="Write the private key (mode 0600) and the public key into DIR: "
        "checkpoint.key and checkpoint.pub (--purpose checkpoint, the default), or event.key "
        "and event.pub (--purpose events; QIANWAN_EVENT_KEY_FILE names the private one). Keep "
        "private keys outside the database and its backups. Never overwrites.",
    )
    keygen.add_argument("--dir", type=Path, metavar="DIR", help="where to write the pair")
    keygen.add_argument("--purpose", choices=PURPOSES, default=CHECKPOINT)
    keygen.set_defaults(run_alone=run_keygen)

    checkpoint = commands.add_parser(
        "checkpoint",
        help="verify the log, then sign the seal's size and root; store it and write it as JSON",
        description="Seal every recorded event, verify the whole log (refused when it does not "
        "verify), sign (tree size, root, time) with the private key, keep the checkpoint in the "
        "database and write it to a JSON file to keep elsewhere.",
    )
    checkpoint.add_argument("--key", type=Path, metavar="FILE", help="checkpoint.key")
    checkpoint.add_argument(
        "--out", type=Path, help="default var/checkpoints/checkpoint-SIZE-TIME.json"
    )
    add_key_options(checkpoint, "another trusted checkpoint key (its own is trusted)")
    checkpoint.add_argument(
        "--vouch-for-unsigned-prefix",
        action="store_true",
        help="once, after upgrading: vouch for the events recorded before event signing",
    )
    checkpoint.set_defaults(run=run_checkpoint)

    check = commands.add_parser(
        "verify",
        help="recompute the Merkle tree from the stored events; check seal and checkpoints",
        description="Prints OK with the size and root, or the first position where the log "
        "diverges and the kind of change; exits 1 then. The outcome is recorded in the log as a "
        "signed SealVerification event (shown by GraphQL sealState and the page /audit/seal).",
    )
    check.add_argument(
        "--checkpoint", type=Path, action="append", default=[], metavar="FILE", dest="files"
    )
    add_key_options(check, "a trusted checkpoint key (checkpoint.pub); needed for checkpoints")
    check.add_argument("--json", action="store_true", help="the result as JSON")
    check.set_defaults(run=run_verify)

    proof = commands.add_parser(
        "prove",
        help="the inclusion proof of one event against the latest checkpoint (JSON)",
        description="Check it offline with: python3 -I scripts/verify_proof.py PROOF.json "
        "--public-key checkpoint.pub",
    )
    proof.add_argument("notification_id", metavar="NOTIFICATION_ID", type=stored_int)
    proof.add_argument("--out", type=Path, help="write to FILE instead of printing")
    proof.set_defaults(run=run_prove)

    again = commands.add_parser(
        "replay",
        help="fold the log up to a point into every projection of a new SQLite file",
        description="Builds every projection as it stood after notification N (or the last "
        "event recorded by TIME) into FILE, without touching the live database, and prints a "
        "digest of each projection's content.",
    )
    again.add_argument("--until", required=True, metavar="NOTIFICATION_ID|TIME")
    again.add_argument("--into", required=True, type=Path, metavar="FILE")
    again.set_defaults(run=run_replay)

    export = commands.add_parser(
        "export",
        help="a village's journal, trial balance and source events as CSV, with a manifest",
    )
    export.add_argument("--village", required=True, metavar="CODE")
    export.add_argument("--from", dest="date_from", required=True, type=iso_date)
    export.add_argument("--to", dest="date_to", required=True, type=iso_date)
    export.add_argument("--out", required=True, type=Path, metavar="DIR")
    export.set_defaults(run=run_export)

    ledger = commands.add_parser(
        "check",
        help="re-run the domain rules over the log and the ledger-wide invariants; exit 1 on a "
        "violation",
        description="Every event replayed against the rules that would have refused it (a "
        "receipt above what is due, a lease over 20 years, a meal after death …); every entry "
        "balances; contra accounts carry credit balances; every account is in the chart in "
        "force; the projections match a fresh fold of the log.",
    )
    ledger.set_defaults(run=run_check)

    bench = commands.add_parser(
        "bench-seal", help="events per second appended with the seal on and off"
    )
    bench.add_argument("--events", type=positive, default=2000)
    bench.add_argument("--per-save", type=positive, default=1, help="events saved per transaction")
    bench.add_argument("--storage", choices=("sqlite", "postgres", "both"), default="both")
    bench.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="a server to benchmark on (a throw-away schema is created and dropped)",
    )
    bench.set_defaults(run_alone=run_bench)


# -- commands ---------------------------------------------------------------------------------


def run_keygen(args: argparse.Namespace) -> int:
    if args.dir is None:
        raise KeyFileNotGiven(
            "name the directory for the new keys with --dir DIR: keep it away from the "
            "database and its backups (keys are never put beside it by default)"
        )
    pair = generate_key_pair(args.dir, args.purpose)
    print(f"private key: {pair.private_path} (mode 0600; keep it out of the database's backups)")
    print(f"public key:  {pair.public_path} (give it to whoever verifies)")
    print(f"key id:      {pair.key_id}")
    return EXIT_OK


def run_checkpoint(registry: Registry, args: argparse.Namespace) -> int:
    if args.key is None:
        raise KeyFileNotGiven(
            "name the checkpoint's private key with --key FILE (made by `qianwan keygen`)"
        )
    key = load_private_key(args.key)
    if args.out is not None:
        refuse_existing(args.out)  # before anything is signed or stored
    cp = sign_checkpoint(
        registry.runner,
        registry.checkpoints,
        key,
        event_keys=event_keys_of(registry, args.event_public_key),
        checkpoint_keys=[load_public_key_file(p) for p in args.public_key],
        vouch_for_unsigned_prefix=args.vouch_for_unsigned_prefix,
    )
    stamp = cp.signed_at.strftime("%Y%m%dT%H%M%SZ")
    out = args.out or DEFAULT_CHECKPOINT_DIR / f"checkpoint-{cp.tree_size}-{stamp}.json"
    write_json_file(out, cp.to_json())
    print(f"checkpoint: {cp.tree_size} events, root {cp.root.hex()}")
    print(f"signed {cp.signed_at.isoformat()} by key {cp.key_id}; written to {out}")
    return EXIT_OK


def log_is_signed(registry: Registry) -> bool:
    """Whether any event of the log carries a signature (a legacy log may have none)."""
    try:
        with registry.engine.connect() as conn:
            return conn.scalar(text(f"SELECT 1 FROM {SIGNATURES_TABLE} LIMIT 1")) is not None
    except DBAPIError:  # no table of signatures: a log from before events were signed
        return False


def event_keys_of(registry: Registry, files: list[Path]) -> TrustedEventKeys:
    """The event keys named on the command line, else those the installation is configured
    with (QIANWAN_EVENT_KEY_FILE's public half, QIANWAN_EVENT_PUBLIC_KEYS)."""
    if files:
        return TrustedEventKeys(load_public_key_file(path) for path in files)
    return registry.event_keys.trusted


def run_verify(registry: Registry, args: argparse.Namespace) -> int:
    keys = [load_public_key_file(path) for path in args.public_key]
    # Only the keys named here: the auditor's, not whatever the installation is configured with.
    events = TrustedEventKeys(load_public_key_file(path) for path in args.event_public_key)
    checked_through = registry.store.last_notification_id()
    result = verify(
        registry.store,
        registry.engine,
        args.files,
        keys,
        registry.checkpoints,
        event_keys=events,
    )
    if args.json:
        print(json.dumps(verification_json(result), indent=2))
    else:
        print_verification(result)
    outcome = outcome_of(result, checked_through, events.key_ids, [key_id(k) for k in keys])
    record_outcome(registry, outcome)
    return EXIT_OK if result.ok else EXIT_FAILED


def run_prove(registry: Registry, args: argparse.Namespace) -> int:
    if args.out is not None:
        refuse_existing(args.out)
    proof = prove(registry.store, registry.engine, registry.checkpoints, args.notification_id)
    if args.out is None:
        print(json.dumps(proof.to_json(), indent=2))
        return EXIT_OK
    write_json_file(args.out, proof.to_json())
    print(f"proof of notification {proof.notification_id} written to {args.out}")
    return EXIT_OK


def run_replay(registry: Registry, args: argparse.Namespace) -> int:
    text = args.until.strip()
    try:
        if text.isdigit():
            until = stored_int(text)
        else:
            until = notification_before(registry.store, iso_time(text))
    except argparse.ArgumentTypeError as error:
        raise ArgumentsInvalid(f"qianwan replay: --until: {error}") from None
    result = replay(registry.store, registry.runner.projections, args.into, until)
    print(f"replayed {result.events} events (up to notification {result.until}) into {args.into}")
    for name, digest in result.digests.items():
        print(f"{name:16} {digest}")
    return EXIT_OK


def run_export(registry: Registry, args: argparse.Namespace) -> int:
    village = registry.places.village(args.village)
    try:
        registry.runner.catch_up()
    except ProjectionFailed as failed:
        raise LogDoesNotVerify(
            f"the log could not be folded ({failed}); run `qianwan verify`"
        ) from None
    done = export_books(
        registry.store,
        registry.engine,
        registry.checkpoints.latest(),
        village.code,
        args.date_from,
        args.date_to,
        args.out,
    )
    for name, described in done.manifest["files"].items():
        print(f"{name:18} {described['rows']:>7} rows  sha256 {described['sha256']}")
    print(f"manifest.json: covered by the checkpoint of size {done.manifest['tree_size']}")
    return EXIT_OK


def run_check(registry: Registry, args: argparse.Namespace) -> int:
    if not registry.event_keys.trusted and log_is_signed(registry):
        # Without the key the fresh fold trusts no event: every projection would differ.
        raise EventPublicKeyNotGiven(
            "check re-folds the log, which needs the trusted public key of its events: set "
            "QIANWAN_EVENT_KEY_FILE (its .pub beside it) or QIANWAN_EVENT_PUBLIC_KEYS"
        )
    runner = registry.runner
    found: tuple[Violation, ...] = ()
    try:
        runner.catch_up()
    except ProjectionFailed as failed:  # a failure a retry may cure: reported, the rest checked
        found += (Violation(PROJECTION_FAILED, failed.projection, str(failed.__cause__)),)
    halted = runner.halted(fresh=True)  # e.g. the seal, refusing an unsigned event
    folding = [p for p in runner.projections if p.name not in halted]
    until = runner.active_low()
    found += check_projections_folding(halted) + all_violations(
        registry.store, registry.engine, folding, until, registry.policies
    )
    for v in found:
        print(f"VIOLATION {v.check} {v.subject}: {v.message}")
    if found:
        print(f"{len(found)} violation(s)", file=sys.stderr)
        return EXIT_FAILED
    print(f"OK: the domain rules and the ledger checks hold over {until} events")
    return EXIT_OK


def run_bench(args: argparse.Namespace) -> int:
    from scripts.bench_seal import run

    started = datetime.now(UTC)
    run(args.events, args.per_save, args.storage, args.postgres_url)
    print(f"(took {(datetime.now(UTC) - started).total_seconds():.0f} s)")
    return EXIT_OK
