"""A parcel carried from registration to the members' payout through GraphQL mutations only;
then the village's books balance and reconcile to the contract price, the parcel shows its
proceeds ledger and payments, and its history shows who recorded each step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.e2e.documents import HISTORY, TRIAL_BALANCE
from tests.e2e.land_documents import (
    JOURNEY,
    PARCEL_WITH_PROCEEDS,
    REGISTER_PARCEL,
    register_variables,
)
from tests.support import (
    LAND_LEVY,
    LAND_MEMBERS,
    LAND_NET,
    LAND_PRICE,
    LAND_RETAINED,
    VILLAGE,
    seed_land_policies,
)

CLERK = "clerk:320117107206"
PLAN_MEETING = "乌村桥村决〔2024〕7号"


@pytest.fixture
def land_api(seeded: Registry, api: Api) -> Api:
    seed_land_policies(seeded.policies)
    return api


def payload(api: Api, document: str, variables: dict[str, Any], field: str) -> dict[str, Any]:
    """One mutation's payload, asserting it was accepted."""
    result: dict[str, Any] = api.data(document, variables, actor=CLERK)[field]
    assert result["errors"] == [], result["errors"]
    return result


def parcel_through_mutations(api: Api) -> tuple[str, list[dict[str, Any]]]:
    """Register the parcel and run every step of the journey; returns its id and the payloads."""
    registered = payload(api, REGISTER_PARCEL, register_variables(), "registerParcel")
    parcel_id: str = registered["parcel"]["id"]
    steps = [registered]
    for field, document, variables in JOURNEY:
        extra = {"authority": PLAN_MEETING} if field == "approveEntryPlan" else {}
        steps.append(payload(api, document, {"id": parcel_id, **variables, **extra}, field))
    return parcel_id, steps


def test_each_payload_shows_the_parcel_at_the_stage_its_step_reached(land_api: Api) -> None:
    # when the whole journey is sent as mutations
    _, steps = parcel_through_mutations(land_api)

    # then every payload carries the parcel as the register has it after the command
    assert [s["parcel"]["stage"] for s in steps] == [
        "registered",
        "planning_conditions_issued",
        "plan_drafted",
        "plan_approved",
        "plan_filed",
        "listed",
        "awarded",
        "contracted",
        "contracted",
        "contracted",
        "levy_assessed",
        "levy_paid",
        "use_right_registered",
        "distribution_proposed",
        "distribution_approved",
        "distribution_disclosed",
        "distribution_disclosed",  # the first batch of two
        "distribution_paid",
    ]
    drafted, approved, awarded, signed = steps[2], steps[3], steps[6], steps[7]
    assert drafted["parcel"]["termYearsMax"] == 50
    assert drafted["parcel"]["retainedShare"] == "0.30"
    assert drafted["parcel"]["reservePrice"] == "2000000.00"
    assert (approved["parcel"]["planVotesFor"], approved["parcel"]["planMembersTotal"]) == (21, 30)
    assert awarded["parcel"]["price"] == LAND_PRICE
    assert (signed["parcel"]["termStartOn"], signed["parcel"]["termEndOn"]) == (
        "2024-06-01",
        "2074-05-31",
    )
    assert steps[8]["recorded"] is True
    assert steps[9]["parcel"]["proceeds"] == {"received": LAND_PRICE, "outstanding": "0.00"}
    assert steps[10]["parcel"]["proceeds"] == {
        "levyBaseKind": "value_added_income",
        "levyBase": "2000000.05",
        "levyRate": "0.20",
        "levyAssessed": LAND_LEVY,
    }
    assert steps[14]["parcel"]["proceeds"] == {
        "distributed": LAND_NET,
        "retained": LAND_RETAINED,
        "membersShare": LAND_MEMBERS,
    }
    assert steps[-1]["parcel"]["proceeds"] == {"membersPaid": LAND_MEMBERS, "membersUnpaid": "0.00"}


def test_the_books_balance_and_reconcile_to_the_contract_price(land_api: Api) -> None:
    # given a parcel carried to the members' payout through the API
    parcel_through_mutations(land_api)

    # when the village's trial balance at the year end is read
    variables = {"village": VILLAGE, "asOf": "2024-12-31"}
    books = land_api.data(TRIAL_BALANCE, variables)["trialBalance"]

    # then it balances, the earmarked accounts are back at zero, and the collective keeps its
    # share in the bank and in 311
    assert books["totalDebit"] == books["totalCredit"] == LAND_RETAINED
    lines = {line["accountCode"]: (line["debit"], line["credit"]) for line in books["lines"]}
    assert lines == {
        "102": (LAND_RETAINED, "0.00"),
        "112": ("0.00", "0.00"),
        "211": ("0.00", "0.00"),
        "214": ("0.00", "0.00"),
        "241": ("0.00", "0.00"),
        "311": ("0.00", LAND_RETAINED),
    }
    # the levy, the retained share and the members' share add up to the contract price
    assert Decimal(LAND_LEVY) + Decimal(LAND_RETAINED) + Decimal(LAND_MEMBERS) == Decimal(
        LAND_PRICE
    )


