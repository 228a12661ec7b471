"""A parcel of collective operating construction land entering the market (入市).

registered → planning conditions issued → plan drafted → plan approved (≥ 2/3 of all members or
representatives) → plan filed → listed → awarded → contracted (installments received) → levy
assessed → levy paid → use right registered → distribution proposed → approved → disclosed →
paid. The order is strict (rules.STAGES). Public command methods run their checks and raise a
domain error before anything happens; the private ``@event`` methods only apply the change.
Policy values the rules used are passed in by the application and recorded in the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.land import market, proceeds, rules
from domain.land.rules import STAGE_INDEX, AppliedPolicy, check_not_before, check_stage
from domain.shared.aggregate import QianwanAggregate
from domain.shared.resolution import Resolution
from domain.shared.values import ZERO, Provenance, deterministic_id


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


class Parcel(QianwanAggregate):
    """A parcel of a village collective, identified by its village and parcel code (宗地代码)."""

    @staticmethod
    def create_id(village_code: str, parcel_code: str) -> UUID:
        return deterministic_id("parcel", village_code, parcel_code)

    @event("Registered")
    def __init__(
        self,
        village_code: str,
        parcel_code: str,
        area_m2: Decimal,
        location: str,
        planned_use: str,
        land_class: str,
        certificate_no: str,
        registered_on: date,
        actor: str,
        authority: str | None,
    ) -> None:
        """village_code: the owning collective. parcel_code: unique in the village. area_m2,
        location. planned_use: from the land-use plan (domain/land/uses.py), an operating use.
        land_class: collective_construction_land. certificate_no: the land certificate."""
        self.village_code = village_code
        self.parcel_code = parcel_code
        self.area_m2 = area_m2
        self.location = location
        self.planned_use = planned_use
        self.land_class = land_class
        self.certificate_no = certificate_no
        self.registered_on = registered_on
        self.stage = "registered"
        self.last_step_on = registered_on
        self.plan: EntryPlan | None = None
        self.filed_on: date | None = None
        self.winner_name = ""
        self.price_yuan = ZERO
        self.signed_on: date | None = None
        self.received_yuan = ZERO
        self.receipts: dict[str, tuple[Decimal, date]] = {}
        self.levy_yuan = ZERO
        self.distribution: dict[str, Decimal] = {}
        self.disclosed_on: date | None = None
        self.members_paid_yuan = ZERO
        self.member_batches: dict[str, tuple[Decimal, int, date]] = {}

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

    # -- planning and the collective's decision -------------------------------------------------

    def issue_planning_conditions(
        self, document_no: str, issued_by: str, issued_on: date, by: Provenance
    ) -> None:
        self._step(("registered",), issued_on, "issuing planning conditions", "issued_on")
        self._planning_conditions_issued(
            document_no=document_no,
            issued_by=issued_by,
            issued_on=issued_on,
            actor=by.actor,
            authority=by.authority,
        )

    @event("PlanningConditionsIssued")
    def _planning_conditions_issued(
        self, document_no: str, issued_by: str, issued_on: date, actor: str, authority: str | None
    ) -> None:
        """document_no: the planning conditions (规划条件) from issued_by (natural resources)."""
        self._advance("planning_conditions_issued", issued_on)

    def draft_plan(
        self,
        plan: EntryPlan,
        agreement_uses: list[str],
        term_maxima: dict[str, int],
        applied: list[AppliedPolicy],
        by: Provenance,
    ) -> None:
        """agreement_uses, term_maxima: the policies in force on the plan's date (``applied``)."""
        allowed = ("planning_conditions_issued", "plan_drafted")  # redraft until approved
        self._step(allowed, plan.drafted_on, "drafting the entry plan", "drafted_on")
        rules.check_listing_method(plan.listing_method, self.planned_use, agreement_uses)
        maximum = rules.check_term(plan.term_years, self.planned_use, term_maxima)
        self._plan_drafted(
            way=plan.way,
            listing_method=plan.listing_method,
            reserve_price_yuan=plan.reserve_price_yuan,
            term_years=plan.term_years,
            retained_share=plan.retained_share,
            drafted_on=plan.drafted_on,
            term_years_max=maximum,
            private_agreement_uses=agreement_uses,
            policies_applied=[p.as_dict() for p in applied],
            actor=by.actor,
            authority=by.authority,
        )

    @event("PlanDrafted")
    def _plan_drafted(
        self,
        way: str,
        listing_method: str,
        reserve_price_yuan: Decimal,
        term_years: int,
        retained_share: Decimal,
        drafted_on: date,
        term_years_max: int,
        private_agreement_uses: list[str],
        policies_applied: list[dict[str, Any]],
        actor: str,
        authority: str | None,
    ) -> None:
        """The entry plan (入市方案); fields as EntryPlan. term_years_max: the maximum for the
        planned use in force on drafted_on. private_agreement_uses: the uses allowed a private
        agreement then (looked up only for a plan by agreement; else empty). policies_applied:
        key, jurisdiction, effective_from of the policies used. A redraft replaces the plan."""
        self.plan = EntryPlan(
            way, listing_method, reserve_price_yuan, term_years, retained_share, drafted_on
        )
        self._advance("plan_drafted", drafted_on)

    def approve_plan(self, resolution: Resolution, by: Provenance) -> None:
        self._step(("plan_drafted",), resolution.held_on, "approving the plan", "held_on")
        resolution.check_two_thirds_of_total()
        self._plan_approved(
            resolution=resolution.as_dict(),
            actor=by.actor,
            authority=by.authority or resolution.reference,
        )

    @event("PlanApproved")
    def _plan_approved(self, resolution: dict[str, Any], actor: str, authority: str | None) -> None:
        """resolution: the meeting that approved the plan with ≥ 2/3 of all its members."""
        self._advance("plan_approved", resolution["held_on"])

    def file_plan(self, filed_with: str, filing_no: str, filed_on: date, by: Provenance) -> None:
        self._step(("plan_approved",), filed_on, "filing the plan", "filed_on")
        self._plan_filed(
            filed_with=filed_with,
            filing_no=filing_no,
            filed_on=filed_on,
            actor=by.actor,
            authority=by.authority,
        )

    @event("PlanFiled")
    def _plan_filed(
        self, filed_with: str, filing_no: str, filed_on: date, actor: str, authority: str | None
    ) -> None:
        """The plan was filed (备案) with filed_with (the district government) as filing_no."""
        self.filed_on = filed_on
        self._advance("plan_filed", filed_on)

    # -- the market: domain/land/market.py ----------------------------------------------------

    list_on_exchange = market.list_on_exchange
    _listed = market.listed
    award = market.award
    _awarded = market.awarded
    sign_contract = market.sign_contract
    _contract_signed = market.contract_signed
    receive_installment = market.receive_installment
    _installment_received = market.installment_received

    # -- the proceeds: domain/land/proceeds.py -------------------------------------------------

    assess_levy = proceeds.assess_levy
    _levy_assessed = proceeds.levy_assessed
    pay_levy = proceeds.pay_levy
    _levy_paid = proceeds.levy_paid
    register_use_right = proceeds.register_use_right
    _use_right_registered = proceeds.use_right_registered
    propose_distribution = proceeds.propose_distribution
    _distribution_proposed = proceeds.distribution_proposed
    approve_distribution = proceeds.approve_distribution
    _distribution_approved = proceeds.distribution_approved
    disclose_distribution = proceeds.disclose_distribution
    _distribution_disclosed = proceeds.distribution_disclosed
    pay_members = proceeds.pay_members
    _members_paid = proceeds.members_paid
