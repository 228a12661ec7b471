"""Time travel on SQLite and PostgreSQL: the books as of an effective date and as known at a
recorded time, before and after a correction; any aggregate as it was at a version or a time."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from sqlalchemy import select

from domain.audit.errors import AggregateNotFound, AggregateNotRecordedByThen, VersionNotRecorded
from domain.shared.history import state_at
from projections.assets import invoices as register_invoices
from projections.ledger.queries import (
    StatementLine,
    TrialBalance,
    account_statement,
    trial_balance,
)
from projections.ledger.tables import invoices as ledger_invoices
from projections.replay import projection_digests
from qianwan.bootstrap import Registry
from tests.support import ACCOUNTANT, VILLAGE, leased_building

AS_OF = date(2024, 12, 31)


def pause() -> datetime:
    """A recorded time strictly between what came before and what comes after."""
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    return moment


def books(registry: Registry, known_at: datetime | None = None) -> TrialBalance:
    with registry.engine.connect() as conn:
        return trial_balance(conn, VILLAGE, AS_OF, known_at)


def lines_of(tb: TrialBalance) -> dict[str, tuple[Decimal, Decimal]]:
    return {line.account_code: (line.debit, line.credit) for line in tb.lines}


def mistyped_invoice(registry: Registry) -> UUID:
    """The lease's first year billed as 300,000.00 instead of 30,000.00, 10,000 received."""
    asset = leased_building(registry.assets)
    registry.assets.invoice_rent(
        asset,
        "FP-001",
        "300000",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    registry.assets.receive_rent(asset, "SJ-001", "FP-001", "10000", date(2024, 4, 10), ACCOUNTANT)
    return asset


def test_the_books_as_known_before_a_correction_and_as_known_after_it(seeded: Registry) -> None:
    asset = mistyped_invoice(seeded)
    before_correction = pause()
    seeded.assets.correct_invoice(asset, "FP-001", "30000", "amount_mistyped", ACCOUNTANT)
    after_correction = pause()

    then = books(seeded, known_at=before_correction)
    now = books(seeded, known_at=after_correction)

    # 2024-04-01..2024-12-31: 275 of the 365 days the invoice covers, the first days taking
    # the odd fen (docs/postings.md, "How a lump sum is split")
    assert lines_of(then) == {
        "102": (Decimal("10000.00"), Decimal("0.00")),
        "112": (Decimal("290000.00"), Decimal("0.00")),
        "151": (Decimal("120000.00"), Decimal("0.00")),
        "211": (Decimal("0.00"), Decimal("73972.00")),
        "311": (Decimal("0.00"), Decimal("120000.00")),
        "501": (Decimal("0.00"), Decimal("226028.00")),
    }
    assert lines_of(now) == {
        "102": (Decimal("10000.00"), Decimal("0.00")),
        "112": (Decimal("20000.00"), Decimal("0.00")),
        "151": (Decimal("120000.00"), Decimal("0.00")),
        "211": (Decimal("0.00"), Decimal("7397.10")),
        "311": (Decimal("0.00"), Decimal("120000.00")),
        "501": (Decimal("0.00"), Decimal("22602.90")),
    }
    assert lines_of(books(seeded)) == lines_of(now)  # as of the effective date: corrected
    assert then.known_at == before_correction
    for tb in (then, now):
        assert tb.total_debit == tb.total_credit


def test_the_journal_shows_the_original_and_the_correction_nothing_edited(
    seeded: Registry,
) -> None:
    asset = mistyped_invoice(seeded)
    with seeded.engine.connect() as conn:
        before = account_statement(conn, VILLAGE, "112", date(2024, 1, 1), AS_OF)
    seeded.assets.correct_invoice(asset, "FP-001", "30000", "amount_mistyped", ACCOUNTANT)
    with seeded.engine.connect() as conn:
        after = account_statement(conn, VILLAGE, "112", date(2024, 1, 1), AS_OF)

    def posted(line: StatementLine) -> tuple[str, str, Decimal, Decimal]:
        return (line.entry_id, line.description, line.debit, line.credit)

    kept = {posted(line) for line in before.lines}
    assert kept <= {posted(line) for line in after.lines}  # what was posted stays as it was
    added = [line for line in after.lines if posted(line) not in kept]
    assert [(line.debit, line.credit) for line in added] == [
        (Decimal("0.00"), Decimal("300000.00")),
        (Decimal("30000.00"), Decimal("0.00")),
    ]
    assert all(line.source_event_type == "Asset.InvoiceCorrected" for line in added)
    assert "amount_mistyped" in added[0].description
    assert after.closing_balance == Decimal("20000.00")


def test_a_correction_flows_into_the_register_and_a_later_termination(seeded: Registry) -> None:
    asset = mistyped_invoice(seeded)
    seeded.assets.correct_invoice(asset, "FP-001", "30000", "amount_mistyped", ACCOUNTANT)
    seeded.assets.reverse_receipt(asset, "SJ-001", "bank_returned", ACCOUNTANT)
    with seeded.engine.connect() as conn:
        kept = conn.execute(select(ledger_invoices.c.amount_fen)).scalar_one()
        registered = conn.execute(
            select(register_invoices.c.amount_fen, register_invoices.c.received_fen)
        ).one()
    assert kept == 3_000_000
    assert tuple(registered) == (3_000_000, 0)

    seeded.assets.terminate_contract(asset, date(2024, 9, 30), "mutual_agreement", ACCOUNTANT)
    tb = lines_of(books(seeded))
    # Income of 2024-04-01..09-30 (183 of the 365 days of the CORRECTED 30,000) stays and is
    # owed (the receipt was reversed); the rest of the invoice is cancelled.
    assert tb["501"] == (Decimal("0.00"), Decimal("15041.42"))
    assert tb["112"] == (Decimal("15041.42"), Decimal("0.00"))
    assert tb["102"] == tb["211"] == (Decimal("0.00"), Decimal("0.00"))


def test_corrections_rebuild_to_the_same_projections(seeded: Registry) -> None:
    asset = mistyped_invoice(seeded)
    seeded.assets.correct_invoice(asset, "FP-001", "30000", "amount_mistyped", ACCOUNTANT)
    seeded.assets.reverse_receipt(asset, "SJ-001", "duplicate_entry", ACCOUNTANT)
    built = projection_digests(seeded.engine, seeded.runner.projections)

    seeded.runner.rebuild()

    assert projection_digests(seeded.engine, seeded.runner.projections) == built


def test_an_aggregate_as_it_was_at_a_version_and_at_a_recorded_time(seeded: Registry) -> None:
    asset = mistyped_invoice(seeded)
    invoiced_version = seeded.assets.get(asset).version - 1
    before_correction = pause()
    seeded.assets.correct_invoice(asset, "FP-001", "30000", "amount_mistyped", ACCOUNTANT)

    at_version = state_at(seeded.store, asset, version=invoiced_version)
    at_time = state_at(seeded.store, asset, at=before_correction)
    now = state_at(seeded.store, asset)

    assert at_version.version == invoiced_version
    assert at_version.state["invoices"]["FP-001"]["received_yuan"] == "0.00"
    assert at_time.version == invoiced_version + 1
    assert at_time.state["invoices"]["FP-001"]["amount_yuan"] == "300000.00"
    assert now.state["invoices"]["FP-001"]["amount_yuan"] == "30000.00"
    assert now.state["invoices"]["FP-001"]["correction_reason"] == "amount_mistyped"
    assert (now.aggregate_type, now.aggregate_id) == ("Asset", asset)
    assert at_time.recorded_at <= before_correction < now.recorded_at


def test_time_travel_refuses_what_never_was(seeded: Registry) -> None:
    asset = mistyped_invoice(seeded)
    with pytest.raises(VersionNotRecorded):
        state_at(seeded.store, asset, version=99)
    with pytest.raises(VersionNotRecorded):
        state_at(seeded.store, asset, version=0)
    with pytest.raises(AggregateNotRecordedByThen):
        state_at(seeded.store, asset, at=datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(AggregateNotFound):
        state_at(seeded.store, UUID(int=7), at=datetime.now(UTC))
    with pytest.raises(AggregateNotFound):
        state_at(seeded.store, UUID(int=7))
