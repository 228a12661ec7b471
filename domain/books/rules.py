"""The rules of vouchers and periods (凭证与结账) as pure functions, each citing its rule in
docs/rules.md (V-01 …). The application and the aggregates call them before anything is
recorded; the application looks up what they need (the chart in force, the sub-ledger accounts
policy, today's business date) and passes the values in, so the rules stay pure and testable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from domain.books.errors import (
    AccountReservedForClosing,
    AccountSideInvalid,
    AccountUnknown,
    AttachmentsOutOfRange,
    CounterpartyRequired,
    DateInFuture,
    PeriodAlreadyClosed,
    PeriodClosed,
    PeriodNotEnded,
    PeriodNotLastClosed,
    PeriodOutOfOrder,
    ReviewerIsPreparer,
    VoucherAlreadyReversed,
    VoucherIsReversal,
    VoucherLineSideInvalid,
    VoucherLinesTooFew,
    VoucherLinesTooMany,
    VoucherNotBalanced,
    VoucherNotPosted,
    VoucherNotPrepared,
    YearAlreadyClosed,
    YearMonthsNotClosed,
)
from domain.books.months import Month, next_month
from domain.books.vocabulary import (
    ATTACHMENTS_MAX,
    POSTED,
    PREPARED,
    VOUCHER_LINES_MAX,
    VOUCHER_LINES_MIN,
)
from domain.ledger.chart import ChartVersion
from domain.shared.clock import month_of
from domain.shared.values import ZERO, AccountCode

CURRENT_YEAR_PROFIT: AccountCode = "321"  # 本年收益: moved only by closing vouchers


def check_attachments(attachments: int) -> int:
    """0 to ATTACHMENTS_MAX attachments (附件张数) (docs/rules.md V-01)."""
    whole = isinstance(attachments, int) and not isinstance(attachments, bool)
    if not whole or not 0 <= attachments <= ATTACHMENTS_MAX:
        raise AttachmentsOutOfRange(
            f"attachments must be a whole number 0–{ATTACHMENTS_MAX}, got {attachments!r}",
            field="attachments",
        )
    return attachments


def check_lines_balance(lines: Sequence[dict[str, Any]], red: bool = False) -> None:
    """At least two lines (at most VOUCHER_LINES_MAX), each with exactly one non-zero side,
    positive on an ordinary voucher and negative on a red reversal; the debits equal the
    credits (docs/rules.md V-01)."""
    if len(lines) < VOUCHER_LINES_MIN:
        raise VoucherLinesTooFew(
            f"a voucher needs at least {VOUCHER_LINES_MIN} lines, got {len(lines)}",
            field="lines",
        )
    if len(lines) > VOUCHER_LINES_MAX:
        raise VoucherLinesTooMany(
            f"a voucher holds at most {VOUCHER_LINES_MAX} lines, got {len(lines)}", field="lines"
        )
    debits = credits = ZERO
    for n, line in enumerate(lines):
        debit: Decimal = line["debit_yuan"]
        credit: Decimal = line["credit_yuan"]
        if (debit == 0) == (credit == 0):
            raise VoucherLineSideInvalid(
                f"line {n + 1} ({line['account']}) needs exactly one of debit and credit",
                field=f"lines[{n}]",
            )
        if (debit + credit < 0) != red:
            sign = "negative (红字)" if red else "positive; a correction is a red reversal"
            raise VoucherLineSideInvalid(
                f"line {n + 1} ({line['account']}): amounts on this voucher are {sign}",
                field=f"lines[{n}]",
            )
        debits += debit
        credits += credit
    if debits != credits:
        raise VoucherNotBalanced(
            f"debits {debits} do not equal credits {credits} (借贷不平)", field="lines"
        )


def check_accounts(
    lines: Sequence[dict[str, Any]],
    chart: ChartVersion,
    subledger_accounts: Sequence[AccountCode],
    red: bool = False,
) -> None:
    """Every account is in the chart in force on the voucher's date (V-02; the 2023 chart's
    accounts are all leaves); 321 本年收益 only on closing vouchers, an income account only
    credited and an expense account only debited on an ordinary voucher, a red reversal exempt
    from the sides (V-03); a line on a sub-ledger account names its counterparty (V-04)
    (docs/rules.md V-02, V-03, V-04)."""
    for n, line in enumerate(lines):
        code = line["account"]
        field = f"lines[{n}].account"
        if not chart.has(code):
            raise AccountUnknown(
                f"account {code} is not in the {chart.version} chart of accounts", field=field
            )
        account = chart.account(code)
        if code == CURRENT_YEAR_PROFIT:
            raise AccountReservedForClosing(
                f"{code} {account.name_zh} is moved only by the year's closing vouchers",
                field=field,
            )
        if not red:
            debit = line["debit_yuan"] != 0
            if account.category == "income" and debit:
                raise AccountSideInvalid(
                    f"{code} {account.name_zh} is an income account: credit it (贷方)",
                    field=field,
                )
            if account.category == "expense" and not debit:
                raise AccountSideInvalid(
                    f"{code} {account.name_zh} is an expense account: debit it (借方)",
                    field=field,
                )
        if code in subledger_accounts and not line["counterparty"]:
            raise CounterpartyRequired(
                f"{code} {account.name_zh} is kept per counterparty (辅助核算): name it",
                field=f"lines[{n}].counterparty",
            )


def check_voucher_date(voucher_date: date, today: date, first_open: Month) -> None:
    """Not after today, the business date; in an open month: after the last closed one
    (``first_open`` is "" when none is closed) (docs/rules.md V-05)."""
    if voucher_date > today:
        raise DateInFuture(
            f"the voucher is dated {voucher_date}, after today {today}", field="voucher_date"
        )
    if first_open and month_of(voucher_date) < first_open:
        raise PeriodClosed(
            f"{month_of(voucher_date)} is closed; {first_open} is the first open period",
            field="voucher_date",
        )


def same_person(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def check_reviewable(status: str, preparer: str, reviewer: str) -> None:
    """Only a prepared voucher is reviewed or rejected, and by another person than its
    preparer (docs/rules.md V-06)."""
    if status != PREPARED:
        raise VoucherNotPrepared(
            f"the voucher is {status}; only a prepared voucher is reviewed", field="voucher_id"
        )
    if same_person(preparer, reviewer):
        raise ReviewerIsPreparer(
            f"{reviewer} prepared this voucher; another person reviews it (制单与审核分离)",
            field="reviewer",
        )


def check_reversible(status: str, is_reversal: bool, reversal_pending_or_done: bool) -> None:
    """Only a posted voucher, not itself a red reversal, and not reversed already (nor with a
    reversal awaiting review) (docs/rules.md V-07)."""
    if is_reversal:
        raise VoucherIsReversal(
            "a red reversal is never reversed; prepare a new voucher", field="voucher_id"
        )
    if status != POSTED:
        raise VoucherNotPosted(
            f"the voucher is {status}; only a posted voucher is reversed", field="voucher_id"
        )
    if reversal_pending_or_done:
        raise VoucherAlreadyReversed(
            "the voucher is reversed already, or its reversal awaits review", field="voucher_id"
        )


def red_lines(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The original's lines with negated amounts, same sides (红字冲销) (docs/rules.md V-07)."""
    return [
        {**line, "debit_yuan": -line["debit_yuan"], "credit_yuan": -line["credit_yuan"]}
        for line in lines
    ]


