"""``qianwan settle PLACE MONTH``: draft (or redraft) the month's settlement of every meal point
of a village, town or district in one command (domain/meals/settling_bulk.py). Thin: parse,
call the meals application, print one line per meal point; a refusal of the whole command is
one line, ``error: [code] message`` (scripts/cli.py), and records nothing."""

from __future__ import annotations

import argparse
import getpass
import json
from collections import Counter
from typing import Any

from domain.meals.settling_bulk import REFUSED, DraftOutcome
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry
from scripts.common import EXIT_OK, iso_date


def add_settle_commands(commands: Any) -> None:
    """Register ``settle`` on the ``qianwan`` parser's subparsers."""
    settle = commands.add_parser(
        "settle",
        help="draft a month's meal settlements of a village, town or district at once",
        description="Draft (or, while drafted or returned, redraft) the month's settlement of "
        "every meal point of the place, each claim as drafting it alone would make it; one "
        "line per meal point: drafted, redrafted, unchanged (drafted before with the same "
        "claim) or refused with its code (nothing recorded for it). Safe to repeat.",
    )
    settle.add_argument("place", metavar="PLACE", help="a district, town or village code")
    settle.add_argument("month", metavar="MONTH", help="YYYY-MM, a month that has ended")
    settle.add_argument("--on", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    settle.add_argument("--authority", help="the document the drafts rest on")
    settle.add_argument("--json", action="store_true", help="the outcomes as JSON")
    settle.set_defaults(run=run_settle)


def run_settle(registry: Registry, args: argparse.Namespace) -> int:
    by = Provenance(f"cli:{getpass.getuser()}", args.authority)
    on = args.on or registry.clock.today()
    outcomes = registry.meals.draft_settlements(args.place, args.month, on, by)
    if args.json:
        print(json.dumps([row(o) for o in outcomes], ensure_ascii=False, indent=2))
        return EXIT_OK
    for o in outcomes:
        if o.status == REFUSED:
            print(f"{o.status:10} {o.meal_point_id}  [{o.code}] {o.message}")
        else:
            what = f"{o.meals} meals, {o.clawbacks} clawbacks"
            print(f"{o.status:10} {o.meal_point_id}  settlement {o.settlement_id}  {what}")
    counts = Counter(o.status for o in outcomes)
    print(", ".join(f"{n} {status}" for status, n in counts.items()))
    return EXIT_OK


def row(o: DraftOutcome) -> dict[str, Any]:
    return {
        "meal_point_id": str(o.meal_point_id),
        "settlement_id": str(o.settlement_id),
        "status": o.status,
        "code": o.code,
        "message": o.message,
        "meals": o.meals,
        "clawbacks": o.clawbacks,
    }
