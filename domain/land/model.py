"""A parcel of collective operating construction land entering the market (入市).

registered → planning conditions issued → plan drafted → plan approved (≥ 2/3 of all members or
representatives) → plan filed → listed → awarded → contracted (installments received) → levy
assessed → levy paid → use right registered → distribution proposed → approved → disclosed →
paid. The order is strict (vocabulary.STAGES; docs/rules.md L-03). Public command methods run
their checks and raise a domain error before anything happens; the private ``@event`` methods
only apply the change. Policy values the rules used are passed in by the application and
recorded in the events.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.land import rules
from domain.land.market import ParcelOnMarket
from domain.land.proceeds import ParcelProceeds
from domain.land.state import AppliedPolicy, EntryPlan
from domain.shared.aggregate import QianwanAggregate
from domain.shared.resolution import Resolution
from domain.shared.values import ZERO, Provenance, deterministic_id


class Parcel(QianwanAggregate, ParcelOnMarket, ParcelProceeds):
    """A parcel of a village collective, identified by its village and parcel code (宗地代码).

    Registration and planning are here; the steps on the market and after the contract are
    inherited from ParcelOnMarket and ParcelProceeds, and their events are named at the end of
    this class. The state every step reads is declared in ParcelState (domain/land/state.py)."""

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
        location. planned_use: from the land-use plan (domain/land/vocabulary.py), an operating use.
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
        self.plan = None
        self.filed_on = None
        self.winner_name = ""
        self.price_yuan = ZERO
        self.signed_on = None
        self.received_yuan = ZERO
        self.receipts = {}
        self.levy_yuan = ZERO
        self.distribution = {}
        self.disclosed_on = None
        self.members_paid_yuan = ZERO
        self.member_batches = {}

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
        resolution.check_two_thirds_of_total()  # docs/rules.md L-06
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

    # -- the events of the inherited steps, recorded as Parcel.<Name> -------------------------

    _listed = event("Listed")(ParcelOnMarket._listed)
    _awarded = event("Awarded")(ParcelOnMarket._awarded)
    _contract_signed = event("ContractSigned")(ParcelOnMarket._contract_signed)
    _installment_received = event("InstallmentReceived")(ParcelOnMarket._installment_received)
    _levy_assessed = event("LevyAssessed")(ParcelProceeds._levy_assessed)
    _levy_paid = event("LevyPaid")(ParcelProceeds._levy_paid)
    _use_right_registered = event("UseRightRegistered")(ParcelProceeds._use_right_registered)
    _distribution_proposed = event("DistributionProposed")(ParcelProceeds._distribution_proposed)
    _distribution_approved = event("DistributionApproved")(ParcelProceeds._distribution_approved)
    _distribution_disclosed = event("DistributionDisclosed")(ParcelProceeds._distribution_disclosed)
    _members_paid = event("MembersPaid")(ParcelProceeds._members_paid)
