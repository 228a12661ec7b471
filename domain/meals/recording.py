"""Recording a meal point's upload: every record accepted or refused with a reason code (the
checks: docs/rules.md M-07, in domain/meals/rules.py; who pays: M-09).

The path is built for volume. ONE query per batch asks the log for the current versions of
everything the batch depends on: the batch itself (a retry?), the elders it names, the meal
policies of the point's place, and the meals it would create. Elders and policies are kept
between batches and decoded again only when that query shows a newer version
(``FreshAggregates`` below); existing meals are loaded only when there are any. The whole batch
(its ``MealBatch`` and every new meal's ``Meal.Recorded``, made without a throw-away aggregate)
is saved in ONE transaction.

One meal per elder, date and slot across all points (docs/rules.md M-08) is enforced by the
event store: a meal's id
is uuid5(elder, date, slot). When another upload created one of our meals between our look-up
and our save, the save fails with ``IntegrityError`` and nothing of ours is recorded; we look
again, refuse exactly those records (``second_meal_in_slot``) and save the rest, up to
``MAX_SAVE_ATTEMPTS`` times.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, tzinfo
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.meals.errors import BatchNumberReused, RecordIdRepeated
from domain.meals.model import Elder, Meal, MealBatch, MealPoint
from domain.meals.model.meal import recorded_event
from domain.meals.policy_keys import PRICE_KEY, SUBSIDY_KEY, TOP_UP_KEY
from domain.meals.rules import MealPolicy, check_meal_time, check_served_in_past
from domain.meals.uploads import (
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
from domain.policy.model import PolicySetting, most_specific_in_force
from domain.shared.aggregate import QianwanAggregate
from domain.shared.bulk import get_many
from domain.shared.commands import get_or_none
from domain.shared.errors import ConcurrentUpdate, InvalidInput
from domain.shared.eventstore import EventStore
from domain.shared.keystore import KeyStore
from domain.shared.values import Provenance, from_fen, jurisdiction_chain, required_text

A = TypeVar("A", bound=QianwanAggregate)

MAX_MEALS_PER_BATCH = 1000
MAX_SAVE_ATTEMPTS = 5
MAX_RECORD_ID_LENGTH = 64
MEAL_POLICY_KEYS = (SUBSIDY_KEY, TOP_UP_KEY, PRICE_KEY)
MAX_PLACES_CACHED = 100_000
MAX_FRESH_AGGREGATES = 200_000  # copies kept between batches (a province's elders: ~1 GB at most)


class BatchRecorder:
    def __init__(
        self,
        store: EventStore,
        policies: PolicyApplication,
        keys: KeyStore,
        today: Callable[[], date],
        zone: tzinfo,
    ) -> None:
        """today: the registry's date; zone: the registry's time zone, in which meal times
        without an offset are read (domain/shared/clock.py)."""
        self.store = store
        self.policies = policies
        self.keys = keys
        self.today = today
        self.zone = zone
        self.fresh = FreshAggregates(store)

    def record(
        self,
        point: MealPoint,
        batch_no: str,
        records: Sequence[MealRecordInput],
        by: Provenance,
        villages: frozenset[str] | None = None,
        dry_run: bool = False,
    ) -> BatchResult:
        """dry_run: every check as for recording, the outcomes returned, nothing saved (a
        preview; an earlier identical batch still answers replayed)."""
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
        digest = self.keys.digest(canonical(records, self.zone))
        shaped = [shape(r, self.zone) for r in records]
        refs = [elder_key(r) for r in records]
        known = self._elder_ids(refs)
        elder_of = [known.get(ref) for ref in refs]
        policy_ids = policy_setting_ids(point.village_code)
        meal_ids = candidate_meal_ids(shaped, elder_of)
        wanted = [batch_id, *known.values(), *policy_ids, *filter(None, meal_ids)]
        versions = self.store.versions(wanted)
        if batch_id in versions:
            earlier = self._replay(batch_id, digest, order)
            if earlier is not None:
                return earlier
        elders = self.fresh.get_many(known.values(), versions, Elder)
        if villages is not None:  # the others are unknown to this uploader: nothing of them shows
            elders = {i: e for i, e in elders.items() if e.village_code in villages}
        policies = self.fresh.get_many(policy_ids, versions, PolicySetting)
        checked = self._check(point, shaped, meal_ids, elder_of, elders, policies, by)
        for _ in range(MAX_SAVE_ATTEMPTS):
            outcomes, meals, refused = self._decide(point.id, checked, versions)
            if dry_run:
                return BatchResult(batch_id, point.id, batch_no, tuple(outcomes), replayed=False)
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
                versions = self.store.versions([c.meal_id for c in checked if c.meal_id])
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
        self,
        point: MealPoint,
        shaped: list[Checked],
        meal_ids: list[UUID | None],
        elder_of: list[UUID | None],
        elders: dict[UUID, Elder],
        settings: dict[UUID, PolicySetting],
        by: Provenance,
    ) -> list[Checked]:
        windows = point.windows_seconds()
        policies: dict[date, MealPolicy] = {}
        today = self.today()
        result: list[Checked] = []
        for c, meal_id, elder_id in zip(shaped, meal_ids, elder_of, strict=True):
            result.append(c)
            if c.refusal is not None:
                continue
            day: date = c.facts["served_on"]
            slot: str = c.facts["slot"]
            elder = None if elder_id is None else elders.get(elder_id)
            if elder is None:
                c.refusal = "elder_unknown"
                continue
            c.facts["elder_id"] = elder.id
            c.refusal = (
                check_served_in_past(day, today)
                or point.meal_refusal(day, slot, c.facts["delivery"])
                or elder.meal_refusal(day)
            )
            if c.refusal is not None:
                continue
            if day not in policies:
                policies[day] = meal_policy(settings, point.village_code, day)
            split = policies[day].split(
                elder.categories_on(day), slot, c.facts["delivery"], c.meal.get("price_fen")
            )
            if split is None:
                c.refusal = "elder_not_eligible_on_date"
                continue
            c.refusal = check_meal_time(c.meal["seconds"], windows[slot])
            if c.refusal is not None:
                continue
            c.meal_id = meal_id
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

    def _elder_ids(self, refs: Sequence[str]) -> dict[str, UUID]:
        """Every elder reference of the batch (elder_key) → the elder's id, when there is one
        (an ID number through the key store's look-up hash; an id as it is)."""
        keys = set(refs)
        by_hash = {self.keys.lookup_hash(k[3:]): k for k in keys if k.startswith("id:")}
        found = {
            by_hash[lookup]: subject for lookup, subject in self.keys.subjects_for(by_hash).items()
        }
        for key in keys:
            if key.startswith("el:"):
                found[key] = UUID(key[3:])
        return found

    # -- one meal per elder, date and slot ----------------------------------------------------

    def _decide(
        self, point_id: UUID, checked: list[Checked], versions: dict[UUID, int]
    ) -> tuple[list[MealOutcome], list[Any], list[dict[str, Any]]]:
        """Outcomes, the new meals' ``Meal.Recorded`` events and the refusal rows, given which
        meals exist (``versions``, fresh from the log)."""
        ids = [c.meal_id for c in checked if c.meal_id is not None and c.meal_id in versions]
        existing = get_many(self.store, ids, Meal) if ids else {}
        taken_here: set[UUID] = set()
        outcomes: list[MealOutcome] = []
        meals: list[Any] = []
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
                meals.append(recorded_event(c.meal_id, c.meal))
                outcomes.append(MealOutcome(c.record_id, "accepted", None, c.meal_id))
        return outcomes, meals, refused


class FreshAggregates:
    """Aggregates kept between reads, each returned only while it is the current version.

    The meal point's elders and the meal policies are read by every upload of the point;
    decoding them again for each batch cost more than recording the meals, so copies are kept
    between batches and re-read only when the log (one query of versions per batch) holds a
    newer version of one."""

    def __init__(self, store: EventStore, capacity: int = MAX_FRESH_AGGREGATES) -> None:
        self.store = store
        self.capacity = capacity
        self._kept: OrderedDict[UUID, QianwanAggregate] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(
        self, ids: Iterable[UUID], versions: Mapping[UUID, int], cls: type[A]
    ) -> dict[UUID, A]:
        """The current state of every aggregate among ``ids`` that ``versions`` (fresh from the
        log) shows to exist. Copies are shared: callers must not change them."""
        found: dict[UUID, A] = {}
        stale: list[UUID] = []
        with self._lock:
            for i in ids:
                version = versions.get(i)
                if version is None:
                    continue
                kept = self._kept.get(i)
                if kept is not None and kept.version == version:
                    self._kept.move_to_end(i)
                    assert isinstance(kept, cls), f"{i} is a {type(kept)}, not {cls}"
                    found[i] = kept
                else:
                    stale.append(i)
        if stale:
            loaded = get_many(self.store, stale, cls)
            found.update(loaded)
            self._keep(loaded)
        return found

    def current(self, ids: Sequence[UUID], cls: type[A]) -> dict[UUID, A]:
        """As ``get_many`` with the versions asked of the log here; when no copy of any of
        ``ids`` is kept (a first read), the aggregates are read at once, without asking for
        versions first."""
        with self._lock:
            any_kept = any(i in self._kept for i in ids)
        if any_kept:
            return self.get_many(ids, self.store.versions(ids), cls)
        loaded = get_many(self.store, ids, cls)
        self._keep(loaded)
        return loaded

    def _keep(self, loaded: Mapping[UUID, QianwanAggregate]) -> None:
        with self._lock:
            self._kept.update(loaded)
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)


