"""Commands on the books (凭证与结账): vouchers prepared, reviewed (which posts them), rejected
and reversed in red; months and years closed and reopened. Each command validates its input,
looks up what its rules read (the chart in force on the date, the sub-ledger accounts policy,
today's business date, the village's closed months), lets the rules and the aggregates check,
then saves: either everything is recorded or nothing is. Commands return ids or plain values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from domain.books import rules
from domain.books.errors import VoucherNotFound
from domain.books.inputs import VoucherLineInput, read_line
from domain.books.model import Books, Voucher
from domain.books.months import check_month
from domain.books.policy_keys import DEFAULT_SUBLEDGER_ACCOUNTS, SUBLEDGER_ACCOUNTS_KEY
from domain.books.vocabulary import (
    PERSON_LENGTH_MAX,
    REASON_LENGTH_MAX,
    SUMMARY_LENGTH_MAX,
    VOUCHER_LINES_MAX,
)
from domain.ledger.chart import chart_in_force
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared.clock import Clock, business_date
from domain.shared.commands import get_or_none, get_or_refuse, translating_conflicts
from domain.shared.errors import InvalidInput, PolicyNotInForce
from domain.shared.eventstore import EventStore
from domain.shared.text import check_text
from domain.shared.values import AccountCode, Provenance, required_text

YEAR_MIN, YEAR_MAX = 2000, 2999


def text(value: str | None, field: str, maximum: int) -> str:
    return check_text(required_text(value, field, maximum), field)


def person(value: str | None, field: str) -> str:
    """A preparer or reviewer: the API token's name (api/auth/principal.py)."""
    return text(value, field, PERSON_LENGTH_MAX)


