"""What the auditor's subcommands share: opening an existing registry (never creating one), the
options naming trusted keys, and how a verification is printed (scripts/audit_cli.py)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.audit.verification import VerificationOutcome, record_verification
from domain.audit.verify import Verification
from domain.shared.errors import DomainError
from domain.shared.values import Provenance

if TYPE_CHECKING:
    from qianwan.bootstrap import Registry

RegistryCommand = Callable[["Registry", argparse.Namespace], int]


def add_key_options(parser: argparse.ArgumentParser, checkpoint_help: str) -> None:
    parser.add_argument(
        "--public-key",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help=checkpoint_help,
    )
    parser.add_argument(
        "--event-public-key",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        dest="event_public_key",
        help="a trusted public key of the events (event.pub; repeat for rotated keys)",
    )


def verification_json(result: Verification) -> dict[str, Any]:
    d = result.divergence
    signing = result.signing
    return {
        "ok": result.ok,
        "events": result.events,
        "root": result.root.hex(),
        "sealed": result.sealed,
        "unsealed": result.unsealed,
        "signed": signing.signed if signing else None,
        "unsigned_prefix": signing.unsigned_prefix if signing else None,
        "unsigned_prefix_vouched_by": signing.prefix_vouched_by if signing else None,
        "event_key_ids": list(signing.key_ids) if signing else [],
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


def print_verification(result: Verification) -> None:
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
    signing = result.signing
    if signing is not None:
        keys = ", ".join(signing.key_ids) or "-"
        print(f"    {signing.signed} event(s) signed by trusted key(s) {keys}")
        if signing.unsigned_prefix:
            vouched = (
                f"vouched for by the checkpoint of size {signing.prefix_vouched_by}"
                if signing.prefix_vouched_by is not None
                else "NOT vouched for by any trusted checkpoint"
            )
            print(
                f"    {signing.unsigned_prefix} event(s) recorded before event signing, {vouched}"
            )
    for c in result.checkpoints:
        state = "consistent" if c.problem is None else c.problem.kind
        print(
            f"    {c.source}: size {c.checkpoint.tree_size}, signed "
            f"{c.checkpoint.signed_at.isoformat()} by key {c.checkpoint.key_id}: {state}"
        )


def verifier() -> Provenance:
    """Who ran verify, as the record of its outcome names them (the system's user name)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment
        user = "unknown"
    return Provenance(f"cli:{user[:60] or 'unknown'}", "qianwan verify")


def record_outcome(registry: Registry, outcome: VerificationOutcome) -> None:
    """Record verify's outcome as a signed event (domain/audit/verification.py). A registry that
    cannot record it (no event key here, the database read-only) only says so: verify's own
    answer and exit code stand."""
    try:
        record_verification(registry.store, outcome, verifier())
    except DomainError as refused:
        print(f"verify's outcome was not recorded ({refused.code}): {refused}", file=sys.stderr)
    except Exception as failed:  # a database that takes no writes: the check itself stands
        print(f"verify's outcome was not recorded: {failed}", file=sys.stderr)
