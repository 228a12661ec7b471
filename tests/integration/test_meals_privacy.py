"""Crypto-shredding: after an elder's key is destroyed the person is unidentifiable, while every
event still exists, every settlement and ledger is unchanged, and projections still rebuild."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from domain.shared.history import history
from domain.shared.keystore import personal_data_keys
from projections.ledger.queries import trial_balance
from projections.ledger.tables import entries, lines
from projections.meals import queries as q
from projections.meals.tables import ALL_TABLES
from qianwan.bootstrap import Registry
from tests.support import (
    ACCOUNTANT,
    CIVIL_AFFAIRS,
    OPERATOR,
    VILLAGE,
    enrol_elder,
    make_id_number,
    meal,
    meals_registry,
    register_canteen,
)

NAME = "赵淑珍"
BORN = date(1941, 11, 23)
NUMBER = make_id_number(BORN, "246")


def snapshot(registry: Registry) -> dict[str, Any]:
    with registry.engine.connect() as conn:
        tables: dict[str, Any] = {
            t.name: sorted(map(tuple, conn.execute(select(t)).all())) for t in ALL_TABLES
        }
        tables["ledger_entries"] = sorted(map(tuple, conn.execute(select(entries)).all()))
        tables["ledger_lines"] = sorted(map(tuple, conn.execute(select(lines)).all()))
        tables["trial_balance"] = trial_balance(conn, VILLAGE, date(2024, 12, 31)).lines
        tables["settlements"] = q.settlements_of(conn, village_code=VILLAGE)
    return tables


def every_stored_byte(registry: Registry) -> bytes:
    events = registry.store.recorder.select_notifications(1, 1_000_000)
    with registry.engine.connect() as conn:
        cells = [repr(row) for t in ALL_TABLES for row in conn.execute(select(t)).all()]
    return b"".join(n.state for n in events) + "".join(cells).encode()


def test_destroying_an_elders_key_leaves_everything_but_their_identity(seeded: Registry) -> None:
    meals = meals_registry(seeded)
    point = register_canteen(meals)
    elder = enrol_elder(meals, NAME, BORN, "246")
    other = enrol_elder(meals, "孙", sequence="135")
    may = [date(2024, 5, d) for d in range(1, 11)]
    records = [
        meal(f"{d}-{n}", e, f"{d} 11:3{n}") for d in may for n, e in enumerate((elder, other))
    ]
    meals.record_meals(point, "MAY", records, OPERATOR)
    sid = meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
    meals.submit_settlement(sid, date(2024, 6, 4), ACCOUNTANT)
    meals.verify_settlement(sid, date(2024, 6, 5), CIVIL_AFFAIRS)
    meals.approve_settlement(sid, date(2024, 6, 6), ACCOUNTANT)
    meals.pay_settlement(sid, date(2024, 6, 7), ACCOUNTANT)
    # never in clear, even before erasure: not in any event, not in any read-model row
    stored = every_stored_byte(seeded)
    for clear in (NAME, NUMBER, NUMBER[:17], "19411123"):
        assert clear.encode() not in stored
    events_before = history(seeded.store, elder)
    before = snapshot(seeded)

    meals.erase_personal_data(elder, "retention_expired", date(2024, 8, 1), ACCOUNTANT)

    after_events = history(seeded.store, elder)
    assert after_events[:-1] == events_before  # every event is still there, unchanged
    assert after_events[-1].event_type == "Elder.PersonalDataErased"
    with seeded.engine.connect() as conn:
        shown = q.elder(conn, meals.keys, elder)
        still = q.elder(conn, meals.keys, other)
        key_row = (
            conn.execute(
                select(personal_data_keys).where(personal_data_keys.c.subject_id == str(elder))
            )
            .mappings()
            .one()
        )
    assert shown is not None and still is not None
    assert (shown.name, shown.id_number_masked, shown.personal_data_erased) == (None, None, True)
    assert still.name == "孙"
    assert (key_row["wrapped_key"], key_row["lookup_hash"]) == (None, None)
    assert meals.elder_id_for(NUMBER) is None
    changed = {k for k, v in snapshot(seeded).items() if v != before[k]}
    assert changed == {"meal_elders"}  # only the erased flag; meals, claims, books unchanged

    seeded.runner.rebuild()
    rebuilt = snapshot(seeded)
    assert {k for k, v in rebuilt.items() if v != before[k]} == {"meal_elders"}
    with seeded.engine.connect() as conn:
        again = q.elder(conn, meals.keys, elder)
    assert again is not None and (again.name, again.id_number_masked) == (None, None)
    # new meals for the erased elder are refused; everyone else carries on
    june = [meal("x", elder, "2024-06-03 11:30"), meal("y", other, "2024-06-03 11:30")]
    late = meals.record_meals(point, "JUNE", june, OPERATOR)
    assert [o.reason_code for o in late.outcomes] == ["elder_unknown", None]
    sid = meals.draft_settlement(point, "2024-06", date(2024, 7, 2), ACCOUNTANT)
    assert meals.get_settlement(sid).meals == 1
