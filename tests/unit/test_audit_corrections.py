"""Corrections of assets' money facts: an invoice corrected, a receipt reversed. Each is a new
event with a reason code; nothing recorded before is edited; the postings reverse and repost.
Every refusal has its code, and nothing is recorded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from uuid import UUID

import pytest

from domain.assets.application import AssetApplication
from domain.assets.vocabulary import CORRECTION_REASONS, INVOICE_CORRECTION_REASONS
from projections.ledger import postings
from tests.conftest import Memory
from tests.support import ACCOUNTANT, leased_building, refused

Command = Callable[[AssetApplication, UUID], object]


def invoiced(a: AssetApplication, amount: str = "90000") -> UUID:
    """A lease with one invoice for three years from 2024-04-01, 40,000 of it received."""
    asset = leased_building(a)
    a.invoice_rent(
        asset,
        "FP-001",
        amount,
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2027, 3, 31),
        ACCOUNTANT,
    )
    a.receive_rent(asset, "SJ-001", "FP-001", "40000", date(2024, 4, 10), ACCOUNTANT)
    return asset


def balances(drafts: list[postings.EntryDraft]) -> dict[tuple[date, str], int]:
    """Net debit per (date, account)."""
    net: dict[tuple[date, str], int] = defaultdict(int)
    for d in drafts:
        for line in d.lines:
            net[(d.entry_date, line.account)] += line.debit_fen - line.credit_fen
    return {k: v for k, v in net.items() if v}


# -- the commands ----------------------------------------------------------------------------------


def test_a_corrected_invoice_keeps_its_history_and_shows_the_new_amount(memory: Memory) -> None:
    asset_id = invoiced(memory.assets)
    before = memory.assets.get(asset_id).version

    assert memory.assets.correct_invoice(asset_id, "FP-001", "45000", "amount_mistyped", ACCOUNTANT)

    asset = memory.assets.get(asset_id)
    assert asset.version == before + 1
    assert asset.invoices["FP-001"].amount_yuan == Decimal("45000.00")
    assert asset.invoices["FP-001"].outstanding_yuan == Decimal("5000.00")
    old = memory.assets.get(asset_id, version=before)
    assert old.invoices["FP-001"].amount_yuan == Decimal("90000.00")  # nothing edited
    # the same correction again is a safe retry: nothing recorded
    assert not memory.assets.correct_invoice(
        asset_id, "FP-001", "45000", "amount_mistyped", ACCOUNTANT
    )
    assert memory.assets.get(asset_id).version == before + 1


def test_a_reversed_receipt_is_owed_again_and_its_number_stays_used(memory: Memory) -> None:
    asset_id = invoiced(memory.assets)

    assert memory.assets.reverse_receipt(asset_id, "SJ-001", "bank_returned", ACCOUNTANT)

    asset = memory.assets.get(asset_id)
    assert asset.invoices["FP-001"].received_yuan == Decimal("0.00")
    assert asset.receipts["SJ-001"]["reversal_reason"] == "bank_returned"
    assert not memory.assets.reverse_receipt(asset_id, "SJ-001", "bank_returned", ACCOUNTANT)
    # a retry of the original receipt records nothing either: the number is used
    assert not memory.assets.receive_rent(
        asset_id, "SJ-001", "FP-001", "40000", date(2024, 4, 10), ACCOUNTANT
    )
    # and the invoice can now be corrected below what had been received
    assert memory.assets.correct_invoice(asset_id, "FP-001", "30000", "billing_error", ACCOUNTANT)


def terminated(a: AssetApplication) -> UUID:
    asset = invoiced(a)
    a.terminate_contract(asset, date(2025, 9, 30), "mutual_agreement", ACCOUNTANT)
    return asset


REFUSALS: list[tuple[str, Callable[[AssetApplication], UUID], Command, str]] = [
    (
        "an unknown reason",
        invoiced,
        lambda a, i: a.correct_invoice(i, "FP-001", "9000", "typo", ACCOUNTANT),
        "correction_reason_unknown",
    ),
    (
        "a receipt reason for an invoice",
        invoiced,
        lambda a, i: a.correct_invoice(i, "FP-001", "9000", "bank_returned", ACCOUNTANT),
        "correction_reason_unknown",
    ),
    (
        "an invoice that does not exist",
        invoiced,
        lambda a, i: a.correct_invoice(i, "FP-404", "9000", "amount_mistyped", ACCOUNTANT),
        "invoice_not_found",
    ),
    (
        "the amount it has already",
        invoiced,
        lambda a, i: a.correct_invoice(i, "FP-001", "90000", "amount_mistyped", ACCOUNTANT),
        "correction_changes_nothing",
    ),
    (
        "below what was received",
        invoiced,
        lambda a, i: a.correct_invoice(i, "FP-001", "39999.99", "amount_mistyped", ACCOUNTANT),
        "corrected_amount_below_received",
    ),
    (
        "a zero amount",
        invoiced,
        lambda a, i: a.correct_invoice(i, "FP-001", "0", "amount_mistyped", ACCOUNTANT),
        "amount_not_positive",
    ),
    (
        "an amount beyond the fen",
        invoiced,
        lambda a, i: a.correct_invoice(i, "FP-001", "9000.001", "amount_mistyped", ACCOUNTANT),
        "amount_not_in_fen",
    ),
    (
        "an invoice of a terminated contract",
        terminated,
        lambda a, i: a.correct_invoice(i, "FP-001", "80000", "billing_error", ACCOUNTANT),
        "invoice_contract_not_in_force",
    ),
    (
        "a receipt that does not exist",
        invoiced,
        lambda a, i: a.reverse_receipt(i, "SJ-404", "duplicate_entry", ACCOUNTANT),
        "receipt_not_found",
    ),
    (
        "an invoice reason for a receipt",
        invoiced,
        lambda a, i: a.reverse_receipt(i, "SJ-001", "billing_error", ACCOUNTANT),
        "correction_reason_unknown",
    ),
]


@pytest.mark.parametrize(
    ("given", "command", "code"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_a_refused_correction_records_nothing(
    memory: Memory, given: Callable[[AssetApplication], UUID], command: Command, code: str
) -> None:
    asset_id = given(memory.assets)
    version = memory.assets.get(asset_id).version
    with refused(memory.store, code):
        command(memory.assets, asset_id)
    assert memory.assets.get(asset_id).version == version


def test_a_receipt_reversed_once_cannot_be_reversed_for_another_reason(memory: Memory) -> None:
    asset_id = invoiced(memory.assets)
    memory.assets.reverse_receipt(asset_id, "SJ-001", "duplicate_entry", ACCOUNTANT)
    with refused(memory.store, "receipt_already_reversed"):
        memory.assets.reverse_receipt(asset_id, "SJ-001", "bank_returned", ACCOUNTANT)


def test_every_reason_code_is_documented() -> None:
    assert set(INVOICE_CORRECTION_REASONS) <= set(CORRECTION_REASONS)
    assert all(CORRECTION_REASONS.values())


# -- the postings ----------------------------------------------------------------------------------


def correction(previous: str, corrected: str) -> SimpleNamespace:
    return SimpleNamespace(
        invoice_no="FP-001",
        mode="lease",
        previous_amount_yuan=Decimal(previous),
        corrected_amount_yuan=Decimal(corrected),
        issued_on=date(2024, 4, 1),
        covers_from=date(2024, 4, 1),
        covers_to=date(2027, 3, 31),
        reason_code="amount_mistyped",
    )


def test_a_correction_reverses_every_original_line_and_posts_the_corrected_split() -> None:
    e = correction("90000", "9000")
    original = postings.invoice_entries(
        "FP-001", "lease", 9_000_000, e.issued_on, e.covers_from, e.covers_to
    )
    corrected = postings.invoice_entries(
        "FP-001", "lease", 900_000, e.issued_on, e.covers_from, e.covers_to
    )

    drafts = postings.invoice_corrected(e)

    assert len(drafts) == len(original) + len(corrected) == 8  # 2024 + three 1 Januaries, twice
    assert all(d.description.startswith("冲销（amount_mistyped）：") for d in drafts[:4])
    assert all(d.description.startswith("更正：") for d in drafts[4:])
    # net effect on each day and account: the corrected split minus the original one
    expected = balances(corrected)
    for key, fen in balances(original).items():
        expected[key] = expected.get(key, 0) - fen
    assert balances(drafts) == {k: v for k, v in expected.items() if v}
    assert balances(drafts[:4] + original) == {}  # the reversal cancels the original exactly


def test_a_reversed_receipt_posts_the_receivable_back_from_its_cash_account() -> None:
    e = SimpleNamespace(
        receipt_no="SJ-001",
        invoice_no="FP-001",
        amount_yuan=Decimal("40000.00"),
        received_on=date(2024, 4, 10),
        channel="cash",
        reason_code="duplicate_entry",
    )
    (draft,) = postings.receipt_reversed(e)

    assert draft.entry_date == date(2024, 4, 10)
    assert [(x.account, x.debit_fen, x.credit_fen) for x in draft.lines] == [
        ("112", 4_000_000, 0),
        ("101", 0, 4_000_000),
    ]
