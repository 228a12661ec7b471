"""A meal served to an elder, and the batch a meal point uploaded it in.

One ``Meal`` aggregate per elder, date and slot: its id is uuid5 of the three, so the event
store itself refuses a second subsidised meal for the same elder, date and slot at ANY meal
point, even when two points upload at the same moment (the second insert of version 1 fails):
docs/rules.md M-08. A meal is never deleted: a correcting ``Meal.Voided`` (M-10). The per-meal
event is deliberately small: a busy point uploads hundreds a day.

A ``MealBatch`` (id: uuid5 of meal point and the client's batch number) records what happened to
every record of an upload: the meals it created and each refused record with its reason code.
Refused attempts are facts too; auditors look at them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event
from eventsourcing.utils import get_topic

from domain.meals.errors import MealAlreadyVoided
from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import Provenance, deterministic_id


class Meal(QianwanAggregate):
    @staticmethod
    def create_id(elder_id: UUID, served_on: date, slot: str) -> UUID:
        return deterministic_id("meal", str(elder_id), served_on.isoformat(), slot)

    @event("Recorded")
    def __init__(
        self,
        elder_id: UUID,
        served_on: date,
        slot: str,
        served_at: str,
        meal_point_id: UUID,
        delivery: bool,
        category: str,
        price_yuan: Decimal,
        government_yuan: Decimal,
        collective_yuan: Decimal,
        record_id: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """served_on, slot, served_at ('HH:MM:SS' local time) at meal_point_id, dine-in or
        delivery. category: the one applied (docs/rules.md M-09). price_yuan = government_yuan +
        collective_yuan + the elder's co-payment (not stored: it is the difference).
        record_id: the meal point's own record id (the upload that carried it lists the meal)."""
        self.elder_id = elder_id
        self.served_on = served_on
        self.slot = slot
        self.served_at = served_at
        self.meal_point_id = meal_point_id
        self.delivery = delivery
        self.category = category
        self.price_yuan = price_yuan
        self.government_yuan = government_yuan
        self.collective_yuan = collective_yuan
        self.record_id = record_id
        self.void_reason: str | None = None

    @property
    def elder_yuan(self) -> Decimal:
        return self.price_yuan - self.government_yuan - self.collective_yuan

    @property
    def voided(self) -> bool:
        return self.void_reason is not None

    def void(self, reason: str, voided_on: date, by: Provenance) -> None:
        if self.void_reason is not None:
            raise MealAlreadyVoided(f"voided already ({self.void_reason})", field="meal_id")
        self._voided(reason=reason, voided_on=voided_on, actor=by.actor, authority=by.authority)

    @event("Voided")
    def _voided(self, reason: str, voided_on: date, actor: str, authority: str | None) -> None:
        """A correcting event: the meal no longer counts (reason: VOID_REASONS). Paid already?
        The next settlement of the point claws it back."""
        self.void_reason = reason


_RECORDED: Any = Meal.Recorded  # type: ignore[attr-defined]
_RECORDED_FIELDS = tuple(f.name for f in dataclasses.fields(_RECORDED))
_MEAL_TOPIC = get_topic(Meal)


def recorded_event(meal_id: UUID, fields: Mapping[str, Any]) -> Any:
    """The ``Meal.Recorded`` event that ``Meal(**fields)`` would trigger, with id ``meal_id``
    (which must be ``Meal.create_id`` of the fields), made directly: the batch path
    (recording.py) saves hundreds of meals without building and mutating an aggregate for
    each. A unit test compares the stored bytes of both."""
    state = {
        "originator_id": meal_id,
        "originator_version": Meal.INITIAL_VERSION,
        "timestamp": _RECORDED.create_timestamp(),
        "originator_topic": _MEAL_TOPIC,
        **fields,
    }
    event = object.__new__(_RECORDED)
    object.__setattr__(event, "__dict__", {name: state[name] for name in _RECORDED_FIELDS})
    return event


class MealBatch(QianwanAggregate):
    @staticmethod
    def create_id(meal_point_id: UUID, batch_no: str) -> UUID:
        return deterministic_id("meal-batch", str(meal_point_id), batch_no)

    @event("Submitted")
    def __init__(
        self,
        meal_point_id: UUID,
        batch_no: str,
        digest: str,
        records: int,
        accepted: list[list[str]],
        refused: list[dict[str, Any]],
        actor: str,
        authority: str | None,
    ) -> None:
        """batch_no: the meal point's own number for the upload. digest: a keyed digest of the
        records (a retry with other content is refused). records: how many. accepted: [record_id,
        meal_id, status] with status accepted | already_recorded. refused: one dict per refused
        record {record_id, code, elder_id, served_on, slot, served_at, delivery,
        existing_meal_id, existing_meal_point_id} (ids and dates as strings; elder_id None when
        the elder is unknown; an ID number is never stored)."""
        self.meal_point_id = meal_point_id
        self.batch_no = batch_no
        self.digest = digest
        self.records = records
        self.accepted = [list(a) for a in accepted]
        self.refused = [dict(r) for r in refused]
