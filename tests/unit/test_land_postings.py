"""The posting table of land entering the market, as pure functions of events: which accounts,
how much, on which day; and a whole journey's entries leave the earmarked accounts at zero."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from domain.ledger.chart import chart_in_force
from projections.ledger.postings import EntryDraft
from projections.ledger.postings_land import (
    LAND_POSTINGS,
    contract_signed,
    distribution_approved,
    installment_received,
    levy_assessed,
    levy_paid,
    members_paid,
)

DAY = date(2024, 6, 1)


def lines(drafts: list[EntryDraft]) -> list[tuple[str, int, int]]:
    return [(line.account, line.debit_fen, line.credit_fen) for d in drafts for line in d.lines]


def event(**fields: Any) -> Any:
    return SimpleNamespace(**fields)


@pytest.mark.parametrize(
    ("way", "held"), [("grant", "112"), ("lease", "112"), ("capital_contribution", "141")]
)
def test_a_contract_holds_the_price_against_special_payables(way: str, held: str) -> None:
    e = event(
        signed_on=DAY,
        contract_no="HT-1",
        counterparty_name="某公司",
        way=way,
        price_yuan=Decimal("2600000.05"),
    )
    assert lines(contract_signed(e)) == [(held, 260000005, 0), ("241", 0, 260000005)]
    assert contract_signed(e)[0].entry_date == DAY


@pytest.mark.parametrize(("channel", "cash"), [("bank", "102"), ("cash", "101")])
def test_an_installment_moves_the_receivable_into_cash(channel: str, cash: str) -> None:
    e = event(
        received_on=DAY, receipt_no="SK-1", amount_yuan=Decimal("1300000.00"), channel=channel
    )
    assert lines(installment_received(e)) == [(cash, 130000000, 0), ("112", 0, 130000000)]


def test_the_levy_is_taken_from_the_proceeds_and_paid_from_the_bank() -> None:
    assessed = event(
        assessed_on=DAY,
        notice_no="N-1",
        base_kind="value_added_income",
        rate=Decimal("0.20"),
        levy_yuan=Decimal("400000.01"),
    )
    paid = event(paid_on=DAY, receipt_no="FS-1", amount_yuan=Decimal("400000.01"), channel="bank")
    assert lines(levy_assessed(assessed)) == [("241", 40000001, 0), ("214", 0, 40000001)]
    assert lines(levy_paid(paid)) == [("214", 40000001, 0), ("102", 0, 40000001)]


def test_a_levy_of_nothing_posts_nothing() -> None:
    assessed = event(
        assessed_on=DAY,
        notice_no="N-1",
        base_kind="value_added_income",
        rate=Decimal("0.20"),
        levy_yuan=Decimal("0.00"),
    )
    assert levy_assessed(assessed) == []


def test_a_distribution_splits_the_proceeds_into_retained_funds_and_members_payables() -> None:
    e = event(
        approved_on=DAY,
        resolution={"reference": "决-9"},
        amount_yuan=Decimal("2200000.04"),
        retained_yuan=Decimal("660000.01"),
        members_yuan=Decimal("1540000.03"),
    )
    assert lines(distribution_approved(e)) == [
        ("241", 220000004, 0),
        ("311", 0, 66000001),
        ("211", 0, 154000003),
    ]
    paid = event(
        paid_on=DAY, batch_no="FF-1", members_count=3, amount_yuan=Decimal("10.00"), channel="bank"
    )
    assert lines(members_paid(paid)) == [("211", 1000, 0), ("102", 0, 1000)]


def test_every_land_posting_uses_accounts_of_the_2023_chart() -> None:
    chart = chart_in_force(DAY)
    sample = event(
        signed_on=DAY,
        contract_no="HT-1",
        counterparty_name="某公司",
        way="capital_contribution",
        price_yuan=Decimal("1"),
        received_on=DAY,
        receipt_no="R",
        amount_yuan=Decimal("1"),
        channel="cash",
        assessed_on=DAY,
        notice_no="N",
        base_kind="gross_price",
        rate=Decimal("0.2"),
        levy_yuan=Decimal("1"),
        paid_on=DAY,
        approved_on=DAY,
        resolution={"reference": "R"},
        retained_yuan=Decimal("1"),
        members_yuan=Decimal("1"),
        batch_no="B",
        members_count=1,
    )
    used = {account for build in LAND_POSTINGS.values() for account, *_ in lines(build(sample))}
    assert used == {"101", "112", "141", "211", "214", "241", "311"}
    assert all(chart.has(account) for account in used)


def test_a_journey_leaves_receivables_special_payables_levy_and_members_payables_at_zero() -> None:
    drafts = [
        *contract_signed(
            event(
                signed_on=DAY,
                contract_no="HT",
                counterparty_name="X",
                way="grant",
                price_yuan=Decimal("100.00"),
            )
        ),
        *installment_received(
            event(received_on=DAY, receipt_no="1", amount_yuan=Decimal("100.00"), channel="bank")
        ),
        *levy_assessed(
            event(
                assessed_on=DAY,
                notice_no="N",
                base_kind="gross_price",
                rate=Decimal("0.2"),
                levy_yuan=Decimal("20.00"),
            )
        ),
        *levy_paid(
            event(paid_on=DAY, receipt_no="F", amount_yuan=Decimal("20.00"), channel="bank")
        ),
        *distribution_approved(
            event(
                approved_on=DAY,
                resolution={"reference": "R"},
                amount_yuan=Decimal("80.00"),
                retained_yuan=Decimal("24.00"),
                members_yuan=Decimal("56.00"),
            )
        ),
        *members_paid(
            event(
                paid_on=DAY,
                batch_no="B",
                members_count=2,
                amount_yuan=Decimal("56.00"),
                channel="bank",
            )
        ),
    ]
    balance: Counter[str] = Counter()
    for account, debit, credit in lines(drafts):
        balance[account] += debit - credit
    assert {a: b for a, b in balance.items() if b} == {"102": 2400, "311": -2400}
