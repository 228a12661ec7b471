"""Recording a meal point's upload: every record accepted or refused with a reason code.

The path is built for volume: the elders of the batch are loaded once each in one query, the
meals the batch would create are looked up in one query, the policies once per meal date, and
the whole batch (its ``MealBatch`` and every new ``Meal``) is saved in ONE transaction.

One meal per elder, date and slot across all points is enforced by the event store: a meal's id
is uuid5(elder, date, slot). When another upload created one of our meals between our look-up
and our save, the save fails with ``IntegrityError`` and nothing of ours is recorded; we look
again, refuse exactly those records (``second_meal_in_slot``) and save the rest, up to
``MAX_SAVE_ATTEMPTS`` times.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.meals.errors import BatchNumberReused, RecordIdRepeated
from domain.meals.model import Elder, Meal, MealBatch, MealPoint
from domain.meals.policy import PRICE_KEY, SUBSIDY_KEY, TOP_UP_KEY, MealPolicy
from domain.meals.records import (
    BatchResult,
    Checked,
    MealOutcome,
    MealRecordInput,
    canonical,
    elder_key,
    refusal_row,
    shape,
)
from domain.policy.application import PolicyApplication
from domain.shared.bulk import get_many
from domain.shared.commands import get_or_none
from domain.shared.errors import ConcurrentUpdate, InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.keystore import KeyStore
from domain.shared.values import Provenance, from_fen, required_text

MAX_MEALS_PER_BATCH = 1000
MAX_SAVE_ATTEMPTS = 5
MAX_RECORD_ID_LENGTH = 64

__all__ = ["MAX_MEALS_PER_BATCH", "BatchRecorder", "BatchResult", "MealOutcome", "MealRecordInput"]


class BatchRecorder:
    def __init__(
        self,
        store: EventStore,
        policies: PolicyApplication,
        keys: KeyStore,
        today: Callable[[], date],
    ) -> None:
        self.store = store
        self.policies = policies
        self.keys = keys
        self.today = today

    def record(
        self, point: MealPoint, batch_no: str, records: Sequence[MealRecordInput], by: Provenance
    ) -> BatchResult:
        batch_no = required_text(batch_no, "batch_no", 64)
        if not records or len(records) > MAX_MEALS_PER_BATCH:
            raise InvalidInput(
                f"a batch has 1 to {MAX_MEALS_PER_BATCH} records, got {len(records)}",
                field="records",
            )
        order = [required_text(r.record_id, "record_id", MAX_RECORD_ID_LENGTH) for r in records]
        if len(set(order)) != len(order):
            raise RecordIdRepeated("two records of the batch share a record id", field="records")
        batch_id = MealBatch.create_id(point.id, batch_no)
        digest = self.keys.digest(canonical(records))
        earlier = self._replay(batch_id, digest, order)
        if earlier is not None:
            return earlier
        checked = self._check(point, records, by)
        for _ in range(MAX_SAVE_ATTEMPTS):
            outcomes, meals, refused = self._decide(point.id, checked)
            batch = MealBatch(
                meal_point_id=point.id,
                batch_no=batch_no,
                digest=digest,
                records=len(records),
                accepted=[
                    [o.record_id, o.meal_id.hex, o.status]
                    for o in outcomes
                    if o.meal_id and o.accepted
                ],
                refused=refused,
                actor=by.actor,
                authority=by.authority,
            )
            try:
                self.store.save(*meals, batch)  # the batch last: it names the meals
            except IntegrityError:
                earlier = self._replay(batch_id, digest, order)
                if earlier is not None:
                    return earlier
                continue  # another upload took some of our slots: look again
            return BatchResult(batch_id, point.id, batch_no, tuple(outcomes), replayed=False)
        raise ConcurrentUpdate("the meal slots kept changing while saving; retry the batch")

    # -- idempotency ------------------------------------------------------------------------

    def _replay(self, batch_id: UUID, digest: str, order: list[str]) -> BatchResult | None:
        batch = get_or_none(self.store, batch_id, MealBatch)
        if batch is None:
            return None
        if batch.digest != digest:
            raise BatchNumberReused(
                f"batch {batch.batch_no} was recorded with other records", field="batch_no"
            )
        found = {r: MealOutcome(r, s, None, UUID(hex=m)) for r, m, s in batch.accepted}
        for row in batch.refused:
            existing = row.get("existing_meal_id")
            meal_id = UUID(hex=existing) if existing else None
            found[row["record_id"]] = MealOutcome(row["record_id"], "refused", row["code"], meal_id)
        outcomes = tuple(found[r] for r in order)
        return BatchResult(batch_id, batch.meal_point_id, batch.batch_no, outcomes, replayed=True)

    # -- the checks that need no knowledge of other meals -----------------------------------

    def _check(
        self, point: MealPoint, records: Sequence[MealRecordInput], by: Provenance
    ) -> list[Checked]:
        elders = self._elders(records)
        windows = point.windows_seconds()
        policies: dict[date, MealPolicy] = {}
        today = self.today()
        result: list[Checked] = []
        for r in records:
            c = shape(r)
            result.append(c)
            if c.refusal is not None:
                continue
            day: date = c.facts["served_on"]
            slot: str = c.facts["slot"]
            elder = elders.get(elder_key(r))
            if elder is None:
                c.refusal = "elder_unknown"
                continue
            c.facts["elder_id"] = elder.id
            c.refusal = (
                ("served_in_future" if day > today else None)
                or point.meal_refusal(day, slot, c.facts["delivery"])
                or elder.meal_refusal(day)
            )
            if c.refusal is not None:
                continue
            if day not in policies:
                policies[day] = self._policy(point.village_code, day)
            split = policies[day].split(
                elder.categories_on(day), slot, c.facts["delivery"], c.meal.get("price_fen")
            )
            if split is None:
                c.refusal = "elder_not_eligible_on_date"
                continue
            start, end = windows[slot]
            if not start <= c.meal["seconds"] - c.meal["seconds"] % 60 <= end:
                c.refusal = "time_outside_slot_window"
                continue
            c.meal_id = Meal.create_id(elder.id, day, slot)
            c.meal = {
                "elder_id": elder.id,
                "served_on": day,
                "slot": slot,
                "served_at": c.facts["served_at"],
                "meal_point_id": point.id,
                "delivery": c.facts["delivery"],
                "category": split.category,
                "price_yuan": from_fen(split.price_fen),
                "government_yuan": from_fen(split.government_fen),
                "collective_yuan": from_fen(split.collective_fen),
                "record_id": c.record_id,
                "actor": by.actor,
                "authority": by.authority,
            }
        return result

    def _elders(self, records: Sequence[MealRecordInput]) -> dict[str, Elder]:
        """Every elder the batch names, each loaded once: key → Elder (missing: unknown)."""
        by_hash = {
            self.keys.lookup_hash(k[3:]): k
            for k in {elder_key(r) for r in records}
            if k.startswith("id:")
        }
        ids: dict[UUID, set[str]] = {}
        for lookup, subject in self.keys.subjects_for(by_hash).items():
            ids.setdefault(subject, set()).add(by_hash[lookup])
        for key in {elder_key(r) for r in records}:
            if key.startswith("el:"):
                ids.setdefault(UUID(key[3:]), set()).add(key)
        found = get_many(self.store, ids, Elder)
        return {key: elder for i, elder in found.items() for key in ids[i]}

    def _policy(self, village_code: str, day: date) -> MealPolicy:
        def value(key: str) -> Any:
            return self.policies.in_force(key, village_code, day).value

        return MealPolicy.from_values(value(SUBSIDY_KEY), value(TOP_UP_KEY), value(PRICE_KEY))

    # -- one meal per elder, date and slot ----------------------------------------------------

    def _decide(
        self, point_id: UUID, checked: list[Checked]
    ) -> tuple[list[MealOutcome], list[Meal], list[dict[str, Any]]]:
        existing = get_many(self.store, (c.meal_id for c in checked if c.meal_id), Meal)
        taken_here: set[UUID] = set()
        outcomes: list[MealOutcome] = []
        meals: list[Meal] = []
        refused: list[dict[str, Any]] = []
        for c in checked:
            if c.refusal is not None or c.meal_id is None:
                outcomes.append(MealOutcome(c.record_id, "refused", c.refusal))
                refused.append(refusal_row(c, c.refusal or "record_invalid", None, None))
                continue
            old = existing.get(c.meal_id)
            if old is not None and (old.meal_point_id, old.record_id) == (point_id, c.record_id):
                outcomes.append(MealOutcome(c.record_id, "already_recorded", None, c.meal_id))
            elif old is not None or c.meal_id in taken_here:
                where = old.meal_point_id if old is not None else point_id
                outcomes.append(
                    MealOutcome(c.record_id, "refused", "second_meal_in_slot", c.meal_id)
                )
                refused.append(refusal_row(c, "second_meal_in_slot", c.meal_id, where))
            else:
                taken_here.add(c.meal_id)
                meals.append(Meal(**c.meal))
                outcomes.append(MealOutcome(c.record_id, "accepted", None, c.meal_id))
        return outcomes, meals, refused
