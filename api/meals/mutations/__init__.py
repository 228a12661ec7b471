# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The meal-assistance context's root mutation fields, one per command of MealsApplication."""

from __future__ import annotations

import graphene

from api.meals.mutations.elders import (
    EndCategory,
    EnrolElder,
    ErasePersonalData,
    GrantCategory,
    MoveElder,
    RecordDeath,
    ResumeElder,
    SuspendElder,
)
from api.meals.mutations.meals import RecordMeals, VoidMeal
from api.meals.mutations.points import CloseMealPoint, RegisterMealPoint
from api.meals.mutations.settlements import (
    ApproveSettlement,
    DraftSettlement,
    DraftSettlements,
    PaySettlement,
    RecordSubsidyReceived,
    ReturnSettlement,
    SubmitSettlement,
    VerifySettlement,
)
from api.meals.mutations.uploads import RecordMealUploads


class MealMutations(graphene.ObjectType):
    register_meal_point = RegisterMealPoint.Field()
    close_meal_point = CloseMealPoint.Field()
    enrol_elder = EnrolElder.Field()
    grant_category = GrantCategory.Field()
    end_category = EndCategory.Field()
    suspend_elder = SuspendElder.Field()
    resume_elder = ResumeElder.Field()
    move_elder = MoveElder.Field()
    record_death = RecordDeath.Field()
    erase_personal_data = ErasePersonalData.Field()
    record_meals = RecordMeals.Field()
    record_meal_uploads = RecordMealUploads.Field()
    void_meal = VoidMeal.Field()
    draft_settlement = DraftSettlement.Field()
    draft_settlements = DraftSettlements.Field()
    submit_settlement = SubmitSettlement.Field()
    verify_settlement = VerifySettlement.Field()
    return_settlement = ReturnSettlement.Field()
    approve_settlement = ApproveSettlement.Field()
    record_subsidy_received = RecordSubsidyReceived.Field()
    pay_settlement = PaySettlement.Field()
