"""Meal assistance (老年助餐): meal points, elders, meal batches, corrections, settlements.

Commands return ids, plain values or per-record outcome dataclasses; read models live in
projections/meals/. Elder commands are in elders.py, settlement commands in settling.py, the
batch path in recording.py; this class puts them together with the meal point commands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, tzinfo
from typing import Any
from uuid import UUID

from domain.meals.elders import ElderCommands
from domain.meals.errors import (
    MealNotFound,
    MealPointNotFound,
    MealPointRegisteredDifferently,
)
from domain.meals.model import Meal, MealPoint
from domain.meals.recording import BatchRecorder
from domain.meals.records import BatchResult, MealRecordInput
from domain.meals.rules import check_slot_windows
from domain.meals.settling import CandidateSource, SettlementCommands
from domain.meals.vocabulary import (
    CLOSURE_REASONS,
    DEFAULT_SLOT_WINDOWS,
    MEAL_POINT_KINDS,
    OPERATOR_KINDS,
    VOID_REASONS,
)
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared.bulk import get_one
from domain.shared.clock import Clock
from domain.shared.commands import create_once, translating_conflicts
from domain.shared.errors import InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.keystore import KeyStore
from domain.shared.values import Provenance, choice, required_text

MAX_CAPACITY_MEALS_PER_DAY = 10_000


class MealsApplication(ElderCommands, SettlementCommands):
    def __init__(
        self,
        store: EventStore,
        places: ReferenceApplication,
        policies: PolicyApplication,
        keys: KeyStore,
        candidates: CandidateSource,
        today: Callable[[], date] | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        """keys: where personal-data keys live (domain/shared/keystore.py). candidates: which
        meals a settlement may claim (a read model; see settling.py). today and zone: the
        registry's clock (domain/shared/clock.py), today's date and the zone of meal times."""
        clock = Clock() if zone is None else Clock(zone)
        self.store = store
        self.places = places
        self.policies = policies
        self.keys = keys
        self.candidates = candidates
        self.today = today or clock.today
        self.recorder = BatchRecorder(store, policies, keys, self._today, clock.zone)

    def _today(self) -> date:
        return self.today()  # late-bound: a test may set the clock after construction

    # -- meal points ----------------------------------------------------------------------

    def register_meal_point(
        self,
        village_code: str,
        point_code: str,
        name: str,
        kind: str,
        operator_kind: str,
        capacity_meals_per_day: int,
        registered_on: date,
        by: Provenance,
        operator_name: str | None = None,
        delivery_offered: bool = False,
        slots: dict[str, Any] | None = None,
    ) -> UUID:
        """Register a canteen or meal point; a retry with the same content returns the same id.
        slots: slot → (start, end) 'HH:MM'; default: all three slots with the usual windows.
        operator_name: required for a contractor; the collective's name otherwise."""
        village = self.places.village(village_code)
        operator_kind = choice(operator_kind, tuple(OPERATOR_KINDS), "operator_kind")
        if operator_kind == "contractor":
            operator = required_text(operator_name, "operator_name")
        else:
            operator = (operator_name or "").strip() or village.collective_name
        if not 0 < int(capacity_meals_per_day) <= MAX_CAPACITY_MEALS_PER_DAY:
            raise InvalidInput(
                f"capacity_meals_per_day must be 1 to {MAX_CAPACITY_MEALS_PER_DAY}",
                field="capacity_meals_per_day",
            )
        new = MealPoint(
            village_code=village.code,
            point_code=required_text(point_code, "point_code", 64),
            name=required_text(name, "name"),
            kind=choice(kind, tuple(MEAL_POINT_KINDS), "kind"),
            operator_kind=operator_kind,
            operator_name=operator,
            capacity_meals_per_day=int(capacity_meals_per_day),
            delivery_offered=bool(delivery_offered),
            slots=check_slot_windows(dict(slots if slots is not None else DEFAULT_SLOT_WINDOWS)),
            registered_on=registered_on,
            actor=by.actor,
            authority=by.authority,
        )
        fields = (
            *("name", "kind", "operator_kind", "operator_name", "capacity_meals_per_day"),
            *("delivery_offered", "slots", "registered_on"),
        )
        return create_once(
            self.store,
            new,
            lambda old: all(getattr(old, f) == getattr(new, f) for f in fields),
            lambda old: MealPointRegisteredDifferently(
                f"meal point {point_code} of {village.code} is registered already as {old.name}",
                field="point_code",
            ),
        )

    def close_meal_point(
        self, meal_point_id: UUID, closed_on: date, reason: str, by: Provenance
    ) -> None:
        point = self.get_meal_point(meal_point_id)
        point.close(closed_on, choice(reason, CLOSURE_REASONS, "reason"), by)
        with translating_conflicts():
            self.store.save(point)

    def meal_point_id_of(self, village_code: str, point_code: str) -> UUID:
        return MealPoint.create_id(village_code, point_code)

    def get_meal_point(self, meal_point_id: UUID) -> MealPoint:
        point = get_one(self.store, meal_point_id, MealPoint)
        if point is None:
            raise MealPointNotFound(f"no meal point {meal_point_id}", field="meal_point_id")
        return point

    # -- meals --------------------------------------------------------------------------------

    def record_meals(
        self,
        meal_point_id: UUID,
        batch_no: str,
        records: Sequence[MealRecordInput],
        by: Provenance,
        villages: frozenset[str] | None = None,
    ) -> BatchResult:
        """Record an upload (a day or a shift): one outcome per record, in the records' order.
        The same batch again records nothing and returns the first outcomes (replayed=True);
        the same batch number with other records is refused (batch_number_reused).
        villages: the villages whose elders the uploader may name (None: every village); an
        elder of another village is refused ``elder_unknown``, exactly like no elder at all."""
        point = self.get_meal_point(meal_point_id)  # a closed point may still upload its past
        return self.recorder.record(point, batch_no, records, by, villages)

    def void_meal(self, meal_id: UUID, reason: str, voided_on: date, by: Provenance) -> None:
        """A correcting event (never a deletion); a paid meal is clawed back next settlement."""
        meal = self.get_meal(meal_id)
        meal.void(choice(reason, VOID_REASONS, "reason"), voided_on, by)
        with translating_conflicts():
            self.store.save(meal)

    def meal_id_of(self, elder_id: UUID, served_on: date, slot: str) -> UUID:
        return Meal.create_id(elder_id, served_on, slot)

    def get_meal(self, meal_id: UUID) -> Meal:
        meal = get_one(self.store, meal_id, Meal)
        if meal is None:
            raise MealNotFound(f"no meal {meal_id}", field="meal_id")
        return meal
