"""The postings of meal settlements: balanced, on the 2023 chart, by operator kind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from domain.ledger.chart import chart_in_force
from projections.ledger import postings_meals as p
from projections.ledger.postings import EntryDraft


def approved(operator_kind: str, **amounts: str) -> Any:
    values = {
        "government_yuan": "500.00",
        "collective_yuan": "300.00",
        "elder_yuan": "2400.00",
        "clawback_government_yuan": "0.00",
        "clawback_collective_yuan": "0.00",
        "clawback_elder_yuan": "0.00",
    } | amounts
    return SimpleNamespace(
        approved_on=date(2024, 6, 6),
        month="2024-05",
        operator_kind=operator_kind,
        **{k: Decimal(v) for k, v in values.items()},
    )


def net(drafts: list[EntryDraft]) -> dict[str, int]:
    """Debit minus credit per account over all the drafts."""
    result: dict[str, int] = {}
    for d in drafts:
        assert sum(x.debit_fen for x in d.lines) == sum(x.credit_fen for x in d.lines)
        for line in d.lines:
            assert chart_in_force(d.entry_date).has(line.account)
            result[line.account] = result.get(line.account, 0) + line.debit_fen - line.credit_fen
    return {k: v for k, v in result.items() if v}


def test_a_contractors_claim_owes_the_subsidy_and_the_top_up_through_211() -> None:
    assert net(p.settlement_approved(approved("contractor"))) == {
        "241": 50000,
        "514": 30000,
        "211": -80000,
    }


def test_a_clawback_reduces_what_is_owed_in_an_entry_of_its_own() -> None:
    drafts = p.settlement_approved(
        approved("contractor", clawback_government_yuan="47.00", clawback_collective_yuan="16.00")
    )
    assert len(drafts) == 2
    assert net(drafts[1:]) == {"211": 6300, "241": -4700, "514": -1600}
    assert net(drafts) == {"241": 45300, "514": 28400, "211": -73700}


def test_a_collective_run_canteen_books_the_full_price_as_its_meal_income() -> None:
    assert net(p.settlement_approved(approved("collective"))) == {
        "241": 50000,
        "514": 30000,
        "101": 240000,
        "501": -320000,
    }


def test_subsidy_received_and_payment_close_241_and_211() -> None:
    contractor = approved("contractor")
    received = SimpleNamespace(received_on=date(2024, 6, 10), amount_yuan=Decimal("500.00"))
    paid = SimpleNamespace(
        paid_on=date(2024, 6, 11),
        amount_yuan=Decimal("800.00"),
        channel="bank",
        operator_kind="contractor",
    )
    drafts = p.settlement_approved(contractor) + p.subsidy_received(received)
    drafts += p.settlement_paid(paid)
    assert net(drafts) == {"514": 30000, "102": -30000}


def test_negative_amounts_reverse_the_direction() -> None:
    refund = SimpleNamespace(received_on=date(2024, 7, 10), amount_yuan=Decimal("-47.00"))
    assert net(p.subsidy_received(refund)) == {"241": 4700, "102": -4700}
    back = SimpleNamespace(
        paid_on=date(2024, 7, 11),
        amount_yuan=Decimal("-63.00"),
        channel="bank",
        operator_kind="contractor",
    )
    assert net(p.settlement_paid(back)) == {"102": 6300, "211": -6300}


def test_paying_a_collective_run_canteen_moves_nothing() -> None:
    paid = SimpleNamespace(
        paid_on=date(2024, 6, 11),
        amount_yuan=Decimal("800.00"),
        channel="bank",
        operator_kind="collective",
    )
    assert p.settlement_paid(paid) == []
