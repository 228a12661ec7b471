"""The ``qianwan`` commands that read the record: ``trial-balance`` (a village's 试算平衡表,
as a table or CSV for Excel) and ``history`` (an aggregate's events, or its state at a version
or a time). Thin: parse, call the projection queries or the log, print."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.assets.model import Asset
from domain.audit.errors import AggregateNotFound
from domain.reference.model import District, Town, Village
from domain.shared.history import history, state_at, to_json_value
from projections.ledger.queries import TrialBalance, trial_balance, vouchers_posted
from qianwan.bootstrap import Registry
from scripts.common import EXIT_FAILED, EXIT_OK, iso_date, iso_time, stored_int

TRIAL_BALANCE_UNBALANCED = "trial_balance_unbalanced"  # a failed check: exit 1
HISTORY_HELP = (
    "an aggregate's UUID; or a place code (6 digits: district, 9: town, 12: village); "
    "or VILLAGE_CODE/ASSET_CODE for an asset, e.g. 320117107206/NF-01"
)
TB_HEADER = ("科目编码", "科目名称", "借方余额", "贷方余额")


def add_books_commands(commands: Any) -> None:
    """Register ``trial-balance`` and ``history`` on the ``qianwan`` parser's subparsers."""
    tb = commands.add_parser(
        "trial-balance",
        help="print a village's trial balance (试算平衡表)",
        description="Balances of every account the village has used, as of a date.",
    )
    tb.add_argument("village", metavar="VILLAGE", help="12-digit village code")
    tb.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="balances at the end of this day (default: today in the registry's time zone)",
    )
    tb.add_argument(
        "--known-at",
        type=iso_time,
        default=None,
        metavar="TIME",
        help="the books as they stood at this recorded time, before later corrections "
        "(ISO 8601; without an offset such as +08:00 or Z, in the registry's time zone, "
        "QIANWAN_TIME_ZONE, Asia/Shanghai by default)",
    )
    tb.add_argument(
        "--csv", action="store_true", help="CSV for Excel (UTF-8 with BOM) instead of a table"
    )
    tb.set_defaults(run=run_trial_balance)

    hist = commands.add_parser(
        "history",
        help="print every event of one aggregate, oldest first",
        description="Every event of an aggregate in order: version, type, recorded time, "
        "actor, authority and payload.",
    )
    hist.add_argument("aggregate", metavar="AGGREGATE_ID", type=aggregate_id, help=HISTORY_HELP)
    hist.add_argument("--json", action="store_true", help="a JSON array instead of text")
    when = hist.add_mutually_exclusive_group()
    when.add_argument(
        "--at-version",
        type=stored_int,
        metavar="N",
        help="print the aggregate's state at version N",
    )
    when.add_argument(
        "--at",
        type=iso_time,
        metavar="TIME",
        help="print the aggregate's state as recorded at TIME (ISO 8601; without an offset, "
        "in the registry's time zone)",
    )
    hist.set_defaults(run=run_history)


# -- argument types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AggregateRef:
    """An aggregate as the command line named it: its id, and the words it was asked for by."""

    id: UUID
    label: str  # e.g. "asset 320117107206/NF-01", "village 320117107206"


PLACE_KINDS: dict[int, tuple[str, Callable[[str], UUID]]] = {
    6: ("district", District.create_id),
    9: ("town", Town.create_id),
    12: ("village", Village.create_id),
}


def aggregate_id(text: str) -> AggregateRef:
    text = text.strip()
    if "/" in text:
        village, asset_code = text.split("/", 1)
        if re.fullmatch(r"\d{12}", village) and asset_code:
            return AggregateRef(Asset.create_id(village, asset_code), f"asset {text}")
    if text.isdigit() and len(text) in PLACE_KINDS:
        kind, create_id = PLACE_KINDS[len(text)]
        return AggregateRef(create_id(text), f"{kind} {text}")
    try:
        return AggregateRef(UUID(text), f"aggregate {UUID(text)}")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected {HISTORY_HELP}") from None


