"""Refusals of the books context (凭证与结账): vouchers, their review and reversal, and the
closing of periods. Each code is stable and reads as a fact (docs/rules.md V-01 …).

A voucher dated before any chart of accounts reuses the shared ``date_before_chart_of_accounts``;
malformed text and choices are ``invalid_input``; money out of range is ``amount_not_in_fen`` or
``amount_exceeds_maximum``.
"""

from __future__ import annotations

from domain.shared.errors import DomainError


class BooksError(DomainError):
    """A refusal of the books context; the subclasses say which."""

    code = "books_error"


class VoucherNotFound(BooksError):
    """No voucher with this id."""

    code = "voucher_not_found"


class VoucherLinesTooFew(BooksError):
    """A voucher needs at least two lines (V-01)."""

    code = "voucher_lines_too_few"


class VoucherLinesTooMany(BooksError):
    """A voucher holds at most VOUCHER_LINES_MAX lines (V-01)."""

    code = "voucher_lines_too_many"


class VoucherLineSideInvalid(BooksError):
    """Each line has exactly one non-zero side: a debit or a credit, never both, never none
    (V-01)."""

    code = "voucher_line_side_invalid"


class VoucherNotBalanced(BooksError):
    """The debits of a voucher must equal its credits (V-01)."""

    code = "voucher_not_balanced"


class AccountUnknown(BooksError):
    """The account is not in the chart of accounts in force on the voucher's date (V-02)."""

    code = "account_unknown"


class AccountReservedForClosing(BooksError):
    """321 本年收益 is moved only by the closing vouchers the year close derives (V-03)."""

    code = "account_reserved_for_closing"


class AccountSideInvalid(BooksError):
    """On an ordinary voucher an income account is only credited and an expense account only
    debited (V-03)."""

    code = "account_side_invalid"


class CounterpartyRequired(BooksError):
    """A line on a sub-ledger account (112 应收款, 211 应付款 …) needs its counterparty (V-04)."""

    code = "counterparty_required"


class DateInFuture(BooksError):
    """A voucher may not be dated after today, the business date (V-05)."""

    code = "date_in_future"


class PeriodClosed(BooksError):
    """The voucher's month is closed; the message names the first open month (V-05)."""

    code = "period_closed"


class AttachmentsOutOfRange(BooksError):
    """A voucher's attachments (附件) count 0 to ATTACHMENTS_MAX (V-01)."""

    code = "attachments_out_of_range"


class VoucherNotPrepared(BooksError):
    """Only a prepared voucher can be reviewed or rejected (V-06)."""

    code = "voucher_not_prepared"


class ReviewerIsPreparer(BooksError):
    """The reviewer (审核) must be another person than the preparer (制单) (V-06)."""

    code = "reviewer_is_preparer"


class VoucherNotPosted(BooksError):
    """Only a posted voucher can be reversed (V-07)."""

    code = "voucher_not_posted"


class VoucherAlreadyReversed(BooksError):
    """The voucher was reversed already, or a reversal of it awaits review (V-07)."""

    code = "voucher_already_reversed"


class VoucherIsReversal(BooksError):
    """A red reversal (红字冲销) is itself never reversed; prepare a new voucher (V-07)."""

    code = "voucher_is_reversal"


class PeriodNotEnded(BooksError):
    """A month closes only after it has ended (business date, Asia/Shanghai) (V-08)."""

    code = "period_not_ended"


class PeriodOutOfOrder(BooksError):
    """Months close in order without gaps: the next one to close is the first open month
    (V-08)."""

    code = "period_out_of_order"


class PeriodAlreadyClosed(BooksError):
    """The month is closed already (V-08)."""

    code = "period_already_closed"


class PeriodNotLastClosed(BooksError):
    """Only the last closed month can be reopened (V-10)."""

    code = "period_not_last_closed"


class YearMonthsNotClosed(BooksError):
    """A year closes only when January to November are closed (or every month since the books'
    first closed month) (V-09)."""

    code = "year_months_not_closed"


class YearAlreadyClosed(BooksError):
    """The year is closed already (V-09)."""

    code = "year_already_closed"
