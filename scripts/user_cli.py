"""``qianwan user create | list | disable | enable | reset-password``: the people who sign in to
the workbench with a password (docs/rules.md W-). Thin: parse, call the UsersApplication, print.

A password is read from the terminal (typed twice, never echoed) or, with ``--password-stdin``,
as the first line of standard input; the registry keeps only its argon2id hash.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

from domain.access.errors import PasswordMismatch
from domain.access.roles import ROLES
from projections.users import list_users
from scripts.common import EXIT_OK
from scripts.token_cli import cli_provenance

if TYPE_CHECKING:
    from qianwan.bootstrap import Registry


def add_user_commands(commands: Any) -> None:
    """Register ``qianwan user …`` on the ``qianwan`` parser's subparsers."""
    user = commands.add_parser(
        "user",
        help="create, list, disable and enable web users; reset their passwords",
        description="The people who sign in to the workbench with a username and password. "
        "A user has a role and villages as an API token has.",
    )
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    create = actions.add_parser("create", help="create a user (the password is asked twice)")
    create.add_argument("--username", required=True, help="3–32 of a-z 0-9 _ . -, a letter first")
    create.add_argument("--name", required=True, help="the display name (显示名), at most 50")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument(
        "--village",
        action="append",
        default=[],
        metavar="CODE",
        dest="villages",
        help="a 12-digit village code the user is limited to (repeat for more)",
    )
    add_password_stdin(create)
    create.set_defaults(run=run_create)

    listing = actions.add_parser("list", help="list the users by username (never passwords)")
    listing.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    listing.set_defaults(run=run_list)

    disable = actions.add_parser("disable", help="disable a user: its sessions end at once")
    disable.add_argument("username", metavar="USERNAME")
    disable.add_argument("--reason", required=True, help="why, for the record")
    disable.set_defaults(run=run_disable)

    enable = actions.add_parser("enable", help="enable a disabled user again")
    enable.add_argument("username", metavar="USERNAME")
    enable.set_defaults(run=run_enable)

    reset = actions.add_parser(
        "reset-password", help="set a new password: the user's sessions end at once"
    )
    reset.add_argument("username", metavar="USERNAME")
    add_password_stdin(reset)
    reset.set_defaults(run=run_reset_password)


def add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input instead of asking",
    )


def read_password(args: argparse.Namespace) -> str:
    """The password: the first line of standard input, or typed twice at the terminal."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password (密码): ")
    second = getpass.getpass("again (再次输入): ")
    if first != second:
        raise PasswordMismatch("the two passwords differ (两次输入的密码不一致)", field="password")
    return first


def run_create(registry: Registry, args: argparse.Namespace) -> int:
    # refused before the password is asked for, when anything else is wrong
    registry.users.check_new_user(args.username, args.name, args.role, args.villages)
    password = read_password(args)
    registry.users.create_user(
        args.username, args.name, password, args.role, args.villages, cli_provenance()
    )
    user = registry.users.user(args.username)
    print(f"user {user.username} ({user.display_name}) created")
    print(f"  role:     {user.role}")
    print(f"  villages: {' '.join(user.villages) or '(not limited)'}")
    return EXIT_OK


def run_list(registry: Registry, args: argparse.Namespace) -> int:
    with registry.engine.connect() as conn:
        users = list_users(conn)
    if args.json:
        rows = [
            {
                "username": u.username,
                "name": u.display_name,
                "role": u.role,
                "villages": list(u.villages),
                "disabled": u.disabled,
                "created_at": u.created_at.isoformat(),
                "last_sign_in_at": u.last_sign_in_at and u.last_sign_in_at.isoformat(),
                "consecutive_failures": u.consecutive_failures,
            }
            for u in users
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not users:
        print("no users; create one with: qianwan user create --username U --name 名 --role R")
        return EXIT_OK
    for u in users:
        state = "disabled" if u.disabled else "active"
        villages = " ".join(u.villages) or "-"
        print(f"{u.username:<16} {u.role:<10} {state:<8}  {u.display_name}  villages: {villages}")
    return EXIT_OK


def run_disable(registry: Registry, args: argparse.Namespace) -> int:
    registry.users.disable_user(args.username, args.reason, cli_provenance())
    print(f"user {args.username} disabled")
    return EXIT_OK


def run_enable(registry: Registry, args: argparse.Namespace) -> int:
    registry.users.enable_user(args.username, cli_provenance())
    print(f"user {args.username} enabled")
    return EXIT_OK


def run_reset_password(registry: Registry, args: argparse.Namespace) -> int:
    registry.users.user(args.username)  # an unknown user is refused before the password is asked
    registry.users.reset_password(args.username, read_password(args), cli_provenance())
    print(f"password of {args.username} reset; its sessions have ended")
    return EXIT_OK
