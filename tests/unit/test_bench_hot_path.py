"""The shortcuts of the hot paths record and read exactly what the slow paths would: the fast
mapper against eventsourcing's, a meal event made directly against the aggregate's, and kept
copies of elders against a change recorded since."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.persistence import Mapper

from domain.meals.application import MealsApplication
from domain.meals.model import Meal
from domain.meals.model.meal import recorded_event
from domain.shared.eventstore import EventStore
from domain.shared.mapper import QianwanMapper
from tests.conftest import Memory
from tests.support import (
    ACCOUNTANT,
    OPERATOR,
    enrol_elder,
    land_application,
    leased_building,
    meal,
    memory_meals,
    outcome,
    parcel_through,
    register_canteen,
    stored_notifications,
)

DAY = "2024-05-02"


def a_bit_of_everything(memory: Memory) -> MealsApplication:
    """Events of every context: places, policies, an asset's lease, a parcel sold and paid,
    elders, meal uploads with a refusal, a void and a settlement."""
    leased_building(memory.assets)
    parcel_through(land_application(memory.store, memory.places, memory.policies), "paid_in_full")
    meals = memory_meals(memory.store, memory.places, memory.policies)
    point = register_canteen(meals)
    elders = [enrol_elder(meals, f"老人{n}", sequence=f"{n:03d}") for n in range(3)]
    records = [meal(f"r{n}", e, f"{DAY} 11:3{n}") for n, e in enumerate(elders)]
    records.append(meal("unknown", uuid4(), f"{DAY} 11:40"))
    meals.record_meals(point, "B1", records, OPERATOR)
    meals.void_meal(meals.meal_id_of(elders[0], date(2024, 5, 2), "lunch"), "not_served",
                    date(2024, 5, 3), ACCOUNTANT)  # fmt: skip
    meals.suspend_elder(elders[1], date(2024, 5, 10), "hospitalised", ACCOUNTANT)
    meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    return cast("MealsApplication", meals)


def test_the_fast_mapper_reads_and_writes_every_event_as_eventsourcings_does(
    memory: Memory,
) -> None:
    a_bit_of_everything(memory)
    store = memory.store
    assert isinstance(store.mapper, QianwanMapper) and store.mapper.fast
    standard: Mapper[UUID] = Mapper(store.mapper.transcoder)
    kinds = set()
    for n in stored_notifications(store):
        fast, slow = store.mapper.to_domain_event(n), standard.to_domain_event(n)
        assert type(fast) is type(slow)
        assert vars(fast) == vars(slow)
        assert [type(v) for v in vars(fast).values()] == [type(v) for v in vars(slow).values()]
        assert store.mapper.to_stored_event(fast) == standard.to_stored_event(slow)
        kinds.add(n.topic)
    assert len(kinds) >= 20  # every context's events, plain and nested


def test_text_that_needs_escaping_is_written_as_the_transcoder_writes_it(memory: Memory) -> None:
    store = memory.store
    standard: Mapper[UUID] = Mapper(store.mapper.transcoder)
    # Every character that needs escaping and is still text (NUL and the other controls are
    # refused before they are written: tests/unit/test_text.py).
    tricky = 'quote " backslash \\ tab \t newline \n return \r 零 \u2028 \u2029 emoji 🍚'
    event = recorded_event(
        uuid4(), meal_fields(uuid4(), record_id=tricky, authority=tricky, actor="a")
    )
    assert store.mapper.to_stored_event(event) == standard.to_stored_event(event)


def meal_fields(elder: UUID, **changes: Any) -> dict[str, Any]:
    fields = {
        "elder_id": elder,
        "served_on": date(2024, 5, 2),
        "slot": "lunch",
        "served_at": "11:30:00",
        "meal_point_id": uuid4(),
        "delivery": False,
        "category": "dibao",
        "price_yuan": Decimal("12.00"),
        "government_yuan": Decimal("2.00"),
        "collective_yuan": Decimal("1.00"),
        "record_id": "r1",
        "actor": "meal-point:test",
        "authority": None,
    }
    return {**fields, **changes}


def test_a_meal_event_made_directly_is_the_one_the_aggregate_triggers() -> None:
    store = EventStore(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    fields = meal_fields(uuid4())
    slow = Meal(**fields).collect_events()[0]
    fast = recorded_event(Meal.create_id(fields["elder_id"], fields["served_on"], "lunch"), fields)
    object.__setattr__(fast, "timestamp", slow.timestamp)
    assert type(fast) is type(slow)
    assert list(vars(fast).items()) == list(vars(slow).items())
    assert store.mapper.to_stored_event(fast) == store.mapper.to_stored_event(slow)
    store.close()


def test_a_kept_elder_is_read_again_once_the_log_holds_a_newer_version(memory: Memory) -> None:
    meals = memory_meals(memory.store, memory.places, memory.policies)
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    first = meals.record_meals(point, "B1", [meal("r1", elder, f"{DAY} 11:30")], OPERATOR)
    assert outcome(first, "r1").status == "accepted"  # the elder is kept from now on
    meals.suspend_elder(elder, date(2024, 5, 3), "hospitalised", ACCOUNTANT)
    later = meals.record_meals(point, "B2", [meal("r2", elder, "2024-05-04 11:30")], OPERATOR)
    assert outcome(later, "r2").reason_code == "elder_suspended"


def test_what_orjson_refuses_is_decoded_by_the_standard_parser(memory: Memory) -> None:
    """Integers beyond 64 bits and NaN are valid to Python's json: the fast decode falls back
    to it and returns what the transcoder returns; typed values nested in lists are decoded."""
    mapper = memory.store.mapper
    assert isinstance(mapper, QianwanMapper)
    standard: Mapper[UUID] = Mapper(mapper.transcoder)
    key = uuid4()
    for state in (
        {"big": 2**80, "when": date(2024, 5, 2)},
        {"float": 0.1, "tiny": 5e-324, "day": date(2024, 5, 2)},
        {"nan_allowed": float("nan"), "ok": Decimal("1.10")},
        {"lines": [{"id": key, "amount": Decimal("3.30")}, [date(2024, 1, 1)]], "n": -(2**70)},
    ):
        encoded = mapper.transcoder.encode(state)
        fast, slow = mapper.decode_state(encoded), standard.transcoder.decode(encoded)
        assert repr(fast) == repr(slow)  # NaN != NaN: compare the representation
        assert [type(v) for v in fast.values()] == [type(v) for v in slow.values()]
    nested = mapper.decode_state(mapper.transcoder.encode({"lines": [{"id": key}]}))
    assert nested["lines"][0]["id"] == key and isinstance(nested["lines"][0]["id"], UUID)


def test_every_code_point_and_a_huge_integer_are_written_as_the_transcoder_writes_them(
    memory: Memory,
) -> None:
    """orjson's string escaping is json's with ensure_ascii=False for every code point (the
    surrogates aside, which no str from a request holds); an integer beyond 64 bits, which
    orjson refuses, is written by the transcoder itself."""
    from domain.shared.mapper import encode_plain

    transcoder = memory.store.mapper.transcoder
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(points), 4096):
        state = {"text": "".join(points[start : start + 4096]), "n": start}
        assert encode_plain(state) == transcoder.encode(state), hex(start)
    assert encode_plain({"big": 2**80}) is None
    standard: Mapper[UUID] = Mapper(transcoder)
    event = recorded_event(uuid4(), meal_fields(uuid4(), record_id="r" * 3))
    vars(event)["big"] = 2**80
    assert memory.store.mapper.to_stored_event(event) == standard.to_stored_event(event)
