"""A rent roll: many receipts of one village's rent, each received against an invoice of an
asset named by its code, recorded together or previewed.

Every row runs the very command a single receipt runs (``Asset.receive_rent`` with the checks of
rules.py: the invoice exists, the payment fits what is outstanding, the date is in the chart) on
the asset as the earlier rows of the roll left it, so two rows paying one invoice are checked
against each other. A row is accepted, already recorded (the very same receipt was recorded
before: a safe retry) or refused with the refusal's code, on its own; the accepted rows of every
asset are saved in ONE transaction, or, in a preview (``dry_run``), not at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.assets.errors import AssetNotFound
from domain.assets.model import Asset
from domain.ledger.chart import chart_in_force
from domain.shared.commands import get_or_refuse, translating_conflicts
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.values import (
    PAYMENT_CHANNELS,
    Provenance,
    check_village_code,
    choice,
    positive_yuan,
    required_text,
)

MAX_RENT_ROLL_ROWS = 1000


@dataclass(frozen=True)
class RentReceiptInput:
    """One row of a roll: the asset by its code (资产编号) in the roll's village."""

    asset_code: str
    receipt_no: str
    invoice_no: str
    amount_yuan: Decimal | str
    received_on: date
    channel: str = "bank"


# What became of one row of a rent roll, with their Chinese names.
ROW_STATUS_NAMES_ZH = {"accepted": "接受", "already_recorded": "已导入过", "refused": "拒绝"}
ROW_STATUSES = tuple(ROW_STATUS_NAMES_ZH)


@dataclass(frozen=True)
class RentReceiptOutcome:
    """status: accepted (recorded now, or would be in a preview) | already_recorded (the same
    receipt, recorded before: nothing new) | refused (reason_code: the refusal's code)."""

    receipt_no: str
    status: str
    reason_code: str | None = None
    asset_id: UUID | None = None


def receive_rent_roll(
    store: EventStore,
    village_code: str,
    rows: Sequence[RentReceiptInput],
    by: Provenance,
    dry_run: bool = False,
) -> list[RentReceiptOutcome]:
    """One outcome per row, in the rows' order; the accepted ones recorded in one transaction
    (none when ``dry_run``). A roll of no rows or of more than MAX_RENT_ROLL_ROWS is refused."""
    village = check_village_code(village_code)
    if not rows or len(rows) > MAX_RENT_ROLL_ROWS:
        raise InvalidInput(
            f"a rent roll has 1 to {MAX_RENT_ROLL_ROWS} rows, got {len(rows)}", field="receipts"
        )
    assets: dict[UUID, Asset] = {}
    changed: dict[UUID, Asset] = {}
    outcomes: list[RentReceiptOutcome] = []
    for row in rows:
        receipt_no = (row.receipt_no or "").strip()
        try:
            asset = _asset(store, assets, village, row.asset_code)
            chart_in_force(row.received_on)
            recorded = asset.receive_rent(
                required_text(row.receipt_no, "receipt_no", 64),
                required_text(row.invoice_no, "invoice_no", 64),
                positive_yuan(row.amount_yuan),
                row.received_on,
                choice(row.channel, PAYMENT_CHANNELS, "channel"),
                by,
            )
        except DomainError as refusal:
            outcomes.append(RentReceiptOutcome(receipt_no, "refused", refusal.code))
            continue
        if recorded:
            changed[asset.id] = asset
        status = "accepted" if recorded else "already_recorded"
        outcomes.append(RentReceiptOutcome(receipt_no, status, None, asset.id))
    if changed and not dry_run:
        with translating_conflicts():
            store.save(*changed.values())
    return outcomes


def _asset(store: EventStore, assets: dict[UUID, Asset], village: str, code: str) -> Asset:
    asset_id = Asset.create_id(village, required_text(code, "asset_code", 64))
    if asset_id not in assets:
        assets[asset_id] = get_or_refuse(store, asset_id, Asset, AssetNotFound, "asset_code")
    return assets[asset_id]
