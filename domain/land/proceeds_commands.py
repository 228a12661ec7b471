"""Commands on a parcel's proceeds: the adjustment fund, the use right, the distribution."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.land.rules import check_stage
from domain.land.service import ParcelService, applied
from domain.ledger.chart import chart_in_force
from domain.shared.errors import InvalidInput
from domain.shared.resolution import Resolution
from domain.shared.values import (
    PAYMENT_CHANNELS,
    Provenance,
    choice,
    non_negative_yuan,
    positive_yuan,
    required_text,
)

MAX_MEMBERS_PER_BATCH = 100_000


class ProceedsCommands(ParcelService):
    def assess_levy(
        self,
        parcel_id: UUID,
        notice_no: str,
        assessed_on: date,
        by: Provenance,
        deductible_cost_yuan: Decimal | str = "0",
    ) -> Decimal:
        """Assess the adjustment fund with the ``land.adjustment_fund`` policy in force for the
        parcel's place on the contract date (the rate for its planned use if one is set).
        deductible_cost_yuan: the costs of obtaining and developing the land, deducted when the
        base is the value-added income. Returns the levy in yuan."""
        parcel = self.get(parcel_id)
        chart_in_force(assessed_on)
        cost = non_negative_yuan(deductible_cost_yuan, "deductible_cost_yuan")
        if parcel.signed_on is None:  # no contract, no price: refuse before any policy lookup
            check_stage(parcel.stage, ("contracted",), "assessing the adjustment fund")
        assert parcel.signed_on is not None
        policy = self.policies.in_force(
            "land.adjustment_fund", parcel.village_code, parcel.signed_on
        )
        base_kind = str(policy.value["base"])
        if base_kind == "gross_price" and cost > 0:
            raise InvalidInput(
                "the adjustment fund in force is levied on the gross price: no costs are deducted",
                field="deductible_cost_yuan",
            )
        rates: dict[str, str] = policy.value.get("rate_by_use") or {}
        rate = Decimal(rates.get(parcel.planned_use, policy.value["rate"]))
        parcel.assess_levy(
            required_text(notice_no, "notice_no", 64),
            assessed_on,
            base_kind,
            rate,
            cost,
            applied(policy),
            by,
        )
        self._save(parcel)
        return parcel.levy_yuan

    def pay_levy(
        self,
        parcel_id: UUID,
        receipt_no: str,
        paid_on: date,
        by: Provenance,
        channel: str = "bank",
    ) -> None:
        """Pay the assessed adjustment fund in full (the amount comes from the assessment)."""
        parcel = self.get(parcel_id)
        chart_in_force(paid_on)
        parcel.pay_levy(
            required_text(receipt_no, "receipt_no", 64),
            paid_on,
            choice(channel, PAYMENT_CHANNELS, "channel"),
            by,
        )
        self._save(parcel)

    def register_use_right(
        self, parcel_id: UUID, certificate_no: str, registered_on: date, by: Provenance
    ) -> None:
        parcel = self.get(parcel_id)
        parcel.register_use_right(
            required_text(certificate_no, "certificate_no"), registered_on, by
        )
        self._save(parcel)

    def propose_distribution(
        self, parcel_id: UUID, amount_yuan: Decimal | str, proposed_on: date, by: Provenance
    ) -> None:
        """Propose distributing amount_yuan of the net proceeds, split by the plan's shares."""
        parcel = self.get(parcel_id)
        parcel.propose_distribution(positive_yuan(amount_yuan), proposed_on, by)
        self._save(parcel)

    def approve_distribution(
        self, parcel_id: UUID, resolution: dict[str, Any], by: Provenance
    ) -> None:
        """Needs ≥ 2/3 of ALL members or representatives; books the retained share."""
        parcel = self.get(parcel_id)
        parsed = Resolution.parse(resolution)
        chart_in_force(parsed.held_on)
        parcel.approve_distribution(parsed, by)
        self._save(parcel)

    def disclose_distribution(
        self, parcel_id: UUID, disclosed_on: date, reference: str, by: Provenance
    ) -> None:
        """reference: the disclosure notice (村务公开), e.g. its board and number."""
        parcel = self.get(parcel_id)
        parcel.disclose_distribution(disclosed_on, required_text(reference, "reference"), by)
        self._save(parcel)

    def pay_members(
        self,
        parcel_id: UUID,
        batch_no: str,
        amount_yuan: Decimal | str,
        members_count: int,
        paid_on: date,
        by: Provenance,
        channel: str = "bank",
    ) -> bool:
        """Returns False when this exact batch was recorded before (nothing recorded now)."""
        parcel = self.get(parcel_id)
        chart_in_force(paid_on)
        if (
            isinstance(members_count, bool)
            or not isinstance(members_count, int)
            or not 1 <= members_count <= MAX_MEMBERS_PER_BATCH
        ):
            raise InvalidInput(
                f"members_count must be 1–{MAX_MEMBERS_PER_BATCH}", field="members_count"
            )
        recorded = parcel.pay_members(
            required_text(batch_no, "batch_no", 64),
            positive_yuan(amount_yuan),
            members_count,
            paid_on,
            choice(channel, PAYMENT_CHANNELS, "channel"),
            by,
        )
        if recorded:
            self._save(parcel)
        return recorded
