"""Meal assistance (老年助餐): the commands on meal points, elders and meals; settlements.

Commands validate their input, apply the rules (rules.py, docs/rules.md M-xx) and save; they
return ids, plain values or per-record outcome dataclasses; read models live in
projections/meals/. The batch path of meal uploads (recording.py) and the monthly settlements,
one or many (settling.py, settling_bulk.py, whose commands this class takes in) have modules of
their own. Elders' personal data is sealed (domain/shared/keystore.py): an elder's id is random,
their name and ID number are in the events only as ciphertext under their own key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any
from uuid import UUID, uuid4

from domain.meals.errors import (
    ElderAlreadyEnrolled,
    ElderNotFound,
    MealNotFound,
    MealPointNotFound,
    MealPointRegisteredDifferently,
    PersonalDataErased,
)
from domain.meals.idcard import birth_date_in, normalised, parse_id_number
from domain.meals.model import Elder, Meal, MealPoint
from domain.meals.model.elder import ID_NUMBER_FIELD, NAME_FIELD
from domain.meals.recording import BatchRecorder, FreshAggregates
from domain.meals.rules import (
    check_category_window,
    check_death_report,
    check_enrolment_age,
    check_slot_windows,
)
from domain.meals.settling import MAX_MEALS_KEPT, CandidateSource, SettlementCommands
from domain.meals.settling_bulk import BulkSettlementCommands
from domain.meals.uploads import (
    BatchResult,
    MealRecordInput,
    UploadInput,
    check_call_size,
    naming_upload,
)
from domain.meals.vocabulary import (
    AGE_BANDS,
    CATEGORIES,
    CLOSURE_REASONS,
    DEFAULT_SLOT_WINDOWS,
    ERASURE_REASONS,
    MEAL_POINT_KINDS,
    OPERATOR_KINDS,
    SLOTS,
    SUSPENSION_REASONS,
    VOID_REASONS,
)
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared.aggregate import QianwanAggregate
from domain.shared.bulk import get_many, get_one
from domain.shared.clock import Clock
from domain.shared.commands import create_once, translating_conflicts
from domain.shared.errors import InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.keystore import KeyStore
from domain.shared.values import Provenance, choice, required_text

MAX_CAPACITY_MEALS_PER_DAY = 10_000
MAX_CATEGORIES = 20
MAX_NAME_LENGTH = 50
# A death reported late: meals from the day after it up to today are looked for and voided.
MAX_VOID_LOOKBACK_DAYS = 3660


@dataclass(frozen=True)
class CategoryInput:
    """category: a code of CATEGORIES. valid_to: last day, None while it lasts."""

    category: str
    valid_from: date
    valid_to: date | None = None


class MealsApplication(SettlementCommands, BulkSettlementCommands):
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
        self.claimed_meals = FreshAggregates(store, MAX_MEALS_KEPT)

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
        operator_name: required for a contractor; the collective's name otherwise.
        (docs/rules.md M-04)"""
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

    # -- elders -------------------------------------------------------------------------------

    def enrol_elder(
        self,
        village_code: str,
        name: str,
        id_number: str,
        categories: Sequence[CategoryInput],
        enrolled_on: date,
        by: Provenance,
        birth_date: date | None = None,
    ) -> UUID:
        """Enrol an elder; a retry with the same details returns the same id. The id is random:
        nothing about it reveals the ID number. (docs/rules.md M-01, M-02, M-03, M-05)"""
        village = self.places.village(village_code)
        resident = parse_id_number(id_number, self.today(), birth_date)
        name = required_text(name, "name", MAX_NAME_LENGTH)
        check_enrolment_age(resident.birth_date, enrolled_on)
        if len(categories) > MAX_CATEGORIES:
            raise InvalidInput(f"at most {MAX_CATEGORIES} categories", field="categories")
        windows = []
        for c in categories:
            check_category_window(c.category, c.valid_from, c.valid_to, resident.birth_date)
            windows.append(
                {"category": c.category, "valid_from": c.valid_from, "valid_to": c.valid_to}
            )
        lookup = self.keys.lookup_hash(resident.number)
        subject = self.keys.subjects_for([lookup]).get(lookup)
        if subject is None:
            subject, _ = self.keys.enrol_subject(uuid4(), lookup)
        new = Elder.enrol(
            subject,
            village_code=village.code,
            name_sealed=self.keys.seal(subject, NAME_FIELD, name),
            id_number_sealed=self.keys.seal(subject, ID_NUMBER_FIELD, resident.number),
            categories=windows,
            enrolled_on=enrolled_on,
            actor=by.actor,
            authority=by.authority,
        )

        def same(old: Elder) -> bool:
            old_name = self.keys.open(old.id, NAME_FIELD, old.name_sealed)
            return (old_name, old.village_code, old.enrolled_on, old.categories) == (
                name,
                village.code,
                enrolled_on,
                windows,
            )

        return create_once(
            self.store,
            new,
            same,
            lambda old: ElderAlreadyEnrolled(
                "this ID number is enrolled already with other details", field="id_number"
            ),
        )

    def elder_id_for(self, id_number: str) -> UUID | None:
        """The enrolled elder with this ID number, or None (also after erasure)."""
        lookup = self.keys.lookup_hash(normalised(id_number))
        return self.keys.subjects_for([lookup]).get(lookup)

    def grant_category(
        self,
        elder_id: UUID,
        category: str,
        valid_from: date,
        by: Provenance,
        valid_to: date | None = None,
    ) -> None:
        elder = self.get_elder(elder_id)
        category = choice(category, tuple(CATEGORIES), "category")
        born = self._birth_date(elder) if category in AGE_BANDS else None
        elder.grant_category(category, valid_from, valid_to, born, by)
        self._save(elder)

    def end_category(self, elder_id: UUID, category: str, valid_to: date, by: Provenance) -> None:
        elder = self.get_elder(elder_id)
        elder.end_category(choice(category, tuple(CATEGORIES), "category"), valid_to, by)
        self._save(elder)

    def suspend_elder(self, elder_id: UUID, from_on: date, reason: str, by: Provenance) -> None:
        elder = self.get_elder(elder_id)
        elder.suspend(from_on, choice(reason, SUSPENSION_REASONS, "reason"), by)
        self._save(elder)

    def resume_elder(self, elder_id: UUID, resumed_on: date, by: Provenance) -> None:
        elder = self.get_elder(elder_id)
        elder.resume(resumed_on, by)
        self._save(elder)

    def move_elder(
        self, elder_id: UUID, moved_on: date, by: Provenance, to_village_code: str | None = None
    ) -> None:
        """To another registered village, or (None) out of the registry's area."""
        elder = self.get_elder(elder_id)
        to = self.places.village(to_village_code).code if to_village_code else None
        elder.move(moved_on, to, by)
        self._save(elder)

    def record_death(
        self, elder_id: UUID, died_on: date, reported_on: date, by: Provenance
    ) -> list[UUID]:
        """Record the death and void (Meal.Voided, reason meal_after_death) every meal found
        after the death date, in one transaction. Returns the meals voided now. Safe to repeat:
        a repeat voids meals that slipped in since (an upload racing with the report).
        (docs/rules.md M-06, M-10)"""
        check_death_report(died_on, reported_on)
        elder = self.get_elder(elder_id)
        elder.record_death(died_on, reported_on, by)
        last = min(max(reported_on, self.today()), died_on + timedelta(MAX_VOID_LOOKBACK_DAYS))
        days = [died_on + timedelta(n) for n in range(1, (last - died_on).days + 1)]
        ids = [Meal.create_id(elder.id, d, s) for d in days for s in SLOTS]
        voided = []
        for meal in get_many(self.store, ids, Meal).values():
            if not meal.voided:
                meal.void("meal_after_death", self.today(), by)
                voided.append(meal)
        with translating_conflicts():
            self.store.save(elder, *voided)
        return sorted((m.id for m in voided), key=str)

    def erase_personal_data(
        self, elder_id: UUID, reason: str, erased_on: date, by: Provenance
    ) -> None:
        """Record the erasure, then destroy the elder's key: the sealed name and ID number are
        unreadable from then on; every event, meal, settlement and ledger entry stays.
        (docs/rules.md M-03)"""
        elder = self.get_elder(elder_id)
        if elder.erase_personal_data(erased_on, choice(reason, ERASURE_REASONS, "reason"), by):
            self._save(elder)
        self.keys.destroy(elder.id)

    def elder_name(self, elder_id: UUID) -> str | None:
        """The elder's name, or None once erased (for screens that show one person)."""
        elder = self.get_elder(elder_id)
        return self.keys.open(elder.id, NAME_FIELD, elder.name_sealed)

    def get_elder(self, elder_id: UUID) -> Elder:
        elder = get_one(self.store, elder_id, Elder)
        if elder is None:
            raise ElderNotFound(f"no elder {elder_id}", field="elder_id")
        return elder

    def _birth_date(self, elder: Elder) -> date:
        number = self.keys.open(elder.id, ID_NUMBER_FIELD, elder.id_number_sealed)
        if number is None:
            raise PersonalDataErased("the elder's personal data was erased", field="elder_id")
        return birth_date_in(number)

    def _save(self, elder: Elder) -> None:
        with translating_conflicts():
            self.store.save(elder)

    # -- meals --------------------------------------------------------------------------------

    def record_meals(
        self,
        meal_point_id: UUID,
        batch_no: str,
        records: Sequence[MealRecordInput],
        by: Provenance,
        villages: frozenset[str] | None = None,
        dry_run: bool = False,
    ) -> BatchResult:
        """Record an upload (a day or a shift): one outcome per record, in the records' order.
        The same batch again records nothing and returns the first outcomes (replayed=True);
        the same batch number with other records is refused (batch_number_reused).
        villages: the villages whose elders the uploader may name (None: every village); an
        elder of another village is refused ``elder_unknown``, exactly like no elder at all.
        dry_run: the same checks and outcomes, nothing recorded (a preview of an upload).
        (docs/rules.md M-07, M-08)"""
        point = self.get_meal_point(meal_point_id)  # a closed point may still upload its past
        return self.recorder.record(point, batch_no, records, by, villages, dry_run)

    def record_meal_uploads(
        self,
        uploads: Sequence[UploadInput],
        by: Provenance,
        villages: frozenset[str] | None = None,
        dry_run: bool = False,
    ) -> tuple[BatchResult, ...]:
        """Several uploads in ONE transaction, each checked as ``record_meals`` checks one; all
        or nothing: one refused upload refuses the call, its field ``uploads.<n>.…`` (M-08)."""
        check_call_size([len(u.records) for u in uploads])  # before the points are read
        found = get_many(self.store, [u.meal_point_id for u in uploads], QianwanAggregate)
        points = {i: p for i, p in found.items() if isinstance(p, MealPoint)}  # else: not found
        for n, u in enumerate(uploads):
            if u.meal_point_id not in points:
                with naming_upload(n, u.batch_no):
                    raise MealPointNotFound(
                        f"no meal point {u.meal_point_id}", field="meal_point_id"
                    )
        carried = [(points[u.meal_point_id], u.batch_no, u.records) for u in uploads]
        return self.recorder.record_many(carried, by, villages, dry_run)

    def void_meal(self, meal_id: UUID, reason: str, voided_on: date, by: Provenance) -> None:
        """A correcting event (never a deletion); a paid meal is clawed back next settlement
        (docs/rules.md M-10)."""
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
