"""Commands on elders: enrolment with sealed personal data, categories, suspension, moves,
death (which voids the meals found after it) and the erasure of personal data.

Part of ``MealsApplication`` (domain/meals/application.py), which provides the attributes below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

from domain.meals.errors import ElderAlreadyEnrolled, ElderNotFound, PersonalDataErased
from domain.meals.idcard import parse_id_number
from domain.meals.model import Elder, Meal
from domain.meals.model.elder import ID_NUMBER_FIELD, NAME_FIELD
from domain.meals.rules import check_category_window, check_death_report, check_enrolment_age
from domain.meals.vocabulary import (
    AGE_BANDS,
    CATEGORIES,
    ERASURE_REASONS,
    SLOTS,
    SUSPENSION_REASONS,
)
from domain.reference.application import ReferenceApplication
from domain.shared.bulk import get_many, get_one
from domain.shared.commands import create_once, translating_conflicts
from domain.shared.errors import InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.keystore import KeyStore
from domain.shared.values import Provenance, choice, required_text

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


class ElderCommands:
    store: EventStore
    places: ReferenceApplication
    keys: KeyStore
    today: Callable[[], date]

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
        nothing about it reveals the ID number."""
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
        lookup = self.keys.lookup_hash((id_number or "").strip().replace(" ", "").upper())
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
        a repeat voids meals that slipped in since (an upload racing with the report)."""
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
        unreadable from then on; every event, meal, settlement and ledger entry stays."""
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
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))

    def _save(self, elder: Elder) -> None:
        with translating_conflicts():
            self.store.save(elder)
