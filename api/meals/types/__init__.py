"""The GraphQL types of meal assistance (老年助餐), one module per concept."""

from __future__ import annotations

from api.meals.types.elders import Elder, ElderCategory, ElderConnection
from api.meals.types.findings import MealFinding, MealFindingConnection
from api.meals.types.meals import (
    Meal,
    MealBatch,
    MealBatchConnection,
    MealConnection,
    MealOutcome,
    MealRefusal,
)
from api.meals.types.points import (
    MAX_DAILY_COUNT_DAYS,
    MealDailyCount,
    MealPoint,
    MealPointConnection,
    SlotWindow,
)
from api.meals.types.settlements import (
    MealClawback,
    MealSettlement,
    MealSettlementConnection,
    MealSettlementLine,
)

__all__ = [
    "MAX_DAILY_COUNT_DAYS",
    "Elder",
    "ElderCategory",
    "ElderConnection",
    "Meal",
    "MealBatch",
    "MealBatchConnection",
    "MealClawback",
    "MealConnection",
    "MealDailyCount",
    "MealFinding",
    "MealFindingConnection",
    "MealOutcome",
    "MealPoint",
    "MealPointConnection",
    "MealRefusal",
    "MealSettlement",
    "MealSettlementConnection",
    "MealSettlementLine",
    "SlotWindow",
]