@functools.lru_cache(maxsize=MAX_PLACES_CACHED)
def policy_setting_ids(village_code: str) -> tuple[UUID, ...]:
    """The policy settings a meal's split may come from: every meal policy key at every level
    of the place's jurisdiction chain (ids are uuid5 of key and place: computed once)."""
    return tuple(
        policy_setting_id(key, jurisdiction)
        for key in MEAL_POLICY_KEYS
        for jurisdiction in jurisdiction_chain(village_code)
    )


def meal_policy(settings: dict[UUID, PolicySetting], village_code: str, day: date) -> MealPolicy:
    """The meal policies in force for the place on the day, from the settings read already, by
    the one lookup rule (domain/policy/model.py ``most_specific_in_force``)."""

    def value(key: str) -> Any:
        return most_specific_in_force(key, village_code, day, settings.get)[1].value

    return MealPolicy.from_values(value(SUBSIDY_KEY), value(TOP_UP_KEY), value(PRICE_KEY))


def candidate_meal_ids(shaped: list[Checked], elder_of: list[UUID | None]) -> list[UUID | None]:
    """Per record, the meal it would create (None: malformed, or no such elder)."""
    found: list[UUID | None] = []
    for c, elder_id in zip(shaped, elder_of, strict=True):
        if c.refusal is None and elder_id is not None:
            found.append(Meal.create_id(elder_id, c.facts["served_on"], c.facts["slot"]))
        else:
            found.append(None)
    return found


@functools.lru_cache(maxsize=MAX_PLACES_CACHED)
def policy_setting_id(key: str, jurisdiction: str) -> UUID:
    return PolicySetting.create_id(key, jurisdiction)
