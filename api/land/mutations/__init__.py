# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The land context's root mutation fields, one per command of the LandApplication, in the
order of a parcel's journey (docs/rules.md L-03)."""

from __future__ import annotations

import graphene

from api.land.mutations.market import (
    AwardParcel,
    ListParcel,
    ReceiveInstallment,
    SignParcelContract,
)
from api.land.mutations.planning import (
    ApproveEntryPlan,
    DraftEntryPlan,
    FileEntryPlan,
    IssuePlanningConditions,
    RegisterParcel,
)
from api.land.mutations.proceeds import (
    ApproveDistribution,
    AssessLevy,
    DiscloseDistribution,
    PayLevy,
    PayMembers,
    ProposeDistribution,
    RegisterUseRight,
)


class LandMutations(graphene.ObjectType):
    register_parcel = RegisterParcel.Field()
    issue_planning_conditions = IssuePlanningConditions.Field()
    draft_entry_plan = DraftEntryPlan.Field()
    approve_entry_plan = ApproveEntryPlan.Field()
    file_entry_plan = FileEntryPlan.Field()
    list_parcel = ListParcel.Field()
    award_parcel = AwardParcel.Field()
    sign_parcel_contract = SignParcelContract.Field()
    receive_installment = ReceiveInstallment.Field()
    assess_levy = AssessLevy.Field()
    pay_levy = PayLevy.Field()
    register_use_right = RegisterUseRight.Field()
    propose_distribution = ProposeDistribution.Field()
    approve_distribution = ApproveDistribution.Field()
    disclose_distribution = DiscloseDistribution.Field()
    pay_members = PayMembers.Field()
