"""Reading settlements (re-exported by queries.py), and the candidates of the next draft."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.engine import Engine

from domain.meals.model.claim import Claim
from domain.meals.settling import Candidates
from domain.shared.values import from_fen
from projections.meals.month_candidates import meal_points_in, month_claims
from projections.meals.projection import MealsProjection
from projections.meals.tables import clawbacks, meals, settlement_lines, settlements
from projections.runner import ProjectionRunner

MAX_SETTLEMENTS = 1000


@dataclass(frozen=True)
class SettlementLineView:
    served_month: str
    category: str
    slot: str
    delivery: bool
    meals: int
    price: Decimal
    government: Decimal
    collective: Decimal
    elder_share: Decimal


@dataclass(frozen=True)
class ClawbackView:
    meal_id: str
    from_settlement_id: str
    served_on: date
    category: str
    slot: str
    government: Decimal
    collective: Decimal
    elder_share: Decimal


@dataclass(frozen=True)
class SettlementView:
    """Amounts in yuan. net_payable = net_government + net_collective: what the collective owes
    the operator (negative: what the operator owes back)."""

    settlement_id: str
    meal_point_id: str
    village_code: str
    operator_kind: str
    month: str
    period_end: date
    status: str
    meals: int
    price: Decimal
    government: Decimal
    collective: Decimal
    elder_share: Decimal
    clawback_meals: int
    clawback_government: Decimal
    clawback_collective: Decimal
    clawback_elder_share: Decimal
    net_government: Decimal
    net_collective: Decimal
    net_payable: Decimal
    drafted_on: date
    submitted_on: date | None
    verified_on: date | None
    returned_on: date | None
    return_reason: str | None
    approved_on: date | None
    subsidy_received_on: date | None
    subsidy_received: Decimal | None
    paid_on: date | None
    paid: Decimal | None
    lines: tuple[SettlementLineView, ...]
    clawbacks: tuple[ClawbackView, ...]


def settlement(conn: Connection, settlement_id: UUID | str) -> SettlementView | None:
    found = settlements_of(conn, settlement_id=settlement_id)
    return found[0] if found else None


def settlements_of(
    conn: Connection,
    meal_point_id: UUID | str | None = None,
    village_code: str | None = None,
    month: str | None = None,
    settlement_id: UUID | str | None = None,
) -> list[SettlementView]:
    t = settlements
    query = select(t).order_by(t.c.month, t.c.meal_point_id)
    for column, value in (
        (t.c.meal_point_id, meal_point_id),
        (t.c.village_code, village_code),
        (t.c.month, month),
        (t.c.settlement_id, settlement_id),
    ):
        if value is not None:
            query = query.where(column == str(value))
    rows = list(conn.execute(query.limit(MAX_SETTLEMENTS)).mappings())
    ids = [r["settlement_id"] for r in rows]
    lines: dict[str, list[SettlementLineView]] = {}
    backs: dict[str, list[ClawbackView]] = {}
    if ids:
        q = select(settlement_lines).where(settlement_lines.c.settlement_id.in_(ids))
        for r in conn.execute(q.order_by(settlement_lines.c.line_no)).mappings():
            lines.setdefault(r["settlement_id"], []).append(_line(r))
        q = select(clawbacks).where(clawbacks.c.settlement_id.in_(ids))
        for r in conn.execute(q.order_by(clawbacks.c.served_on, clawbacks.c.meal_id)).mappings():
            backs.setdefault(r["settlement_id"], []).append(_clawback(r))
    return [
        _settlement(r, lines.get(r["settlement_id"], []), backs.get(r["settlement_id"], []))
        for r in rows
    ]


def _line(r: Any) -> SettlementLineView:
    return SettlementLineView(
        r["served_month"],
        r["category"],
        r["slot"],
        r["delivery"],
        r["meals"],
        from_fen(r["price_fen"]),
        from_fen(r["government_fen"]),
        from_fen(r["collective_fen"]),
        from_fen(r["elder_fen"]),
    )


def _clawback(r: Any) -> ClawbackView:
    return ClawbackView(
        r["meal_id"],
        r["from_settlement_id"],
        r["served_on"],
        r["category"],
        r["slot"],
        from_fen(r["government_fen"]),
        from_fen(r["collective_fen"]),
        from_fen(r["elder_fen"]),
    )


def _settlement(
    r: Any, lines: list[SettlementLineView], backs: list[ClawbackView]
) -> SettlementView:
    net_government = r["government_fen"] - r["clawback_government_fen"]
    net_collective = r["collective_fen"] - r["clawback_collective_fen"]
    optional = {"subsidy_received": r["subsidy_received_fen"], "paid": r["paid_fen"]}
    return SettlementView(
        **{k: r[k] for k in ("settlement_id", "meal_point_id", "village_code", "operator_kind")},
        **{k: r[k] for k in ("month", "period_end", "status", "meals", "clawback_meals")},
        price=from_fen(r["price_fen"]),
        government=from_fen(r["government_fen"]),
        collective=from_fen(r["collective_fen"]),
        elder_share=from_fen(r["elder_fen"]),
        clawback_government=from_fen(r["clawback_government_fen"]),
        clawback_collective=from_fen(r["clawback_collective_fen"]),
        clawback_elder_share=from_fen(r["clawback_elder_fen"]),
        net_government=from_fen(net_government),
        net_collective=from_fen(net_collective),
        net_payable=from_fen(net_government + net_collective),
        **{k: r[k] for k in ("drafted_on", "submitted_on", "verified_on", "returned_on")},
        **{k: r[k] for k in ("return_reason", "approved_on", "subsidy_received_on", "paid_on")},
        subsidy_received=_yuan_or_none(optional["subsidy_received"]),
        paid=_yuan_or_none(optional["paid"]),
        lines=tuple(lines),
        clawbacks=tuple(backs),
    )


def _yuan_or_none(fen: int | None) -> Decimal | None:
    return from_fen(fen) if fen is not None else None


def settlement_candidates(
    conn: Connection, meal_point_id: UUID, period_end: date, settlement_id: UUID
) -> Candidates:
    """See domain/meals/settling.py ``Candidates``: unclaimed standing meals up to period_end,
    and voided meals a paid settlement claimed that no other settlement claws back yet."""
    point, sid = str(meal_point_id), str(settlement_id)
    claimable = select(meals.c.meal_id).where(
        meals.c.meal_point_id == point,
        meals.c.served_on <= period_end,
        meals.c.voided.is_(False),
        or_(meals.c.settlement_id.is_(None), meals.c.settlement_id == sid),
    )
    paid = settlements.c.status == "paid"
    clawable = (
        select(meals.c.meal_id, meals.c.settlement_id)
        .join(settlements, settlements.c.settlement_id == meals.c.settlement_id)
        .where(
            meals.c.meal_point_id == point,
            meals.c.voided.is_(True),
            and_(paid, meals.c.settlement_id != sid),
            or_(meals.c.clawback_settlement_id.is_(None), meals.c.clawback_settlement_id == sid),
        )
    )
    return Candidates(
        tuple(UUID(m) for m in conn.scalars(claimable)),
        tuple((UUID(m), UUID(s)) for m, s in conn.execute(clawable)),
    )


class ProjectedCandidates:
    """The meals a settlement may claim, read from the meal register after catching it up
    (domain/meals/settling.py: ``CandidateSource``)."""

    def __init__(self, runner: ProjectionRunner, engine: Engine) -> None:
        self.runner = runner
        self.engine = engine

    def __call__(self, meal_point_id: UUID, period_end: date, settlement_id: UUID) -> Candidates:
        self.runner.catch_up()
        self.runner.require_folding(MealsProjection.name)
        with self.engine.connect() as conn:
            return settlement_candidates(conn, meal_point_id, period_end, settlement_id)

    def months(self, own: Mapping[UUID, UUID], period_end: date) -> dict[UUID, Claim]:
        """Set-based, as of the log now: projections/meals/month_candidates.py. The register
        is not caught up first: what it has not folded is read from the log's tail."""
        self.runner.require_folding(MealsProjection.name)
        return month_claims(self.engine, self.runner.store, own, period_end)

    def points_in(self, place_code: str) -> list[tuple[UUID, str]]:
        with self.engine.connect() as conn:
            return meal_points_in(conn, place_code)
