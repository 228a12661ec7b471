"""Commands on monthly settlements, and where the meals a settlement may claim come from
(docs/rules.md M-11 … M-13; the checks are in domain/meals/rules.py).

Which meals are still unclaimed is a question about many meals at once, so it is asked of a
read model (``CandidateSource``: the meal register projection in the running system, or
``LogCandidates``, a scan of the log, in unit tests). The answer is only a list of candidates:
every meal is then loaded from its own events, and the claim is computed from those events, so
a read model that lags can delay a meal to the next settlement but never put a wrong amount in
a claim. Drafts of one point are serialised through the meal point aggregate
(``MealPoint.SettlementDrafted``): two drafts at once conflict instead of claiming a meal twice.

``MealsApplication`` (domain/meals/application.py) takes these commands in and provides the
attributes below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.ledger.chart import chart_in_force
from domain.meals.errors import (
    MealPointNotFound,
    SettlementBasisChanged,
    SettlementHasNoMeals,
    SettlementNotFound,
)
from domain.meals.model import Meal, MealPoint, MealSettlement
from domain.meals.model.claim import Claim, build_claim
from domain.meals.recording import FreshAggregates
from domain.meals.rules import check_may_draft, check_month_ended
from domain.meals.vocabulary import SETTLEMENT_RETURN_REASONS
from domain.shared.bulk import get_many, get_one
from domain.shared.commands import translating_conflicts
from domain.shared.errors import ConcurrentUpdate
from domain.shared.eventstore import EventStore
from domain.shared.values import PAYMENT_CHANNELS, Provenance, choice, yuan

LOG_PAGE = 1000
MAX_MEALS_KEPT = 50_000  # meals kept between a draft, its verification and its approval


@dataclass(frozen=True)
class Candidates:
    """meal_ids: meals of the point served up to the period's end, not voided, claimed by no
    other settlement. clawbacks: (meal id, the paid settlement that claimed it) for voided meals
    not yet clawed back by another settlement."""

    meal_ids: tuple[UUID, ...]
    clawbacks: tuple[tuple[UUID, UUID], ...]


class CandidateSource(Protocol):
    def __call__(
        self, meal_point_id: UUID, period_end: date, settlement_id: UUID
    ) -> Candidates: ...

    def months(self, own: Mapping[UUID, UUID], period_end: date) -> dict[UUID, Claim]:
        """Per meal point of ``own`` (point → the settlement being drafted), the claim of
        every meal it may claim up to ``period_end`` and of every clawback due, read for all
        of them at once (domain/meals/settling_bulk.py)."""
        ...

    def points_in(self, place_code: str) -> list[tuple[UUID, str]]:
        """The meal points of a village, town or district, as (id, village code), ordered by
        village and point code."""
        ...


class LogCandidates:
    """Candidates computed by reading the whole log: for the in-memory store in unit tests, and
    as an independent recomputation of what the projection says."""

    TYPES = (
        Meal.Recorded,  # type: ignore[attr-defined]
        Meal.Voided,  # type: ignore[attr-defined]
        MealSettlement.Drafted,  # type: ignore[attr-defined]
        MealSettlement.Redrafted,  # type: ignore[attr-defined]
        MealSettlement.Paid,  # type: ignore[attr-defined]
    )

    def __init__(self, store: EventStore) -> None:
        self.store = store

    def __call__(self, meal_point_id: UUID, period_end: date, settlement_id: UUID) -> Candidates:
        meals: dict[UUID, tuple[UUID, date]] = {}
        voided: set[UUID] = set()
        claims: dict[UUID, tuple[set[UUID], set[UUID]]] = {}  # settlement → (meals, clawbacks)
        paid: set[UUID] = set()
        recorded, voids, _, _, payment = self.TYPES
        for e in self._events():
            if isinstance(e, recorded):
                meals[e.originator_id] = (e.meal_point_id, e.served_on)
            elif isinstance(e, voids):
                voided.add(e.originator_id)
            elif isinstance(e, payment):
                paid.add(e.originator_id)
            else:  # a draft or redraft
                claims[e.originator_id] = (
                    {UUID(hex=i) for i in e.meal_ids},
                    {UUID(hex=c["meal_id"]) for c in e.clawbacks},
                )
        claimed_by = {m: s for s, (ids, _) in claims.items() for m in ids}
        clawed = {m for s, (_, back) in claims.items() if s != settlement_id for m in back}
        mine = [
            m
            for m, (point, served_on) in meals.items()
            if point == meal_point_id
            and served_on <= period_end
            and m not in voided
            and claimed_by.get(m, settlement_id) == settlement_id
        ]
        backs = [
            (m, claimed_by[m])
            for m in voided
            if meals[m][0] == meal_point_id
            and claimed_by.get(m) in paid
            and claimed_by[m] != settlement_id
            and m not in clawed
        ]
        return Candidates(tuple(mine), tuple(backs))

    def months(self, own: Mapping[UUID, UUID], period_end: date) -> dict[UUID, Claim]:
        """As the meal register answers it (settling_bulk.py ``MonthSource``), from the log."""
        found: dict[UUID, Claim] = {}
        for point, sid in own.items():
            candidates = self(point, period_end, sid)
            ids = [*candidates.meal_ids, *(m for m, _ in candidates.clawbacks)]
            meals = get_many(self.store, ids, Meal)
            found[point] = claim_of_candidates(self.store, candidates, meals, point, period_end)
        return found

    def points_in(self, place_code: str) -> list[tuple[UUID, str]]:
        registered = get_topic(MealPoint.Registered)  # type: ignore[attr-defined]
        points = [
            (e.village_code, e.point_code, e.originator_id)
            for e in self._events([registered])
            if e.village_code.startswith(place_code)
        ]
        return [(i, village) for village, _, i in sorted(points)]

    def _events(self, topics: list[str] | None = None) -> list[Any]:
        topics = topics or [get_topic(t) for t in self.TYPES]
        events: list[Any] = []
        start = 1
        while True:
            page = self.store.recorder.select_notifications(start, LOG_PAGE, topics=topics)
            events += [self.store.mapper.to_domain_event(n) for n in page]
            if len(page) < LOG_PAGE:
                return events
            start = page[-1].id + 1


def claim_of_candidates(
    store: EventStore,
    found: Candidates,
    meals: dict[UUID, Meal],
    meal_point_id: UUID,
    period_end: date,
) -> Claim:
    """The claim of the candidates ``found``, from the meals as their events say now
    (``meals``): a candidate that is not the point's, is voided or served later is left out; a
    clawback only of a voided meal that a paid settlement claimed."""
    claimed = [
        m
        for i in found.meal_ids
        if (m := meals.get(i)) is not None
        and m.meal_point_id == meal_point_id
        and not m.voided
        and m.served_on <= period_end
    ]
    payers = {s for _, s in found.clawbacks}
    paid = {
        sid: set(s.meal_ids)
        for sid, s in get_many(store, payers, MealSettlement).items()
        if s.status == "paid"
    }
    backs = [
        (m, sid)
        for i, sid in found.clawbacks
        if (m := meals.get(i)) is not None and m.voided and i.hex in paid.get(sid, set())
    ]
    return build_claim(claimed, backs)


class SettlementCommands:
    """Meals are read through ``claimed_meals``: copies kept from an earlier read (the draft,
    then the verification and the approval of the same claim) are used only while the log's
    version of each meal is still theirs, so every amount still comes from the meal's events."""

    store: EventStore
    candidates: CandidateSource
    claimed_meals: FreshAggregates

    def draft_settlement(
        self, meal_point_id: UUID, month: str, drafted_on: date, by: Provenance
    ) -> UUID:
        """Draft (or, when drafted or returned, redraft) the month's claim of a meal point."""
        point = get_one(self.store, meal_point_id, MealPoint)  # first: it serialises drafts
        if point is None:
            raise MealPointNotFound(f"no meal point {meal_point_id}", field="meal_point_id")
        period_end = check_month_ended(month, drafted_on)
        settlement_id = MealSettlement.create_id(point.id, month)
        existing = get_one(self.store, settlement_id, MealSettlement)
        check_may_draft(month, None if existing is None else existing.status)
        claim = self._claim(point, period_end, settlement_id)
        if claim.empty:
            raise SettlementHasNoMeals(f"nothing to claim for {point.name} up to {period_end}")
        if existing is not None:
            if existing.status == "drafted" and existing.same_claim(claim):
                return settlement_id  # a retry: the claim has not changed
            existing.redraft(claim, drafted_on, by)
            settlement = existing
        else:
            settlement = MealSettlement(
                meal_point_id=point.id,
                village_code=point.village_code,
                operator_kind=point.operator_kind,
                month=month,
                period_end=period_end,
                drafted_on=drafted_on,
                actor=by.actor,
                authority=by.authority,
                **claim.event_fields(),
            )
        point.note_settlement(settlement_id, month, by)
        try:
            self.store.save(point, settlement)
        except IntegrityError as error:
            if not self._drafted_meanwhile(settlement_id, claim):
                raise ConcurrentUpdate(
                    "the record was changed by someone else at the same time; reload and retry"
                ) from error
        return settlement_id

    def _drafted_meanwhile(self, settlement_id: UUID, claim: Claim) -> bool:
        """A draft of this very claim was recorded at the same moment: the same request sent
        twice at once, whose first result this one is, as a retry after it would be."""
        recorded = get_one(self.store, settlement_id, MealSettlement)
        return recorded is not None and recorded.status == "drafted" and recorded.same_claim(claim)

    def submit_settlement(self, settlement_id: UUID, submitted_on: date, by: Provenance) -> None:
        s = self.get_settlement(settlement_id)
        s.submit(submitted_on, by)
        self._save_settlement(s)

    def verify_settlement(self, settlement_id: UUID, verified_on: date, by: Provenance) -> None:
        """Checks every claimed meal against its events first (settlement_basis_changed)."""
        s = self.get_settlement(settlement_id)
        s.verify(verified_on, by)
        self._check_basis(s)
        self._save_settlement(s)

    def return_settlement(
        self, settlement_id: UUID, returned_on: date, reason: str, by: Provenance
    ) -> None:
        s = self.get_settlement(settlement_id)
        s.return_for_correction(
            returned_on, choice(reason, SETTLEMENT_RETURN_REASONS, "reason"), by
        )
        self._save_settlement(s)

    def approve_settlement(self, settlement_id: UUID, approved_on: date, by: Provenance) -> None:
        """The collective's approval; the books take the claim from here (docs/postings.md)."""
        s = self.get_settlement(settlement_id)
        chart_in_force(approved_on)
        s.approve(approved_on, by)
        self._check_basis(s)
        self._save_settlement(s)

    def record_subsidy_received(
        self,
        settlement_id: UUID,
        amount_yuan: Decimal | str,
        received_on: date,
        by: Provenance,
    ) -> None:
        s = self.get_settlement(settlement_id)
        chart_in_force(received_on)
        s.receive_subsidy(yuan(amount_yuan), received_on, by)
        self._save_settlement(s)

    def pay_settlement(
        self, settlement_id: UUID, paid_on: date, by: Provenance, channel: str = "bank"
    ) -> None:
        s = self.get_settlement(settlement_id)
        chart_in_force(paid_on)
        s.pay(paid_on, choice(channel, PAYMENT_CHANNELS, "channel"), by)
        self._save_settlement(s)

    def get_settlement(self, settlement_id: UUID) -> MealSettlement:
        s = get_one(self.store, settlement_id, MealSettlement)
        if s is None:
            raise SettlementNotFound(f"no settlement {settlement_id}", field="settlement_id")
        return s

    def settlement_id_of(self, meal_point_id: UUID, month: str) -> UUID:
        return MealSettlement.create_id(meal_point_id, month)

    # -- internals ----------------------------------------------------------------------------

    def _claim(self, point: MealPoint, period_end: date, settlement_id: UUID) -> Claim:
        found = self.candidates(point.id, period_end, settlement_id)
        meals = self._meals([*found.meal_ids, *(m for m, _ in found.clawbacks)])
        return claim_of_candidates(self.store, found, meals, point.id, period_end)

    def _check_basis(self, s: MealSettlement) -> None:
        ids = [UUID(hex=i) for i in s.meal_ids]
        meals = self._meals(ids)
        standing = [m for i in ids if (m := meals.get(i)) is not None and not m.voided]
        if len(standing) != len(ids) or build_claim(standing, []).lines != s.lines:
            raise SettlementBasisChanged(
                f"{len(ids) - len(standing)} claimed meal(s) were voided since drafting; return "
                "the settlement and redraft it",
                field="settlement_id",
            )

    def _meals(self, ids: list[UUID]) -> dict[UUID, Meal]:
        """The current state of every meal among ``ids`` that exists: when copies are kept, one
        query of versions, then only meals not kept at their current version are read and
        replayed."""
        return self.claimed_meals.current(ids, Meal)

    def _save_settlement(self, s: MealSettlement) -> None:
        with translating_conflicts():
            self.store.save(s)
