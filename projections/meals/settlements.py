"""Settlement handlers: the settlement rows, their lines and clawbacks, and which settlement
claims (or claws back) each meal in the register (the candidates of the next draft)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ARRAY, Connection, String, any_, bindparam, delete, insert, update

from domain.meals.model.settlement import MealSettlement
from domain.shared.values import to_fen
from projections.meals.tables import clawbacks, meals, settlement_lines, settlements
from projections.projection import Handlers, Source

IDS_PER_STATEMENT = 500  # ids in one IN (…) of an UPDATE


def canonical_id(value: str) -> str:
    """A hex id (as lists inside events keep them) in the tables' 8-4-4-4-12 form."""
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def _claim_values(e: Any) -> dict[str, Any]:
    return {
        "meals": e.meals,
        "price_fen": to_fen(e.price_yuan),
        "government_fen": to_fen(e.government_yuan),
        "collective_fen": to_fen(e.collective_yuan),
        "elder_fen": to_fen(e.elder_yuan),
        "clawback_meals": len(e.clawbacks),
        "clawback_government_fen": to_fen(e.clawback_government_yuan),
        "clawback_collective_fen": to_fen(e.clawback_collective_yuan),
        "clawback_elder_fen": to_fen(e.clawback_elder_yuan),
        "drafted_on": e.drafted_on,
    }


def _mark(conn: Connection, column: str, settlement_id: str | None, ids: list[str]) -> None:
    """Set ``column`` of these meals. A settlement claims thousands: on PostgreSQL one
    statement with the ids as one array (executemany there is a round of bind and execute per
    id); on SQLite one statement executed for every id (an IN list that long costs more to
    bind than to run, and SQLite has no round trips)."""
    if ids and conn.dialect.name == "postgresql":
        conn.execute(
            update(meals)
            .where(meals.c.meal_id == any_(bindparam("b_ids", type_=ARRAY(String))))
            .values({column: settlement_id}),
            {"b_ids": ids},
        )
    elif ids:
        conn.execute(
            update(meals)
            .where(meals.c.meal_id == bindparam("b_meal_id"))
            .values({column: bindparam("b_value")}),
            [{"b_meal_id": i, "b_value": settlement_id} for i in ids],
        )


def _insert_claim(conn: Connection, sid: str, e: Any) -> None:
    if e.lines:
        conn.execute(
            insert(settlement_lines),
            [
                {
                    "settlement_id": sid,
                    "line_no": n,
                    "served_month": line["served_month"],
                    "category": line["category"],
                    "slot": line["slot"],
                    "delivery": line["delivery"],
                    "meals": line["meals"],
                    **{f"{a}_fen": to_fen(line[f"{a}_yuan"]) for a in _AMOUNTS},
                }
                for n, line in enumerate(e.lines, start=1)
            ],
        )
    if e.clawbacks:
        conn.execute(
            insert(clawbacks),
            [
                {
                    "settlement_id": sid,
                    "meal_id": canonical_id(c["meal_id"]),
                    "from_settlement_id": canonical_id(c["from_settlement_id"]),
                    "served_on": date.fromisoformat(c["served_on"]),
                    "category": c["category"],
                    "slot": c["slot"],
                    **{f"{a}_fen": to_fen(c[f"{a}_yuan"]) for a in _AMOUNTS[1:]},
                }
                for c in e.clawbacks
            ],
        )
    _mark(conn, "settlement_id", sid, [canonical_id(i) for i in e.meal_ids])
    _mark(conn, "clawback_settlement_id", sid, [canonical_id(c["meal_id"]) for c in e.clawbacks])


_AMOUNTS = ("price", "government", "collective", "elder")


def on_drafted(conn: Connection, e: Any, s: Source) -> None:
    sid = str(s.aggregate_id)
    conn.execute(
        insert(settlements).values(
            settlement_id=sid,
            meal_point_id=str(e.meal_point_id),
            village_code=e.village_code,
            operator_kind=e.operator_kind,
            month=e.month,
            period_end=e.period_end,
            status="drafted",
            version=s.version,
            updated_at=s.recorded_at,
            **_claim_values(e),
        )
    )
    _insert_claim(conn, sid, e)


def on_redrafted(conn: Connection, e: Any, s: Source) -> None:
    sid = str(s.aggregate_id)
    conn.execute(update(meals).where(meals.c.settlement_id == sid).values(settlement_id=None))
    conn.execute(
        update(meals)
        .where(meals.c.clawback_settlement_id == sid)
        .values(clawback_settlement_id=None)
    )
    conn.execute(delete(settlement_lines).where(settlement_lines.c.settlement_id == sid))
    conn.execute(delete(clawbacks).where(clawbacks.c.settlement_id == sid))
    _step(conn, s, status="drafted", **_claim_values(e))
    _insert_claim(conn, sid, e)


def _step(conn: Connection, s: Source, **values: Any) -> None:
    conn.execute(
        update(settlements)
        .where(settlements.c.settlement_id == str(s.aggregate_id))
        .values(version=s.version, updated_at=s.recorded_at, **values)
    )


def on_submitted(conn: Connection, e: Any, s: Source) -> None:
    _step(conn, s, status="submitted", submitted_on=e.submitted_on)


def on_verified(conn: Connection, e: Any, s: Source) -> None:
    _step(conn, s, status="verified", verified_on=e.verified_on)


def on_returned(conn: Connection, e: Any, s: Source) -> None:
    _step(conn, s, status="returned", returned_on=e.returned_on, return_reason=e.reason)


def on_approved(conn: Connection, e: Any, s: Source) -> None:
    _step(conn, s, status="approved", approved_on=e.approved_on)


def on_subsidy_received(conn: Connection, e: Any, s: Source) -> None:
    _step(conn, s, subsidy_received_on=e.received_on, subsidy_received_fen=to_fen(e.amount_yuan))


def on_paid(conn: Connection, e: Any, s: Source) -> None:
    _step(conn, s, status="paid", paid_on=e.paid_on, paid_fen=to_fen(e.amount_yuan))


SETTLEMENT_HANDLERS: Handlers = {
    MealSettlement.Drafted: on_drafted,  # type: ignore[attr-defined]
    MealSettlement.Redrafted: on_redrafted,  # type: ignore[attr-defined]
    MealSettlement.Submitted: on_submitted,  # type: ignore[attr-defined]
    MealSettlement.Verified: on_verified,  # type: ignore[attr-defined]
    MealSettlement.Returned: on_returned,  # type: ignore[attr-defined]
    MealSettlement.Approved: on_approved,  # type: ignore[attr-defined]
    MealSettlement.SubsidyReceived: on_subsidy_received,  # type: ignore[attr-defined]
    MealSettlement.Paid: on_paid,  # type: ignore[attr-defined]
}
