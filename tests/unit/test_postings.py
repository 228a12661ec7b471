"""The posting table: balanced entries, exact spreads, income in the years it covers."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from domain.ledger.chart import chart_in_force
from domain.ledger.spread import Spread
from projections.ledger.postings import (
    EntryDraft,
    InvoiceFacts,
    Line,
    contract_terminated,
    disposed,
    registration,
    rent_invoiced,
    rent_received,
)

RNG_SEED = 20240401
ROUNDS = 400


def invoice_event(
    amount: str,
    covers_from: date,
    covers_to: date,
    issued_on: date | None = None,
    mode: str = "lease",
) -> Any:
    return SimpleNamespace(
        invoice_no="FP-001",
        contract_no="HT-001",
        mode=mode,
        amount_yuan=Decimal(amount),
        issued_on=issued_on or covers_from,
        due_on=issued_on or covers_from,
        covers_from=covers_from,
        covers_to=covers_to,
    )


def facts(e: Any) -> InvoiceFacts:
    income = "502" if e.mode in {"equity", "cooperation"} else "501"
    return InvoiceFacts(
        e.invoice_no, int(e.amount_yuan * 100), e.issued_on, e.covers_from, e.covers_to, income
    )


def disposal_event(carrying: str, proceeds: str, book_account: str | None = "151") -> Any:
    return SimpleNamespace(
        disposed_on=date(2025, 6, 1),
        proceeds_yuan=Decimal(proceeds),
        carrying_value_yuan=Decimal(carrying),
        book_account=book_account,
        counterparty_name="某公司",
    )


def net_by_account(drafts: list[EntryDraft], upto: date | None = None) -> dict[str, int]:
    """Debit minus credit, in fen, per account, over the drafts dated up to ``upto``."""
    net: dict[str, int] = defaultdict(int)
    for draft in drafts:
        if upto is None or draft.entry_date <= upto:
            for line in draft.lines:
                net[line.account] += line.debit_fen - line.credit_fen
    return {account: fen for account, fen in net.items() if fen}


def income_by_year(drafts: list[EntryDraft], account: str = "501") -> dict[int, int]:
    income: dict[int, int] = defaultdict(int)
    for draft in drafts:
        for line in draft.lines:
            if line.account == account:
                income[draft.entry_date.year] += line.credit_fen - line.debit_fen
    return dict(income)


def assert_balanced_and_in_chart(drafts: list[EntryDraft]) -> None:
    for draft in drafts:
        assert sum(line.debit_fen for line in draft.lines) == sum(
            line.credit_fen for line in draft.lines
        ), draft
        assert draft.lines, draft
        chart = chart_in_force(draft.entry_date)
        for line in draft.lines:
            assert chart.has(line.account), line
            assert (line.debit_fen > 0) != (line.credit_fen > 0), line


def random_day(rng: random.Random, first: date = date(2024, 1, 1), years: int = 8) -> date:
    return first + timedelta(days=rng.randrange(365 * years))


# -- drafts balance -------------------------------------------------------------------------------


def test_an_unbalanced_draft_cannot_be_made() -> None:
    with pytest.raises(AssertionError):
        EntryDraft(date(2024, 1, 1), "x", (Line("112", 100, 0), Line("501", 0, 99)))


def test_every_draft_of_every_posting_balances_for_random_events() -> None:
    rng = random.Random(RNG_SEED)
    for _ in range(ROUNDS):
        start = random_day(rng)
        end = start + timedelta(days=rng.randrange(1, 365 * 5))
        amount = f"{rng.randrange(1, 10**9)}.{rng.randrange(100):02d}"
        issued = start + timedelta(days=rng.randrange(-200, 400))
        issued = max(issued, date(2024, 1, 1))
        event = invoice_event(amount, start, end, issued, rng.choice(["lease", "equity"]))
        terminated_on = start + timedelta(days=rng.randrange((end - start).days + 1))
        receipt = SimpleNamespace(
            receipt_no="SJ-1",
            invoice_no="FP-001",
            amount_yuan=Decimal(amount),
            received_on=issued,
            channel=rng.choice(["bank", "cash"]),
        )
        carrying, proceeds = rng.randrange(0, 10**7), rng.randrange(0, 10**7)
        drafts = [
            *rent_invoiced(event),
            *rent_received(receipt),
            *contract_terminated(terminated_on, [facts(event)]),
            *disposed(disposal_event(str(carrying), str(proceeds))),
        ]
        assert_balanced_and_in_chart(drafts)


# -- spreading ------------------------------------------------------------------------------------


def test_a_spread_sums_exactly_for_random_amounts_and_periods() -> None:
    rng = random.Random(RNG_SEED)
    for _ in range(ROUNDS):
        amount = rng.choice([1, 7, 364, 365, 366, rng.randrange(10**12)])
        start = random_day(rng, date(2020, 1, 1), 20)
        spread = Spread(amount, start, start + timedelta(days=rng.randrange(0, 7300)))
        assert sum(spread.by_year().values()) == amount
        cut = spread.start + timedelta(days=rng.randrange(spread.days))
        before = spread.fen_between(spread.start, cut - timedelta(days=1))
        assert before + sum(spread.by_year(cut).values()) == amount
        assert (
            spread.fen_between(spread.start, cut)
            + spread.fen_between(cut + timedelta(days=1), spread.end)
            == amount
        )
        base = amount // spread.days
        assert spread.fen_between(cut, cut) in {base, base + 1}


def test_a_spread_ignores_days_outside_its_period() -> None:
    spread = Spread(36500, date(2024, 4, 1), date(2025, 3, 31))
    assert spread.fen_between(date(2023, 1, 1), date(2024, 3, 31)) == 0
    assert spread.fen_between(date(2025, 4, 1), date(2026, 1, 1)) == 0
    assert spread.fen_between(date(2020, 1, 1), date(2030, 1, 1)) == 36500
    assert spread.by_year() == {2024: 27500, 2025: 9000}


# -- rent -----------------------------------------------------------------------------------------


def test_a_lump_sum_rent_for_three_years_is_income_of_each_year_it_covers() -> None:
    # 2024-04-01..2027-03-31 is 1095 days; 109,500 yuan is 100 yuan a day.
    drafts = rent_invoiced(invoice_event("109500", date(2024, 4, 1), date(2027, 3, 31)))
    assert_balanced_and_in_chart(drafts)

    first = drafts[0]
    assert first.entry_date == date(2024, 4, 1)
    assert set(first.lines) == {
        Line("112", 10_950_000, 0),
        Line("501", 0, 2_750_000),  # 275 days of 2024 only
        Line("211", 0, 8_200_000),  # the rest waits in 应付款
    }
    assert [(d.entry_date, d.lines) for d in drafts[1:]] == [
        (date(2025, 1, 1), (Line("211", 3_650_000, 0), Line("501", 0, 3_650_000))),
        (date(2026, 1, 1), (Line("211", 3_650_000, 0), Line("501", 0, 3_650_000))),
        (date(2027, 1, 1), (Line("211", 900_000, 0), Line("501", 0, 900_000))),
    ]
    assert income_by_year(drafts) == {
        2024: 2_750_000,
        2025: 3_650_000,
        2026: 3_650_000,
        2027: 900_000,
    }
    assert net_by_account(drafts, date(2024, 12, 31)) == {
        "112": 10_950_000,
        "501": -2_750_000,
        "211": -8_200_000,
    }
    assert net_by_account(drafts) == {"112": 10_950_000, "501": -10_950_000}


def test_rent_billed_in_december_for_next_year_is_income_of_next_year() -> None:
    drafts = rent_invoiced(
        invoice_event("36500", date(2025, 1, 1), date(2025, 12, 31), issued_on=date(2024, 12, 15))
    )
    assert income_by_year(drafts) == {2025: 3_650_000}
    assert net_by_account(drafts, date(2024, 12, 31)) == {"112": 3_650_000, "211": -3_650_000}


def test_rent_billed_late_for_past_years_is_income_when_billed() -> None:
    drafts = rent_invoiced(
        invoice_event("73000", date(2024, 1, 1), date(2025, 12, 30), issued_on=date(2026, 2, 1))
    )
    assert len(drafts) == 1
    assert income_by_year(drafts) == {2026: 7_300_000}


@pytest.mark.parametrize(
    ("mode", "income"),
    [("lease", "501"), ("self_operation", "501"), ("equity", "502"), ("cooperation", "502")],
)
def test_income_goes_to_the_account_of_the_contract_mode(mode: str, income: str) -> None:
    drafts = rent_invoiced(invoice_event("20000", date(2024, 4, 1), date(2024, 12, 31), mode=mode))
    assert net_by_account(drafts) == {"112": 2_000_000, income: -2_000_000}


@pytest.mark.parametrize(("channel", "cash"), [("bank", "102"), ("cash", "101")])
def test_rent_received_moves_the_receivable_into_the_channel_account(
    channel: str, cash: str
) -> None:
    event = SimpleNamespace(
        receipt_no="SJ-1",
        invoice_no="FP-1",
        amount_yuan=Decimal("1234.56"),
        received_on=date(2024, 4, 10),
        channel=channel,
    )
    (draft,) = rent_received(event)
    assert draft.entry_date == date(2024, 4, 10)
    assert draft.lines == (Line(cash, 123_456, 0), Line("112", 0, 123_456))


# -- termination ----------------------------------------------------------------------------------


def test_a_termination_reverses_exactly_the_unearned_part_of_a_lump_sum() -> None:
    event = invoice_event("109500", date(2024, 4, 1), date(2027, 3, 31))
    invoiced = rent_invoiced(event)

    reversed_ = contract_terminated(date(2025, 6, 30), [facts(event)])

    assert_balanced_and_in_chart(reversed_)
    assert [(d.entry_date, d.lines) for d in reversed_] == [
        (date(2025, 6, 30), (Line("501", 1_840_000, 0), Line("211", 0, 1_840_000))),  # 184 days
        (date(2026, 1, 1), (Line("501", 3_650_000, 0), Line("211", 0, 3_650_000))),
        (date(2027, 1, 1), (Line("501", 900_000, 0), Line("211", 0, 900_000))),
    ]
    both = invoiced + reversed_
    # Income is what the 456 days 2024-04-01..2025-06-30 earned; 211 owes back the 639 others.
    assert income_by_year(both) == {2024: 2_750_000, 2025: 1_810_000, 2026: 0, 2027: 0}
    assert net_by_account(both) == {"112": 10_950_000, "501": -4_560_000, "211": -6_390_000}


def test_a_termination_on_the_last_covered_day_reverses_nothing() -> None:
    event = invoice_event("36500", date(2024, 4, 1), date(2025, 3, 31))
    assert contract_terminated(date(2025, 3, 31), [facts(event)]) == []


def test_a_termination_before_the_covered_period_reverses_all_of_it() -> None:
    event = invoice_event("36500", date(2025, 4, 1), date(2026, 3, 31), issued_on=date(2025, 3, 1))
    drafts = rent_invoiced(event) + contract_terminated(date(2025, 3, 15), [facts(event)])
    assert income_by_year(drafts) == {2025: 0, 2026: 0}
    assert net_by_account(drafts) == {"112": 3_650_000, "211": -3_650_000}


def test_a_termination_reverses_random_invoices_exactly() -> None:
    rng = random.Random(RNG_SEED + 1)
    for _ in range(ROUNDS):
        start = random_day(rng)
        end = start + timedelta(days=rng.randrange(1, 365 * 4))
        amount_fen = rng.randrange(1, 10**10)
        event = invoice_event(str(Decimal(amount_fen) / 100), start, end)
        terminated_on = start + timedelta(days=rng.randrange((end - start).days))
        drafts = rent_invoiced(event) + contract_terminated(terminated_on, [facts(event)])
        earned = Spread(amount_fen, start, end).fen_between(start, terminated_on)
        assert net_by_account(drafts).get("501", 0) == -earned
        assert net_by_account(drafts).get("211", 0) == -(amount_fen - earned)


def test_an_equity_termination_reverses_investment_income() -> None:
    event = invoice_event("36500", date(2024, 4, 1), date(2025, 3, 31), mode="equity")
    (draft,) = contract_terminated(date(2024, 12, 31), [facts(event)])
    assert draft.lines == (Line("502", 900_000, 0), Line("211", 0, 900_000))


# -- registration and disposal --------------------------------------------------------------------


def test_a_book_value_is_brought_onto_the_books_against_the_reserve_fund() -> None:
    event = SimpleNamespace(
        book_value_yuan=Decimal("120000"),
        book_account="151",
        registered_on=date(2024, 1, 10),
        asset_code="ZC-001",
        name="村部旧楼",
    )
    (draft,) = registration(event)
    assert draft.lines == (Line("151", 12_000_000, 0), Line("311", 0, 12_000_000))
    assert registration(SimpleNamespace(**{**vars(event), "book_value_yuan": Decimal(0)})) == []


def test_a_disposal_gain_goes_to_other_income() -> None:
    (draft,) = disposed(disposal_event("120000", "150000"))
    assert net_by_account([draft]) == {"151": -12_000_000, "102": 15_000_000, "504": -3_000_000}


def test_a_disposal_loss_goes_to_other_expenses() -> None:
    (draft,) = disposed(disposal_event("120000", "100000"))
    assert net_by_account([draft]) == {"151": -12_000_000, "102": 10_000_000, "515": 2_000_000}


def test_a_disposal_at_book_value_has_neither_gain_nor_loss() -> None:
    (draft,) = disposed(disposal_event("120000", "120000"))
    assert net_by_account([draft]) == {"151": -12_000_000, "102": 12_000_000}
    assert {line.account for line in draft.lines} == {"151", "154", "102"}


def test_a_resource_not_carried_at_value_is_all_gain_when_disposed_of() -> None:
    (draft,) = disposed(disposal_event("0", "8000", book_account=None))
    assert net_by_account([draft]) == {"102": 800_000, "504": -800_000}
    assert disposed(disposal_event("0", "0", book_account=None)) == []
