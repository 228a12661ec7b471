"""The books of a village collective (凭证与结账): journal vouchers and the closing of periods.

Voucher: prepared (制单) → reviewed, which posts it (审核记账) | rejected (final). A posted
voucher never changes: a correction is a red reversal (红字冲销), a new Voucher whose lines repeat
the original's with negated amounts and whose ``reverses`` names it; the original records
ReversalPrepared in the same save, and ReversalWithdrawn when the red voucher is rejected.

Books: one per village (deterministic id), opened on its first close; it holds the closed months
(contiguous, ascending) and closed years. The ledger projection folds these events to number
vouchers, route late programme facts to the first open month and derive the closing vouchers.

The public commands check their rules (domain/books/rules.py) before they trigger an event; the
private ``@event`` methods only apply their change (they run on every replay, so they never
raise and never read the clock); their names and parameters are the stored events' topics and
fields (domain.books.model:<Class>.<Event>), never to be changed. Creating a voucher (and its
checks against the chart and the policies) is the application's.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.books import rules
from domain.books.months import Month, next_month
from domain.books.vocabulary import POSTED, PREPARED, REJECTED
from domain.shared.aggregate import QianwanAggregate
from domain.shared.errors import InvalidInput
from domain.shared.values import Provenance, deterministic_id


class Voucher(QianwanAggregate):
    """A journal voucher (记账凭证) of a village; id uuid4 (API idempotency keys guard retries)."""

    @event("Prepared")
    def __init__(
        self,
        village_code: str,
        voucher_date: date,
        summary: str,
        lines: list[dict[str, Any]],
        attachments: int,
        preparer: str,
        reverses: UUID | None,
        actor: str,
        authority: str | None,
    ) -> None:
        """village_code: the collective whose books it is in. voucher_date: the entry date.
        summary: 摘要 (1–200 characters). lines: each {"account", "debit_yuan", "credit_yuan"
        (Decimal, exactly one non-zero), "counterparty", "counterparty_kind", "reference"
        (None when not kept)}; a red reversal's amounts are negated. attachments: 附件张数.
        preparer: the person who prepared it (制单, the token's name). reverses: the posted
        voucher this red voucher reverses, else None."""
        self.village_code = village_code
        self.voucher_date = voucher_date
        self.summary = summary
        self.lines = lines
        self.attachments = attachments
        self.preparer = preparer
        self.reverses = reverses
        self.status = PREPARED
        self.reviewer: str | None = None
        self.reviewed_on: date | None = None
        self.rejection_reason: str | None = None
        self.reversal_id: UUID | None = None  # the red voucher reversing it, pending or posted

    # -- commands ---------------------------------------------------------------------------

    def review(
        self, reviewer: str, reviewed_on: date, today: date, first_open: Month, by: Provenance
    ) -> None:
        """Review and so post it (docs/rules.md V-06); its month must still be open (V-05)."""
        rules.check_reviewable(self.status, self.preparer, reviewer)
        self._check_decision_date(reviewed_on, today)
        rules.check_voucher_date(self.voucher_date, today, first_open)
        self._reviewed(
            reviewer=reviewer, reviewed_on=reviewed_on, actor=by.actor, authority=by.authority
        )

    def reject(self, reviewer: str, reason: str, rejected_on: date, by: Provenance) -> None:
        """Send it back, for good (docs/rules.md V-06)."""
        rules.check_reviewable(self.status, self.preparer, reviewer)
        self._rejected(
            reviewer=reviewer,
            reason=reason,
            rejected_on=rejected_on,
            actor=by.actor,
            authority=by.authority,
        )

    def check_reversible(self) -> None:
        """docs/rules.md V-07."""
        rules.check_reversible(self.status, self.is_reversal, self.reversal_id is not None)

    def _check_decision_date(self, day: date, today: date) -> None:
        if day > today:
            raise InvalidInput(f"reviewed_on {day} is after today {today}", field="reviewed_on")
        if day < self.voucher_date:
            raise InvalidInput(
                f"reviewed_on {day} is before the voucher's date {self.voucher_date}",
                field="reviewed_on",
            )

    # -- events ---------------------------------------------------------------------------

    @event("Reviewed")
    def _reviewed(
        self, reviewer: str, reviewed_on: date, actor: str, authority: str | None
    ) -> None:
        """reviewer: the person who reviewed it (审核), not the preparer; reviewing posts it."""
        self.reviewer = reviewer
        self.reviewed_on = reviewed_on
        self.status = POSTED

    @event("Rejected")
    def _rejected(
        self, reviewer: str, reason: str, rejected_on: date, actor: str, authority: str | None
    ) -> None:
        """The reviewer sent it back for reason; final (prepare a new voucher)."""
        self.reviewer = reviewer
        self.reviewed_on = rejected_on
        self.rejection_reason = reason
        self.status = REJECTED

    @event("ReversalPrepared")
    def _reversal_prepared(self, reversal_id: UUID, actor: str, authority: str | None) -> None:
        """reversal_id: the red voucher prepared to reverse this one (saved with it)."""
        self.reversal_id = reversal_id

    @event("ReversalWithdrawn")
    def _reversal_withdrawn(self, reversal_id: UUID, actor: str, authority: str | None) -> None:
        """The red voucher reversal_id was rejected; this voucher may be reversed again."""
        if self.reversal_id == reversal_id:
            self.reversal_id = None

    @property
    def is_reversal(self) -> bool:
        return self.reverses is not None


class Books(QianwanAggregate):
    """The closed periods of one village's books; opened on its first close."""

    @staticmethod
    def create_id(village_code: str) -> UUID:
        return deterministic_id("books", village_code)

    @event("Opened")
    def __init__(self, village_code: str, actor: str, authority: str | None) -> None:
        """village_code: the collective whose books these are."""
        self.village_code = village_code
        self.closed_months: list[str] = []  # contiguous, ascending
        self.closed_years: list[int] = []

    # -- commands ---------------------------------------------------------------------------

    def close_month(self, month: Month, today: date, by: Provenance) -> None:
        """docs/rules.md V-08."""
        rules.check_month_closes(month, self.closed_months, today)
        self._period_closed(month=month, closed_on=today, actor=by.actor, authority=by.authority)

    def close_year(self, year: int, today: date, by: Provenance) -> None:
        """Close December if open, then the year (docs/rules.md V-09)."""
        rules.check_year_closes(year, self.closed_months, self.closed_years)
        december = f"{year:04d}-12"
        if not self.is_closed(december):
            self.close_month(december, today, by)
        self._year_closed(year=year, closed_on=today, actor=by.actor, authority=by.authority)

    def reopen(self, month: Month, reason: str, today: date, by: Provenance) -> None:
        """Reopen the last closed month; December of a closed year reopens the year too
        (docs/rules.md V-10)."""
        rules.check_reopens(month, self.closed_months)
        self._period_reopened(
            month=month, reason=reason, reopened_on=today, actor=by.actor, authority=by.authority
        )
        year = int(month[:4])
        if month.endswith("-12") and year in self.closed_years:
            self._year_reopened(
                year=year, reason=reason, reopened_on=today, actor=by.actor, authority=by.authority
            )

    # -- events ---------------------------------------------------------------------------

    @event("PeriodClosed")
    def _period_closed(
        self, month: str, closed_on: date, actor: str, authority: str | None
    ) -> None:
        """month: YYYY-MM, the first open month; closed_on: the business date of the close."""
        self.closed_months.append(month)

    @event("PeriodReopened")
    def _period_reopened(
        self, month: str, reason: str, reopened_on: date, actor: str, authority: str | None
    ) -> None:
        """month: the last closed month, open again; reason: why (admin only)."""
        if self.closed_months and self.closed_months[-1] == month:
            self.closed_months.pop()

    @event("YearClosed")
    def _year_closed(self, year: int, closed_on: date, actor: str, authority: str | None) -> None:
        """year: its twelve months (or those since the first close) are closed; the ledger
        projection posts the closing vouchers dated 12-31 of it."""
        self.closed_years.append(year)

    @event("YearReopened")
    def _year_reopened(
        self, year: int, reason: str, reopened_on: date, actor: str, authority: str | None
    ) -> None:
        """December of year was reopened; the ledger projection reverses its closing vouchers."""
        if year in self.closed_years:
            self.closed_years.remove(year)

    def first_open_month(self) -> str:
        """The month after the last closed one ("" when none is closed)."""
        return next_month(self.closed_months[-1]) if self.closed_months else ""

    def is_closed(self, month: str) -> bool:
        return bool(self.closed_months) and self.closed_months[0] <= month <= self.closed_months[-1]
