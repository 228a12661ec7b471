"""The aggregates of meal assistance: elders, meal points, meals and their batches, settlements."""

from domain.meals.model.elder import Elder
from domain.meals.model.meal import Meal, MealBatch
from domain.meals.model.meal_point import MealPoint
from domain.meals.model.settlement import MealSettlement

__all__ = ["Elder", "Meal", "MealBatch", "MealPoint", "MealSettlement"]
