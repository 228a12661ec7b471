"""``qianwan disclosure`` (村务公开): draft, rebuild, review, publish, list, show, overdue and
verify a village's disclosures. Thin: parse, call the disclosure application or the read
model's queries, print; a refusal is one line, ``error: [code] message`` (scripts/cli.py)."""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import date
from typing import Any
from uuid import UUID

from domain.disclosure.errors import DisclosureNotFound
from domain.shared.values import Provenance, check_place_code
from projections.disclosure_findings import overdue_disclosures
from projections.disclosure_queries import disclosures_by_id, disclosures_of
from projections.disclosure_verify import verify
from qianwan.bootstrap import Registry, all_projections
from scripts.common import EXIT_FAILED, EXIT_OK, iso_date

FIGURE_SOURCES = ("places", "asset_register", "land", "meals", "books", "ledger")


def cli_provenance() -> Provenance:
    return Provenance(f"cli:{getpass.getuser()}")


def add_disclosure_commands(commands: Any) -> None:
    """Register ``disclosure`` and its actions on the ``qianwan`` parser's subparsers."""
    disclosure = commands.add_parser(
        "disclosure",
        help="a village's disclosures of its finances (村务公开)",
        description="Draft a disclosure of an ended month or quarter (its figures built from the "
        "read models), have the finance group review it, publish it; list, show, find the "
        "overdue ones, verify one against the sealed log (docs/disclosure.md).",
    )
    actions = disclosure.add_subparsers(dest="disclosure_command", metavar="ACTION", required=True)

    draft = actions.add_parser("draft", help="draft the disclosure of an ended period")
    draft.add_argument("village", metavar="VILLAGE")
    draft.add_argument("period", metavar="PERIOD", help="YYYY-MM or YYYY-Qn")
    draft.add_argument("--corrects", type=UUID, metavar="ID", help="the published one corrected")
    draft.add_argument("--reason", help="why it is corrected")
    draft.set_defaults(run=run_draft)

    rebuild = actions.add_parser("rebuild", help="build the figures again (before approval)")
    rebuild.add_argument("id", metavar="ID", type=UUID)
    rebuild.set_defaults(run=run_rebuild)

    review = actions.add_parser("review", help="record the finance group's review")
    review.add_argument("id", metavar="ID", type=UUID)
    review.add_argument("--held-on", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    review.add_argument(
        "--member", action="append", required=True, dest="members", help="3–5 times, one name each"
    )
    verdict = review.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approved", action="store_true", help="the group approves")
    verdict.add_argument("--rejected", action="store_true", help="the group does not")
    review.add_argument("--opinion")
    review.set_defaults(run=run_review)

    publish = actions.add_parser("publish", help="publish an approved disclosure")
    publish.add_argument("id", metavar="ID", type=UUID)
    publish.add_argument("--on", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    publish.set_defaults(run=run_publish)

    listing = actions.add_parser("list", help="a village's disclosures, newest first")
    listing.add_argument("village", metavar="VILLAGE")
    listing.add_argument("--published", action="store_true", help="published ones only")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list)

    show = actions.add_parser("show", help="one disclosure with its figures (JSON)")
    show.add_argument("id", metavar="ID", type=UUID)
    show.set_defaults(run=run_show)

    overdue = actions.add_parser("overdue", help="disclosures due and not published in time")
    overdue.add_argument("place", metavar="PLACE", help="a village, town or district code")
    overdue.add_argument("--as-on", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    overdue.add_argument("--json", action="store_true")
    overdue.set_defaults(run=run_overdue)

    check = actions.add_parser(
        "verify",
        help="replay the log to the disclosure's position and compare; check the seal's root",
    )
    check.add_argument("id", metavar="ID", type=UUID)
    check.set_defaults(run=run_verify)


def plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def row_of(registry: Registry, disclosure_id: UUID) -> dict[str, Any]:
    registry.runner.catch_up_for_reading()
    with registry.engine.connect() as conn:
        [found] = disclosures_by_id(conn, [str(disclosure_id)])
    if found is None:
        raise DisclosureNotFound(f"no disclosure {disclosure_id}", field="id")
    return found


def run_draft(registry: Registry, args: argparse.Namespace) -> int:
    made = registry.disclosure.draft(
        args.village, args.period, args.corrects, args.reason, cli_provenance()
    )
    print(f"disclosure {made} drafted; the finance group reviews it: qianwan disclosure review")
    return EXIT_OK


def run_rebuild(registry: Registry, args: argparse.Namespace) -> int:
    registry.disclosure.rebuild(args.id, cli_provenance())
    print(f"disclosure {args.id} rebuilt; it needs a new review")
    return EXIT_OK


def run_review(registry: Registry, args: argparse.Namespace) -> int:
    held_on = args.held_on or registry.clock.today()
    registry.disclosure.review(
        args.id, held_on, args.members, bool(args.approved), args.opinion, cli_provenance()
    )
    print(f"disclosure {args.id} {'approved' if args.approved else 'not approved'}")
    return EXIT_OK


def run_publish(registry: Registry, args: argparse.Namespace) -> int:
    registry.disclosure.publish(args.id, args.on or registry.clock.today(), cli_provenance())
    print(f"disclosure {args.id} published")
    return EXIT_OK


def run_list(registry: Registry, args: argparse.Namespace) -> int:
    registry.runner.catch_up_for_reading()
    code = registry.places.village(args.village).code
    with registry.engine.connect() as conn:
        rows = disclosures_of(conn, code, published_only=args.published)
    columns = ("id", "period", "edition", "state", "published_on")
    if args.json:
        print(json.dumps([{c: r[c] for c in columns} for r in rows], default=plain))
        return EXIT_OK
    print("\t".join(columns))
    for r in rows:
        print("\t".join("" if r[c] is None else plain(r[c]) for c in columns))
    return EXIT_OK


def run_show(registry: Registry, args: argparse.Namespace) -> int:
    row = row_of(registry, args.id)
    print(json.dumps(row, default=plain, ensure_ascii=False, indent=2))
    return EXIT_OK


def run_overdue(registry: Registry, args: argparse.Namespace) -> int:
    place = check_place_code(args.place)
    registry.runner.catch_up_for_reading()
    as_on = args.as_on or registry.clock.today()
    with registry.engine.connect() as conn:
        found = overdue_disclosures(conn, place, as_on)
    if args.json:
        print(json.dumps([vars(f) for f in found], default=plain, ensure_ascii=False))
        return EXIT_OK
    print("village\tperiod\tdue_on\tpublished_on\tdays_late")
    for f in found:
        published = f.published_on.isoformat() if f.published_on else ""
        print(f"{f.village_code}\t{f.period}\t{f.due_on}\t{published}\t{f.days_late}")
    return EXIT_OK


def run_verify(registry: Registry, args: argparse.Namespace) -> int:
    row = row_of(registry, args.id)
    sources = [p for p in all_projections(registry.authenticity) if p.name in FIGURE_SOURCES]
    result = verify(registry.store, registry.engine, sources, row)
    root = "matches" if result.root_matches else "DOES NOT match"
    print(
        f"disclosure {result.disclosure_id}: replayed the log to notification "
        f"{result.replayed_to} (recorded position {result.seal_position}); the seal's root at "
        f"size {result.seal_size} {root} the recorded one"
    )
    for path, recorded, replayed in result.differences:
        print(f"differs: {path}: recorded {recorded!r}, replayed {replayed!r}")
    print("ok" if result.ok else "FAILED")
    return EXIT_OK if result.ok else EXIT_FAILED
