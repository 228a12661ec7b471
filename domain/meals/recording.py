"""Recording meal points' uploads: every record accepted or refused with a reason code (the
checks: docs/rules.md M-07, in domain/meals/rules.py; who pays: M-09).

The path is built for volume. ONE query per call asks the log for the current versions of
everything its uploads depend on: the batches (a retry?), the elders they name, the meal
policies of the points' places, the meals they would create. Elders and policies are kept
between calls and decoded again only when that query shows a newer version
(``FreshAggregates`` below). A call (one upload, or several: ``record_many``) is saved in ONE
transaction: each upload's new ``Meal.Recorded`` events (made without a throw-away
aggregate), then its ``MealBatch``.

One meal per elder, date and slot across all points (docs/rules.md M-08) is enforced by the
event store: a meal's id is uuid5(elder, date, slot). When another upload created one of our
meals between our look-up and our save, the save fails with ``IntegrityError`` and nothing of
ours is recorded; we look again, refuse exactly those records (``second_meal_in_slot``) and
save the rest, up to ``MAX_SAVE_ATTEMPTS`` times.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, tzinfo
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.meals.errors import BatchNumberReused, UploadRepeatedInCall
from domain.meals.model import Elder, Meal, MealBatch, MealPoint
from domain.meals.model.meal import recorded_event
from domain.meals.policy_keys import meal_policy, policy_setting_ids
from domain.meals.rules import MealPolicy, check_meal_time, check_served_in_past
from domain.meals.uploads import (
    BatchResult,
    Checked,
    MealOutcome,
    MealRecordInput,
    PreparedUpload,
    check_call_size,
    naming_upload,
    prepare,
    refusal_row,
)
from domain.policy.application import PolicyApplication
from domain.policy.model import PolicySetting
from domain.shared.aggregate import QianwanAggregate
from domain.shared.bulk import get_many
from domain.shared.commands import get_or_none
from domain.shared.errors import ConcurrentUpdate
from domain.shared.eventstore import EventStore
from domain.shared.keystore import KeyStore
from domain.shared.values import Provenance, from_fen

A = TypeVar("A", bound=QianwanAggregate)

MAX_SAVE_ATTEMPTS = 5
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
        upload = prepare(point, batch_no, records, self.zone, self.keys)
        return self._record([upload], by, villages, dry_run)[0]

    def record_many(
        self,
        uploads: Sequence[tuple[MealPoint, str, Sequence[MealRecordInput]]],
        by: Provenance,
        villages: frozenset[str] | None = None,
        dry_run: bool = False,
    ) -> tuple[BatchResult, ...]:
        """Several uploads in ONE transaction, each checked and idempotent as ``record`` does
        it; all or nothing: one upload's refusal (``naming_upload``) refuses the call."""
        check_call_size([len(records) for _, _, records in uploads])
        prepared: list[PreparedUpload] = []
        seen: dict[UUID, int] = {}
        for n, (point, batch_no, records) in enumerate(uploads):
            with naming_upload(n, batch_no):
                upload = prepare(point, batch_no, records, self.zone, self.keys)
                if upload.batch_id in seen:
                    raise UploadRepeatedInCall(
                        f"the point's batch {upload.batch_no} is upload "
                        f"{seen[upload.batch_id]} of this call already",
                        field="batch_no",
                    )
            seen[upload.batch_id] = n
            prepared.append(upload)
        return self._record(prepared, by, villages, dry_run, named=True)

    def _record(
        self,
        uploads: list[PreparedUpload],
        by: Provenance,
        villages: frozenset[str] | None,
        dry_run: bool,
        named: bool = False,
    ) -> tuple[BatchResult, ...]:
        """ONE query of versions for every upload; the replays answered; the rest checked,
        decided and saved in ONE transaction (looked at again after a conflicting save)."""
        wanted: list[UUID] = []
        for u in uploads:
            place = policy_setting_ids(u.point.village_code)
            wanted += [u.batch_id, *u.elder_ids, *place, *filter(None, u.meal_ids)]
        versions = self.store.versions(wanted)
        self._replays(uploads, versions, named)
        elder_ids = [i for u in uploads if u.replayed is None for i in u.elder_ids]
        elders = self.fresh.get_many(elder_ids, versions, Elder, named_by_user=True)
        if villages is not None:  # the others are unknown to this uploader: nothing of them shows
            elders = {i: e for i, e in elders.items() if e.village_code in villages}
        places = {u.point.village_code for u in uploads if u.replayed is None}
        policy_ids = [i for place in sorted(places) for i in policy_setting_ids(place)]
        policies = self.fresh.get_many(policy_ids, versions, PolicySetting)
        for u in uploads:
            if u.replayed is None:
                u.checked = self._check(
                    u.point, u.shaped, u.meal_ids, u.elder_of, elders, policies, by
                )
        for _ in range(MAX_SAVE_ATTEMPTS):
            results, events = self._decide_all(uploads, versions, by)
            if dry_run or not events:
                return results
            try:
                self.store.save(*events)  # each upload's batch after its meals: it names them
            except IntegrityError:
                self._replays(uploads, self.store.versions([u.batch_id for u in uploads]), named)
                meal_ids = [c.meal_id for u in uploads for c in u.checked if c.meal_id]
                versions = self.store.versions(meal_ids)
                continue  # another upload took some of our slots, or recorded one of ours
            return results
        raise ConcurrentUpdate("the meal slots kept changing while saving; retry the batch")

    def _replays(
        self, uploads: list[PreparedUpload], versions: Mapping[UUID, int], named: bool
    ) -> None:
        """Each upload recorded before answers with its first outcomes (``replayed``)."""
        for n, u in enumerate(uploads):
            if u.replayed is None and u.batch_id in versions:
                with naming_upload(n, u.batch_no) if named else contextlib.nullcontext():
                    u.replayed = self._replay(u.batch_id, u.digest, u.order)

    def _decide_all(
        self, uploads: list[PreparedUpload], versions: dict[UUID, int], by: Provenance
    ) -> tuple[tuple[BatchResult, ...], list[Any]]:
        """Every upload's result and the events to save: each new meal's ``Meal.Recorded``,
        then its ``MealBatch``. A slot taken by an earlier upload of the call is taken."""
        ids = [
            c.meal_id
            for u in uploads
            if u.replayed is None
            for c in u.checked
            if c.meal_id is not None and c.meal_id in versions
        ]
        existing = get_many(self.store, ids, Meal) if ids else {}
        taken_here: dict[UUID, UUID] = {}
        results: list[BatchResult] = []
        events: list[Any] = []
        for u in uploads:
            if u.replayed is not None:
                results.append(u.replayed)
                continue
            outcomes, meals, refused = self._decide(u.point.id, u.checked, existing, taken_here)
            events += meals
            events.append(
                MealBatch(
                    meal_point_id=u.point.id,
                    batch_no=u.batch_no,
                    digest=u.digest,
                    records=u.records,
                    accepted=[
                        [o.record_id, o.meal_id.hex, o.status]
                        for o in outcomes
                        if o.meal_id and o.accepted
                    ],
                    refused=refused,
                    actor=by.actor,
                    authority=by.authority,
                )
            )
            results.append(
                BatchResult(u.batch_id, u.point.id, u.batch_no, tuple(outcomes), replayed=False)
            )
        return tuple(results), events

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

    # -- one meal per elder, date and slot ----------------------------------------------------

    def _decide(
        self,
        point_id: UUID,
        checked: list[Checked],
        existing: Mapping[UUID, Meal],
        taken_here: dict[UUID, UUID],
    ) -> tuple[list[MealOutcome], list[Any], list[dict[str, Any]]]:
        """Outcomes, the new meals' ``Meal.Recorded`` events and the refusal rows, given the
        meals that exist (``existing``, fresh from the log) and the slots taken by the uploads
        decided before this one in the same call (``taken_here``: meal → its point)."""
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
                where = old.meal_point_id if old is not None else taken_here[c.meal_id]
                outcomes.append(
                    MealOutcome(c.record_id, "refused", "second_meal_in_slot", c.meal_id)
                )
                refused.append(refusal_row(c, "second_meal_in_slot", c.meal_id, where))
            else:
                taken_here[c.meal_id] = point_id
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
        self,
        ids: Iterable[UUID],
        versions: Mapping[UUID, int],
        cls: type[A],
        named_by_user: bool = False,
    ) -> dict[UUID, A]:
        """The current state of every aggregate among ``ids`` that ``versions`` (fresh from the
        log) shows to exist. Copies are shared: callers must not change them. named_by_user:
        the ids come from input, which may name an aggregate of another kind: left out (not
        found), where otherwise that is a programmer's error."""
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
                    if named_by_user and not isinstance(kept, cls):
                        continue
                    assert isinstance(kept, cls), f"{i} is a {type(kept)}, not {cls}"
                    found[i] = kept
                else:
                    stale.append(i)
        if stale:
            loaded = get_many(self.store, stale, QianwanAggregate if named_by_user else cls)
            self._keep(loaded)
            found.update({i: a for i, a in loaded.items() if isinstance(a, cls)})
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