# -- commands -------------------------------------------------------------------------------------


def run_trial_balance(registry: Registry, args: argparse.Namespace) -> int:
    village = registry.places.village(args.village)
    behind = registry.runner.catch_up_for_reading()
    if behind is not None:
        low, last = registry.runner.active_low(), registry.store.last_notification_id()
        print(
            f"note: the books below stand at event {low} of {last}: the read models could not "
            f"catch up ({behind})",
            file=sys.stderr,
        )
    with registry.engine.connect() as conn:
        day = args.as_of or registry.clock.today()
        tb = trial_balance(conn, village.code, day, args.known_at)
    if args.csv:
        sys.stdout.write(trial_balance_csv(tb))
    else:
        title = f"{village.name}（{village.code}）{village.collective_name}"
        known = f"  记录截至 {tb.known_at.isoformat()}" if tb.known_at else ""
        print(f"{title}\n试算平衡表  截至 {tb.as_of}  科目表 {tb.chart_version}{known}\n")
        print(trial_balance_table(tb))
    if tb.total_debit != tb.total_credit:
        print(
            f"error: [{TRIAL_BALANCE_UNBALANCED}] 借贷不平衡 (debits and credits differ)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def run_history(registry: Registry, args: argparse.Namespace) -> int:
    if args.at_version is not None or args.at is not None:
        return run_state(registry, args)
    events = history(registry.store, args.aggregate.id)
    if not events:
        raise AggregateNotFound(f"no events for {args.aggregate.label}", field="aggregate_id")
    if args.json:
        rows = [to_json_value(asdict(e)) for e in events]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    with registry.engine.connect() as conn:
        posted = vouchers_posted(conn, str(args.aggregate.id))
    print(f"aggregate {args.aggregate.id}: {len(events)} events")
    for e in events:
        print(f"\nv{e.version}  {e.event_type}  recorded {e.recorded_at.isoformat()}")
        print(f"    actor: {e.actor}    authority: {e.authority or '—'}")
        print(f"    {json.dumps(e.payload, ensure_ascii=False, sort_keys=True)}")
        if e.version in posted:
            numbers = ", ".join(f"{number} ({day})" for number, day in posted[e.version])
            print(f"    记账凭证: {numbers}")
    return EXIT_OK


def run_state(registry: Registry, args: argparse.Namespace) -> int:
    try:
        found = state_at(registry.store, args.aggregate.id, args.at_version, args.at)
    except AggregateNotFound:
        raise AggregateNotFound(
            f"no events for {args.aggregate.label}", field="aggregate_id"
        ) from None
    if args.json:
        print(json.dumps(to_json_value(asdict(found)), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(
        f"{found.aggregate_type} {found.aggregate_id} at version {found.version} "
        f"(recorded {found.recorded_at.isoformat()})"
    )
    print(json.dumps(found.state, ensure_ascii=False, indent=2, sort_keys=True))
    return EXIT_OK


# -- output ---------------------------------------------------------------------------------------


def trial_balance_rows(tb: TrialBalance, money: Callable[[Decimal], str]) -> list[list[str]]:
    rows = [
        [line.account_code, line.account_name, money(line.debit), money(line.credit)]
        for line in tb.lines
    ]
    rows.append(["", "合计", money(tb.total_debit), money(tb.total_credit)])
    return rows


def trial_balance_csv(tb: TrialBalance) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TB_HEADER)
    writer.writerows(trial_balance_rows(tb, lambda amount: f"{amount:.2f}"))
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read the Chinese as UTF-8


def trial_balance_table(tb: TrialBalance) -> str:
    rows = [list(TB_HEADER), *trial_balance_rows(tb, lambda a: f"{a:,.2f}" if a else "")]
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(TB_HEADER))]
    lines = []
    for n, row in enumerate(rows):
        if n == len(rows) - 1:
            lines.append("  ".join("-" * w for w in widths))
        cells = [pad(cell, widths[i], right=i >= 2) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * (width - display_width(text))
    return space + text if right else text + space
