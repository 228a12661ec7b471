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

from domain.audit.checkpoints import (
    DEFAULT_KEY_DIR,
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    generate_key_pair,
    load_private_key,
    load_public_key,
    write_json_file,
)
from domain.audit.verify import Verification
from projections.audit import prove, sign_checkpoint, verify
from projections.checks import all_violations, check_projections_folding
from projections.export import export_books
from projections.replay import notification_before, replay
from scripts.common import (
    EXIT_FAILED,
    EXIT_OK,
    ArgumentsInvalid,
    OutputFileExists,
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
        help="write a new Ed25519 key pair for signing checkpoints",
        description="Write checkpoint.key (private, mode 0600) and checkpoint.pub into DIR. "
        "Keep the private key outside the database and its backups. Never overwrites.",
    )
    keygen.add_argument("--dir", type=Path, default=DEFAULT_KEY_DIR, help="default var/keys")
    keygen.set_defaults(run_alone=run_keygen)

    checkpoint = commands.add_parser(
        "checkpoint",
        help="sign the seal's size and root, store it and write it as JSON",
        description="Seal every recorded event, sign (tree size, root, time) with the private "
        "key, keep the checkpoint in the database and write it to a JSON file to keep elsewhere.",
    )
    checkpoint.add_argument("--key", type=Path, default=DEFAULT_KEY_DIR / PRIVATE_KEY_FILE)
    checkpoint.add_argument(
        "--out", type=Path, help="default var/checkpoints/checkpoint-SIZE-TIME.json"
    )
    checkpoint.set_defaults(run=run_checkpoint)

    check = commands.add_parser(
        "verify",
        help="recompute the Merkle tree from the stored events; check seal and checkpoints",
        description="Prints OK with the size and root, or the first position where the log "
        "diverges and the kind of change; exits 1 then.",
    )
    check.add_argument(
        "--checkpoint", type=Path, action="append", default=[], metavar="FILE", dest="files"
    )
    check.add_argument(
        "--public-key",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help=f"trusted checkpoint key(s) (default {DEFAULT_KEY_DIR / PUBLIC_KEY_FILE} if present)",
    )
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
        help="run the ledger-wide invariants; exit 1 on a violation",
        description="Every entry balances; contra accounts carry credit balances; every "
        "account is in the chart in force; the projections match a fresh fold of the log.",
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
    pair = generate_key_pair(args.dir)
    print(f"private key: {pair.private_path} (mode 0600; keep it out of the database's backups)")
    print(f"public key:  {pair.public_path} (give it to whoever verifies)")
    print(f"key id:      {pair.key_id}")
    return EXIT_OK


def run_checkpoint(registry: Registry, args: argparse.Namespace) -> int:
    key = load_private_key(args.key)
    cp = sign_checkpoint(registry.runner, registry.checkpoints, key)
    stamp = cp.signed_at.strftime("%Y%m%dT%H%M%SZ")
    out = args.out or DEFAULT_CHECKPOINT_DIR / f"checkpoint-{cp.tree_size}-{stamp}.json"
    try:
        write_json_file(out, cp.to_json())
    except FileExistsError:
        raise OutputFileExists(f"{out} exists already (the checkpoint is stored)") from None
    print(f"checkpoint: {cp.tree_size} events, root {cp.root.hex()}")
    print(f"signed {cp.signed_at.isoformat()} by key {cp.key_id}; written to {out}")
    return EXIT_OK


def trusted_keys(files: list[Path]) -> list[bytes]:
    default = DEFAULT_KEY_DIR / PUBLIC_KEY_FILE
    if not files and default.is_file():
        files = [default]
    return [load_public_key(path) for path in files]


def run_verify(registry: Registry, args: argparse.Namespace) -> int:
    keys = trusted_keys(args.public_key)
    result = verify(registry.store, registry.engine, args.files, keys, registry.checkpoints)
    if args.json:
        print(json.dumps(verification_json(result), indent=2))
    else:
        print_verification(result, trusted=bool(keys))
    return EXIT_OK if result.ok else EXIT_FAILED


def verification_json(result: Verification) -> dict[str, Any]:
    d = result.divergence
    return {
        "ok": result.ok,
        "events": result.events,
        "root": result.root.hex(),
        "sealed": result.sealed,
        "unsealed": result.unsealed,
        "kind": d.kind if d else None,
        "position": d.position if d else None,
        "notification_id": d.notification_id if d else None,
        "detail": d.detail if d else None,
        "checkpoints": [
            {
                "source": c.source,
                "tree_size": c.checkpoint.tree_size,
                "ok": c.problem is None,
                "kind": c.problem.kind if c.problem else None,
            }
            for c in result.checkpoints
        ],
    }


def print_verification(result: Verification, trusted: bool) -> None:
    d = result.divergence
    if d is None:
        print(f"OK: {result.events} events; tree size {result.events}, root {result.root.hex()}")
    else:
        where = "" if d.position is None else f" at position {d.position}"
        nid = "" if d.notification_id is None else f" (notification {d.notification_id})"
        print(f"DIVERGED{where}{nid}: {d.kind}")
        print(f"    {d.detail}")
    if result.unsealed:
        print(
            f"    {result.unsealed} event(s) recorded after the seal's last batch: not sealed yet"
        )
    for c in result.checkpoints:
        state = "consistent" if c.problem is None else c.problem.kind
        print(
            f"    {c.source}: size {c.checkpoint.tree_size}, signed "
            f"{c.checkpoint.signed_at.isoformat()} by key {c.checkpoint.key_id}: {state}"
        )
    if result.checkpoints and not trusted:
        print("    (no --public-key given: each checkpoint's own key was taken on trust)")


def run_prove(registry: Registry, args: argparse.Namespace) -> int:
    proof = prove(registry.store, registry.engine, registry.checkpoints, args.notification_id)
    if args.out is None:
        print(json.dumps(proof.to_json(), indent=2))
        return EXIT_OK
    try:
        write_json_file(args.out, proof.to_json())
    except FileExistsError:
        raise OutputFileExists(f"{args.out} exists already") from None
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
    registry.runner.catch_up()
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
    runner = registry.runner
    runner.catch_up()
    halted = runner.halted(fresh=True)
    folding = [p for p in runner.projections if p.name not in halted]
    until = runner.active_low()
    found = check_projections_folding(halted) + all_violations(
        registry.store, registry.engine, folding, until
    )
    for v in found:
        print(f"VIOLATION {v.check} {v.subject}: {v.message}")
    if found:
        print(f"{len(found)} violation(s)", file=sys.stderr)
        return EXIT_FAILED
    print(f"OK: the ledger checks hold over {until} events")
    return EXIT_OK


def run_bench(args: argparse.Namespace) -> int:
    from scripts.bench_seal import run

    started = datetime.now(UTC)
    run(args.events, args.per_save, args.storage, args.postgres_url)
    print(f"(took {(datetime.now(UTC) - started).total_seconds():.0f} s)")
    return EXIT_OK
