"""Every kind of refused land command: its code (and the argument at fault) comes back in the
payload's ``errors``, the payload's parcel is null, and nothing is recorded: neither the event
log nor the parcel's history grows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.documents import HISTORY
from tests.e2e.land_documents import (
    APPROVE_DISTRIBUTION,
    APPROVE_ENTRY_PLAN,
    ASSESS_LEVY,
    AWARD_PARCEL,
    DISTRIBUTION_MEETING,
    DRAFT_ENTRY_PLAN,
    FILE_ENTRY_PLAN,
    ISSUE_PLANNING_CONDITIONS,
    LIST_PARCEL,
    PAY_MEMBERS,
    PROPOSE_DISTRIBUTION,
    RECEIVE_INSTALLMENT,
    REGISTER_PARCEL,
    REGISTER_USE_RIGHT,
    SIGN_PARCEL_CONTRACT,
    plan,
    register_variables,
    resolution,
)
from tests.support import (
    ACCOUNTANT,
    ADMIN,
    LAND_COST,
    VILLAGE,
    parcel_through,
    seed_land_policies,
)

NO_SUCH_PARCEL = "00000000-0000-4000-8000-000000000000"
PARCELS_OF_VILLAGE = (
    "query($v: String) { parcels(villageCode: $v) { edges { node { parcelCode stage } } } }"
)
Given = Callable[[Registry], UUID | None]


def through(last: str | None) -> Given:
    """A parcel registered and carried up to and including the journey step ``last``."""
    return lambda registry: parcel_through(registry.land, last)


def nothing(registry: Registry) -> None:
    return None


def partly_paid_with_levy_paid(registry: Registry) -> UUID:
    """Contracted, half the price received, the levy assessed and paid."""
    land = registry.land
    pid = parcel_through(land, "contracted")
    land.receive_installment(pid, "SK-001", "1300000.00", date(2024, 6, 10), ACCOUNTANT)
    land.assess_levy(pid, "溧调节金〔2024〕5号", date(2024, 9, 20), ACCOUNTANT, LAND_COST)
    land.pay_levy(pid, "FS-2024-0931", date(2024, 9, 30), ACCOUNTANT)
    return pid


def contracted_where_levied_on_gross_price(registry: Registry) -> UUID:
    gross = {"base": "gross_price", "rate": "0.25"}
    registry.policies.set_policy(
        "land.adjustment_fund", VILLAGE, date(2024, 1, 1), gross, "村级试点 (test)", ADMIN
    )
    return parcel_through(registry.land, "paid_in_full")


@dataclass(frozen=True)
class Refusal:
    """given: the parcel before the command (None: no parcel). mutation: the payload's field.
    variables: besides ``id`` (the given parcel's, or NO_SUCH_PARCEL)."""

    code: str
    error_field: str | None
    given: Given
    mutation: str
    document: str
    variables: dict[str, Any] = field(default_factory=dict)


def installment(receipt_no: str, amount: str) -> dict[str, Any]:
    return {"receiptNo": receipt_no, "amount": amount, "receivedOn": "2024-09-12"}


def batch(batch_no: str, amount: str, paid_on: str = "2024-11-25") -> dict[str, Any]:
    return {"batchNo": batch_no, "amount": amount, "members": 10, "paidOn": paid_on}


REGISTER = ("registerParcel", REGISTER_PARCEL)
PLANNING = ("issuePlanningConditions", ISSUE_PLANNING_CONDITIONS)
DRAFT = ("draftEntryPlan", DRAFT_ENTRY_PLAN)
APPROVE = ("approveEntryPlan", APPROVE_ENTRY_PLAN)
RECEIVE = ("receiveInstallment", RECEIVE_INSTALLMENT)
PROPOSE = ("proposeDistribution", PROPOSE_DISTRIBUTION)
PAY = ("payMembers", PAY_MEMBERS)
AFTER_PLANNING = through("planning_conditions_issued")

REFUSALS = {
    # registration
    "homestead": Refusal(
        "land_class_is_homestead",
        "landClass",
        nothing,
        *REGISTER,
        register_variables(land_class="homestead"),
    ),
    "farmland": Refusal(
        "land_class_not_construction_land",
        "landClass",
        nothing,
        *REGISTER,
        register_variables(land_class="farmland"),
    ),
    "residential use": Refusal(
        "planned_use_not_operating",
        "plannedUse",
        nothing,
        *REGISTER,
        register_variables(planned_use="residential"),
    ),
    "area not positive": Refusal(
        "invalid_input", "areaM2", nothing, *REGISTER, {**register_variables(), "area": "-1"}
    ),
    "registered differently": Refusal(
        "parcel_registered_differently",
        "parcelCode",
        through(None),
        *REGISTER,
        {**register_variables(), "area": "999"},
    ),
    # the order of steps (an unknown parcel: FORBIDDEN, test_an_unknown_parcel_… below)
    "stage not reached": Refusal(
        "parcel_stage_not_reached", "stage", through(None), *DRAFT, {"plan": plan()}
    ),
    "stage passed": Refusal("parcel_stage_passed", "stage", through("plan_drafted"), *PLANNING),
    "dated before the previous step": Refusal(
        "parcel_step_dated_before_previous_step",
        "filedOn",
        through("plan_approved"),
        "fileEntryPlan",
        FILE_ENTRY_PLAN,
        {"filedOn": "2024-03-20"},
    ),
    # the plan and the collective's decision
    "term over the maximum": Refusal(
        "term_exceeds_maximum_for_use",
        "termYears",
        AFTER_PLANNING,
        *DRAFT,
        {"plan": plan(termYears=51)},
    ),
    "private agreement for industry": Refusal(
        "private_agreement_not_allowed_for_use",
        "listingMethod",
        AFTER_PLANNING,
        *DRAFT,
        {"plan": plan(listingMethod="agreement")},
    ),
    "retained share over 1": Refusal(
        "invalid_input",
        "retainedShare",
        AFTER_PLANNING,
        *DRAFT,
        {"plan": plan(retainedShare="1.5")},
    ),
    "19 of 30": Refusal(
        "approval_below_two_thirds_of_total",
        "resolution.votesFor",
        through("plan_drafted"),
        *APPROVE,
        {"resolution": resolution(votes_for=19)},
    ),
    "counted on attendees": Refusal(
        "approval_counted_on_attendees",
        "resolution.countedAgainst",
        through("plan_drafted"),
        *APPROVE,
        {"resolution": resolution(countedAgainst="present")},
    ),
    "votes above those present": Refusal(
        "resolution_votes_inconsistent",
        "resolution",
        through("plan_drafted"),
        *APPROVE,
        {"resolution": resolution(votes_for=29)},
    ),
    # the market
    "listed 7 working days after filing": Refusal(
        "listing_before_filing_period_elapsed",
        "listedOn",
        through("plan_filed"),
        "listParcel",
        LIST_PARCEL,
        {"listedOn": "2024-04-12"},
    ),
    "award below the reserve price": Refusal(
        "award_below_reserve_price",
        "price",
        through("listed"),
        "awardParcel",
        AWARD_PARCEL,
        {"price": "1999999.99"},
    ),
    "contract before award": Refusal(
        "contract_before_award",
        "stage",
        through("listed"),
        "signParcelContract",
        SIGN_PARCEL_CONTRACT,
    ),
    "contract before the 2023 chart": Refusal(
        "date_before_chart_of_accounts",
        "date",
        through("awarded"),
        "signParcelContract",
        SIGN_PARCEL_CONTRACT,
        {"signedOn": "2023-12-29"},
    ),
    "more than the price": Refusal(
        "payment_exceeds_contract_price",
        "amount",
        through("contracted"),
        *RECEIVE,
        installment("SK-001", "2600000.06"),
    ),
    "a thousandth of a yuan": Refusal(
        "amount_not_in_fen",
        "amount",
        through("contracted"),
        *RECEIVE,
        installment("SK-001", "1.001"),
    ),
    "receipt reused": Refusal(
        "installment_receipt_reused",
        "receiptNo",
        through("paid_in_full"),
        *RECEIVE,
        installment("SK-001", "1.00"),
    ),
    # the proceeds
    "costs deducted from a gross-price levy": Refusal(
        "invalid_input",
        "deductibleCost",
        contracted_where_levied_on_gross_price,
        "assessLevy",
        ASSESS_LEVY,
        {"cost": LAND_COST},
    ),
    "use right before full payment": Refusal(
        "use_right_before_full_payment",
        "stage",
        partly_paid_with_levy_paid,
        "registerUseRight",
        REGISTER_USE_RIGHT,
    ),
    "distribution before the levy is paid": Refusal(
        "distribution_before_levy_paid",
        "stage",
        through("levy_assessed"),
        *PROPOSE,
        {"amount": "1.00"},
    ),
    "distribution above net proceeds": Refusal(
        "distribution_exceeds_net_proceeds",
        "amount",
        through("use_right_registered"),
        *PROPOSE,
        {"amount": "2200000.05"},
    ),
    "distribution approved by 19 of 30": Refusal(
        "approval_below_two_thirds_of_total",
        "resolution.votesFor",
        through("distribution_proposed"),
        "approveDistribution",
        APPROVE_DISTRIBUTION,
        {"resolution": {**DISTRIBUTION_MEETING, "votesFor": 19}},
    ),
    "members paid before disclosure": Refusal(
        "member_payment_before_disclosure",
        "paidOn",
        through("distribution_approved"),
        *PAY,
        batch("FF-2024-01", "1000.00"),
    ),
    "members paid above their share": Refusal(
        "member_payment_exceeds_members_share",
        "amount",
        through("distribution_disclosed"),
        *PAY,
        batch("FF-2024-01", "1540000.04"),
    ),
    "batch reused": Refusal(
        "member_payment_batch_reused",
        None,
        through("distribution_paid"),
        *PAY,
        batch("FF-2024-01", "1.00"),
    ),
}


@pytest.fixture
def land_api(seeded: Registry, api: Api) -> Api:
    seed_land_policies(seeded.policies)
    assert api.token and api.auditor.token  # issued now: the tests count the events after
    return api


def history_length(api: Api, parcel_id: UUID | None) -> int:
    if parcel_id is None:
        return 0
    return len(api.auditor.data(HISTORY, {"id": str(parcel_id)})["history"])


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_command_returns_its_code_and_records_nothing(
    seeded: Registry, land_api: Api, case: Refusal
) -> None:
    # given the parcel as the case needs it
    parcel_id = case.given(seeded)
    before = (
        seeded.store.last_notification_id(),
        history_length(land_api, parcel_id),
        land_api.data(PARCELS_OF_VILLAGE, {"v": VILLAGE})["parcels"],
    )

    # when the command is sent
    variables = dict(case.variables)
    if case.mutation != "registerParcel":
        variables["id"] = str(parcel_id or NO_SUCH_PARCEL)
    response = land_api.post(case.document, variables)

    # then it is refused in the payload, with its code and the argument at fault
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body  # a refusal is data, not a GraphQL error
    result = body["data"][case.mutation]
    assert result["parcel"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [(case.code, case.error_field)]
    assert result["errors"][0]["message"]
    # and nothing was recorded: not in the log, not in the parcel's history, not in the register
    after = (
        seeded.store.last_notification_id(),
        history_length(land_api, parcel_id),
        land_api.data(PARCELS_OF_VILLAGE, {"v": VILLAGE})["parcels"],
    )
    assert after == before


def test_a_parcel_of_a_village_outside_the_token_is_forbidden_and_records_nothing(
    seeded: Registry, land_api: Api
) -> None:
    # given an accountant's token for the seeded villages only
    before = seeded.store.last_notification_id()

    # when it registers a parcel in another (even an unregistered) village
    response = land_api.post(REGISTER_PARCEL, register_variables(village="320117107299"))

    # then it is refused before the command runs, as a top-level error
    body = response.json()
    assert body["data"] == {"registerParcel": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert seeded.store.last_notification_id() == before


def test_an_unknown_parcel_is_forbidden_like_one_of_another_village(
    seeded: Registry, land_api: Api
) -> None:
    # given an accountant's token for the seeded villages and an id no parcel has
    before = seeded.store.last_notification_id()

    # when it issues planning conditions for that id
    response = land_api.post(ISSUE_PLANNING_CONDITIONS, {"id": NO_SUCH_PARCEL})

    # then it is refused as one of another village would be (it cannot tell them apart)
    body = response.json()
    assert body["data"] == {"issuePlanningConditions": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert seeded.store.last_notification_id() == before


def test_a_malformed_parcel_id_is_refused_in_the_payload(land_api: Api) -> None:
    response = land_api.post(ISSUE_PLANNING_CONDITIONS, {"id": "not-a-uuid"})
    result = response.json()["data"]["issuePlanningConditions"]
    assert result == {
        "parcel": None,
        "errors": [
            {
                "code": "invalid_input",
                "field": "parcelId",
                "message": "parcelId must be an id (a UUID), got 'not-a-uuid'",
            }
        ],
    }


def test_a_plan_without_the_land_policies_in_force_is_refused(seeded: Registry, api: Api) -> None:
    # given a parcel with planning conditions, in a registry where no land policy was set
    land = seeded.land
    pid = land.register_parcel(
        VILLAGE,
        "320117107206JA00109",
        "800",
        "乌村桥村东",
        "industrial",
        "collective_construction_land",
        "证-9",
        date(2024, 3, 1),
        ACCOUNTANT,
    )
    land.issue_planning_conditions(pid, "溧规条-9", "规划分局", date(2024, 3, 10), ACCOUNTANT)
    before = seeded.store.last_notification_id()

    # when a plan is drafted
    response = api.post(DRAFT_ENTRY_PLAN, {"id": str(pid), "plan": plan()})

    # then the missing term maxima are named, and nothing is recorded
    result = response.json()["data"]["draftEntryPlan"]
    assert result["parcel"] is None
    assert result["errors"][0]["code"] == "policy_not_in_force"
    assert "land.term_years_max" in result["errors"][0]["message"]
    assert seeded.store.last_notification_id() == before
