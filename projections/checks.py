"""Ledger-wide invariants as pure functions returning violations (beancount's validation,
TigerBeetle's guarantees), and the one place that reads the database to run them all.

1. every journal entry balances (debits = credits, to the fen);
2. the contra accounts (133, 152, 162: accumulated depreciation and amortisation) carry credit
   balances in every village's books;
3. nothing is posted to an account the chart in force on the entry's date lacks;
4. the projections match a fresh fold of the log (their digests, projections/replay.py);
5. no projection is halted at an event it cannot fold (projections/halting.py).
6. every event is one the domain rules would have recorded (domain/audit/rules.py): the model's
   own commands re-run, event by event, over the whole log.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from domain.audit.rules import RuleCheck
from domain.ledger.chart import chart_in_force, charts
from domain.policy.application import PolicyApplication
from domain.shared.errors import DateBeforeChartOfAccounts
from domain.shared.eventstore import EventStore
from projections.halting import Halt
from projections.ledger.tables import lines
from projections.projection import Projection
from projections.replay import projection_digests, replay

ENTRIES_BALANCE = "entries_balance"
CONTRA_ACCOUNTS_CREDIT = "contra_accounts_carry_credit_balances"
ACCOUNTS_IN_CHART = "accounts_in_chart"
PROJECTIONS_MATCH_LOG = "projections_match_log"
PROJECTIONS_FOLDING = "projections_folding"
DOMAIN_RULES = "domain_rules"
PROJECTION_FAILED = "projections_fold_the_log"  # a projection stopped at an event
EVENT_PAGE = 1000  # notifications per read while re-running the rules
BIDDING_THRESHOLD_KEY = "assets.public_bidding_threshold_yuan"
MAX_VIOLATIONS = 1000  # reported per check; the rest are counted, not listed


@dataclass(frozen=True)
class Violation:
    check: str
    subject: str  # an entry id, "village/account", or a projection name
    message: str


def check_entries_balance(totals: Iterable[tuple[str, int, int]]) -> tuple[Violation, ...]:
    """(entry id, debit fen, credit fen) of every entry (docs/rules.md B-01)."""
    return tuple(
        Violation(ENTRIES_BALANCE, entry_id, f"debits {debit} ≠ credits {credit} (fen)")
        for entry_id, debit, credit in totals
        if debit != credit
    )[:MAX_VIOLATIONS]


def contra_accounts() -> frozenset[str]:
    return frozenset(a.code for chart in charts() for a in chart.accounts if a.is_contra)


def check_contra_accounts(balances: Iterable[tuple[str, str, int]]) -> tuple[Violation, ...]:
    """(village, account, debit minus credit in fen) per village and account (docs/rules.md
    B-09)."""
    contra = contra_accounts()
    return tuple(
        Violation(
            CONTRA_ACCOUNTS_CREDIT,
            f"{village}/{account}",
            f"contra account {account} has a debit balance of {net} fen",
        )
        for village, account, net in balances
        if account in contra and net > 0
    )[:MAX_VIOLATIONS]


def check_accounts_in_chart(postings: Iterable[tuple[str, date, str]]) -> tuple[Violation, ...]:
    """(entry id, entry date, account) of every journal line (docs/rules.md B-02)."""
    found = []
    for entry_id, day, account in postings:
        try:
            chart = chart_in_force(day)
        except DateBeforeChartOfAccounts:
            found.append(Violation(ACCOUNTS_IN_CHART, entry_id, f"no chart is in force on {day}"))
            continue
        if not chart.has(account):
            found.append(
                Violation(
                    ACCOUNTS_IN_CHART,
                    entry_id,
                    f"account {account} is not in the {chart.version} chart in force on {day}",
                )
            )
    return tuple(found[:MAX_VIOLATIONS])


def check_projections_match(
    live: Mapping[str, str], fresh: Mapping[str, str]
) -> tuple[Violation, ...]:
    """Digests of the live projections against those of a fresh fold of the same log
    (docs/rules.md B-10)."""
    return tuple(
        Violation(
            PROJECTIONS_MATCH_LOG,
            name,
            f"live digest {live.get(name, '—')[:16]}… ≠ fresh fold {fresh.get(name, '—')[:16]}…",
        )
        for name in sorted(set(live) | set(fresh))
        if live.get(name) != fresh.get(name)
    )


def check_projections_folding(halted: Mapping[str, Halt]) -> tuple[Violation, ...]:
    """Every halted projection: behind the log from the event it cannot fold (docs/rules.md
    B-10)."""
    return tuple(
        Violation(
            PROJECTIONS_FOLDING,
            name,
            f"halted at notification {halt.notification_id}: {halt.error}",
        )
        for name, halt in sorted(halted.items())
    )


# -- running them --------------------------------------------------------------------------------


def ledger_violations(engine: Engine) -> tuple[Violation, ...]:
    """Checks 1–3, each from one aggregate query of the journal."""
    with engine.connect() as conn:
        totals = conn.execute(
            select(lines.c.entry_id, func.sum(lines.c.debit_fen), func.sum(lines.c.credit_fen))
            .group_by(lines.c.entry_id)
            .order_by(lines.c.entry_id)
        ).all()
        balances = conn.execute(
            select(
                lines.c.village_code,
                lines.c.account_code,
                func.sum(lines.c.debit_fen) - func.sum(lines.c.credit_fen),
            ).group_by(lines.c.village_code, lines.c.account_code)
        ).all()
        used = conn.execute(
            select(lines.c.entry_id, lines.c.entry_date, lines.c.account_code)
            .distinct()
            .order_by(lines.c.entry_id)
        ).all()
    return (
        check_entries_balance((e, int(d), int(c)) for e, d, c in totals)
        + check_contra_accounts((v, a, int(n)) for v, a, n in balances)
        + check_accounts_in_chart((e, d, a) for e, d, a in used)
    )


def fold_violations(
    store: EventStore, engine: Engine, projections: Sequence[Projection], until: int
) -> tuple[Violation, ...]:
    """Check 4: replay the log up to ``until`` (where the live projections stand) into a
    temporary SQLite file and compare the digests."""
    with tempfile.TemporaryDirectory(prefix="qianwan-check-") as directory:
        fresh = replay(store, projections, Path(directory) / "fold.sqlite3", until=until)
    return check_projections_match(projection_digests(engine, projections), fresh.digests)


def rule_violations(store: EventStore, policies: PolicyApplication) -> tuple[Violation, ...]:
    """Check 5: every event of the log replayed against the rules that record it."""

    def threshold(village: str, on: date) -> Decimal:
        return Decimal(policies.in_force(BIDDING_THRESHOLD_KEY, village, on).value)

    def load(aggregate_id: UUID, version: int) -> Any:
        return store.repository.get(aggregate_id, version=version)

    check = RuleCheck(store.decode, load, threshold)
    start = 1
    while True:
        page = store.recorder.select_notifications(start=start, limit=EVENT_PAGE)
        if not page:
            break
        check.feed(page)
        start = page[-1].id + 1
    found = tuple(
        Violation(
            DOMAIN_RULES,
            f"notification {f.notification_id} ({f.event_type})",
            f"[{f.code}] {f.message}",
        )
        for f in check.findings
    )
    if check.found > len(found):
        more = f"{check.found - len(found)} more events the rules refuse (not listed)"
        found += (Violation(DOMAIN_RULES, "more", more),)
    return found


def all_violations(
    store: EventStore,
    engine: Engine,
    projections: Sequence[Projection],
    until: int,
    policies: PolicyApplication,
) -> tuple[Violation, ...]:
    return (
        rule_violations(store, policies)
        + ledger_violations(engine)
        + fold_violations(store, engine, projections, until)
    )
