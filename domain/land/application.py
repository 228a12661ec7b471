"""Commands on parcels entering the market. Each validates its input, looks up the policies in
force for the parcel's place and the step's date, lets the Parcel check its rules, then saves:
either everything is recorded or nothing is. Commands return ids or plain values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.land import rules
from domain.land.calendar import WorkingCalendar
from domain.land.errors import ParcelNotFound, ParcelRegisteredDifferently
from domain.land.inputs import EntryPlanInput, parse_positive_int, parse_share
from domain.land.model import Parcel
from domain.land.proceeds import levy_terms
from domain.land.state import AppliedPolicy, EntryPlan
from domain.land.vocabulary import (
    ENTRY_WAYS,
    LAND_CLASSES,
    LISTING_METHODS,
    PLANNED_USES,
    PRIVATE_AGREEMENT,
    WINNER_KINDS,
)
from domain.ledger.chart import chart_in_force
from domain.policy.application import PolicyApplication, PolicyInForce
from domain.reference.application import ReferenceApplication
from domain.shared.commands import create_once, get_or_refuse, translating_conflicts
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
from domain.shared.values import area_m2 as parse_area_m2

AREA_M2_MAX = Decimal("1000000000")  # 1,000 km²: far beyond any parcel; keeps rows in range
MAX_MEMBERS_PER_BATCH = 100_000


def applied(policy: PolicyInForce) -> AppliedPolicy:
    return AppliedPolicy(policy.key, policy.jurisdiction, policy.effective_from)


class LandApplication:
    """The land-entry context: registration, planning, the market and the proceeds."""

    def __init__(
        self, store: EventStore, places: ReferenceApplication, policies: PolicyApplication
    ) -> None:
        self.store = store
        self.places = places
        self.policies = policies

    def get(self, parcel_id: UUID, version: int | None = None) -> Parcel:
        """The parcel (as of ``version``), or ``parcel_not_found``."""
        return get_or_refuse(self.store, parcel_id, Parcel, ParcelNotFound, "parcel_id", version)

    def id_of(self, village_code: str, parcel_code: str) -> UUID:
        return Parcel.create_id(village_code, parcel_code)

    def _save(self, parcel: Parcel) -> None:
        with translating_conflicts():
            self.store.save(parcel)

    # -- registration and planning ----------------------------------------------------------------

    def register_parcel(
        self,
        village_code: str,
        parcel_code: str,
        area_m2: Decimal | str,
        location: str,
        planned_use: str,
        land_class: str,
        certificate_no: str,
        registered_on: date,
        by: Provenance,
    ) -> UUID:
        """Register a parcel for entry; a retry with the same content returns the same id."""
        village = self.places.village(village_code)
        planned_use = choice(planned_use, tuple(PLANNED_USES), "planned_use")
        land_class = choice(land_class, tuple(LAND_CLASSES), "land_class")
        rules.check_eligible(planned_use, land_class)
        area = parse_area_m2(area_m2, AREA_M2_MAX)
        new = Parcel(
            village_code=village.code,
            parcel_code=required_text(parcel_code, "parcel_code", 64),
            area_m2=area,
            location=required_text(location, "location"),
            planned_use=planned_use,
            land_class=land_class,
            certificate_no=required_text(certificate_no, "certificate_no"),
            registered_on=registered_on,
            actor=by.actor,
            authority=by.authority,
        )
        fields = ("area_m2", "location", "planned_use", "land_class", "certificate_no")
        return create_once(  # one registration per parcel (docs/rules.md L-02)
            self.store,
            new,
            lambda old: (
                all(getattr(old, f) == getattr(new, f) for f in fields)
                and old.registered_on == new.registered_on
            ),
            lambda old: ParcelRegisteredDifferently(
                f"parcel {parcel_code} of {village.code} is registered already "
                f"({old.planned_use}, {old.area_m2} m², {old.location})",
                field="parcel_code",
            ),
        )

    def issue_planning_conditions(
        self, parcel_id: UUID, document_no: str, issued_by: str, issued_on: date, by: Provenance
    ) -> None:
        parcel = self.get(parcel_id)
        parcel.issue_planning_conditions(
            required_text(document_no, "document_no"),
            required_text(issued_by, "issued_by"),
            issued_on,
            by,
        )
        self._save(parcel)

    def draft_entry_plan(self, parcel_id: UUID, plan: EntryPlanInput, by: Provenance) -> None:
        """The term maxima (and, for a private agreement, the uses allowed one) in force for the
        parcel's place on the plan's date are applied and recorded with the plan."""
        parcel = self.get(parcel_id)
        entry = EntryPlan(
            way=choice(plan.way, tuple(ENTRY_WAYS), "way"),
            listing_method=choice(plan.listing_method, tuple(LISTING_METHODS), "listing_method"),
            reserve_price_yuan=positive_yuan(plan.reserve_price_yuan, "reserve_price_yuan"),
            term_years=parse_positive_int(plan.term_years, "term_years"),
            retained_share=parse_share(plan.retained_share),
            drafted_on=plan.drafted_on,
        )
        place, day = parcel.village_code, plan.drafted_on
        maxima = self.policies.in_force("land.term_years_max", place, day)
        used = [applied(maxima)]
        agreement_uses: list[str] = []
        if entry.listing_method == PRIVATE_AGREEMENT:
            agreement = self.policies.in_force("land.private_agreement_uses", place, day)
            agreement_uses = list(agreement.value)
            used.append(applied(agreement))
        parcel.draft_plan(entry, agreement_uses, dict(maxima.value), used, by)
        self._save(parcel)

    def approve_entry_plan(
        self, parcel_id: UUID, resolution: dict[str, Any], by: Provenance
    ) -> None:
        """Needs ≥ 2/3 of ALL members of the villagers' meeting or of ALL representatives."""
        parcel = self.get(parcel_id)
        parcel.approve_plan(Resolution.parse(resolution), by)
        self._save(parcel)

    def file_entry_plan(
        self, parcel_id: UUID, filed_with: str, filing_no: str, filed_on: date, by: Provenance
    ) -> None:
        parcel = self.get(parcel_id)
        parcel.file_plan(
            required_text(filed_with, "filed_with"),
            required_text(filing_no, "filing_no"),
            filed_on,
            by,
        )
        self._save(parcel)

    # -- the market -------------------------------------------------------------------------------

    def list_parcel(
        self, parcel_id: UUID, exchange: str, listing_no: str, listed_on: date, by: Provenance
    ) -> None:
        """The minimum filing period and the public holidays in force on the listing day apply."""
        parcel = self.get(parcel_id)
        place = parcel.village_code
        period = self.policies.in_force("land.filing_period_working_days_min", place, listed_on)
        holidays = self.policies.in_force("calendar.public_holidays", place, listed_on)
        parcel.list_on_exchange(
            required_text(exchange, "exchange"),
            required_text(listing_no, "listing_no", 64),
            listed_on,
            int(period.value),
            WorkingCalendar.from_policy(holidays.value),
            [applied(period), applied(holidays)],
            by,
        )
        self._save(parcel)

    def award(
        self,
        parcel_id: UUID,
        winner_name: str,
        winner_kind: str,
        price_yuan: Decimal | str,
        awarded_on: date,
        by: Provenance,
    ) -> None:
        parcel = self.get(parcel_id)
        parcel.award(
            required_text(winner_name, "winner_name"),
            choice(winner_kind, WINNER_KINDS, "winner_kind"),
            positive_yuan(price_yuan, "price_yuan"),
            awarded_on,
            by,
        )
        self._save(parcel)

    def sign_contract(
        self,
        parcel_id: UUID,
        contract_no: str,
        signed_on: date,
        term_start_on: date,
        by: Provenance,
    ) -> None:
        """The contract is for the awarded price and the plan's term from term_start_on."""
        parcel = self.get(parcel_id)
        chart_in_force(signed_on)
        parcel.sign_contract(
            required_text(contract_no, "contract_no", 64), signed_on, term_start_on, by
        )
        self._save(parcel)

    def receive_installment(
        self,
        parcel_id: UUID,
        receipt_no: str,
        amount_yuan: Decimal | str,
        received_on: date,
        by: Provenance,
        channel: str = "bank",
    ) -> bool:
        """Returns False when this exact receipt was recorded before (nothing recorded now)."""
        parcel = self.get(parcel_id)
        chart_in_force(received_on)
        recorded = parcel.receive_installment(
            required_text(receipt_no, "receipt_no", 64),
            positive_yuan(amount_yuan),
            received_on,
            choice(channel, PAYMENT_CHANNELS, "channel"),
            by,
        )
        if recorded:
            self._save(parcel)
        return recorded

    # -- the proceeds -----------------------------------------------------------------------------

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
            rules.check_stage(parcel.stage, ("contracted",), "assessing the adjustment fund")
        assert parcel.signed_on is not None
        policy = self.policies.in_force(
            "land.adjustment_fund", parcel.village_code, parcel.signed_on
        )
        base_kind, rate = levy_terms(policy.value, parcel.planned_use)
        rules.check_levy_base(base_kind, cost)
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
        self, parcel_id: UUID, receipt_no: str, paid_on: date, by: Provenance, channel: str = "bank"
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
        recorded = parcel.pay_members(
            required_text(batch_no, "batch_no", 64),
            positive_yuan(amount_yuan),
            parse_positive_int(members_count, "members_count", MAX_MEMBERS_PER_BATCH),
            paid_on,
            choice(channel, PAYMENT_CHANNELS, "channel"),
            by,
        )
        if recorded:
            self._save(parcel)
        return recorded