def test_the_parcel_shows_its_proceeds_ledger_and_payments(land_api: Api) -> None:
    # given a parcel carried to the members' payout through the API
    parcel_id, _ = parcel_through_mutations(land_api)

    # when it is read
    parcel = land_api.data(PARCEL_WITH_PROCEEDS, {"id": parcel_id})["parcel"]

    # then its proceeds ledger reconciles to the contract price, with every payment behind it
    assert parcel["stage"] == "distribution_paid"
    assert parcel["village"] == {"code": VILLAGE, "name": "乌村桥村"}
    proceeds = parcel["proceeds"]
    assert proceeds == {
        "contractPrice": LAND_PRICE,
        "received": LAND_PRICE,
        "outstanding": "0.00",
        "levyBaseKind": "value_added_income",
        "levyBase": "2000000.05",
        "levyRate": "0.20",
        "levyPolicyJurisdiction": "320117",
        "levyAssessed": LAND_LEVY,
        "levyPaid": LAND_LEVY,
        "levyUnpaid": "0.00",
        "proposedDistribution": LAND_NET,
        "distributed": LAND_NET,
        "retained": LAND_RETAINED,
        "membersShare": LAND_MEMBERS,
        "membersPaid": LAND_MEMBERS,
        "membersUnpaid": "0.00",
        "undistributed": "0.00",
    }
    parts = ("levyAssessed", "retained", "membersShare", "undistributed")
    assert sum(Decimal(proceeds[p]) for p in parts) == Decimal(proceeds["contractPrice"])
    payments = nodes(parcel["payments"])
    assert [(p["kind"], p["reference"], p["amount"]) for p in payments] == [
        ("installment", "SK-001", "1300000.00"),
        ("installment", "SK-002", "1300000.05"),
        ("levy", "FS-2024-0931", LAND_LEVY),
        ("members", "FF-2024-01", "1000000.00"),
        ("members", "FF-2024-02", "540000.03"),
    ]
    assert payments[3]["membersCount"] == 400


def test_history_lists_the_parcels_events_in_order_with_actor_and_authority(
    land_api: Api,
) -> None:
    # given a parcel recorded through mutations by one clerk
    parcel_id, _ = parcel_through_mutations(land_api)

    # when its history is read
    events = land_api.auditor.data(HISTORY, {"id": parcel_id})["history"]

    # then every event is there in version order, with who recorded it and on what authority
    assert [e["version"] for e in events] == list(range(1, 19))
    assert [e["type"] for e in events] == [
        "Parcel.Registered",
        "Parcel.PlanningConditionsIssued",
        "Parcel.PlanDrafted",
        "Parcel.PlanApproved",
        "Parcel.PlanFiled",
        "Parcel.Listed",
        "Parcel.Awarded",
        "Parcel.ContractSigned",
        "Parcel.InstallmentReceived",
        "Parcel.InstallmentReceived",
        "Parcel.LevyAssessed",
        "Parcel.LevyPaid",
        "Parcel.UseRightRegistered",
        "Parcel.DistributionProposed",
        "Parcel.DistributionApproved",
        "Parcel.DistributionDisclosed",
        "Parcel.MembersPaid",
        "Parcel.MembersPaid",
    ]
    (actor,) = {e["actor"] for e in events}
    assert actor.startswith(f"{CLERK} [accountant token ")
    assert {e["aggregateId"] for e in events} == {parcel_id}
    assert events[3]["authority"] == PLAN_MEETING
    assert events[3]["payload"]["resolution"]["votes_for"] == 21
    assert events[10]["payload"]["rate"] == "0.20"
    assert events[10]["payload"]["policy_jurisdiction"] == "320117"
    assert events[14]["authority"] == "乌村桥村决〔2024〕9号"  # the meeting, when none is given


def test_the_same_installment_sent_twice_is_recorded_once(land_api: Api) -> None:
    # given a parcel whose price was received
    parcel_id, _ = parcel_through_mutations(land_api)
    field, document, variables = JOURNEY[7]

    # when the first installment is sent again (a client retry)
    again = payload(land_api, document, {"id": parcel_id, **variables}, field)

    # then it is accepted, nothing new is recorded, and the totals stay the same
    assert again["recorded"] is False
    assert again["parcel"]["proceeds"] == {"received": LAND_PRICE, "outstanding": "0.00"}
    assert len(land_api.auditor.data(HISTORY, {"id": parcel_id})["history"]) == 18
