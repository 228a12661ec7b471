"""The village books as the projections keep them, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from projections.ledger.queries import account_balance, account_statement, trial_balance
from projections.ledger.tables import entries, lines
from qianwan.bootstrap import Registry
from tests.support import (
    ACCOUNTANT,
    OTHER_VILLAGE,
    VILLAGE,
    contracted_building,
    lease_contract,
    refused,
    resolution,
)


def rented_building(registry: Registry) -> UUID:
    """Book value 120,000; a year's rent of 36,500 (100 a day) invoiced 2024-04-01, paid 04-10."""
    asset_id = contracted_building(registry.assets, lease_contract(yearly_rent="36500"))
    registry.assets.invoice_rent(
        asset_id,
        "FP-001",
        "36500",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    registry.assets.receive_rent(
        asset_id, "SJ-001", "FP-001", "36500", date(2024, 4, 10), ACCOUNTANT
    )
    return asset_id


def balances(registry: Registry, as_of: date, village: str = VILLAGE) -> dict[str, Decimal]:
    """Each account of the trial balance: debit balance positive, credit balance negative."""
    with registry.engine.connect() as conn:
        tb = trial_balance(conn, village, as_of)
    assert tb.total_debit == tb.total_credit, f"unbalanced on {as_of}"
    assert tb.chart_version == "2023"
    return {line.account_code: line.debit - line.credit for line in tb.lines}


def yuan(amounts: dict[str, str]) -> dict[str, Decimal]:
    return {account: Decimal(amount) for account, amount in amounts.items()}


def test_the_trial_balance_balances_and_shows_the_rent_on_every_date(seeded: Registry) -> None:
    rented_building(seeded)
    books = {"151": "120000", "311": "-120000"}

    assert balances(seeded, date(2024, 1, 9)) == {}
    assert balances(seeded, date(2024, 1, 10)) == yuan(books)
    invoiced = {**books, "112": "36500", "501": "-27500", "211": "-9000"}
    assert balances(seeded, date(2024, 4, 1)) == yuan(invoiced)
    received = {**invoiced, "102": "36500", "112": "0"}
    assert balances(seeded, date(2024, 4, 10)) == yuan(received)
    assert balances(seeded, date(2024, 12, 31)) == yuan(received)
    next_year = {**received, "501": "-36500", "211": "0"}  # 2025's share is 2025's income
    assert balances(seeded, date(2025, 1, 1)) == yuan(next_year)
    for n in range(0, 800, 7):  # and balanced on a date each week in between
        balances(seeded, date(2024, 1, 1) + timedelta(days=n))


def test_each_village_has_its_own_books(seeded: Registry) -> None:
    rented_building(seeded)
    assert balances(seeded, date(2025, 1, 1), OTHER_VILLAGE) == {}


def test_account_balance_is_debit_minus_credit_up_to_the_date(seeded: Registry) -> None:
    rented_building(seeded)
    with seeded.engine.connect() as conn:
        assert account_balance(conn, VILLAGE, "211", date(2024, 3, 31)) == Decimal("0.00")
        assert account_balance(conn, VILLAGE, "211", date(2024, 12, 31)) == Decimal("-9000.00")
        assert account_balance(conn, VILLAGE, "211", date(2025, 1, 1)) == Decimal("0.00")
        assert account_balance(conn, VILLAGE, "102", date(2024, 4, 9)) == Decimal("0.00")
        assert account_balance(conn, VILLAGE, "102", date(2024, 4, 10)) == Decimal("36500.00")


def test_a_statement_line_points_back_to_the_event_it_came_from(seeded: Registry) -> None:
    asset_id = rented_building(seeded)
    with seeded.engine.connect() as conn:
        statement = account_statement(conn, VILLAGE, "501", date(2024, 1, 1), date(2025, 12, 31))

    assert statement.account_name == "经营收入"
    assert statement.opening_balance == Decimal("0.00")
    assert [(s.entry_date, s.credit, s.balance) for s in statement.lines] == [
        (date(2024, 4, 1), Decimal("27500.00"), Decimal("-27500.00")),
        (date(2025, 1, 1), Decimal("9000.00"), Decimal("-36500.00")),
    ]
    assert statement.closing_balance == Decimal("-36500.00")
    invoiced = [
        e
        for e in seeded.store.events.get(asset_id)
        if type(e).__qualname__.endswith("RentInvoiced")
    ]
    assert len(invoiced) == 1
    for line in statement.lines:
        assert line.source_aggregate_id == str(asset_id)
        assert line.source_version == invoiced[0].originator_version
        assert line.source_event_type == "Asset.RentInvoiced"
        assert (line.actor, line.authority) == (ACCOUNTANT.actor, ACCOUNTANT.authority)
        (notification,) = seeded.store.recorder.select_notifications(
            line.source_notification_id, 1, stop=line.source_notification_id
        )
        assert notification.originator_id == asset_id
        assert notification.originator_version == line.source_version


def test_a_statement_opens_with_the_balance_before_its_first_day(seeded: Registry) -> None:
    rented_building(seeded)
    with seeded.engine.connect() as conn:
        statement = account_statement(conn, VILLAGE, "112", date(2024, 4, 5), date(2024, 12, 31))
    assert statement.opening_balance == Decimal("36500.00")
    assert [(s.debit, s.credit, s.source_event_type) for s in statement.lines] == [
        (Decimal("0.00"), Decimal("36500.00"), "Asset.RentReceived")
    ]
    assert statement.closing_balance == Decimal("0.00")


def test_every_journal_entry_balances_and_comes_from_an_event_in_the_store(
    seeded: Registry,
) -> None:
    asset_id = rented_building(seeded)
    seeded.assets.terminate_contract(asset_id, date(2024, 12, 31), "mutual_agreement", ACCOUNTANT)
    with seeded.engine.connect() as conn:
        rows = (
            conn.execute(
                select(entries).join(lines, lines.c.entry_id == entries.c.entry_id).distinct()
            )
            .mappings()
            .all()
        )
        orphans = conn.scalar(
            select(func.count())
            .select_from(lines)
            .where(lines.c.entry_id.not_in(select(entries.c.entry_id)))
        )
        unbalanced = conn.execute(
            select(lines.c.entry_id)
            .group_by(lines.c.entry_id)
            .having(func.sum(lines.c.debit_fen) != func.sum(lines.c.credit_fen))
        ).all()
    assert rows
    assert (orphans, unbalanced) == (0, [])
    for row in rows:
        assert row["chart_version"] == "2023"
        assert row["entry_id"].startswith(f"{row['source_notification_id']}-")
        found = seeded.store.recorder.select_notifications(
            row["source_notification_id"], 1, stop=row["source_notification_id"]
        )
        assert len(found) == 1, row
        assert str(found[0].originator_id) == row["source_aggregate_id"]
        assert found[0].originator_version == row["source_version"]
        event: Any = seeded.store.mapper.to_domain_event(found[0])
        assert type(event).__qualname__ == row["source_event_type"]
        assert event.actor == row["actor"]


def test_a_termination_keeps_the_income_earned_and_owes_the_rest_back(seeded: Registry) -> None:
    asset_id = rented_building(seeded)

    seeded.assets.terminate_contract(asset_id, date(2024, 12, 31), "mutual_agreement", ACCOUNTANT)

    after = balances(seeded, date(2025, 1, 1))
    assert {a: after[a] for a in ("501", "211", "102")} == yuan(
        {"501": "-27500", "211": "-9000", "102": "36500"}
    )


def test_a_termination_cancels_unearned_rent_that_was_never_received(seeded: Registry) -> None:
    """Invoiced 36,500 for 2024-04-01..2025-03-31 (100 a day), 10,000 received, then the
    contract ends on 2024-12-31: 9,000 of rent for 2025 is no longer owed. It comes off 112,
    not into 211, because nothing of it was paid in advance."""
    asset_id = contracted_building(seeded.assets, lease_contract(yearly_rent="36500"))
    seeded.assets.invoice_rent(
        asset_id,
        "FP-001",
        "36500",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    seeded.assets.receive_rent(asset_id, "SJ-001", "FP-001", "10000", date(2024, 4, 10), ACCOUNTANT)

    seeded.assets.terminate_contract(asset_id, date(2024, 12, 31), "mutual_agreement", ACCOUNTANT)

    after = balances(seeded, date(2025, 6, 30))
    assert {a: after.get(a, Decimal(0)) for a in ("501", "211", "112", "102")} == yuan(
        {"501": "-27500", "211": "0", "112": "17500", "102": "10000"}
    )
    invoice = seeded.assets.get(asset_id).invoices["FP-001"]
    assert (invoice.cancelled_yuan, invoice.outstanding_yuan) == (
        Decimal("9000.00"),
        Decimal("17500.00"),
    )
    with refused(seeded.store, "payment_exceeds_amount_due"):
        seeded.assets.receive_rent(
            asset_id, "SJ-002", "FP-001", "26500", date(2025, 1, 5), ACCOUNTANT
        )


def test_a_disposal_takes_the_asset_off_the_books_with_its_gain(seeded: Registry) -> None:
    asset_id = rented_building(seeded)
    seeded.assets.terminate_contract(asset_id, date(2024, 12, 31), "mutual_agreement", ACCOUNTANT)
    seeded.assets.approve_revitalization(
        asset_id, "disposal", resolution(held_on=date(2025, 2, 1)), ACCOUNTANT
    )
    seeded.assets.list_for_bidding(
        asset_id, "溧水区农村产权交易中心", "LS-2025-02", date(2025, 2, 10), "120000", ACCOUNTANT
    )

    seeded.assets.dispose(asset_id, date(2025, 3, 1), "150000", "某公司", True, ACCOUNTANT)

    after = balances(seeded, date(2025, 3, 1))
    assert {a: after.get(a, Decimal(0)) for a in ("151", "154", "504")} == yuan(
        {"151": "0", "154": "0", "504": "-30000"}
    )
    assert after["102"] == Decimal("186500.00")
