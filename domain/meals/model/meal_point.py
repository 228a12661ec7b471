"""A meal point: an elder canteen (长者食堂) or a meal point (助餐点) of a village, run by the
collective or by a contracted operator, serving slots inside time windows, with or without
delivery. Rules: docs/rules.md M-04, M-07 (their checks are in domain/meals/rules.py).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from domain.meals.errors import MealPointClosed
from domain.meals.rules import check_meal_point_serves, clock_seconds
from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import Provenance, deterministic_id


class MealPoint(QianwanAggregate):
    @staticmethod
    def create_id(village_code: str, point_code: str) -> UUID:
        return deterministic_id("meal-point", village_code, point_code)

    @event("Registered")
    def __init__(
        self,
        village_code: str,
        point_code: str,
        name: str,
        kind: str,
        operator_kind: str,
        operator_name: str,
        capacity_meals_per_day: int,
        delivery_offered: bool,
        slots: dict[str, list[str]],
        registered_on: date,
        actor: str,
        authority: str | None,
    ) -> None:
        """village_code + point_code: unique. kind: canteen (长者食堂) | meal_point (助餐点).
        operator_kind: collective | contractor; operator_name: who runs it. capacity_meals_per_day:
        meals it can serve in a day (audits compare counts with it). delivery_offered: delivers
        meals. slots: slot → [start, end] local times 'HH:MM'. registered_on: opening date."""
        self.village_code = village_code
        self.point_code = point_code
        self.name = name
        self.kind = kind
        self.operator_kind = operator_kind
        self.operator_name = operator_name
        self.capacity_meals_per_day = capacity_meals_per_day
        self.delivery_offered = delivery_offered
        self.slots = {k: list(v) for k, v in slots.items()}
        self.registered_on = registered_on
        self.closed_on: date | None = None
        self.settlements: dict[str, UUID] = {}  # month → settlement id

    def close(self, closed_on: date, reason: str, by: Provenance) -> None:
        if self.closed_on is not None:
            raise MealPointClosed(f"{self.name} closed on {self.closed_on}")
        self._closed(closed_on=closed_on, reason=reason, actor=by.actor, authority=by.authority)

    @event("Closed")
    def _closed(self, closed_on: date, reason: str, actor: str, authority: str | None) -> None:
        """No meals from closed_on. reason: CLOSURE_REASONS."""
        self.closed_on = closed_on

    def note_settlement(self, settlement_id: UUID, month: str, by: Provenance) -> None:
        """Every (re)draft of a settlement passes here, so that two drafts for one point made at
        the same moment conflict in the event store instead of claiming the same meals twice."""
        self._settlement_drafted(
            settlement_id=settlement_id, month=month, actor=by.actor, authority=by.authority
        )

    @event("SettlementDrafted")
    def _settlement_drafted(
        self, settlement_id: UUID, month: str, actor: str, authority: str | None
    ) -> None:
        """The settlement of month was drafted or redrafted."""
        self.settlements[month] = settlement_id

    def windows_seconds(self) -> dict[str, tuple[int, int]]:
        return {s: (clock_seconds(a), clock_seconds(b)) for s, (a, b) in self.slots.items()}

    def meal_refusal(self, day: date, slot: str, delivery: bool) -> str | None:
        """Why the point cannot have served this meal, regardless of the time, or None."""
        return check_meal_point_serves(
            day,
            slot,
            delivery,
            registered_on=self.registered_on,
            closed_on=self.closed_on,
            slots=self.slots,
            delivery_offered=self.delivery_offered,
        )
