"""Every rule of land entering the market (docs/rules.md L-01 to L-14): refused with its own
code and nothing recorded, and the same step accepted when the rule is met.

Each row of RULES reads: given a parcel at some point of the journey, this command is refused
with this code; given the parcel at (usually the same) point, this other command — the same step
with the rule met — is recorded. ``refused`` checks the code and that the store's last
notification id did not move; the test also checks the parcel's version.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.land.application import LandApplication
from domain.land.errors import LandError
from domain.shared.errors import all_error_classes
from tests.conftest import Memory
from tests.support import (
    ACCOUNTANT,
    LAND_MEMBERS,
    LAND_NET,
    PARCEL,
    VILLAGE,
    entry_plan,
    land_application,
    parcel_through,
    refused,
    register_parcel,
    resolution,
)

Command = Callable[[LandApplication, UUID], object]
Given = Callable[[LandApplication], UUID]
OTHER = "320117107206JA00102"


@pytest.fixture
def land(memory: Memory) -> LandApplication:
    return land_application(memory.store, memory.places, memory.policies)


def at(step: str | None, planned_use: str = "industrial") -> Given:
    return lambda land: parcel_through(land, step, planned_use=planned_use)


def part_paid_with_levy_paid(land: LandApplication) -> UUID:
    """Contracted, half the price received, the levy assessed and paid: not yet fully paid."""
    pid = parcel_through(land, "contracted")
    land.receive_installment(pid, "SK-001", "1300000.00", date(2024, 6, 10), ACCOUNTANT)
    land.assess_levy(pid, "溧调节金〔2024〕5号", date(2024, 9, 20), ACCOUNTANT, "600000")
    land.pay_levy(pid, "FS-2024-0931", date(2024, 9, 30), ACCOUNTANT)
    return pid


def part_paid(land: LandApplication) -> UUID:
    pid = parcel_through(land, "contracted")
    land.receive_installment(pid, "SK-001", "1300000.00", date(2024, 6, 10), ACCOUNTANT)
    return pid


# -- the commands tried ---------------------------------------------------------------------------


def register(
    planned_use: str = "industrial", land_class: str = "collective_construction_land"
) -> Command:
    def command(land: LandApplication, _: UUID) -> UUID:
        return register_parcel(land, OTHER, planned_use, land_class)

    return command


def draft(**changes: Any) -> Command:
    return lambda land, pid: land.draft_entry_plan(pid, entry_plan(**changes), ACCOUNTANT)


def approve_plan(**votes: Any) -> Command:
    vote = resolution(**{"held_on": date(2024, 3, 25), **votes})
    return lambda land, pid: land.approve_entry_plan(pid, vote, ACCOUNTANT)


def file_plan(on: date = date(2024, 4, 1)) -> Command:
    return lambda land, pid: land.file_entry_plan(pid, "溧水区人民政府", "备-1", on, ACCOUNTANT)


def list_on(day: date) -> Command:
    return lambda land, pid: land.list_parcel(pid, "交易中心", "LS-1", day, ACCOUNTANT)


def award(price: str = "2600000.05") -> Command:
    return lambda land, pid: land.award(
        pid, "某公司", "organization", price, date(2024, 5, 20), ACCOUNTANT
    )


def sign() -> Command:
    return lambda land, pid: land.sign_contract(
        pid, "HT-1", date(2024, 5, 28), date(2024, 6, 1), ACCOUNTANT
    )


def receive(amount: str, receipt_no: str = "SK-009", on: date = date(2024, 9, 10)) -> Command:
    return lambda land, pid: land.receive_installment(pid, receipt_no, amount, on, ACCOUNTANT)


def register_use_right() -> Command:
    return lambda land, pid: land.register_use_right(pid, "证-2", date(2024, 10, 15), ACCOUNTANT)


def propose(amount: str = LAND_NET) -> Command:
    return lambda land, pid: land.propose_distribution(pid, amount, date(2024, 10, 20), ACCOUNTANT)


def approve_distribution(**votes: Any) -> Command:
    vote = resolution(**{"held_on": date(2024, 10, 28), **votes})
    return lambda land, pid: land.approve_distribution(pid, vote, ACCOUNTANT)


def pay_members(amount: str = "1000.00", on: date = date(2024, 11, 15)) -> Command:
    return lambda land, pid: land.pay_members(pid, "FF-9", amount, 3, on, ACCOUNTANT)


def issue_conditions(on: date) -> Command:
    return lambda land, pid: land.issue_planning_conditions(pid, "规条-1", "规划局", on, ACCOUNTANT)


# code, given for the refusal, refused command, given for the acceptance, accepted command
RULES = [
    pytest.param(
        "planned_use_not_operating",
        at(None),
        register(planned_use="residential"),
        at(None),
        register(planned_use="commercial"),
        id="land planned for housing, not for an operating use",
    ),
    pytest.param(
        "planned_use_not_operating",
        at(None),
        register(planned_use="homestead"),
        at(None),
        register(planned_use="warehousing"),
        id="land planned as homesteads",
    ),
    pytest.param(
        "land_class_not_construction_land",
        at(None),
        register(land_class="farmland"),
        at(None),
        register(land_class="collective_construction_land"),
        id="farmland",
    ),
    pytest.param(
        "land_class_is_homestead",
        at(None),
        register(land_class="homestead"),
        at(None),
        register(land_class="collective_construction_land"),
        id="a homestead",
    ),
    pytest.param(
        "approval_below_two_thirds_of_total",
        at("plan_drafted"),
        approve_plan(votes_for=19, members_total=30),
        at("plan_drafted"),
        approve_plan(votes_for=20, members_total=30),
        id="the plan approved by 19 of 30 representatives",
    ),
    pytest.param(
        "approval_below_two_thirds_of_total",
        at("plan_drafted"),
        approve_plan(votes_for=20, members_total=31, members_present=31),
        at("plan_drafted"),
        approve_plan(votes_for=21, members_total=31, members_present=31),
        id="the plan approved by 20 of 31",
    ),
    pytest.param(
        "approval_counted_on_attendees",
        at("plan_drafted"),
        approve_plan(votes_for=19, members_present=20, counted_against="present"),
        at("plan_drafted"),
        approve_plan(votes_for=20, members_present=20, counted_against="total"),
        id="the plan approved by 19 of the 20 present",
    ),
    pytest.param(
        "private_agreement_not_allowed_for_use",
        at("planning_conditions_issued"),
        draft(listing_method="agreement"),
        at("planning_conditions_issued"),
        draft(listing_method="auction"),
        id="industrial land by private agreement",
    ),
    pytest.param(
        "private_agreement_not_allowed_for_use",
        at("planning_conditions_issued", "tourism"),
        draft(listing_method="agreement", term_years=40),
        at("planning_conditions_issued", "infrastructure"),
        draft(listing_method="agreement", term_years=40),
        id="tourism land by private agreement (infrastructure may)",
    ),
    pytest.param(
        "term_exceeds_maximum_for_use",
        at("planning_conditions_issued"),
        draft(term_years=51),
        at("planning_conditions_issued"),
        draft(term_years=50),
        id="industrial land for 51 years",
    ),
    pytest.param(
        "term_exceeds_maximum_for_use",
        at("planning_conditions_issued", "commercial"),
        draft(term_years=41),
        at("planning_conditions_issued", "commercial"),
        draft(term_years=40),
        id="commercial land for 41 years",
    ),
    pytest.param(
        "listing_before_filing_period_elapsed",
        at("plan_filed"),
        list_on(date(2024, 4, 16)),
        at("plan_filed"),
        list_on(date(2024, 4, 17)),
        id="listed on the 10th working day after filing, across the Qingming holiday",
    ),
    pytest.param(
        "award_below_reserve_price",
        at("listed"),
        award("1999999.99"),
        at("listed"),
        award("2000000.00"),
        id="awarded below the reserve price",
    ),
    pytest.param(
        "contract_before_award",
        at("listed"),
        sign(),
        at("awarded"),
        sign(),
        id="a contract signed before the award",
    ),
    pytest.param(
        "payment_exceeds_contract_price",
        part_paid,
        receive("1300000.06"),
        part_paid,
        receive("1300000.05"),
        id="installments adding up to a fen above the contract price",
    ),
    pytest.param(
        "use_right_before_full_payment",
        part_paid_with_levy_paid,
        register_use_right(),
        at("levy_paid"),
        register_use_right(),
        id="the use right registered with half the price outstanding",
    ),
    pytest.param(
        "distribution_before_levy_paid",
        at("levy_assessed"),
        propose(),
        at("use_right_registered"),
        propose(),
        id="a distribution proposed before the levy is paid",
    ),
    pytest.param(
        "distribution_exceeds_net_proceeds",
        at("use_right_registered"),
        propose("2200000.05"),
        at("use_right_registered"),
        propose("2200000.04"),
        id="a distribution a fen above the net proceeds",
    ),
    pytest.param(
        "approval_below_two_thirds_of_total",
        at("distribution_proposed"),
        approve_distribution(votes_for=19),
        at("distribution_proposed"),
        approve_distribution(votes_for=20),
        id="the distribution approved by 19 of 30",
    ),
    pytest.param(
        "approval_counted_on_attendees",
        at("distribution_proposed"),
        approve_distribution(votes_for=15, members_present=16, counted_against="present"),
        at("distribution_proposed"),
        approve_distribution(votes_for=25, members_present=26),
        id="the distribution approved by 15 of the 16 present",
    ),
    pytest.param(
        "member_payment_before_disclosure",
        at("distribution_approved"),
        pay_members(),
        at("distribution_disclosed"),
        pay_members(),
        id="members paid before the distribution is disclosed",
    ),
    pytest.param(
        "member_payment_before_disclosure",
        at("distribution_disclosed"),
        pay_members(on=date(2024, 10, 31)),
        at("distribution_disclosed"),
        pay_members(on=date(2024, 11, 1)),
        id="members paid on a day before the disclosure",
    ),
    pytest.param(
        "member_payment_exceeds_members_share",
        at("distribution_disclosed"),
        pay_members("1540000.04"),
        at("distribution_disclosed"),
        pay_members(LAND_MEMBERS),
        id="members paid a fen above their share",
    ),
    pytest.param(
        "parcel_step_dated_before_previous_step",
        at(None),
        issue_conditions(date(2024, 2, 29)),
        at(None),
        issue_conditions(date(2024, 3, 1)),
        id="planning conditions dated before the registration",
    ),
    pytest.param(
        "parcel_step_dated_before_previous_step",
        at("plan_drafted"),
        approve_plan(held_on=date(2024, 3, 14)),
        at("plan_drafted"),
        approve_plan(held_on=date(2024, 3, 15)),
        id="the plan approved before it was drafted",
    ),
    pytest.param(
        "parcel_stage_not_reached",
        at("plan_drafted"),
        file_plan(),
        at("plan_approved"),
        file_plan(),
        id="the plan filed before it is approved",
    ),
]


@pytest.mark.parametrize(("code", "given", "command", "_given", "_command"), RULES)
def test_a_rule_broken_is_refused_with_its_code_and_nothing_recorded(
    memory: Memory,
    land: LandApplication,
    code: str,
    given: Given,
    command: Command,
    _given: Given,
    _command: Command,
) -> None:
    pid = given(land)
    version = land.get(pid).version
    with refused(memory.store, code):
        command(land, pid)
    assert land.get(pid).version == version


@pytest.mark.parametrize(("_code", "_given", "_command", "given", "command"), RULES)
def test_the_same_step_is_recorded_when_the_rule_is_met(
    memory: Memory,
    land: LandApplication,
    _code: str,
    _given: Given,
    _command: Command,
    given: Given,
    command: Command,
) -> None:
    pid = given(land)
    before = memory.store.last_notification_id()
    command(land, pid)
    assert memory.store.last_notification_id() == before + 1


# -- refusals that are not rules of the domain: stage order, retries, malformed input -------------

REFUSALS = [
    pytest.param(
        "parcel_stage_passed", at("plan_approved"), approve_plan(), id="approving the plan twice"
    ),
    pytest.param(
        "parcel_stage_passed",
        at("plan_approved"),
        draft(drafted_on=date(2024, 3, 26)),
        id="redrafting the plan after its approval",
    ),
    pytest.param(
        "parcel_stage_not_reached",
        at("awarded"),
        receive("1000.00", on=date(2024, 5, 30)),
        id="an installment before the contract",
    ),
    pytest.param(
        "parcel_registered_differently",
        at(None),
        lambda land, pid: land.register_parcel(
            VILLAGE,
            PARCEL,
            "99",
            "乌村桥村工业集中区3号地块",
            "industrial",
            "collective_construction_land",
            "苏(2024)溧水区不动产权第0100号",
            date(2024, 3, 1),
            ACCOUNTANT,
        ),
        id="registering a known parcel code with another area",
    ),
    pytest.param(
        "installment_receipt_reused",
        part_paid,
        receive("1000.00", receipt_no="SK-001"),
        id="a receipt number reused for another amount",
    ),
    pytest.param(
        "member_payment_batch_reused",
        at("distribution_paid"),
        lambda land, pid: land.pay_members(
            pid, "FF-2024-01", "1000000.00", 401, date(2024, 11, 15), ACCOUNTANT
        ),
        id="a payment batch number reused for another member count",
    ),
    pytest.param(
        "invalid_input", at(None), register(planned_use="villa"), id="an unknown planned use"
    ),
    pytest.param(
        "invalid_input",
        at(None),
        lambda land, pid: land.register_parcel(
            VILLAGE,
            OTHER,
            "1e12",
            "村东",
            "industrial",
            "collective_construction_land",
            "证",
            date(2024, 3, 1),
            ACCOUNTANT,
        ),
        id="an area of a million square kilometres",
    ),
    pytest.param(
        "invalid_input",
        at("planning_conditions_issued"),
        draft(retained_share="1.5"),
        id="a retained share above the whole",
    ),
    pytest.param(
        "invalid_input",
        at("planning_conditions_issued"),
        draft(term_years=0),
        id="a term of no years",
    ),
    pytest.param(
        "invalid_input",
        at("planning_conditions_issued"),
        draft(way="sale"),
        id="an unknown way of entering the market",
    ),
    pytest.param(
        "amount_not_in_fen",
        at("planning_conditions_issued"),
        draft(reserve_price_yuan="2000000.001"),
        id="a reserve price with three decimals",
    ),
    pytest.param(
        "amount_not_positive",
        part_paid,
        receive("0"),
        id="an installment of nothing",
    ),
    pytest.param(
        "amount_not_positive",
        at("contracted"),
        lambda land, pid: land.assess_levy(pid, "N-1", date(2024, 9, 20), ACCOUNTANT, "-1"),
        id="a negative deductible cost",
    ),
    pytest.param(
        "invalid_input",
        at("distribution_disclosed"),
        lambda land, pid: land.pay_members(pid, "FF-9", "10", 0, date(2024, 11, 2), ACCOUNTANT),
        id="a payment batch to no members",
    ),
    pytest.param(
        "parcel_not_found",
        at(None),
        lambda land, pid: land.issue_planning_conditions(
            land.id_of(VILLAGE, "nowhere"), "规条-1", "规划局", date(2024, 3, 2), ACCOUNTANT
        ),
        id="a step on an unknown parcel",
    ),
]


@pytest.mark.parametrize(("code", "given", "command"), REFUSALS)
def test_a_malformed_or_out_of_order_command_is_refused_and_nothing_recorded(
    memory: Memory, land: LandApplication, code: str, given: Given, command: Command
) -> None:
    pid = given(land)
    version = land.get(pid).version
    with refused(memory.store, code):
        command(land, pid)
    assert land.get(pid).version == version


def test_every_refusal_code_of_the_land_context_is_tried_here() -> None:
    tried = {p.values[0] for p in (*RULES, *REFUSALS)}
    codes = {c.code for c in all_error_classes() if issubclass(c, LandError) and c is not LandError}
    assert codes - tried == set()
