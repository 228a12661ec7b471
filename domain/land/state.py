"""What every step of a parcel reads: ParcelState, the entry plan it holds, and the record of a
policy a step applied.

ParcelState is a plain base of the Parcel aggregate (domain/land/model.py) and of its steps on
the market (market.py) and after the contract (proceeds.py): it declares the parcel's state and
the stage helpers they share, so that the step modules never import the aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.land.rules import STAGE_INDEX, check_not_before, check_stage


@dataclass(frozen=True)
class EntryPlan:
    """way: grant | lease | capital_contribution. listing_method: tender | auction | listing |
    agreement. reserve_price_yuan: the reserve price (底价). term_years: the use term.
    retained_share: the part of net proceeds kept in the collective's retained funds (0–1);
    members get the rest. drafted_on: the plan's date."""

    way: str
    listing_method: str
    reserve_price_yuan: Decimal
    term_years: int
    retained_share: Decimal
    drafted_on: date


@dataclass(frozen=True)
class AppliedPolicy:
    """The policy version a rule used: key, the jurisdiction whose value won, and the first day
    that value applied. Copied into the event so an auditor sees what applied on the day."""

    key: str
    jurisdiction: str
    effective_from: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "jurisdiction": self.jurisdiction,
            "effective_from": self.effective_from,
        }


class ParcelState:
    """The state of a parcel as its events left it (set by Parcel.__init__ and the @event
    methods only). stage: one of vocabulary.STAGES. last_step_on: the date of the latest step.
    receipts: receipt_no → (amount, day). member_batches: batch_no → (amount, members, day).
    distribution: amount_yuan, retained_yuan, members_yuan as proposed."""

    village_code: str
    parcel_code: str
    area_m2: Decimal
    location: str
    planned_use: str
    land_class: str
    certificate_no: str
    registered_on: date
    stage: str
    last_step_on: date
    plan: EntryPlan | None
    filed_on: date | None
    winner_name: str
    price_yuan: Decimal
    signed_on: date | None
    received_yuan: Decimal
    receipts: dict[str, tuple[Decimal, date]]
    levy_yuan: Decimal
    distribution: dict[str, Decimal]
    disclosed_on: date | None
    members_paid_yuan: Decimal
    member_batches: dict[str, tuple[Decimal, int, date]]

    def _advance(self, stage: str, on: date) -> None:
        self.stage = stage
        self.last_step_on = max(self.last_step_on, on)

    def _step(self, allowed: tuple[str, ...], on: date, step: str, field: str) -> None:
        check_stage(self.stage, allowed, step)
        check_not_before(on, self.last_step_on, step, field)

    def _at_least(self, stage: str) -> bool:
        return STAGE_INDEX[self.stage] >= STAGE_INDEX[stage]

    @property
    def outstanding_yuan(self) -> Decimal:
        return self.price_yuan - self.received_yuan

    @property
    def net_proceeds_received_yuan(self) -> Decimal:
        return self.received_yuan - self.levy_yuan
