"""What a meal point uploads and what it gets back: a meal record as the point recorded it
(``MealRecordInput``), the outcome of each record (``MealOutcome``) and of the batch
(``BatchResult``), and what is read from one record alone: its shape (``record_invalid``,
docs/rules.md M-07), its canonical form for the batch digest (M-08), the row a refusal keeps;
and what is read from one upload alone before the log is asked (``prepare``). The batch path
that records uploads is recording.py."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.meals.errors import RecordIdRepeated
from domain.meals.idcard import normalised
from domain.meals.model import Meal, MealBatch, MealPoint
from domain.meals.vocabulary import SLOTS
from domain.shared.clock import wall_clock as registry_wall_clock
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.keystore import KeyStore
from domain.shared.values import positive_yuan, required_text, to_fen

MAX_MEALS_PER_BATCH = 1000
MAX_RECORD_ID_LENGTH = 64
# One call may carry several uploads (several canteen-days) in one transaction: fewer commits
# (and on PostgreSQL fewer turns of the event table's lock) per meal. Bounded so that a call
# stays one short transaction: ~10,000 events of ~700 bytes.
MAX_UPLOADS_PER_CALL = 50
MAX_MEALS_PER_CALL = 10_000


@dataclass(frozen=True)
class MealRecordInput:
    """One meal as the point recorded it. The elder is named by ``elder_id`` or by the resident
    ``id_number`` read from their card (exactly one). served_at: local time, in the registry's
    time zone (an aware datetime is converted to it). price_yuan: None → the standard price in
    force."""

    record_id: str
    served_at: datetime
    slot: str
    elder_id: UUID | str | None = None
    id_number: str | None = None
    delivery: bool = False
    price_yuan: Decimal | str | None = None


@dataclass(frozen=True)
class UploadInput:
    """One upload of a call that carries several (``record_meal_uploads``): a meal point's
    batch, as ``record_meals`` takes one."""

    meal_point_id: UUID
    batch_no: str
    records: Sequence[MealRecordInput]


@dataclass(frozen=True)
class MealOutcome:
    """status: accepted (recorded now) | already_recorded (this point's same record, earlier) |
    refused (reason_code from MEAL_REFUSAL_REASONS). meal_id: the meal, when there is one."""

    record_id: str
    status: str
    reason_code: str | None = None
    meal_id: UUID | None = None

    @property
    def accepted(self) -> bool:
        return self.status != "refused"


@dataclass(frozen=True)
class BatchResult:
    batch_id: UUID
    meal_point_id: UUID
    batch_no: str
    outcomes: tuple[MealOutcome, ...]
    replayed: bool  # True: this batch was recorded before; nothing was recorded now

    @property
    def accepted_count(self) -> int:
        return sum(1 for o in self.outcomes if o.accepted)

    @property
    def refused_count(self) -> int:
        return len(self.outcomes) - self.accepted_count


@dataclass
class Checked:
    """A record after every check but the one-meal-per-slot rule."""

    record_id: str
    facts: dict[str, Any]  # what a refusal row repeats: elder_id, served_on, slot, …
    refusal: str | None = None
    meal: dict[str, Any] = field(default_factory=dict)  # Meal(**meal) when it is accepted
    meal_id: UUID | None = None


def elder_key(r: MealRecordInput) -> str:
    """'el:<uuid>' or 'id:<ID number>'; '' when the reference is unusable (→ elder_unknown)."""
    if (r.elder_id is None) == (r.id_number is None):
        return ""
    if r.id_number is not None:
        return "id:" + normalised(str(r.id_number))
    try:
        return "el:" + str(r.elder_id if isinstance(r.elder_id, UUID) else UUID(str(r.elder_id)))
    except ValueError:
        return ""


def wall_clock(served_at: Any, zone: tzinfo) -> datetime | None:
    """When the meal was served as the point's clock showed it, in the registry's time zone
    (a naive time is one already); None when it is not a time the registry can hold."""
    if not isinstance(served_at, datetime):
        return None
    try:
        return registry_wall_clock(served_at, zone, "served_at")
    except DomainError:
        return None


def shape(r: MealRecordInput, zone: tzinfo) -> Checked:
    """Parse what can be parsed; a malformed record is refused ``record_invalid``."""
    c = Checked(record_id=r.record_id.strip(), facts={})
    moment = wall_clock(r.served_at, zone)
    if moment is None or r.slot not in SLOTS:
        c.refusal = "record_invalid"
        return c
    c.facts = {
        "served_on": moment.date(),
        "slot": r.slot,
        "served_at": moment.strftime("%H:%M:%S"),
        "delivery": bool(r.delivery),
    }
    c.meal = {"seconds": moment.hour * 3600 + moment.minute * 60 + moment.second}
    if (r.elder_id is None) == (r.id_number is None):
        c.refusal = "record_invalid"
    elif r.price_yuan is not None:
        try:
            c.meal["price_fen"] = to_fen(positive_yuan(r.price_yuan, "price_yuan"))
        except DomainError:
            c.refusal = "record_invalid"
    return c


def refusal_row(
    c: Checked, code: str, existing_meal: UUID | None, existing_point: UUID | None
) -> dict[str, Any]:
    """What the batch keeps of a refused record; never the ID number, only a known elder's id."""
    served_on = c.facts.get("served_on")
    elder = c.facts.get("elder_id")
    return {
        "record_id": c.record_id,
        "code": code,
        "elder_id": elder.hex if elder else None,
        "served_on": served_on.isoformat() if served_on else None,
        "slot": c.facts.get("slot"),
        "served_at": c.facts.get("served_at"),
        "delivery": c.facts.get("delivery"),
        "existing_meal_id": existing_meal.hex if existing_meal else None,
        "existing_meal_point_id": existing_point.hex if existing_point else None,
    }


def canonical_time(served_at: Any, zone: tzinfo) -> str:
    moment = wall_clock(served_at, zone)
    return "" if moment is None else moment.isoformat()


def canonical(
    records: Sequence[MealRecordInput], zone: tzinfo, refs: Sequence[str] | None = None
) -> bytes:
    """The batch's content in a stable form (order-independent) for its keyed digest. refs:
    each record's ``elder_key``, when the caller has them already."""
    keys = [elder_key(r) for r in records] if refs is None else refs
    rows = sorted(
        [
            r.record_id.strip(),
            canonical_time(r.served_at, zone),
            str(r.slot),
            key,
            bool(r.delivery),
            "" if r.price_yuan is None else str(r.price_yuan),
        ]
        for r, key in zip(records, keys, strict=True)
    )
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- one upload read on its own, before the log is asked (domain/meals/recording.py) ---------


@dataclass
class PreparedUpload:
    """One upload on its way: what was read from it alone, then its checked records, or the
    first outcomes when it was recorded before."""

    point: MealPoint
    batch_no: str
    records: int
    batch_id: UUID
    digest: str
    order: list[str]
    shaped: list[Checked]
    elder_ids: list[UUID]
    elder_of: list[UUID | None]
    meal_ids: list[UUID | None]
    checked: list[Checked] = field(default_factory=list)
    replayed: BatchResult | None = None


def prepare(
    point: MealPoint,
    batch_no: str,
    records: Sequence[MealRecordInput],
    zone: tzinfo,
    keys: KeyStore,
) -> PreparedUpload:
    """What one upload is, read from it alone: its id, digest, records' shapes, the elders
    and meals it names (refused here: a malformed batch, a record id twice)."""
    batch_no = required_text(batch_no, "batch_no", 64)
    if not records or len(records) > MAX_MEALS_PER_BATCH:
        raise InvalidInput(
            f"a batch has 1 to {MAX_MEALS_PER_BATCH} records, got {len(records)}",
            field="records",
        )
    order = [required_text(r.record_id, "record_id", MAX_RECORD_ID_LENGTH) for r in records]
    if len(set(order)) != len(order):
        raise RecordIdRepeated("two records of the batch share a record id", field="records")
    shaped = [shape(r, zone) for r in records]
    refs = [elder_key(r) for r in records]
    given = {k: r.elder_id for k, r in zip(refs, records, strict=True) if type(r.elder_id) is UUID}
    known = elder_ids(refs, keys, given)
    elder_of = [known.get(ref) for ref in refs]
    return PreparedUpload(
        point=point,
        batch_no=batch_no,
        records=len(records),
        batch_id=MealBatch.create_id(point.id, batch_no),
        digest=keys.digest(canonical(records, zone, refs)),
        order=order,
        shaped=shaped,
        elder_ids=list(known.values()),
        elder_of=elder_of,
        meal_ids=candidate_meal_ids(shaped, elder_of),
    )


def elder_ids(
    refs: Sequence[str], keys: KeyStore, given: dict[str, UUID] | None = None
) -> dict[str, UUID]:
    """Every elder reference of the batch (elder_key) → the elder's id, when there is one
    (an ID number through the key store's look-up hash; an id as it is: ``given`` holds the
    ids that came as UUIDs, not parsed again)."""
    wanted = set(refs)
    by_hash = {keys.lookup_hash(k[3:]): k for k in wanted if k.startswith("id:")}
    found = {by_hash[lookup]: subject for lookup, subject in keys.subjects_for(by_hash).items()}
    given = given or {}
    for key in wanted:
        if key.startswith("el:"):
            found[key] = given.get(key) or UUID(key[3:])
    return found


def candidate_meal_ids(shaped: list[Checked], elder_of: list[UUID | None]) -> list[UUID | None]:
    """Per record, the meal it would create (None: malformed, or no such elder)."""
    found: list[UUID | None] = []
    for c, elder_id in zip(shaped, elder_of, strict=True):
        if c.refusal is None and elder_id is not None:
            found.append(Meal.create_id(elder_id, c.facts["served_on"], c.facts["slot"]))
        else:
            found.append(None)
    return found


@contextlib.contextmanager
def naming_upload(n: int, batch_no: object) -> Iterator[None]:
    """A refusal of the n-th upload of a call names it: ``uploads.<n>.<field>`` and the upload
    in the message, the code unchanged."""
    try:
        yield
    except DomainError as error:
        error.field = f"uploads.{n}" + (f".{error.field}" if error.field else "")
        error.message = f"upload {n} (batch {str(batch_no)[:64]}): {error.message}"
        error.args = (error.message,)
        raise


def check_call_size(records_per_upload: Sequence[int]) -> None:
    """A call carries 1 to MAX_UPLOADS_PER_CALL uploads and MAX_MEALS_PER_CALL records at most."""
    uploads, total = len(records_per_upload), sum(records_per_upload)
    if not 0 < uploads <= MAX_UPLOADS_PER_CALL or total > MAX_MEALS_PER_CALL:
        raise InvalidInput(
            f"a call carries 1 to {MAX_UPLOADS_PER_CALL} uploads and at most "
            f"{MAX_MEALS_PER_CALL} records, got {uploads} and {total}",
            field="uploads",
        )