class BooksApplication:
    """Vouchers and periods of every village. ``today``: the registry's business date
    (domain/shared/clock.py), by default the Asia/Shanghai clock's."""

    def __init__(
        self,
        store: EventStore,
        places: ReferenceApplication,
        policies: PolicyApplication,
        today: Callable[[], date] | None = None,
    ) -> None:
        self.store = store
        self.places = places
        self.policies = policies
        self.today = today or Clock().today

    # -- reading ----------------------------------------------------------------------------

    def voucher(self, voucher_id: UUID) -> Voucher:
        """The voucher, or ``voucher_not_found``."""
        return get_or_refuse(self.store, voucher_id, Voucher, VoucherNotFound, "voucher_id")

    def books(self, village_code: str) -> Books | None:
        """The village's closed periods; None before its first close."""
        return get_or_none(self.store, Books.create_id(village_code), Books)

    def first_open_month(self, village_code: str) -> str | None:
        """The month after the last closed one; None when none is closed (every month open)."""
        books = self.books(village_code)
        return (books.first_open_month() or None) if books else None

    def subledger_accounts(self, village_code: str, on: date) -> list[AccountCode]:
        """The sub-ledger accounts policy in force (docs/rules.md V-04); the default where no
        value was ever set for the place."""
        try:
            value = self.policies.in_force(SUBLEDGER_ACCOUNTS_KEY, village_code, on).value
        except PolicyNotInForce:
            return list(DEFAULT_SUBLEDGER_ACCOUNTS)
        return list(value)

    # -- vouchers ---------------------------------------------------------------------------

    def record_voucher(
        self,
        village_code: str,
        voucher_date: date,
        summary: str,
        lines: Sequence[VoucherLineInput],
        attachments: int,
        preparer: str,
        by: Provenance,
    ) -> UUID:
        """Prepare a voucher (制单); it posts when another person reviews it."""
        village = self.places.village(village_code)
        voucher_date = business_date(voucher_date, "voucher_date")
        summary = text(summary, "summary", SUMMARY_LENGTH_MAX)
        preparer = person(preparer, "preparer")
        rules.check_attachments(attachments)
        if not isinstance(lines, (list, tuple)):
            raise InvalidInput("lines must be a list", field="lines")
        read = [read_line(line, n) for n, line in enumerate(lines[: VOUCHER_LINES_MAX + 1])]
        rules.check_lines_balance(read)
        chart = chart_in_force(voucher_date)
        rules.check_accounts(read, chart, self.subledger_accounts(village.code, voucher_date))
        rules.check_voucher_date(
            voucher_date, self.today(), self.first_open_month(village.code) or ""
        )
        voucher = Voucher(
            village_code=village.code,
            voucher_date=voucher_date,
            summary=summary,
            lines=read,
            attachments=attachments,
            preparer=preparer,
            reverses=None,
            actor=by.actor,
            authority=by.authority,
        )
        with translating_conflicts():
            self.store.save(voucher)
        return voucher.id

    def review_voucher(
        self, voucher_id: UUID, reviewer: str, reviewed_on: date, by: Provenance
    ) -> None:
        """Review (审核) and so post it; the reviewer is not its preparer."""
        voucher = self.voucher(voucher_id)
        first_open = self.first_open_month(voucher.village_code) or ""
        voucher.review(person(reviewer, "reviewer"), reviewed_on, self.today(), first_open, by)
        with translating_conflicts():
            self.store.save(voucher)

    def reject_voucher(self, voucher_id: UUID, reviewer: str, reason: str, by: Provenance) -> None:
        """Send a prepared voucher back for good; a rejected red voucher frees its original."""
        voucher = self.voucher(voucher_id)
        voucher.reject(
            person(reviewer, "reviewer"),
            text(reason, "reason", REASON_LENGTH_MAX),
            self.today(),
            by,
        )
        changed = [voucher]
        if voucher.reverses is not None:
            original = self.voucher(voucher.reverses)
            original._reversal_withdrawn(
                reversal_id=voucher.id, actor=by.actor, authority=by.authority
            )
            changed.append(original)
        with translating_conflicts():
            self.store.save(*changed)

    def reverse_voucher(
        self,
        voucher_id: UUID,
        reversal_date: date,
        summary: str,
        preparer: str,
        by: Provenance,
    ) -> UUID:
        """Prepare the red reversal (红字冲销) of a posted voucher: its lines with negated
        amounts; it posts when another person reviews it (docs/rules.md V-07)."""
        original = self.voucher(voucher_id)
        original.check_reversible()
        reversal_date = business_date(reversal_date, "reversal_date")
        summary = text(summary, "summary", SUMMARY_LENGTH_MAX)
        preparer = person(preparer, "preparer")
        if reversal_date < original.voucher_date:
            raise InvalidInput(
                f"the reversal is dated {reversal_date}, before the voucher it reverses "
                f"({original.voucher_date})",
                field="reversal_date",
            )
        lines = rules.red_lines(original.lines)
        rules.check_lines_balance(lines, red=True)
        village = original.village_code
        chart = chart_in_force(reversal_date)
        rules.check_accounts(lines, chart, [], red=True)
        rules.check_voucher_date(reversal_date, self.today(), self.first_open_month(village) or "")
        red = Voucher(
            village_code=village,
            voucher_date=reversal_date,
            summary=summary,
            lines=lines,
            attachments=0,
            preparer=preparer,
            reverses=original.id,
            actor=by.actor,
            authority=by.authority,
        )
        original._reversal_prepared(reversal_id=red.id, actor=by.actor, authority=by.authority)
        with translating_conflicts():
            self.store.save(red, original)
        return red.id

    # -- periods ----------------------------------------------------------------------------

    def _books_for(self, village_code: str, by: Provenance) -> Books:
        village = self.places.village(village_code)
        books = self.books(village.code)
        if books is None:
            books = Books(village_code=village.code, actor=by.actor, authority=by.authority)
        return books

    def _save_books(self, books: Books) -> None:
        with translating_conflicts():
            self.store.save(books)

    def close_period(self, village_code: str, month: str, by: Provenance) -> None:
        """Close (结账) a month: nothing more is posted with a date in it (docs/rules.md V-08)."""
        month = check_month(month)
        books = self._books_for(village_code, by)
        books.close_month(month, self.today(), by)
        self._save_books(books)

    def close_year(self, village_code: str, year: int, by: Provenance) -> None:
        """Close the year: December too if open; the ledger derives the closing vouchers
        (docs/rules.md V-09)."""
        if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
            raise InvalidInput(f"year must be {YEAR_MIN}–{YEAR_MAX}, got {year!r}", field="year")
        books = self._books_for(village_code, by)
        books.close_year(year, self.today(), by)
        self._save_books(books)

    def reopen_period(self, village_code: str, month: str, reason: str, by: Provenance) -> None:
        """Reopen the last closed month (an admin's decision, checked by the API); December of
        a closed year reopens the year (docs/rules.md V-10)."""
        month = check_month(month)
        reason = text(reason, "reason", REASON_LENGTH_MAX)
        village = self.places.village(village_code)
        books = self.books(village.code)
        rules.check_reopens(month, books.closed_months if books else [])
        assert books is not None
        books.reopen(month, reason, self.today(), by)
        self._save_books(books)