def check_month_closes(month: Month, closed: Sequence[Month], today: date) -> None:
    """A month closes only once it has ended (business date), and in order without gaps: the
    first close may be any ended month, each later one is the first open month (docs/rules.md
    V-08)."""
    if closed and closed[0] <= month <= closed[-1]:
        raise PeriodAlreadyClosed(f"{month} is closed already", field="month")
    if month >= month_of(today):
        raise PeriodNotEnded(f"{month} has not ended (today is {today})", field="month")
    if closed and month != next_month(closed[-1]):
        raise PeriodOutOfOrder(
            f"months close in order: {next_month(closed[-1])} is the next to close, not {month}",
            field="month",
        )


def months_before_december(year: int, closed: Sequence[Month]) -> list[Month]:
    """The months of ``year`` before December that must be closed before the year closes: from
    January, or from the books' first closed month when that is later in the year; none when
    nothing is closed yet (December is then the books' first close)."""
    if not closed:
        return []
    start = f"{year:04d}-01"
    if start < closed[0] <= f"{year:04d}-12":
        start = closed[0]
    months: list[Month] = []
    month = start
    while month < f"{year:04d}-12":
        months.append(month)
        month = next_month(month)
    return months


def check_year_closes(year: int, closed: Sequence[Month], closed_years: Sequence[int]) -> None:
    """A year closes once January to November are closed (or every month of it since the books'
    first closed month); closing it closes December too if open (docs/rules.md V-09)."""
    if year in closed_years:
        raise YearAlreadyClosed(f"{year} is closed already", field="year")
    needed = months_before_december(year, closed)
    missing = [m for m in needed if not (closed and closed[0] <= m <= closed[-1])]
    if missing:
        raise YearMonthsNotClosed(
            f"close {missing[0]} to {year}-11 before closing {year} ({len(missing)} open)",
            field="year",
        )


def check_reopens(month: Month, closed: Sequence[Month]) -> None:
    """Only the last closed month is reopened (docs/rules.md V-10)."""
    if not closed or closed[-1] != month:
        last = closed[-1] if closed else "none"
        raise PeriodNotLastClosed(
            f"only the last closed month is reopened; it is {last}, not {month}", field="month"
        )
