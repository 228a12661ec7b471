"""Ledger-wide invariants as pure functions returning violations (beancount's validation,
TigerBeetle's guarantees), and the one place that reads the database to run them all.

1. every journal entry balances (debits = credits, to the fen);
2. the contra accounts (133, 152, 162: accumulated depreciation and amortisation) carry credit
   balances in every village's books;
3. nothing is posted to an account the chart in force on the entry's date lacks;
4. the projections match a fresh fold of the log (their digests, projections/replay.py);
5. no projection is halted at an event it cannot fold (projections/halting.py).
6. every event is one the domain rules would have recorded (domain/audit/rules.py): the model's
   own commands re-run, event by event, over the whole log;
7. voucher numbers run 1…n per village and month without gaps, n being the counter;
8. the monthly balances are the sums of the journal lines;
9. in a closed year every profit-and-loss account and 321 本年收益 has moved by zero;
10. every balance sheet balances and 本年收益 matches 321 (projections/ledger/statements/checks.py).
"""

from __future__ import annotations

import tempfile
from collections import Counter
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
from projections.ledger.closing import CURRENT_YEAR_PROFIT, profit_and_loss_accounts
from projections.ledger.journal import VOUCHER_WORD
from projections.ledger.statements.checks import statement_findings
from projections.ledger.tables import balances as ledger_balances
from projections.ledger.tables import entries, lines, voucher_counters, years
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
VOUCHER_NUMBERS = "voucher_numbers_without_gaps"
BALANCES_MATCH_LINES = "balances_match_lines"
PROFIT_AND_LOSS_CLOSED = "profit_and_loss_closed"
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


def check_voucher_numbers(
    numbers: Iterable[tuple[str, str, str]], counters: Mapping[tuple[str, str], int]
) -> tuple[Violation, ...]:
    """(village, month of the entry date, voucher no) of every entry, and the last number given
    per (village, month): each village's numbers of a month are exactly 1…last (docs/rules.md
    B-12)."""
    found: dict[tuple[str, str], list[str]] = {}
    for village, month, number in numbers:
        found.setdefault((village, month), []).append(number)
    violations = []
    for key in sorted(set(found) | set(counters)):
        village, month = key
        given = sorted(found.get(key, []))
        last = counters.get(key, 0)
        expected = [f"{VOUCHER_WORD}-{month}-{n:04d}" for n in range(1, last + 1)]
        if given != expected:
            repeated = sorted(n for n, times in Counter(given).items() if times > 1)
            unexpected = sorted(set(given) - set(expected))
            missing = sorted(set(expected) - set(given))
            violations.append(
                Violation(
                    VOUCHER_NUMBERS,
                    f"{village}/{month}",
                    f"{len(given)} vouchers, counter {last}; missing {missing[:3]}, "
                    f"unexpected {unexpected[:3]}, repeated {repeated[:3]}",
                )
            )
    return tuple(violations[:MAX_VIOLATIONS])


def check_balances_match_lines(
    kept: Mapping[tuple[str, str, str], tuple[int, int]],
    summed: Mapping[tuple[str, str, str], tuple[int, int]],
) -> tuple[Violation, ...]:
    """(village, account, month) → (debit, credit) fen as ledger_balances keeps it and as the
    lines sum to (docs/rules.md B-13)."""
    return tuple(
        Violation(
            BALANCES_MATCH_LINES,
            "/".join(key),
            f"kept {kept.get(key, (0, 0))} ≠ lines {summed.get(key, (0, 0))} (debit, credit fen)",
        )
        for key in sorted(set(kept) | set(summed))
        if kept.get(key, (0, 0)) != summed.get(key, (0, 0))
    )[:MAX_VIOLATIONS]


def check_closed_years(
    closed: Iterable[tuple[str, int]], movements: Mapping[tuple[str, int, str], int]
) -> tuple[Violation, ...]:
    """(village, year) of every closed year, and (village, year, account) → the year's movement,
    debit minus credit fen: every profit-and-loss account and 321 is zero (docs/rules.md
    B-15)."""
    violations = []
    for village, year in sorted(closed):
        accounts = profit_and_loss_accounts(year) | {CURRENT_YEAR_PROFIT}
        for account in sorted(accounts):
            net = movements.get((village, year, account), 0)
            if net:
                violations.append(
                    Violation(
                        PROFIT_AND_LOSS_CLOSED,
                        f"{village}/{year}/{account}",
                        f"{account} moved by {net} fen in the closed year {year}",
                    )
                )
    return tuple(violations[:MAX_VIOLATIONS])


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
        + book_violations(engine)
    )


def book_violations(engine: Engine) -> tuple[Violation, ...]:
    """Checks 7–9: voucher numbers, monthly balances, closed years."""
    with engine.connect() as conn:
        numbers = [
            (v, f"{d:%Y-%m}", n)
            for v, d, n in conn.execute(
                select(entries.c.village_code, entries.c.entry_date, entries.c.voucher_no)
            )
        ]
        counters = {
            (v, m): int(n)
            for v, m, n in conn.execute(
                select(
                    voucher_counters.c.village_code,
                    voucher_counters.c.month,
                    voucher_counters.c.last_no,
                )
            )
        }
        kept = {
            (v, a, m): (int(d), int(c))
            for v, a, m, d, c in conn.execute(
                select(
                    ledger_balances.c.village_code,
                    ledger_balances.c.account_code,
                    ledger_balances.c.month,
                    ledger_balances.c.debit_fen,
                    ledger_balances.c.credit_fen,
                )
            )
        }
        summed: dict[tuple[str, str, str], tuple[int, int]] = {}
        for v, a, day, d, c in conn.execute(
            select(
                lines.c.village_code,
                lines.c.account_code,
                lines.c.entry_date,
                func.sum(lines.c.debit_fen),
                func.sum(lines.c.credit_fen),
            ).group_by(lines.c.village_code, lines.c.account_code, lines.c.entry_date)
        ):
            key = (v, a, f"{day:%Y-%m}")
            before = summed.get(key, (0, 0))
            summed[key] = (before[0] + int(d), before[1] + int(c))
        closed = [
            (v, int(y))
            for v, y in conn.execute(
                select(years.c.village_code, years.c.year).where(years.c.closed.is_(True))
            )
        ]
    movements: dict[tuple[str, int, str], int] = {}
    for (village, account, month), (debit, credit) in kept.items():
        key = (village, int(month[:4]), account)
        movements[key] = movements.get(key, 0) + debit - credit
    return (
        check_voucher_numbers(numbers, counters)
        + check_balances_match_lines(kept, summed)
        + check_closed_years(closed, movements)
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
        + tuple(Violation(f.check, f.subject, f.message) for f in statement_findings(engine))
        + fold_violations(store, engine, projections, until)
    )
