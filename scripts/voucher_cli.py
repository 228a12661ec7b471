"""``qianwan voucher record | review | reject | reverse | list`` and ``qianwan close month |
year | reopen``: journal vouchers and the closing of periods (docs/books.md). Thin: parse, call
the BooksApplication or read the books' read model, print. The person preparing or reviewing a
voucher is ``--by`` (default: the login name); a refusal is ``error: [code] message``, exit 2.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.books.inputs import VoucherLineInput
from domain.books.vocabulary import STATUSES
from domain.ledger.amount_words import amount_in_words
from domain.shared.values import Provenance, from_fen
from projections.books_queries import list_vouchers
from scripts.common import EXIT_OK, ArgumentsInvalid, iso_date

if TYPE_CHECKING:
    from qianwan.bootstrap import Registry

LINE_HELP = (
    "ACCOUNT:DEBIT:CREDIT[:COUNTERPARTY[:KIND[:REFERENCE]]], e.g. 513:120.00:0 or "
    "112:800:0:张三:person:HT-001 (repeat, one per line of the voucher)"
)
LINE_FIELDS = ("account", "debit", "credit", "counterparty", "counterparty_kind", "reference")
LINES_FILE_MAX_BYTES = 1_000_000


def cli_provenance() -> Provenance:
    return Provenance(f"cli:{getpass.getuser()}")


def add_voucher_commands(commands: Any) -> None:
    """Register ``qianwan voucher …`` and ``qianwan close …`` on the ``qianwan`` parser."""
    voucher = commands.add_parser(
        "voucher",
        help="record, review, reject, reverse and list journal vouchers (记账凭证)",
        description="Journal vouchers for what the programmes do not post: prepared by one "
        "person, posted when another reviews them, corrected only by a red reversal.",
    )
    actions = voucher.add_subparsers(dest="voucher_command", metavar="ACTION", required=True)

    record = actions.add_parser("record", help="prepare a voucher (制单)")
    record.add_argument("village", metavar="VILLAGE", help="12-digit village code")
    record.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD")
    record.add_argument("--summary", required=True, help="摘要, 1–200 characters")
    record.add_argument("--attachments", type=int, default=0, help="附件张数 (default 0)")
    record.add_argument("--line", action="append", default=[], dest="lines", help=LINE_HELP)
    record.add_argument(
        "--lines-file",
        type=Path,
        metavar="FILE",
        help="the lines as JSON (a list of objects) or CSV (a header row) with the columns "
        + ", ".join(LINE_FIELDS),
    )
    by_person(record, "who prepares it (制单)")
    record.set_defaults(run=run_record)

    review = actions.add_parser("review", help="review (审核) a voucher, which posts it")
    review.add_argument("voucher_id", metavar="ID", type=UUID)
    review.add_argument("--on", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    by_person(review, "who reviews it (审核): not its preparer")
    review.set_defaults(run=run_review)

    reject = actions.add_parser("reject", help="send a prepared voucher back, for good")
    reject.add_argument("voucher_id", metavar="ID", type=UUID)
    reject.add_argument("--reason", required=True)
    by_person(reject, "who rejects it: not its preparer")
    reject.set_defaults(run=run_reject)

    reverse = actions.add_parser("reverse", help="prepare the red reversal (红字冲销) of one")
    reverse.add_argument("voucher_id", metavar="ID", type=UUID)
    reverse.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    reverse.add_argument("--summary", help="摘要 (default: 冲销： and the original's)")
    by_person(reverse, "who prepares the reversal")
    reverse.set_defaults(run=run_reverse)

    listing = actions.add_parser("list", help="a village's vouchers by date")
    listing.add_argument("village", metavar="VILLAGE")
    listing.add_argument("--month", metavar="YYYY-MM")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    listing.set_defaults(run=run_list)

    close = commands.add_parser(
        "close",
        help="close a month or a year of a village's books (结账), or reopen the last month",
        description="Months close in order once ended; a year closes once January to November "
        "are (December with it). Reopening is the administrator's: this command runs with the "
        "database's own rights.",
    )
    periods = close.add_subparsers(dest="close_command", metavar="ACTION", required=True)
    month = periods.add_parser("month", help="close a month")
    month.add_argument("village", metavar="VILLAGE")
    month.add_argument("month", metavar="YYYY-MM")
    month.set_defaults(run=run_close_month)
    year = periods.add_parser("year", help="close a year (derives the closing vouchers)")
    year.add_argument("village", metavar="VILLAGE")
    year.add_argument("year", metavar="YYYY", type=int)
    year.set_defaults(run=run_close_year)
    reopen = periods.add_parser("reopen", help="reopen the last closed month (admin)")
    reopen.add_argument("village", metavar="VILLAGE")
    reopen.add_argument("month", metavar="YYYY-MM")
    reopen.add_argument("--reason", required=True)
    reopen.set_defaults(run=run_reopen)


def by_person(parser: argparse.ArgumentParser, meaning: str) -> None:
    parser.add_argument("--by", default=None, metavar="NAME", help=f"{meaning}; default: login")


def person(args: argparse.Namespace) -> str:
    return str(args.by or getpass.getuser())


# -- reading lines --------------------------------------------------------------------------------


def parse_line(text: str) -> VoucherLineInput:
    parts = text.split(":")
    if not 3 <= len(parts) <= 6:
        raise ArgumentsInvalid(f"--line {text!r}: expected {LINE_HELP.split(',', maxsplit=1)[0]}")
    parts += [""] * (6 - len(parts))
    return line_of(dict(zip(LINE_FIELDS, parts, strict=True)))


def line_of(row: dict[str, Any]) -> VoucherLineInput:
    def text(name: str) -> str | None:
        value = row.get(name)
        return None if value is None or str(value).strip() == "" else str(value).strip()

    return VoucherLineInput(
        account=text("account") or "",
        debit_yuan=text("debit") or "0",
        credit_yuan=text("credit") or "0",
        counterparty=text("counterparty"),
        counterparty_kind=text("counterparty_kind"),
        reference=text("reference"),
    )


def read_lines_file(path: Path) -> list[VoucherLineInput]:
    raw = path.read_bytes()
    if len(raw) > LINES_FILE_MAX_BYTES:
        raise ArgumentsInvalid(f"{path}: more than {LINES_FILE_MAX_BYTES} bytes")
    text = raw.decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as error:
            raise ArgumentsInvalid(f"{path}: not JSON ({error.msg})") from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ArgumentsInvalid(f"{path}: a JSON list of objects is needed")
        return [line_of(r) for r in rows]
    reader = csv.DictReader(io.StringIO(text))
    missing = {"account", "debit", "credit"} - set(reader.fieldnames or ())
    if missing:
        raise ArgumentsInvalid(f"{path}: the CSV header lacks {', '.join(sorted(missing))}")
    return [line_of(r) for r in reader]


# -- commands -------------------------------------------------------------------------------------


def run_record(registry: Registry, args: argparse.Namespace) -> int:
    lines = [parse_line(t) for t in args.lines]
    if args.lines_file is not None:
        lines += read_lines_file(args.lines_file)
    voucher_id = registry.books.record_voucher(
        args.village,
        args.date,
        args.summary,
        lines,
        args.attachments,
        person(args),
        cli_provenance(),
    )
    print(f"voucher {voucher_id} prepared; another person reviews it: qianwan voucher review")
    return EXIT_OK


def run_review(registry: Registry, args: argparse.Namespace) -> int:
    on = args.on or registry.clock.today()
    registry.books.review_voucher(args.voucher_id, person(args), on, cli_provenance())
    print(f"voucher {args.voucher_id} reviewed and posted")
    return EXIT_OK


def run_reject(registry: Registry, args: argparse.Namespace) -> int:
    registry.books.reject_voucher(args.voucher_id, person(args), args.reason, cli_provenance())
    print(f"voucher {args.voucher_id} rejected")
    return EXIT_OK


def run_reverse(registry: Registry, args: argparse.Namespace) -> int:
    books = registry.books
    summary = args.summary or f"冲销：{books.voucher(args.voucher_id).summary}"[:200]
    on = args.date or registry.clock.today()
    red = books.reverse_voucher(args.voucher_id, on, summary, person(args), cli_provenance())
    print(f"red voucher {red} prepared, reversing {args.voucher_id}; review it to post it")
    return EXIT_OK


def run_list(registry: Registry, args: argparse.Namespace) -> int:
    village = registry.places.village(args.village).code
    with registry.engine.connect() as conn:
        found = list_vouchers(conn, village, args.month, args.status)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    if not found:
        print(f"no vouchers for {village}")
        return EXIT_OK
    for v in found:
        number = v["voucher_no"] or "(未记账)"
        print(
            f"{number:<16} {v['voucher_date']} {v['status']:<8} {v['summary']}  {v['voucher_id']}"
        )
        for line in v["lines"]:
            amount = line["debit_fen"] or line["credit_fen"]
            side = "借" if line["debit_fen"] else "贷"
            who = f"  {line['counterparty']}" if line["counterparty"] else ""
            print(f"    {line['account_code']:<6} {side} {amount / 100:>16,.2f}{who}")
        total = from_fen(sum(line["debit_fen"] for line in v["lines"]))
        print(f"    合计（大写）：{amount_in_words(total)}")
    return EXIT_OK


def run_close_month(registry: Registry, args: argparse.Namespace) -> int:
    registry.books.close_period(args.village, args.month, cli_provenance())
    print(f"{args.month} of {args.village} closed; first open: {first_open(registry, args)}")
    return EXIT_OK


def run_close_year(registry: Registry, args: argparse.Namespace) -> int:
    registry.books.close_year(args.village, args.year, cli_provenance())
    print(f"{args.year} of {args.village} closed; first open: {first_open(registry, args)}")
    return EXIT_OK


def run_reopen(registry: Registry, args: argparse.Namespace) -> int:
    registry.books.reopen_period(args.village, args.month, args.reason, cli_provenance())
    print(f"{args.month} of {args.village} reopened; first open: {first_open(registry, args)}")
    return EXIT_OK


def first_open(registry: Registry, args: argparse.Namespace) -> str:
    return registry.books.first_open_month(args.village) or "every month"
