"""Commands on collective assets. Each validates its input, loads the policies in force, lets the
aggregate check its rules, then saves: either everything is recorded or nothing is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.assets import rules
from domain.assets.billing import Installment
from domain.assets.errors import AssetNotFound, AssetRegisteredDifferently
from domain.assets.model import Asset
from domain.assets.rentroll import RentReceiptInput, RentReceiptOutcome, receive_rent_roll
from domain.assets.vocabulary import COUNTERPARTY_KINDS, MATTERS, MODES, TERMINATION_REASONS
from domain.ledger.chart import chart_in_force
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared import values
from domain.shared.commands import create_once, get_or_refuse, translating_conflicts
from domain.shared.errors import InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.resolution import Resolution
from domain.shared.values import (
    PAYMENT_CHANNELS,
    Provenance,
    choice,
    non_negative_yuan,
    positive_yuan,
    required_text,
)

MAX_INSTALLMENTS = 240  # 20 years of monthly rent
# The asset register keeps the area as text of at most 32 characters (projections/assets.py).
AREA_M2_MAX = Decimal("10000000000")  # 10,000 km²: ten times the whole district


@dataclass(frozen=True)
class InstallmentInput:
    due_on: date
    amount_yuan: Decimal | str
    covers_from: date
    covers_to: date


@dataclass(frozen=True)
class ContractInput:
    contract_no: str
    mode: str
    counterparty_name: str
    counterparty_kind: str
    signed_on: date
    start_on: date
    end_on: date
    rent_schedule: Sequence[InstallmentInput] = ()
    public_bidding: bool = False
    related_party: bool = False


def parse_schedule(items: Sequence[InstallmentInput]) -> list[Installment]:
    if len(items) > MAX_INSTALLMENTS:
        raise InvalidInput(f"at most {MAX_INSTALLMENTS} installments", field="rent_schedule")
    schedule = []
    for n, i in enumerate(items):
        amount = positive_yuan(i.amount_yuan, f"rent_schedule[{n}].amount_yuan")
        chart_in_force(i.due_on)
        schedule.append(Installment(i.due_on, amount, i.covers_from, i.covers_to))
    return schedule


class AssetApplication:
    def __init__(
        self, store: EventStore, places: ReferenceApplication, policies: PolicyApplication
    ) -> None:
        self.store = store
        self.places = places
        self.policies = policies

    # -- creation -------------------------------------------------------------------------

    def register_asset(
        self,
        village_code: str,
        asset_code: str,
        name: str,
        kind: str,
        area_m2: Decimal | str,
        location: str,
        registered_on: date,
        by: Provenance,
        certificate_no: str | None = None,
        book_value_yuan: Decimal | str = "0",
    ) -> UUID:
        """Register an asset; a retry with the same content returns the same id."""
        village = self.places.village(village_code)
        kinds = self.policies.in_force("assets.resource_kinds", village.code, registered_on)
        where = f"{village.code} on {registered_on}"
        source = f"policy of {kinds.jurisdiction} from {kinds.effective_from}"
        entry = rules.check_kind_allowed(kind, kinds.value, where, source)
        area = values.area_m2(area_m2, AREA_M2_MAX)
        book_value = non_negative_yuan(book_value_yuan, "book_value_yuan")
        book_account = None
        if book_value > 0:
            book_account = rules.check_carried_at_value(kind, entry)
            chart_in_force(registered_on)
        new = Asset(
            village_code=village.code,
            asset_code=required_text(asset_code, "asset_code", 64),
            name=required_text(name, "name"),
            kind=kind,
            area_m2=area,
            location=required_text(location, "location"),
            certificate_no=(
                required_text(certificate_no, "certificate_no")
                if (certificate_no or "").strip()
                else None
            ),
            book_value_yuan=book_value,
            book_account=book_account,
            sale_forbidden=bool(entry["sale_forbidden"]),
            registered_on=registered_on,
            actor=by.actor,
            authority=by.authority,
        )
        fields = ("name", "kind", "area_m2", "location", "book_value_yuan", "registered_on")
        return create_once(
            self.store,
            new,
            lambda old: all(getattr(old, f) == getattr(new, f) for f in fields),
            lambda old: AssetRegisteredDifferently(
                f"asset {asset_code} of {village.code} is registered already as {old.name}",
                field="asset_code",
            ),
        )

    # -- lifecycle ----------------------------------------------------------------------------

    def confirm_rights(
        self, asset_id: UUID, certificate_no: str, confirmed_on: date, by: Provenance
    ) -> None:
        asset = self.get(asset_id)
        asset.confirm_rights(required_text(certificate_no, "certificate_no"), confirmed_on, by)
        self._save(asset)

    def appraise(
        self,
        asset_id: UUID,
        appraised_value_yuan: Decimal | str,
        appraiser: str,
        report_no: str,
        appraised_on: date,
        by: Provenance,
    ) -> None:
        asset = self.get(asset_id)
        asset.appraise(
            positive_yuan(appraised_value_yuan, "appraised_value_yuan"),
            required_text(appraiser, "appraiser"),
            required_text(report_no, "report_no"),
            appraised_on,
            by,
        )
        self._save(asset)

    def approve_revitalization(
        self, asset_id: UUID, matter: str, resolution: dict[str, Any], by: Provenance
    ) -> None:
        asset = self.get(asset_id)
        asset.approve_revitalization(
            choice(matter, MATTERS, "matter"), Resolution.parse(resolution), by
        )
        self._save(asset)

    def record_rejection(
        self, asset_id: UUID, matter: str, resolution: dict[str, Any], by: Provenance
    ) -> None:
        asset = self.get(asset_id)
        asset.record_rejection(choice(matter, MATTERS, "matter"), Resolution.parse(resolution), by)
        self._save(asset)

    def list_for_bidding(
        self,
        asset_id: UUID,
        exchange: str,
        listing_no: str,
        listed_on: date,
        reserve_price_yuan: Decimal | str,
        by: Provenance,
    ) -> None:
        asset = self.get(asset_id)
        asset.list_for_bidding(
            required_text(exchange, "exchange"),
            required_text(listing_no, "listing_no"),
            listed_on,
            positive_yuan(reserve_price_yuan, "reserve_price_yuan"),
            by,
        )
        self._save(asset)

    def sign_contract(self, asset_id: UUID, contract: ContractInput, by: Provenance) -> None:
        asset = self.get(asset_id)
        threshold = self._bidding_threshold(asset, contract.signed_on)
        asset.sign_contract(
            contract_no=required_text(contract.contract_no, "contract_no", 64),
            mode=choice(contract.mode, MODES, "mode"),
            counterparty_name=required_text(contract.counterparty_name, "counterparty_name"),
            counterparty_kind=choice(
                contract.counterparty_kind, COUNTERPARTY_KINDS, "counterparty_kind"
            ),
            related_party=contract.related_party,
            signed_on=contract.signed_on,
            start_on=contract.start_on,
            end_on=contract.end_on,
            rent_schedule=parse_schedule(contract.rent_schedule),
            public_bidding=contract.public_bidding,
            bidding_threshold_yuan=threshold,
            by=by,
        )
        self._save(asset)

    def renew_contract(
        self,
        asset_id: UUID,
        new_end_on: date,
        resolution: dict[str, Any],
        renewed_on: date,
        by: Provenance,
        additional_schedule: Sequence[InstallmentInput] = (),
    ) -> None:
        asset = self.get(asset_id)
        asset.renew_contract(
            new_end_on,
            Resolution.parse(resolution),
            renewed_on,
            parse_schedule(additional_schedule),
            by,
        )
        self._save(asset)

    def terminate_contract(
        self, asset_id: UUID, terminated_on: date, reason: str, by: Provenance
    ) -> None:
        asset = self.get(asset_id)
        asset.terminate_contract(terminated_on, choice(reason, TERMINATION_REASONS, "reason"), by)
        self._save(asset)

    def invoice_rent(
        self,
        asset_id: UUID,
        invoice_no: str,
        amount_yuan: Decimal | str,
        issued_on: date,
        due_on: date,
        covers_from: date,
        covers_to: date,
        by: Provenance,
    ) -> bool:
        """Returns False when this exact invoice was recorded before (nothing recorded now)."""
        asset = self.get(asset_id)
        chart_in_force(issued_on)
        recorded = asset.invoice_rent(
            required_text(invoice_no, "invoice_no", 64),
            positive_yuan(amount_yuan),
            issued_on,
            due_on,
            covers_from,
            covers_to,
            by,
        )
        if recorded:
            self._save(asset)
        return recorded

    def receive_rent(
        self,
        asset_id: UUID,
        receipt_no: str,
        invoice_no: str,
        amount_yuan: Decimal | str,
        received_on: date,
        by: Provenance,
        channel: str = "bank",
    ) -> bool:
        """Returns False when this exact receipt was recorded before (nothing recorded now)."""
        asset = self.get(asset_id)
        chart_in_force(received_on)
        recorded = asset.receive_rent(
            required_text(receipt_no, "receipt_no", 64),
            required_text(invoice_no, "invoice_no", 64),
            positive_yuan(amount_yuan),
            received_on,
            choice(channel, PAYMENT_CHANNELS, "channel"),
            by,
        )
        if recorded:
            self._save(asset)
        return recorded

    def receive_rent_roll(
        self, village_code: str, rows: Sequence[RentReceiptInput], by: Provenance, dry_run: bool
    ) -> list[RentReceiptOutcome]:
        """Receipts of a village's rent roll, each as receive_rent; dry_run: a preview."""
        return receive_rent_roll(self.store, village_code, rows, by, dry_run)

    def correct_invoice(
        self,
        asset_id: UUID,
        invoice_no: str,
        corrected_amount_yuan: Decimal | str,
        reason_code: str,
        by: Provenance,
    ) -> bool:
        """Correct a mistaken invoice amount with an ``InvoiceCorrected`` event: the books
        reverse the original entries and post the corrected ones. Returns False when this very
        correction was recorded before (nothing recorded now)."""
        asset = self.get(asset_id)
        recorded = asset.correct_invoice(
            required_text(invoice_no, "invoice_no", 64),
            positive_yuan(corrected_amount_yuan, "corrected_amount_yuan"),
            reason_code,
            by,
        )
        if recorded:
            self._save(asset)
        return recorded

    def reverse_receipt(
        self, asset_id: UUID, receipt_no: str, reason_code: str, by: Provenance
    ) -> bool:
        """Reverse a receipt with a ``ReceiptReversed`` event (Dr 112 / Cr 102 or 101). Returns
        False when it was reversed for this reason before (nothing recorded now)."""
        asset = self.get(asset_id)
        recorded = asset.reverse_receipt(
            required_text(receipt_no, "receipt_no", 64), reason_code, by
        )
        if recorded:
            self._save(asset)
        return recorded

    def mark_in_arrears(self, asset_id: UUID, invoice_no: str, as_of: date, by: Provenance) -> None:
        asset = self.get(asset_id)
        asset.mark_in_arrears(invoice_no, as_of, by)
        self._save(asset)

    def dispose(
        self,
        asset_id: UUID,
        disposed_on: date,
        proceeds_yuan: Decimal | str,
        counterparty_name: str,
        public_bidding: bool,
        by: Provenance,
    ) -> None:
        asset = self.get(asset_id)
        chart_in_force(disposed_on)
        asset.dispose(
            disposed_on,
            non_negative_yuan(proceeds_yuan, "proceeds_yuan"),
            required_text(counterparty_name, "counterparty_name"),
            public_bidding,
            self._bidding_threshold(asset, disposed_on),
            by,
        )
        self._save(asset)

    # -- queries ------------------------------------------------------------------------------

    def check_kind_known(self, kind: str, place_codes: Sequence[str]) -> str:
        """``kind`` when a version of ``assets.resource_kinds`` for one of these places (or
        above it: town, district, CN) ever listed it; ``resource_kind_unknown`` otherwise. The
        list is a policy a district revises (docs/rules.md A-01): looked up, never fixed."""
        listed: dict[str, None] = {}
        for place in place_codes:
            for version in self.policies.every_version("assets.resource_kinds", place):
                listed.update((str(k["code"]), None) for k in version.value)
        return rules.check_kind_listed(kind, list(listed))

    def get(self, asset_id: UUID, version: int | None = None) -> Asset:
        return get_or_refuse(self.store, asset_id, Asset, AssetNotFound, "asset_id", version)

    def id_of(self, village_code: str, asset_code: str) -> UUID:
        return Asset.create_id(village_code, asset_code)

    # -- internals ----------------------------------------------------------------------------

    def _bidding_threshold(self, asset: Asset, on: date) -> Decimal:
        policy = self.policies.in_force(
            "assets.public_bidding_threshold_yuan", asset.village_code, on
        )
        return Decimal(policy.value)

    def _save(self, asset: Asset) -> None:
        with translating_conflicts():
            self.store.save(asset)
