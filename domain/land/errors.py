"""Refusals of the land-entry context (入市). Each code is stable and reads as a fact.

Approvals reuse the shared resolution codes (``approval_below_two_thirds_of_total``,
``approval_counted_on_attendees``, ``resolution_votes_inconsistent``); bad policy values are
``policy_value_invalid``; a missing policy is ``policy_not_in_force``.
"""

from __future__ import annotations

from domain.shared.errors import DomainError


class LandError(DomainError):
    """A refusal of the land-entry context; the subclasses say which."""

    code = "land_error"


class ParcelRegisteredDifferently(LandError):
    """A parcel with this code is already registered in the village with other details."""

    code = "parcel_registered_differently"


class ParcelNotFound(LandError):
    """No parcel with this id (or village and parcel code)."""

    code = "parcel_not_found"


class PlannedUseNotOperating(LandError):
    """Only land the land-use plan designates for an operating use may enter the market."""

    code = "planned_use_not_operating"


class LandClassNotConstructionLand(LandError):
    """Farmland and unused land may not enter the market: it must be construction land."""

    code = "land_class_not_construction_land"


class LandClassIsHomestead(LandError):
    """A homestead (宅基地) is villagers' housing land and never enters the market."""

    code = "land_class_is_homestead"


class ParcelStageNotReached(LandError):
    """The parcel has not yet reached the stage this step needs (the order is strict)."""

    code = "parcel_stage_not_reached"


class ParcelStagePassed(LandError):
    """The parcel is already past the stage this step belongs to."""

    code = "parcel_stage_passed"


class ParcelStepDatedBeforePreviousStep(LandError):
    """A step is dated before the step it follows."""

    code = "parcel_step_dated_before_previous_step"


class PrivateAgreementNotAllowedForUse(LandError):
    """Land of this planned use must go by tender, auction or listing, not private agreement."""

    code = "private_agreement_not_allowed_for_use"


class TermExceedsMaximumForUse(LandError):
    """The term is longer than the maximum in force for land of this planned use."""

    code = "term_exceeds_maximum_for_use"


class ListingBeforeFilingPeriodElapsed(LandError):
    """The plan must have been filed the minimum number of working days before listing."""

    code = "listing_before_filing_period_elapsed"


class AwardBelowReservePrice(LandError):
    """The winning price may not be below the reserve price (底价) of the approved plan."""

    code = "award_below_reserve_price"


class ContractBeforeAward(LandError):
    """A contract can only be signed with the winner, after the award."""

    code = "contract_before_award"


class PaymentExceedsContractPrice(LandError):
    """Installments may not add up to more than the contract price."""

    code = "payment_exceeds_contract_price"


class InstallmentReceiptReused(LandError):
    """This receipt number was used for a different installment on this parcel."""

    code = "installment_receipt_reused"


class UseRightBeforeFullPayment(LandError):
    """The use right is registered only once the whole contract price has been received."""

    code = "use_right_before_full_payment"


class DistributionBeforeLevyPaid(LandError):
    """Proceeds may be distributed only after the adjustment fund has been paid."""

    code = "distribution_before_levy_paid"


class DistributionExceedsNetProceeds(LandError):
    """A distribution may not exceed the proceeds received less the adjustment fund."""

    code = "distribution_exceeds_net_proceeds"


class MemberPaymentBeforeDisclosure(LandError):
    """Members are paid only after the approved distribution has been disclosed (村务公开)."""

    code = "member_payment_before_disclosure"


class MemberPaymentExceedsMembersShare(LandError):
    """Payments to members may not add up to more than the members' share approved."""

    code = "member_payment_exceeds_members_share"


class MemberPaymentBatchReused(LandError):
    """This batch number was used for a different payment to members on this parcel."""

    code = "member_payment_batch_reused"
