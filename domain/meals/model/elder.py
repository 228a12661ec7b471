"""An elder enrolled for meal assistance: categories with validity windows, suspensions, a move
away, a death, and the erasure of their personal data.

The name and the ID number are in the events only SEALED (domain/shared/keystore.py): ciphertext
under a key that belongs to this elder and lives outside the log. The aggregate id is random
(uuid4), not derived from the ID number; the key store finds an elder by a keyed hash of the ID
number that is destroyed with the key. Rules: docs/rules.md M-02, M-05, M-06, M-07 (their
checks are in domain/meals/rules.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.meals.errors import DeathRecordedDifferently
from domain.meals.rules import (
    check_category_not_held,
    check_category_window,
    check_elder_may_eat,
    check_may_resume,
    check_may_suspend,
    check_not_deceased,
    window_to_end,
)
from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import Provenance

NAME_FIELD = "name"
ID_NUMBER_FIELD = "id_number"


class Elder(QianwanAggregate):
    @event("Enrolled")
    def __init__(
        self,
        village_code: str,
        name_sealed: str,
        id_number_sealed: str,
        categories: list[dict[str, Any]],
        enrolled_on: date,
        actor: str,
        authority: str | None,
    ) -> None:
        """village_code: where the elder lives. name_sealed, id_number_sealed: AES-GCM
        ciphertext under the elder's own key (never clear text). categories: each
        {category, valid_from, valid_to (None: open)}. enrolled_on: first day of assistance."""
        self.village_code = village_code
        self.name_sealed = name_sealed
        self.id_number_sealed = id_number_sealed
        self.categories: list[dict[str, Any]] = [dict(c) for c in categories]
        self.enrolled_on = enrolled_on
        self.suspensions: list[dict[str, Any]] = []  # {from_on, until_on (None: open), reason}
        self.moved_away_on: date | None = None
        self.died_on: date | None = None
        self.erased = False

    @classmethod
    def enrol(cls, elder_id: UUID, **fields: Any) -> Elder:
        """Enrolled under an id chosen outside (the key store's subject), not derived from data."""
        return cls._create(cls.Enrolled, id=elder_id, **fields)  # type: ignore[attr-defined]

    # -- categories -----------------------------------------------------------------------

    def grant_category(
        self,
        category: str,
        valid_from: date,
        valid_to: date | None,
        born: date | None,
        by: Provenance,
    ) -> None:
        """born: the birth date (from the ID number) when the category is an age band."""
        self.check_alive()
        check_category_window(category, valid_from, valid_to, born)
        check_category_not_held(self.categories, category, valid_from, valid_to)
        self._category_granted(
            category=category,
            valid_from=valid_from,
            valid_to=valid_to,
            actor=by.actor,
            authority=by.authority,
        )

    @event("CategoryGranted")
    def _category_granted(
        self,
        category: str,
        valid_from: date,
        valid_to: date | None,
        actor: str,
        authority: str | None,
    ) -> None:
        """category held from valid_from to valid_to (None: until ended)."""
        self.categories.append(
            {"category": category, "valid_from": valid_from, "valid_to": valid_to}
        )

    def end_category(self, category: str, valid_to: date, by: Provenance) -> None:
        self._category_ended(
            category=category,
            valid_from=window_to_end(self.categories, category, valid_to),
            valid_to=valid_to,
            actor=by.actor,
            authority=by.authority,
        )

    @event("CategoryEnded")
    def _category_ended(
        self, category: str, valid_from: date, valid_to: date, actor: str, authority: str | None
    ) -> None:
        """The window of category that began on valid_from now ends on valid_to (its last day)."""
        for c in self.categories:
            if c["category"] == category and c["valid_from"] == valid_from:
                c["valid_to"] = valid_to

    def categories_on(self, day: date) -> list[str]:
        return [
            c["category"]
            for c in self.categories
            if c["valid_from"] <= day and (c["valid_to"] is None or day <= c["valid_to"])
        ]

    # -- suspension, move, death, erasure --------------------------------------------------

    def suspend(self, from_on: date, reason: str, by: Provenance) -> None:
        self.check_alive()
        check_may_suspend(self.suspensions)
        self._suspended(from_on=from_on, reason=reason, actor=by.actor, authority=by.authority)

    @event("Suspended")
    def _suspended(self, from_on: date, reason: str, actor: str, authority: str | None) -> None:
        """No meals from from_on (inclusive) until resumed. reason: SUSPENSION_REASONS."""
        self.suspensions.append({"from_on": from_on, "until_on": None, "reason": reason})

    def resume(self, resumed_on: date, by: Provenance) -> None:
        self.check_alive()
        check_may_resume(self.suspensions, resumed_on)
        self._resumed(resumed_on=resumed_on, actor=by.actor, authority=by.authority)

    @event("Resumed")
    def _resumed(self, resumed_on: date, actor: str, authority: str | None) -> None:
        """Meals allowed again from resumed_on (inclusive)."""
        self.suspensions[-1]["until_on"] = date.fromordinal(resumed_on.toordinal() - 1)

    def move(self, moved_on: date, to_village_code: str | None, by: Provenance) -> None:
        self.check_alive()
        self._moved(
            moved_on=moved_on,
            from_village_code=self.village_code,
            to_village_code=to_village_code,
            actor=by.actor,
            authority=by.authority,
        )

    @event("Moved")
    def _moved(
        self,
        moved_on: date,
        from_village_code: str,
        to_village_code: str | None,
        actor: str,
        authority: str | None,
    ) -> None:
        """Moved on moved_on to another registered village, or (None) out of the registry's
        area: no meals from moved_on then."""
        if to_village_code is None:
            self.moved_away_on = moved_on
        else:
            self.village_code = to_village_code
            self.moved_away_on = None

    def record_death(self, died_on: date, reported_on: date, by: Provenance) -> bool:
        """False when this death was recorded already (a safe retry)."""
        if self.died_on is not None:
            if self.died_on == died_on:
                return False
            raise DeathRecordedDifferently(
                f"a death on {self.died_on} is recorded already", field="died_on"
            )
        self._died(died_on=died_on, reported_on=reported_on, actor=by.actor, authority=by.authority)
        return True

    @event("Died")
    def _died(self, died_on: date, reported_on: date, actor: str, authority: str | None) -> None:
        """died_on: the date of death (meals on it are allowed, after it never). reported_on:
        when the registry learnt it; the gap is what an auditor looks at."""
        self.died_on = died_on

    def erase_personal_data(self, erased_on: date, reason: str, by: Provenance) -> bool:
        """Record the erasure (the key is destroyed right after). False when done already."""
        if self.erased:
            return False
        self._erased(erased_on=erased_on, reason=reason, actor=by.actor, authority=by.authority)
        return True

    @event("PersonalDataErased")
    def _erased(self, erased_on: date, reason: str, actor: str, authority: str | None) -> None:
        """The elder's key was destroyed on erased_on for reason (ERASURE_REASONS): the sealed
        name and ID number can no longer be opened. Everything else stays."""
        self.erased = True

    # -- checks -------------------------------------------------------------------------------

    def check_alive(self) -> None:
        check_not_deceased(self.died_on)

    def meal_refusal(self, day: date) -> str | None:
        """Why a meal on ``day`` is refused for reasons of the elder's status, or None."""
        return check_elder_may_eat(
            day,
            enrolled_on=self.enrolled_on,
            died_on=self.died_on,
            moved_away_on=self.moved_away_on,
            suspensions=self.suspensions,
            erased=self.erased,
        )
