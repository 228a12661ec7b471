"""The posting table: which accounts each money-moving event debits and credits.

Pure functions from events to balanced journal-entry drafts; docs/postings.md explains each line
and docs/rules.md ("The books", B-01…B-11) the rules behind them. Amounts are whole fen (int)
here, so every split is exact and every entry balances to the fen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from domain.ledger.accounts import (
    BANK,
    CASH_ACCOUNT_BY_CHANNEL,
    FIXED_ASSET_DISPOSAL,
    INVESTMENT_INCOME,
    OPERATING_INCOME,
    OTHER_EXPENSES,
    OTHER_INCOME,
    PAYABLES,
    RECEIVABLES,
    RESERVE_FUND,
)
from domain.ledger.spread import Spread
from domain.shared.values import AccountCode, to_fen

# Income from a revitalized asset, by the contract's mode (docs/rules.md B-04): rent and a
# canteen run by the collective are operating income; a return on an asset contributed as
# equity or to a cooperation is investment income.
INCOME_ACCOUNT_BY_MODE: dict[str, AccountCode] = {
    "lease": OPERATING_INCOME,
    "self_operation": OPERATING_INCOME,
    "equity": INVESTMENT_INCOME,
    "cooperation": INVESTMENT_INCOME,
}


@dataclass(frozen=True)
class Line:
    """One line of an entry; counterparty, its kind and reference: the sub-ledger (辅助核算)
    the projection tags it with (projections/ledger/subledgers.py)."""

    account: str
    debit_fen: int
    credit_fen: int
    counterparty: str | None = None
    counterparty_kind: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class EntryDraft:
    """A journal entry as a posting drafts it: it balances to the fen when built (docs/rules.md
    B-01)."""

    entry_date: date
    description: str
    lines: tuple[Line, ...]
    red: bool = False  # a red reversal (红字冲销): the amounts it reverses, negated

    def __post_init__(self) -> None:
        debit = sum(line.debit_fen for line in self.lines)
        credit = sum(line.credit_fen for line in self.lines)
        assert debit == credit, f"unbalanced entry {self.description}: {debit} ≠ {credit}"
        assert self.red or all(line.debit_fen >= 0 and line.credit_fen >= 0 for line in self.lines)


def dr(account: str, fen: int) -> Line:
    return Line(account, fen, 0)


def cr(account: str, fen: int) -> Line:
    return Line(account, 0, fen)


def entry(day: date, description: str, *lines: Line) -> EntryDraft:
    kept = tuple(line for line in lines if line.debit_fen or line.credit_fen)
    return EntryDraft(day, description, kept)


def posted(draft: EntryDraft) -> list[EntryDraft]:
    """The entry, unless it has no line left (every amount zero): then nothing is posted."""
    return [draft] if draft.lines else []


# A posting: the entries one event drafts, from the event alone.
Posting = Callable[[Any], list[EntryDraft]]


# -- the postings -----------------------------------------------------------------------------


def registration(e: Any) -> list[EntryDraft]:
    """A book value brought onto the books when the asset is registered (清产核资入账;
    docs/rules.md B-05)."""
    fen = to_fen(e.book_value_yuan)
    if fen == 0 or e.book_account is None:
        return []
    return [
        entry(
            e.registered_on,
            f"资产登记入账 {e.asset_code} {e.name}",
            dr(e.book_account, fen),
            cr(RESERVE_FUND, fen),
        )
    ]


def recognition_day(year: int, issued_on: date) -> date:
    """When rent covering ``year`` becomes income: on issue, or on 1 January of a later year."""
    return issued_on if year <= issued_on.year else date(year, 1, 1)


def rent_invoiced(e: Any) -> list[EntryDraft]:
    """Rent billed: the receivable in full; income for the years up to the invoice's year now,
    for each later year on 1 January of that year (a lump sum is income of the years it covers:
    docs/rules.md B-04)."""
    return invoice_entries(
        e.invoice_no, e.mode, to_fen(e.amount_yuan), e.issued_on, e.covers_from, e.covers_to
    )


def invoice_entries(
    invoice_no: str,
    mode: str,
    amount_fen: int,
    issued_on: date,
    covers_from: date,
    covers_to: date,
    label: str = "",
) -> list[EntryDraft]:
    """The entries of an invoice of ``amount_fen`` (see ``rent_invoiced``)."""
    income = INCOME_ACCOUNT_BY_MODE[mode]
    spread = Spread(amount_fen, covers_from, covers_to)
    years = spread.by_year()
    now = sum(fen for year, fen in years.items() if year <= issued_on.year)
    later = {year: fen for year, fen in years.items() if year > issued_on.year and fen}
    drafts = [
        entry(
            issued_on,
            f"{label}开具租金/收益通知 {invoice_no}（{covers_from}至{covers_to}）",
            dr(RECEIVABLES, spread.amount_fen),
            cr(income, now),
            cr(PAYABLES, sum(later.values())),
        )
    ]
    drafts += [
        entry(
            date(year, 1, 1),
            f"{label}预收租金结转本年收入 {invoice_no}（{year}年）",
            dr(PAYABLES, fen),
            cr(income, fen),
        )
        for year, fen in later.items()
    ]
    return drafts


def reversal(draft: EntryDraft, label: str) -> EntryDraft:
    """The same entry with debit and credit exchanged, on the same day: it cancels ``draft``."""
    lines = tuple(
        replace(line, debit_fen=line.credit_fen, credit_fen=line.debit_fen) for line in draft.lines
    )
    return EntryDraft(draft.entry_date, f"{label}{draft.description}", lines)


def invoice_corrected(e: Any) -> list[EntryDraft]:
    """A corrected invoice: the original entries reversed line by line on their own dates, then
    the entries of the corrected amount, split the same way. Both stay in the journal; nothing
    posted before is edited. Dated as the facts they correct, so the books as of any date show
    the corrected figures, and the books as known before the correction (``known_at``) still
    show what they showed then (docs/rules.md B-08)."""
    dates = (e.issued_on, e.covers_from, e.covers_to)
    original = invoice_entries(e.invoice_no, e.mode, to_fen(e.previous_amount_yuan), *dates)
    reason = f"（{e.reason_code}）"
    corrected = invoice_entries(
        e.invoice_no, e.mode, to_fen(e.corrected_amount_yuan), *dates, label="更正："
    )
    return [reversal(d, f"冲销{reason}：") for d in original] + corrected


def receipt_reversed(e: Any) -> list[EntryDraft]:
    """A receipt reversed: Dr RECEIVABLES / Cr the channel's cash account, on the day it was
    recorded as received."""
    fen = to_fen(e.amount_yuan)
    return [
        entry(
            e.received_on,
            f"冲销收款（{e.reason_code}） {e.receipt_no}（发票 {e.invoice_no}）",
            dr(RECEIVABLES, fen),
            cr(CASH_ACCOUNT_BY_CHANNEL[e.channel], fen),
        )
    ]


def rent_received(e: Any) -> list[EntryDraft]:
    fen = to_fen(e.amount_yuan)
    return [
        entry(
            e.received_on,
            f"收到租金/收益 {e.receipt_no}（发票 {e.invoice_no}）",
            dr(CASH_ACCOUNT_BY_CHANNEL[e.channel], fen),
            cr(RECEIVABLES, fen),
        )
    ]


@dataclass(frozen=True)
class InvoiceFacts:
    """What the ledger keeps of an invoice to undo income a termination makes unearned."""

    invoice_no: str
    amount_fen: int
    issued_on: date
    covers_from: date
    covers_to: date
    income_account: str


def contract_terminated(
    terminated_on: date,
    invoices: list[InvoiceFacts],
    cancelled_fen: Mapping[str, int] | None = None,
) -> list[EntryDraft]:
    """Income recognized for days after the last day of the contract is reversed into PAYABLES
    (docs/rules.md B-04): on the termination day for years up to it, and on each later 1 January
    against that year's recognition. Of that unearned rent, what was never received is no longer
    owed: ``cancelled_fen`` (per invoice, decided by the aggregate) clears it from RECEIVABLES
    against PAYABLES, so PAYABLES keeps only rent received in advance that is owed back."""
    drafts: list[EntryDraft] = []
    after = terminated_on + timedelta(days=1)
    for inv in invoices:
        if inv.covers_to <= terminated_on:
            continue
        unearned = Spread(inv.amount_fen, inv.covers_from, inv.covers_to).by_year(after)
        for year, fen in unearned.items():
            if not fen:
                continue
            day = max(terminated_on, recognition_day(year, inv.issued_on))
            drafts.append(
                entry(
                    day,
                    f"合同提前终止，冲回未实现收入 {inv.invoice_no}（{year}年）",
                    dr(inv.income_account, fen),
                    cr(PAYABLES, fen),
                )
            )
    for invoice_no, fen in sorted((cancelled_fen or {}).items()):
        if fen:
            drafts.append(
                entry(
                    terminated_on,
                    f"合同提前终止，核销未收未实现租金 {invoice_no}",
                    dr(PAYABLES, fen),
                    cr(RECEIVABLES, fen),
                )
            )
    return drafts


def disposed(e: Any) -> list[EntryDraft]:
    """Carrying value to 固定资产清理, proceeds against it, the difference to gain or loss
    (docs/rules.md B-05)."""
    carrying = to_fen(e.carrying_value_yuan) if e.book_account else 0
    proceeds = to_fen(e.proceeds_yuan)
    net = proceeds - carrying
    lines = [
        dr(FIXED_ASSET_DISPOSAL, carrying),
        cr(e.book_account or FIXED_ASSET_DISPOSAL, carrying),
        dr(BANK, proceeds),
        cr(FIXED_ASSET_DISPOSAL, proceeds),
    ]
    if net > 0:
        lines += [dr(FIXED_ASSET_DISPOSAL, net), cr(OTHER_INCOME, net)]
    elif net < 0:
        lines += [dr(OTHER_EXPENSES, -net), cr(FIXED_ASSET_DISPOSAL, -net)]
    draft = entry(e.disposed_on, f"资产处置 {e.counterparty_name}", *lines)
    return posted(draft)
