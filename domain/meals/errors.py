"""Refusals of the meal-assistance context (老年助餐), and the reason codes of refused meals.

Commands raise a ``MealsError`` subclass (a stable ``code``) before anything is recorded. A meal
batch is different: each record is accepted or refused on its own, with a code from
``MEAL_REFUSAL_REASONS`` (docs/rules.md M-07, M-08); refused records are kept as facts on the
batch for auditors. Each refusal belongs to a rule of docs/rules.md M-01 … M-13.
"""

from __future__ import annotations

from domain.shared.errors import DomainError

# Why one record of a meal batch was refused (TigerBeetle-style result codes).
MEAL_REFUSAL_REASONS: dict[str, str] = {
    "record_invalid": "the record is malformed (slot, time, price or elder reference)",
    "elder_unknown": "no enrolled elder with this id or ID number (or their data was erased)",
    "served_in_future": "the meal is dated after today",
    "meal_point_closed": "the meal point was not open on the meal date (before it opened, or "
    "closed)",
    "slot_not_offered": "the meal point does not serve this slot",
    "delivery_not_offered": "the meal point does not deliver",
    "meal_after_death": "the meal is dated after the elder's date of death",
    "elder_moved_away": "the elder moved out of the registry's area before the meal date",
    "elder_suspended": "the elder's meal assistance was suspended on the meal date",
    "elder_not_eligible_on_date": "no category of the elder that the subsidy policy lists is "
    "valid on the meal date (or the elder was not yet enrolled)",
    "time_outside_slot_window": "the meal time is outside the slot's time window",
    "second_meal_in_slot": "the elder already has a meal for this date and slot, at this or "
    "another meal point",
}
REFUSAL_CODES = tuple(MEAL_REFUSAL_REASONS)


class MealsError(DomainError):
    """A refusal of the meal-assistance context; the subclasses say which."""

    code = "meals_error"


class IdNumberMalformed(MealsError):
    """A resident ID number is 18 characters: 17 digits and a check character (digit or X)."""

    code = "id_number_malformed"


class IdNumberCheckCharacterWrong(MealsError):
    """The 18th character does not match ISO 7064 MOD 11-2 over the first 17 digits."""

    code = "id_number_check_character_wrong"


class IdNumberBirthDateInvalid(MealsError):
    """Characters 7–14 are not a real past birth date."""

    code = "id_number_birth_date_invalid"


class BirthDateDisagreesWithIdNumber(MealsError):
    """The birth date given differs from the one inside the ID number."""

    code = "birth_date_disagrees_with_id_number"


class ElderUnder60(MealsError):
    """Meal assistance is for people aged 60 and over on the enrolment date."""

    code = "elder_under_60"


class CategoryBeforeAge(MealsError):
    """An age band (75+, 80+ …) cannot start before the elder reaches that age."""

    code = "category_before_age"


class CategoryAlreadyHeld(MealsError):
    """The elder holds this category already for part of that window."""

    code = "category_already_held"


class CategoryNotHeld(MealsError):
    """The elder holds no open window of this category to end."""

    code = "category_not_held"


class ElderNotFound(MealsError):
    """No enrolled elder with this id."""

    code = "elder_not_found"


class ElderAlreadyEnrolled(MealsError):
    """This ID number is enrolled already with another name or village (use move_elder)."""

    code = "elder_already_enrolled"


class ElderDeceased(MealsError):
    """The elder's death is recorded; nothing more can change for them except corrections."""

    code = "elder_deceased"


class DeathRecordedDifferently(MealsError):
    """A death is recorded already with another date; a correction needs an administrator."""

    code = "death_recorded_differently"


class ElderAlreadySuspended(MealsError):
    """The elder is suspended already; resume first."""

    code = "elder_already_suspended"


class ElderNotSuspended(MealsError):
    """There is no open suspension to end (or it would end before it began)."""

    code = "elder_not_suspended"


class PersonalDataErased(MealsError):
    """The elder's key was destroyed: their name and ID number can no longer be read."""

    code = "personal_data_erased"


class MealPointNotFound(MealsError):
    """No meal point with this id."""

    code = "meal_point_not_found"


class MealPointRegisteredDifferently(MealsError):
    """A meal point with this code is registered in the village with other details."""

    code = "meal_point_registered_differently"


class MealPointClosed(MealsError):
    """The meal point is closed."""

    code = "meal_point_closed"


class SlotWindowInvalid(MealsError):
    """Slot windows are 'HH:MM' pairs with the start before the end, for known slots."""

    code = "slot_window_invalid"


class BatchNumberReused(MealsError):
    """This batch number was used at this meal point for a batch with other records."""

    code = "batch_number_reused"


class RecordIdRepeated(MealsError):
    """Each record of a batch needs its own client record id."""

    code = "record_id_repeated_in_batch"


class UploadRepeatedInCall(MealsError):
    """A call carrying several uploads names the same point's batch number twice."""

    code = "upload_repeated_in_call"


class MealNotFound(MealsError):
    """No meal with this id."""

    code = "meal_not_found"


class MealAlreadyVoided(MealsError):
    """The meal was voided already."""

    code = "meal_already_voided"


class SettlementNotFound(MealsError):
    """No settlement with this id."""

    code = "settlement_not_found"


class SettlementMonthNotEnded(MealsError):
    """A month is settled only after its last day."""

    code = "settlement_month_not_ended"


class SettlementAlreadySubmitted(MealsError):
    """The month's settlement went past drafting; it can be redrafted only when returned."""

    code = "settlement_already_submitted"


class SettlementHasNoMeals(MealsError):
    """Nothing to claim: no unsettled meals and no clawbacks for this point up to the month."""

    code = "settlement_has_no_meals"


class SettlementStepNotAllowed(MealsError):
    """The settlement's status does not allow this step (drafted → submitted → verified →
    approved → paid; returned → redrafted)."""

    code = "settlement_step_not_allowed"


class SettlementBasisChanged(MealsError):
    """A claimed meal was voided (or changed) since drafting: return and redraft the claim."""

    code = "settlement_basis_changed"


class SubsidyReceivedDiffersFromClaim(MealsError):
    """The government subsidy received must equal the settlement's net government claim."""

    code = "subsidy_received_differs_from_claim"


class SubsidyAlreadyReceived(MealsError):
    """The government subsidy of this settlement was recorded already."""

    code = "subsidy_already_received"


class StepDatedBeforePreviousStep(MealsError):
    """A settlement step cannot be dated before the step it follows."""

    code = "step_dated_before_previous_step"
