"""The closed vocabularies of elderly meal assistance (老年助餐): slots, categories, kinds,
reasons and statuses. The rules that use them are in rules.py (docs/rules.md M-xx).

A leaf module (it imports nothing from the registry) so that policy parsers, the model and the
projections can all share one spelling of every code. The payment channels are the registry's
own (domain/shared/values.py PAYMENT_CHANNELS).
"""

from __future__ import annotations

SLOTS = ("breakfast", "lunch", "dinner")
SLOT_NAMES_ZH = {"breakfast": "早餐", "lunch": "午餐", "dinner": "晚餐"}

# Windows seen in local practice (docs/rules.md M-04); a meal point registers its own, these
# are defaults.
DEFAULT_SLOT_WINDOWS: dict[str, tuple[str, str]] = {
    "breakfast": ("06:00", "09:00"),
    "lunch": ("11:00", "13:30"),
    "dinner": ("17:30", "19:30"),
}

# Eligibility categories, each held with a validity window. The ORDER matters: when several
# categories give the same subsidy, the earlier one is recorded as the one applied.
CATEGORIES: dict[str, str] = {
    "tekun": "特困",
    "dibao": "低保",
    "dibao_edge": "低保边缘",
    "care_dependent": "失能",
    "partly_care_dependent": "半失能",
    "disability": "残疾",
    "family_planning_special": "计生特殊家庭",
    "living_alone": "独居",
    "empty_nest": "空巢",
    "left_behind": "留守",
    "age_100": "100周岁以上",
    "age_90": "90周岁以上",
    "age_80": "80周岁以上",
    "age_75": "75周岁以上",
    "age_70": "70周岁以上",
    "age_65": "65周岁以上",
    "age_60": "60周岁以上",
}
CATEGORY_ORDER = {code: n for n, code in enumerate(CATEGORIES)}
AGE_BANDS = {"age_60": 60, "age_65": 65, "age_70": 70, "age_75": 75, "age_80": 80}
AGE_BANDS |= {"age_90": 90, "age_100": 100}

MEAL_POINT_KINDS = {"canteen": "长者食堂", "meal_point": "助餐点"}
OPERATOR_KINDS = {"collective": "村集体自营", "contractor": "委托第三方运营"}

SUSPENSION_REASONS = ("hospitalised", "temporarily_away", "eligibility_review", "other")
CLOSURE_REASONS = ("operator_withdrew", "merged", "inspection_failed", "other")
ERASURE_REASONS = ("retention_expired", "data_subject_request", "enrolled_in_error")
# Why a recorded meal was voided by a correcting event (never deleted).
VOID_REASONS = (
    "meal_after_death",  # a death reported late: meals after the death date
    "recorded_in_error",  # the point recorded the wrong elder, slot or day
    "not_served",  # an invented meal found by an audit
    "staff_meal",  # staff ate on an elder's subsidy
    "duplicate_claim",  # the same meal claimed twice in another way
)
# What the register says of an elder (projections/meals/elder_queries.py derives it).
ELDER_STATUSES = ("active", "suspended", "moved_away", "deceased")
# A month's claim: drafted → submitted → verified → approved → paid; returned → redrafted.
SETTLEMENT_STATUSES = ("drafted", "submitted", "verified", "returned", "approved", "paid")
# What became of one record of an upload (domain/meals/uploads.py MealOutcome.status).
OUTCOME_STATUSES = {
    "accepted": "a meal was recorded for it now",
    "already_recorded": "this point's same record, uploaded before: nothing new",
    "refused": "refused with a reason code, kept on the batch as an audit fact",
}
# What became of one meal point's settlement in a command drafting many (settling_bulk.py).
DRAFT_STATUSES = {
    "drafted": "a new settlement of the month was drafted",
    "redrafted": "its drafted or returned settlement was drafted again, with the claim as now",
    "unchanged": "drafted already with this very claim: nothing recorded (a retry)",
    "refused": "refused with a code; nothing recorded for this meal point",
}
SETTLEMENT_RETURN_REASONS = ("meals_disputed", "amounts_wrong", "documents_missing", "other")
