"""``qianwan token create | list | revoke``: API tokens for the GraphQL API, and the demo's two
tokens that ``qianwan serve --demo`` prints. Thin: parse, call the AccessApplication, print.

A token's secret is printed once, when it is created; the registry keeps only its SHA-256.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.access.application import token_hash
from domain.access.roles import ROLES
from domain.shared.values import Provenance
from projections.access import list_tokens
from scripts.common import EXIT_OK, iso_date
from scripts.demo_users import DEMO_USERS, DemoUser, ensure_demo_users

if TYPE_CHECKING:
    from qianwan.bootstrap import Registry

DEMO_TOKENS_FILE = Path("var/demo-tokens.txt")
# The demo's tokens: (role, variable in the tokens file, name recorded as the actor).
DEMO_TOKENS = (
    ("admin", "QIANWAN_ADMIN_TOKEN", "demo administrator"),
    ("platform", "QIANWAN_PLATFORM_TOKEN", "district platform (demo)"),
)


def add_token_commands(commands: Any) -> None:
    """Register ``qianwan token …`` on the ``qianwan`` parser's subparsers."""
    token = commands.add_parser(
        "token",
        help="create, list and revoke API tokens (Authorization: Bearer …)",
        description="API tokens for the GraphQL API. The secret is printed once, at creation; "
        "the registry keeps only its SHA-256.",
    )
    actions = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create",
        help="issue a token and print its secret once",
        description="accountant: reads and writes the records of its villages (--village, at "
        "least one). auditor: reads everything of its villages (none: the whole registry), "
        "history, proofs and personal data in clear included. platform: reads the whole "
        "district, personal data masked. admin: reference data, policies and tokens.",
    )
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument(
        "--village",
        action="append",
        default=[],
        metavar="CODE",
        dest="villages",
        help="a 12-digit village code the token is limited to (repeat for more)",
    )
    create.add_argument(
        "--expires",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the first day the token no longer works (default: until revoked)",
    )
    create.add_argument(
        "--name", help="who holds it; recorded facts carry it as their actor (default: the role)"
    )
    create.set_defaults(run=run_create, creates_database=True)

    listing = actions.add_parser("list", help="list the tokens, newest first (never secrets)")
    listing.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    listing.set_defaults(run=run_list)

    revoke = actions.add_parser("revoke", help="revoke a token: it stops working at once")
    revoke.add_argument("token_id", metavar="ID", type=UUID, help="the token's id")
    revoke.add_argument("--reason", default="revoked with qianwan token revoke")
    revoke.set_defaults(run=run_revoke)


def cli_provenance() -> Provenance:
    return Provenance(f"cli:{getpass.getuser()}")


def run_create(registry: Registry, args: argparse.Namespace) -> int:
    issued = registry.access.issue_token(
        args.role, args.villages, args.name or args.role, cli_provenance(), args.expires
    )
    print(f"token {issued.token_id}")
    print(f"  role:     {issued.role}")
    print(f"  villages: {' '.join(issued.villages) or '(not limited)'}")
    print(f"  expires:  {issued.expires_on or 'never (until revoked)'}")
    print("secret (shown this once; send it as 'Authorization: Bearer <secret>'):")
    print(issued.secret)
    return EXIT_OK


def run_list(registry: Registry, args: argparse.Namespace) -> int:
    with registry.engine.connect() as conn:
        tokens = list_tokens(conn)
    if args.json:
        rows = [
            {
                "id": t.token_id,
                "role": t.role,
                "villages": list(t.villages),
                "name": t.name,
                "expires_on": t.expires_on and t.expires_on.isoformat(),
                "issued_at": t.issued_at.isoformat(),
                "revoked_at": t.revoked_at and t.revoked_at.isoformat(),
            }
            for t in tokens
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not tokens:
        print("no tokens; create one with: qianwan token create --role ROLE")
        return EXIT_OK
    for t in tokens:
        state = "revoked" if t.revoked_at else f"expires {t.expires_on or 'never'}"
        villages = " ".join(t.villages) or "-"
        print(f"{t.token_id}  {t.role:<10}  {state:<18}  {t.name}  villages: {villages}")
    return EXIT_OK


def run_revoke(registry: Registry, args: argparse.Namespace) -> int:
    registry.access.revoke_token(args.token_id, args.reason, cli_provenance())
    print(f"token {args.token_id} revoked")
    return EXIT_OK


# -- the demo's tokens ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoToken:
    role: str
    variable: str
    secret: str


def read_tokens_file(path: Path) -> dict[str, str]:
    """``VARIABLE=secret`` lines (the file is also a shell script to ``source``)."""
    if not path.exists():
        return {}
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and not name.startswith("#"):
            found[name] = value
    return found


def still_valid(registry: Registry, secret: str, role: str) -> bool:
    """Does the token still work, as authentication sees it (its events signed by a trusted
    key)? A demo token recorded before event signing does not: a new one is issued."""
    token = registry.tokens.token(token_hash(secret))
    return token is not None and token.role == role and not token.revoked


def ensure_demo_tokens(registry: Registry, path: Path = DEMO_TOKENS_FILE) -> list[DemoToken]:
    """The demo's admin and platform tokens: those of ``path`` while they still work, else
    new ones, written there (mode 0600). Never issues a token twice for the same file. The
    demo's web users and their passwords likewise (scripts/demo_users.py), in the same file."""
    known = read_tokens_file(path)
    tokens: list[DemoToken] = []
    for role, variable, name in DEMO_TOKENS:
        secret = known.get(variable, "")
        if not secret or not still_valid(registry, secret, role):
            secret = registry.access.issue_token(role, [], name, cli_provenance()).secret
        tokens.append(DemoToken(role, variable, secret))
    users = ensure_demo_users(registry, known, cli_provenance())
    written = [
        *((t.variable, t.secret) for t in tokens),
        *((u.variable, u.password) for u in users),
    ]
    if any(known.get(variable) != value for variable, value in written):
        write_tokens_file(path, tokens, users)
    return tokens


def write_tokens_file(path: Path, tokens: list[DemoToken], users: list[DemoUser]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# qianwan demo API tokens: send one as 'Authorization: Bearer <token>'.",
        "# And the demo web users' passwords (QIANWAN_DEMO_<USER>_PASSWORD).",
        "# For the demo only; anyone who can read this file can use them.",
        *(f"{t.variable}={t.secret}" for t in tokens),
        *(f"{u.variable}={u.password}" for u in users),
    ]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def print_demo_tokens(tokens: list[DemoToken], path: Path = DEMO_TOKENS_FILE) -> None:
    print(f"demo API tokens (also in {path}):")
    for t in tokens:
        print(f"  {t.role:<9} {t.secret}")
    known = read_tokens_file(path)
    users = [(spec, known.get(spec.variable)) for spec in DEMO_USERS]
    if any(password for _, password in users):
        print(f"demo users, username / password (also in {path}):")
    for spec, password in users:
        if password:
            print(f"  {spec.username} / {password}   ({spec.scope})")
