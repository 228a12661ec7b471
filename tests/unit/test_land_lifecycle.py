"""A parcel's journey on the in-memory store: the strict order of its stages, safe retries, the
policies each step applied (recorded in its events), and the variants of the journey."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.land.application import LandApplication
from domain.land.policy_keys import DEMO_LISHUI_ADJUSTMENT_FUND
from domain.shared.history import history
from tests.conftest import Memory
from tests.support import (
    ACCOUNTANT,
    ADMIN,
    DISTRICT,
    LAND_JOURNEY,
    LAND_LEVY,
    LAND_MEMBERS,
    LAND_NET,
    LAND_PRICE,
    LAND_RETAINED,
    LAND_STEPS,
    TOWN,
    entry_plan,
    land_application,
    parcel_through,
    refused,
    register_parcel,
    resolution,
)

# Steps that may run again at the same stage: a plan or a distribution may be revised until
# approved; installments and member batches are repeated payments (retries record nothing).
REPEATABLE = {"plan_drafted", "paid_in_full", "distribution_proposed", "distribution_paid"}
# The code a skipped step is refused with, where a rule names it; otherwise the stage order.
SKIP_CODES = {
    "contracted": "contract_before_award",
    "distribution_paid": "member_payment_before_disclosure",
}


@pytest.fixture
def land(memory: Memory) -> LandApplication:
    return land_application(memory.store, memory.places, memory.policies)


def payload(memory: Memory, land: LandApplication, event_type: str) -> dict[str, Any]:
    pid = land.id_of("320117107206", "320117107206JA00101")
    found = [h.payload for h in history(memory.store, pid) if h.event_type == event_type]
    assert found, event_type
    return found[-1]


def test_a_parcel_goes_from_registration_to_its_members_in_order(land: LandApplication) -> None:
    pid = register_parcel(land)
    stages = []
    for _, step in LAND_JOURNEY:
        step(land, pid)
        stages.append(land.get(pid).stage)
    assert stages == [
        "planning_conditions_issued",
        "plan_drafted",
        "plan_approved",
        "plan_filed",
        "listed",
        "awarded",
        "contracted",
        "contracted",  # installments are not a stage
        "levy_assessed",
        "levy_paid",
        "use_right_registered",
        "distribution_proposed",
        "distribution_approved",
        "distribution_disclosed",
        "distribution_paid",
    ]
    parcel = land.get(pid)
    assert parcel.received_yuan == Decimal(LAND_PRICE)
    assert parcel.levy_yuan == Decimal(LAND_LEVY)
    assert parcel.distribution == {
        "amount_yuan": Decimal(LAND_NET),
        "retained_yuan": Decimal(LAND_RETAINED),
        "members_yuan": Decimal(LAND_MEMBERS),
    }
    assert parcel.members_paid_yuan == Decimal(LAND_MEMBERS)
    assert parcel.levy_yuan + parcel.distribution["amount_yuan"] == parcel.price_yuan


# From each point of the journey, the step after next (skipping the installments is no skip:
# the levy may be assessed before the whole price is in).
SKIPS = [n for n in range(len(LAND_STEPS) - 2) if LAND_STEPS[n + 1] != "paid_in_full"]


@pytest.mark.parametrize("n", SKIPS, ids=lambda n: f"{LAND_STEPS[n]} to {LAND_STEPS[n + 2]}")
def test_a_step_skipping_the_one_before_it_is_refused(
    memory: Memory, land: LandApplication, n: int
) -> None:
    pid = parcel_through(land, LAND_STEPS[n])
    target, step = LAND_JOURNEY[n + 2]
    with refused(memory.store, SKIP_CODES.get(target, "parcel_stage_not_reached")):
        step(land, pid)


@pytest.mark.parametrize("name", [s for s in LAND_STEPS if s not in REPEATABLE])
def test_a_step_done_already_is_refused_as_passed(
    memory: Memory, land: LandApplication, name: str
) -> None:
    pid = parcel_through(land, name)
    with refused(memory.store, "parcel_stage_passed"):
        dict(LAND_JOURNEY)[name](land, pid)


def test_retried_payments_and_registration_record_nothing(
    memory: Memory, land: LandApplication
) -> None:
    pid = parcel_through(land, "distribution_paid")
    before = memory.store.last_notification_id()
    assert register_parcel(land) == pid
    assert not land.receive_installment(pid, "SK-001", "1300000.00", date(2024, 6, 10), ACCOUNTANT)
    assert not land.pay_members(
        pid, "FF-2024-01", "1000000.00", 400, date(2024, 11, 15), ACCOUNTANT
    )
    assert memory.store.last_notification_id() == before


def test_a_plan_may_be_redrafted_until_it_is_approved(land: LandApplication) -> None:
    pid = parcel_through(land, "plan_drafted")
    land.draft_entry_plan(pid, entry_plan(term_years=30, drafted_on=date(2024, 3, 16)), ACCOUNTANT)
    plan = land.get(pid).plan
    assert plan is not None and plan.term_years == 30


def test_the_events_record_the_policies_each_rule_applied(
    memory: Memory, land: LandApplication
) -> None:
    parcel_through(land, "levy_assessed")
    drafted = payload(memory, land, "Parcel.PlanDrafted")
    assert drafted["term_years_max"] == 50
    assert drafted["policies_applied"] == [
        {"key": "land.term_years_max", "jurisdiction": "CN", "effective_from": "2024-01-01"}
    ]
    listed = payload(memory, land, "Parcel.Listed")
    assert (listed["working_days_min"], listed["working_days_elapsed"]) == (10, 10)
    assert listed["holidays_skipped"] == ["2024-04-04", "2024-04-05"]
    assert [p["key"] for p in listed["policies_applied"]] == [
        "land.filing_period_working_days_min",
        "calendar.public_holidays",
    ]
    levy = payload(memory, land, "Parcel.LevyAssessed")
    assert levy == {
        "notice_no": "溧调节金〔2024〕5号",
        "assessed_on": "2024-09-20",
        "planned_use": "industrial",
        "price_yuan": LAND_PRICE,
        "base_kind": "value_added_income",
        "deductible_cost_yuan": "600000.00",
        "base_yuan": "2000000.05",
        "rate": "0.20",
        "levy_yuan": LAND_LEVY,
        "policy_jurisdiction": DISTRICT,
        "policy_effective_from": "2024-01-01",
    }


@pytest.mark.parametrize(
    ("revised_from", "rate"),
    [(date(2024, 5, 29), "0.20"), (date(2024, 5, 28), "0.35")],
    ids=["a revision after the contract date does not apply", "one from that date does"],
)
def test_the_levy_uses_the_policy_in_force_on_the_contract_date(
    memory: Memory, land: LandApplication, revised_from: date, rate: str
) -> None:
    memory.policies.set_policy(
        "land.adjustment_fund",
        DISTRICT,
        revised_from,
        {**DEMO_LISHUI_ADJUSTMENT_FUND, "rate": "0.35"},
        "revision",
        ADMIN,
    )
    parcel_through(land, "levy_assessed")
    levy = payload(memory, land, "Parcel.LevyAssessed")
    assert levy["rate"] == rate
    assert levy["policy_effective_from"] == ("2024-01-01" if rate == "0.20" else "2024-05-28")


def test_a_town_policy_on_the_gross_price_wins_over_the_district(
    memory: Memory, land: LandApplication
) -> None:
    memory.policies.set_policy(
        "land.adjustment_fund",
        TOWN,
        date(2024, 1, 1),
        {"base": "gross_price", "rate": "0.30", "rate_by_use": {"industrial": "0.25"}},
        "town rule",
        ADMIN,
    )
    pid = parcel_through(land, "paid_in_full")
    with refused(memory.store, "invalid_input"):
        land.assess_levy(pid, "N-1", date(2024, 9, 20), ACCOUNTANT, "600000")
    assert land.assess_levy(pid, "N-1", date(2024, 9, 20), ACCOUNTANT) == Decimal("650000.01")
    levy = payload(memory, land, "Parcel.LevyAssessed")
    assert (levy["base_kind"], levy["rate"], levy["base_yuan"]) == (
        "gross_price",
        "0.25",
        LAND_PRICE,
    )
    assert levy["policy_jurisdiction"] == TOWN


def test_a_district_may_allow_private_agreement_for_more_uses(
    memory: Memory, land: LandApplication
) -> None:
    pid = parcel_through(land, "planning_conditions_issued")
    with refused(memory.store, "private_agreement_not_allowed_for_use"):
        land.draft_entry_plan(pid, entry_plan(listing_method="agreement"), ACCOUNTANT)
    memory.policies.set_policy(
        "land.private_agreement_uses",
        DISTRICT,
        date(2024, 3, 1),
        ["infrastructure", "public_welfare", "industrial"],
        "district rule",
        ADMIN,
    )
    land.draft_entry_plan(pid, entry_plan(listing_method="agreement"), ACCOUNTANT)
    assert payload(memory, land, "Parcel.PlanDrafted")["policies_applied"][1] == {
        "key": "land.private_agreement_uses",
        "jurisdiction": DISTRICT,
        "effective_from": "2024-03-01",
    }


def test_a_shorter_term_maximum_applies_from_its_effective_date(
    memory: Memory, land: LandApplication
) -> None:
    maxima = memory.policies.in_force("land.term_years_max", "CN", date(2024, 1, 1)).value
    memory.policies.set_policy(
        "land.term_years_max", DISTRICT, date(2024, 3, 16), {**maxima, "industrial": 40}, "x", ADMIN
    )
    pid = parcel_through(land, "planning_conditions_issued")
    land.draft_entry_plan(pid, entry_plan(drafted_on=date(2024, 3, 15)), ACCOUNTANT)
    with refused(memory.store, "term_exceeds_maximum_for_use"):
        land.draft_entry_plan(pid, entry_plan(drafted_on=date(2024, 3, 16)), ACCOUNTANT)


def test_a_capital_contribution_is_received_in_kind_at_signing(
    memory: Memory, land: LandApplication
) -> None:
    pid = parcel_through(land, "planning_conditions_issued")
    for name, step in LAND_JOURNEY[2:]:
        if name == "plan_drafted":
            continue
        if name == "paid_in_full":
            with refused(memory.store, "payment_exceeds_contract_price"):
                step(land, pid)
            continue
        if name == "plan_approved":
            land.draft_entry_plan(pid, entry_plan(way="capital_contribution"), ACCOUNTANT)
        step(land, pid)
    parcel = land.get(pid)
    assert parcel.stage == "distribution_paid"
    assert parcel.received_yuan == Decimal(LAND_PRICE)
    signed = payload(memory, land, "Parcel.ContractSigned")
    assert (signed["way"], signed["received_in_kind_yuan"]) == ("capital_contribution", LAND_PRICE)


def test_a_distribution_kept_whole_by_the_collective_is_done_once_disclosed(
    land: LandApplication,
) -> None:
    pid = register_parcel(land)
    for name, step in LAND_JOURNEY:
        if name == "plan_drafted":
            land.draft_entry_plan(pid, entry_plan(retained_share="1"), ACCOUNTANT)
        elif name == "distribution_paid":
            break
        else:
            step(land, pid)
    parcel = land.get(pid)
    assert parcel.distribution["members_yuan"] == 0
    assert parcel.stage == "distribution_paid"


def test_history_shows_who_recorded_each_step_and_on_what_authority(
    memory: Memory, land: LandApplication
) -> None:
    pid = parcel_through(land, "plan_approved")
    events = history(memory.store, pid)
    assert [e.event_type for e in events] == [
        "Parcel.Registered",
        "Parcel.PlanningConditionsIssued",
        "Parcel.PlanDrafted",
        "Parcel.PlanApproved",
    ]
    assert {e.actor for e in events} == {ACCOUNTANT.actor}
    assert events[-1].authority == ACCOUNTANT.authority
    assert events[-1].payload["resolution"] == {
        **resolution(held_on=date(2024, 3, 25), reference="乌村桥村决〔2024〕7号"),
        "held_on": "2024-03-25",
    }
