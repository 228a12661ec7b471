"""Drafting a month's settlements of many meal points in one command (docs/rules.md M-11), with
the claims read set-based: a few queries for every point of a town or district at once, not a
read and replay of every meal.

Where the claims come from (``CandidateSource.months``, implemented over the meal register in
projections/meals/month_candidates.py and over the raw log in settling.py ``LogCandidates``):
the register answers as of its position P, and the log's tail after P (``log_tail``) says what
it has not folded yet. A meal voided after P is left out; the meals another settlement of the
same point claimed after P are left out; a meal recorded after P, a meal a redraft released
after P, a payment after P simply wait for the next settlement. The amounts are those of each
meal's ``Meal.Recorded`` event, which nothing ever changes (a meal's later events only void
it), so a register that lags can delay a meal but never put a wrong amount in a claim
(tests/integration/test_settling_bulk.py drafts over a register held behind the log).

Drafts of one point are serialised as the single draft serialises them: the meal point is read
first and saved with the settlement (``MealPoint.SettlementDrafted``), so a draft recorded
meanwhile makes the save conflict; the points of that save are then planned again from the log
as it is now (a retry of the same request finds its drafts recorded: ``unchanged``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.meals.errors import MealPointNotFound, SettlementHasNoMeals
from domain.meals.model import Meal, MealPoint, MealSettlement
from domain.meals.model.claim import Claim
from domain.meals.rules import check_may_draft, check_month_ended
from domain.meals.settling import CandidateSource
from domain.meals.vocabulary import DRAFT_STATUSES
from domain.shared.bulk import get_many
from domain.shared.errors import ConcurrentUpdate, DomainError, InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.values import Provenance, check_code

MAX_POINTS_PER_DRAFT = 2000  # meal points one command drafts (a district has a few hundred)
POINTS_PER_READ = 200  # points whose months are read in one go (memory: ~80 KB a point)
POINTS_PER_SAVE = 50  # settlements saved per transaction (a draft is ~100 KB of meal ids)
MAX_DRAFT_ATTEMPTS = 3  # plans of one save, when a draft of one of its points raced it
TAIL_PAGE = 1000
PLACE_DIGITS = (6, 9, 12)  # a district, a town or a village

DRAFTED, REDRAFTED, UNCHANGED, REFUSED = DRAFT_STATUSES  # the vocabulary's order
T = TypeVar("T")


@dataclass(frozen=True)
class DraftOutcome:
    """What the command did for one meal point. status: drafted (a new settlement), redrafted
    (a drafted or returned one replaced), unchanged (drafted already with this very claim: a
    retry), refused (code and message say why; nothing recorded for it). meals, clawbacks: in
    the claim drafted or found (0 when refused)."""

    meal_point_id: UUID
    settlement_id: UUID
    status: str
    code: str | None = None
    message: str | None = None
    meals: int = 0
    clawbacks: int = 0


@dataclass
class Plan:
    point: MealPoint
    settlement: MealSettlement
    outcome: DraftOutcome


class BulkSettlementCommands:
    """Taken in by ``MealsApplication`` beside ``SettlementCommands``."""

    store: EventStore
    candidates: CandidateSource

    def draft_settlements(
        self,
        place_code: str,
        month: str,
        drafted_on: date,
        by: Provenance,
        villages: frozenset[str] | None = None,
    ) -> list[DraftOutcome]:
        """Draft (or redraft) the month's settlement of every meal point of a village, town or
        district, as ``draft_settlement`` would one by one; one outcome per point, ordered by
        village and point. villages: the villages the caller may settle (None: all); the
        points of others are left out. Refused as a whole (nothing recorded) when the month
        has not ended, the place is malformed or holds no point the caller may settle."""
        period_end = check_month_ended(month, drafted_on)
        place = _place_code(place_code)
        source = self.candidates
        points = [
            p for p, village in source.points_in(place) if villages is None or village in villages
        ]
        if not points:
            raise MealPointNotFound(
                f"no meal point in {place} whose settlements you may draft", field="place_code"
            )
        if len(points) > MAX_POINTS_PER_DRAFT:
            raise InvalidInput(
                f"{len(points)} meal points in {place}: at most {MAX_POINTS_PER_DRAFT} in one "
                "command; draft town by town",
                field="place_code",
            )
        found: dict[UUID, DraftOutcome] = {}
        for group in chunks(points, POINTS_PER_READ):
            found.update(self._draft_group(group, month, period_end, drafted_on, by))
        return [found[p] for p in points]

    def _draft_group(
        self, points: list[UUID], month: str, period_end: date, drafted_on: date, by: Provenance
    ) -> dict[UUID, DraftOutcome]:
        found: dict[UUID, DraftOutcome] = {}
        pending = points
        for _ in range(MAX_DRAFT_ATTEMPTS):
            plans = self._plan(pending, month, period_end, drafted_on, by, found)
            pending = []
            for group in chunks(plans, POINTS_PER_SAVE):
                objects = [o for plan in group for o in (plan.point, plan.settlement)]
                try:
                    self.store.save(*objects)
                except IntegrityError:  # a draft of one of them meanwhile: plan them again
                    pending += [plan.point.id for plan in group]
                    continue
                except DomainError as failed:  # database_busy …: these, not the ones saved
                    for plan in group:
                        o = plan.outcome
                        found[o.meal_point_id] = DraftOutcome(
                            o.meal_point_id, o.settlement_id, REFUSED, failed.code, failed.message
                        )
                    continue
                found.update((plan.point.id, plan.outcome) for plan in group)
            if not pending:
                return found
        for p in pending:
            conflict = ConcurrentUpdate("drafted by someone else at the same time; retry")
            sid = MealSettlement.create_id(p, month)
            found[p] = DraftOutcome(p, sid, REFUSED, conflict.code, conflict.message)
        return found

    def _plan(
        self,
        points: list[UUID],
        month: str,
        period_end: date,
        drafted_on: date,
        by: Provenance,
        found: dict[UUID, DraftOutcome],
    ) -> list[Plan]:
        """The settlements to save; the outcomes with nothing to save go into ``found``."""
        loaded = get_many(self.store, points, MealPoint)  # first: it serialises the drafts
        own = {p: MealSettlement.create_id(p, month) for p in loaded}
        existing = get_many(self.store, own.values(), MealSettlement)
        source = self.candidates
        claims = source.months(own, period_end)
        plans: list[Plan] = []
        for p in points:
            sid = MealSettlement.create_id(p, month)
            try:
                point = loaded.get(p)
                if point is None:
                    raise MealPointNotFound(f"no meal point {p}", field="meal_point_id")
                draft = Draft(month, period_end, drafted_on, by)
                planned = draft.plan(point, sid, existing.get(sid), claims[p])
            except DomainError as refusal:
                found[p] = DraftOutcome(p, sid, REFUSED, refusal.code, refusal.message)
                continue
            if isinstance(planned, Plan):
                plans.append(planned)
            else:
                found[p] = planned
        return plans


@dataclass(frozen=True)
class Draft:
    month: str
    period_end: date
    drafted_on: date
    by: Provenance

    def plan(
        self, point: MealPoint, sid: UUID, existing: MealSettlement | None, claim: Claim
    ) -> Plan | DraftOutcome:
        """The new or redrafted settlement to save, or (this very claim drafted already) the
        outcome ``unchanged``; decided as ``draft_settlement`` decides it (M-11)."""
        check_may_draft(self.month, None if existing is None else existing.status)
        if claim.empty:
            raise SettlementHasNoMeals(f"nothing to claim for {point.name} up to {self.period_end}")
        meals, backs = len(claim.meal_ids), len(claim.clawbacks)
        if existing is not None and existing.status == "drafted" and existing.same_claim(claim):
            return DraftOutcome(point.id, sid, UNCHANGED, meals=meals, clawbacks=backs)
        if existing is not None:
            existing.redraft(claim, self.drafted_on, self.by)
            settlement, status = existing, REDRAFTED
        else:
            settlement = MealSettlement(
                meal_point_id=point.id,
                village_code=point.village_code,
                operator_kind=point.operator_kind,
                month=self.month,
                period_end=self.period_end,
                drafted_on=self.drafted_on,
                actor=self.by.actor,
                authority=self.by.authority,
                **claim.event_fields(),
            )
            status = DRAFTED
        point.note_settlement(sid, self.month, self.by)
        outcome = DraftOutcome(point.id, sid, status, meals=meals, clawbacks=backs)
        return Plan(point, settlement, outcome)


def _place_code(value: str) -> str:
    code = value.strip() if isinstance(value, str) else value
    if not isinstance(code, str) or len(code) not in PLACE_DIGITS:
        raise InvalidInput(
            f"place code must be a district (6 digits), town (9) or village (12), got {value!r}",
            field="place_code",
        )
    return check_code(code, len(code), "place", field="place_code")


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


# -- the log after a read model's position ------------------------------------------------------


@dataclass(frozen=True)
class Tail:
    """What the log holds after a read model's position that can take a meal out of a claim:
    voided: hex ids of meals voided since. taken: per meal point of the draft, the meals (hex)
    and the clawbacks (meal hex) that settlements other than the one drafted claim now, for the
    settlements (re)drafted since."""

    voided: frozenset[str]
    taken: Mapping[UUID, tuple[frozenset[str], frozenset[str]]]


TAIL_TOPICS = (
    get_topic(Meal.Voided),  # type: ignore[attr-defined]
    get_topic(MealPoint.SettlementDrafted),  # type: ignore[attr-defined]
)


def log_tail(store: EventStore, position: int, own: Mapping[UUID, UUID]) -> Tail:
    """Read the log after ``position`` (voids and drafts only: small events) and load the
    settlements of ``own``'s points drafted there by anyone but ``own``."""
    voided: set[str] = set()
    others: dict[UUID, set[UUID]] = {}
    for e in tail_events(store, position):
        if isinstance(e, Meal.Voided):  # type: ignore[attr-defined]
            voided.add(e.originator_id.hex)
        elif e.originator_id in own and e.settlement_id != own[e.originator_id]:
            others.setdefault(e.originator_id, set()).add(e.settlement_id)
    drafts = get_many(store, [s for ids in others.values() for s in ids], MealSettlement)
    taken: dict[UUID, tuple[frozenset[str], frozenset[str]]] = {}
    for point, ids in others.items():
        claimed = [drafts[s] for s in ids if s in drafts]
        taken[point] = (
            frozenset(m for s in claimed for m in s.meal_ids),
            frozenset(c["meal_id"] for s in claimed for c in s.clawbacks),
        )
    return Tail(frozenset(voided), taken)


def tail_events(store: EventStore, position: int) -> Iterable[Any]:
    start = position + 1
    while True:
        page = store.recorder.select_notifications(start, TAIL_PAGE, topics=TAIL_TOPICS)
        yield from (store.mapper.to_domain_event(n) for n in page)
        if len(page) < TAIL_PAGE:
            return
        start = page[-1].id + 1
