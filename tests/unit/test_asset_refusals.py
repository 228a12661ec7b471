"""Every refusal an asset command can give: its code, and nothing recorded.

Each row of REFUSALS reads: given an asset in some state, when a command is tried, it is refused
with this code. ``refused`` checks the code and that the store's last notification id did not
move; the test also checks the asset's version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

import pytest

import domain.assets.errors
import domain.shared.errors
from domain.assets.application import AssetApplication, InstallmentInput
from domain.assets.policy_keys import DEFAULT_RESOURCE_KINDS
from domain.shared.commands import translating_conflicts
from domain.shared.errors import all_error_classes
from domain.shared.values import Provenance
from tests.conftest import Memory
from tests.support import (
    ACCOUNTANT,
    ADMIN,
    OTHER_VILLAGE,
    VILLAGE,
    approved_building,
    lease_contract,
    leased_building,
    refused,
    register_building,
    resolution,
)
from tests.unit.test_audit_corrections import REFUSALS as CORRECTION_REFUSALS
from tests.unit.test_clock import CLOCK_REFUSALS

CERTIFICATE = "苏(2024)溧水区不动产权第0001号"
Command = Callable[[AssetApplication, UUID], object]


# -- the states a refusal starts from -------------------------------------------------------------


def rights_confirmed(a: AssetApplication) -> UUID:
    asset_id = register_building(a)
    a.confirm_rights(asset_id, CERTIFICATE, date(2024, 2, 1), ACCOUNTANT)
    return asset_id


def listed(a: AssetApplication) -> UUID:
    asset_id = approved_building(a)
    a.list_for_bidding(asset_id, "交易中心", "LS-1", date(2024, 3, 5), "30000", ACCOUNTANT)
    return asset_id


def invoiced(a: AssetApplication) -> UUID:
    asset_id = leased_building(a)
    invoice(a, asset_id, "FP-001", "30000")
    return asset_id


def part_paid(a: AssetApplication) -> UUID:
    asset_id = invoiced(a)
    a.receive_rent(asset_id, "SJ-001", "FP-001", "10000", date(2024, 4, 10), ACCOUNTANT)
    return asset_id


def fully_paid(a: AssetApplication) -> UUID:
    asset_id = invoiced(a)
    a.receive_rent(asset_id, "SJ-001", "FP-001", "30000", date(2024, 4, 10), ACCOUNTANT)
    return asset_id


def terminated(a: AssetApplication) -> UUID:
    asset_id = leased_building(a)
    a.terminate_contract(asset_id, date(2025, 6, 30), "mutual_agreement", ACCOUNTANT)
    return asset_id


def terminated_and_approved_again(a: AssetApplication) -> UUID:
    asset_id = terminated(a)
    a.approve_revitalization(asset_id, "lease", resolution(held_on=date(2025, 7, 1)), ACCOUNTANT)
    return asset_id


def disposal_approved(a: AssetApplication) -> UUID:
    return approved_building(a, matter="disposal")


def disposed(a: AssetApplication) -> UUID:
    asset_id = disposal_approved(a)
    a.dispose(asset_id, date(2024, 4, 1), "1000", "某公司", False, ACCOUNTANT)
    return asset_id


def homestead(a: AssetApplication) -> UUID:
    asset_id = a.register_asset(
        VILLAGE,
        "ZJD-01",
        "闲置宅基地",
        "idle_homestead",
        "180",
        "3组",
        date(2024, 1, 10),
        ACCOUNTANT,
    )
    a.confirm_rights(asset_id, "宅基地证-01", date(2024, 2, 1), ACCOUNTANT)
    return asset_id


GIVEN: dict[str, Callable[[AssetApplication], UUID]] = {
    "registered": register_building,
    "rights_confirmed": rights_confirmed,
    "approved": approved_building,
    "listed": listed,
    "contracted": leased_building,
    "invoiced": invoiced,
    "part_paid": part_paid,
    "fully_paid": fully_paid,
    "terminated": terminated,
    "terminated_and_approved_again": terminated_and_approved_again,
    "disposal_approved": disposal_approved,
    "disposed": disposed,
    "homestead": homestead,
}


# -- the commands tried ---------------------------------------------------------------------------


def invoice(
    a: AssetApplication,
    asset_id: UUID,
    invoice_no: str = "FP-002",
    amount: Any = "30000",
    issued_on: date = date(2024, 4, 1),
    due_on: date = date(2024, 4, 15),
    covers: tuple[date, date] = (date(2024, 4, 1), date(2025, 3, 31)),
) -> bool:
    return a.invoice_rent(asset_id, invoice_no, amount, issued_on, due_on, *covers, ACCOUNTANT)


def receive(
    a: AssetApplication,
    asset_id: UUID,
    amount: Any = "100",
    receipt_no: str = "SJ-002",
    invoice_no: str = "FP-001",
    received_on: date = date(2024, 4, 10),
    channel: str = "bank",
) -> bool:
    return a.receive_rent(
        asset_id, receipt_no, invoice_no, amount, received_on, ACCOUNTANT, channel=channel
    )


def register(
    a: AssetApplication,
    village: str = VILLAGE,
    code: str = "ZC-002",
    kind: str = "collective_building",
    area: Any = "100",
    on: date = date(2024, 1, 10),
    book_value: Any = "0",
    name: str = "仓库",
) -> UUID:
    return a.register_asset(
        village, code, name, kind, area, "村东", on, ACCOUNTANT, book_value_yuan=book_value
    )


def approve(matter: str = "lease", **votes: Any) -> Command:
    return lambda a, i: a.approve_revitalization(i, matter, resolution(**votes), ACCOUNTANT)


def sign(**changes: Any) -> Command:
    contract = replace(lease_contract(public_bidding=False, yearly_rent="9000"), **changes)
    return lambda a, i: a.sign_contract(i, contract, ACCOUNTANT)


def renew(new_end_on: date, schedule: tuple[InstallmentInput, ...] = (), **votes: Any) -> Command:
    vote = resolution(**{"held_on": date(2029, 1, 10), **votes})
    return lambda a, i: a.renew_contract(
        i, new_end_on, vote, date(2029, 1, 20), ACCOUNTANT, schedule
    )


def dispose(
    proceeds: str = "1000", public_bidding: bool = False, on: date = date(2024, 4, 1)
) -> Command:
    return lambda a, i: a.dispose(i, on, proceeds, "某公司", public_bidding, ACCOUNTANT)


def confirm(by: Provenance = ACCOUNTANT, certificate: str = CERTIFICATE) -> Command:
    return lambda a, i: a.confirm_rights(i, certificate, date(2024, 2, 2), by)


REFUSALS = [
    # -- registration
    pytest.param(
        "asset_registered_differently",
        "registered",
        lambda a, i: register(a, code="ZC-001", name="另一栋楼"),
        id="registering a known code with another name",
    ),
    pytest.param(
        "resource_kind_not_allowed",
        "registered",
        lambda a, i: register(a, kind="villa_compound"),
        id="registering a kind not on the list in force",
    ),
    pytest.param(
        "village_not_registered",
        "registered",
        lambda a, i: register(a, village="320117107999"),
        id="registering in a village never registered",
    ),
    pytest.param(
        "village_code_invalid",
        "registered",
        lambda a, i: register(a, village="32011710720"),
        id="registering under an 11-digit village code",
    ),
    pytest.param(
        "policy_not_in_force",
        "registered",
        lambda a, i: register(a, on=date(2023, 12, 31)),
        id="registering before any list of resource kinds is in force",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: register(a, area="0"),
        id="registering an area of zero",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: register(a, area="about 100"),
        id="registering an area that is not a number",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: register(a, name="   "),
        id="registering without a name",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: register(a, kind="idle_homestead", book_value="100"),
        id="registering a book value for a resource not carried at value",
    ),
    pytest.param(
        "amount_not_positive",
        "registered",
        lambda a, i: register(a, book_value="-1"),
        id="registering a negative book value",
    ),
    pytest.param(
        "amount_not_in_fen",
        "registered",
        lambda a, i: register(a, book_value="100.005"),
        id="registering a book value with three decimals",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: register(a, area="10000000000.01"),
        id="registering an area beyond ten thousand square kilometres",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: register(a, area="100.00001"),
        id="registering an area with five decimals",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: a.register_asset(
            VILLAGE, "ZC-9", "仓库", "other", "1", "村东", date(2024, 1, 10), ACCOUNTANT, "证" * 201
        ),
        id="registering with a certificate number longer than 200 characters",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: a.confirm_rights(i, CERTIFICATE, date(2024, 2, 2), Provenance("a" * 201)),
        id="an actor longer than 200 characters",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        lambda a, i: a.confirm_rights(
            i, CERTIFICATE, date(2024, 2, 2), Provenance("a", "决" * 301)
        ),
        id="an authority longer than 300 characters",
    ),
    pytest.param(
        "asset_not_found",
        "registered",
        lambda a, i: a.confirm_rights(uuid4(), CERTIFICATE, date(2024, 2, 1), ACCOUNTANT),
        id="confirming rights of an unknown asset",
    ),
    # -- rights and appraisal
    pytest.param(
        "rights_already_confirmed",
        "rights_confirmed",
        confirm(),
        id="confirming rights a second time",
    ),
    pytest.param(
        "invalid_input",
        "registered",
        confirm(certificate=" "),
        id="confirming without a certificate",
    ),
    pytest.param(
        "actor_missing",
        "registered",
        lambda a, i: a.confirm_rights(i, CERTIFICATE, date(2024, 2, 2), Provenance("  ")),
        id="a blank actor",
    ),
    pytest.param(
        "amount_not_in_fen",
        "registered",
        lambda a, i: a.appraise(i, "1.234", "评估所", "R-1", date(2024, 2, 1), ACCOUNTANT),
        id="appraising with three decimals",
    ),
    pytest.param(
        "amount_not_in_fen",
        "registered",
        lambda a, i: a.appraise(i, cast(Any, 1.5), "评估所", "R-1", date(2024, 2, 1), ACCOUNTANT),
        id="appraising with a float",
    ),
    pytest.param(
        "amount_not_positive",
        "registered",
        lambda a, i: a.appraise(i, "0", "评估所", "R-1", date(2024, 2, 1), ACCOUNTANT),
        id="appraising at zero",
    ),
    # -- the collective's decision
    pytest.param(
        "asset_rights_not_confirmed",
        "registered",
        approve(),
        id="approving before the rights are confirmed",
    ),
    pytest.param(
        "approval_below_two_thirds_of_total",
        "rights_confirmed",
        approve(votes_for=19, members_total=30),
        id="a lease approved by 19 of 30",
    ),
    pytest.param(
        "approval_below_two_thirds_of_total",
        "rights_confirmed",
        approve("disposal", votes_for=20, members_total=31),
        id="a disposal approved by 20 of 31",
    ),
    pytest.param(
        "approval_counted_on_attendees",
        "rights_confirmed",
        approve(votes_for=20, members_present=20, counted_against="present"),
        id="a lease approved by 20 of the 20 present",
    ),
    pytest.param(
        "meeting_quorum_not_reached",
        "rights_confirmed",
        approve("equity", votes_for=19, members_present=19, members_total=30),
        id="an equity deal decided by 19 of 30 representatives present",
    ),
    pytest.param(
        "meeting_quorum_not_reached",
        "rights_confirmed",
        lambda a, i: a.approve_revitalization(
            i,
            "cooperation",
            {**resolution(votes_for=15, members_present=15), "meeting_kind": "villagers_meeting"},
            ACCOUNTANT,
        ),
        id="a cooperation decided by 15 of 30 villagers present",
    ),
    pytest.param(
        "approval_below_majority_of_present",
        "rights_confirmed",
        approve("equity", votes_for=10, members_present=20),
        id="an equity deal with 10 votes of 20 present",
    ),
    pytest.param(
        "resolution_votes_inconsistent",
        "rights_confirmed",
        approve(votes_for=29, members_present=28),
        id="more votes for than members present",
    ),
    pytest.param(
        "resolution_votes_inconsistent",
        "rights_confirmed",
        lambda a, i: a.record_rejection(i, "lease", resolution(members_present=31), ACCOUNTANT),
        id="a rejection with more present than members",
    ),
    pytest.param(
        "invalid_input",
        "rights_confirmed",
        approve("sale"),
        id="approving a matter that does not exist",
    ),
    pytest.param(
        "invalid_input",
        "rights_confirmed",
        lambda a, i: a.approve_revitalization(
            i, "lease", {**resolution(), "meeting_kind": "party_meeting"}, ACCOUNTANT
        ),
        id="a resolution of an unknown kind of meeting",
    ),
    pytest.param(
        "invalid_input",
        "rights_confirmed",
        lambda a, i: a.approve_revitalization(
            i, "lease", {k: v for k, v in resolution().items() if k != "held_on"}, ACCOUNTANT
        ),
        id="a resolution without its meeting date",
    ),
    pytest.param(
        "invalid_input",
        "rights_confirmed",
        lambda a, i: a.approve_revitalization(
            i, "lease", {**resolution(), "held_on": "2024-03-01"}, ACCOUNTANT
        ),
        id="a resolution whose meeting date is not a date",
    ),
    pytest.param(
        "invalid_input",
        "rights_confirmed",
        lambda a, i: a.approve_revitalization(
            i, "lease", {**resolution(), "members_total": "thirty"}, ACCOUNTANT
        ),
        id="a resolution whose member count is not a number",
    ),
    pytest.param(
        "resource_kind_may_not_be_sold",
        "homestead",
        approve("disposal"),
        id="approving the sale of a homestead",
    ),
    # -- listing
    pytest.param(
        "listing_without_resolution",
        "rights_confirmed",
        lambda a, i: a.list_for_bidding(i, "交易中心", "LS-1", date(2024, 3, 5), "1", ACCOUNTANT),
        id="listing without an approved resolution",
    ),
    pytest.param(
        "asset_rights_not_confirmed",
        "registered",
        lambda a, i: a.list_for_bidding(i, "交易中心", "LS-1", date(2024, 3, 5), "1", ACCOUNTANT),
        id="listing before the rights are confirmed",
    ),
    # -- contract
    pytest.param(
        "asset_rights_not_confirmed",
        "registered",
        sign(),
        id="signing before the rights are confirmed",
    ),
    pytest.param(
        "contract_without_resolution",
        "rights_confirmed",
        sign(),
        id="signing without a resolution",
    ),
    pytest.param(
        "contract_without_resolution",
        "approved",
        sign(mode="equity"),
        id="signing an equity contract on a lease resolution",
    ),
    pytest.param(
        "contract_before_resolution",
        "approved",
        sign(signed_on=date(2024, 2, 28)),
        id="signing before the meeting that approved it",
    ),
    pytest.param(
        "asset_already_contracted",
        "contracted",
        sign(contract_no="HT-002"),
        id="signing a second contract while one is in force",
    ),
    pytest.param(
        "contract_number_reused",
        "terminated_and_approved_again",
        sign(signed_on=date(2025, 7, 5), start_on=date(2025, 8, 1), end_on=date(2030, 7, 31)),
        id="signing a new contract under the number of the terminated one",
    ),
    pytest.param(
        "lease_term_exceeds_20_years",
        "approved",
        sign(end_on=date(2044, 4, 1), rent_schedule=()),
        id="a lease from 2024-04-01 to 2044-04-01",
    ),
    pytest.param(
        "public_bidding_required",
        "approved",
        sign(rent_schedule=lease_contract(yearly_rent="10000").rent_schedule),
        id="a contract worth 50000 without public bidding",
    ),
    pytest.param(
        "not_listed_for_bidding",
        "approved",
        sign(public_bidding=True),
        id="a contract claiming bidding on an asset never listed",
    ),
    pytest.param(
        "rent_period_outside_contract",
        "approved",
        sign(
            rent_schedule=[
                InstallmentInput(date(2024, 4, 1), "100", date(2024, 3, 1), date(2025, 2, 28))
            ]
        ),
        id="a schedule that covers days before the term",
    ),
    pytest.param(
        "date_before_chart_of_accounts",
        "approved",
        sign(
            rent_schedule=[
                InstallmentInput(date(2023, 12, 1), "100", date(2024, 4, 1), date(2025, 3, 31))
            ]
        ),
        id="an installment due before the 2023 chart of accounts is in force",
    ),
    pytest.param(
        "policy_not_in_force",
        "approved",
        sign(signed_on=date(2023, 12, 31)),
        id="signing before any bidding threshold is in force",
    ),
    pytest.param(
        "invalid_input",
        "approved",
        sign(mode="sale"),
        id="signing a sale",
    ),
    pytest.param(
        "invalid_input",
        "approved",
        sign(end_on=date(2024, 3, 31), rent_schedule=()),
        id="a contract ending before it starts",
    ),
    pytest.param(
        "invalid_input",
        "approved",
        sign(counterparty_kind="friend"),
        id="a counterparty of an unknown kind",
    ),
    # -- renewal and termination
    pytest.param(
        "no_active_contract",
        "approved",
        renew(date(2034, 3, 31)),
        id="renewing without a contract",
    ),
    pytest.param(
        "renewal_not_later",
        "contracted",
        renew(date(2029, 3, 31)),
        id="renewing to the current end",
    ),
    pytest.param(
        "lease_term_exceeds_20_years",
        "contracted",
        renew(date(2049, 1, 20)),
        id="renewing a lease for 20 years and a day from the day it is agreed",
    ),
    pytest.param(
        "lease_term_exceeds_20_years",
        "contracted",
        lambda a, i: a.renew_contract(
            i,
            date(2048, 6, 30),
            resolution(held_on=date(2028, 6, 1)),
            date(2028, 6, 30),
            ACCOUNTANT,
        ),
        id="renewing a lease early for more than 20 years from the day of renewal",
    ),
    pytest.param(
        "contract_before_resolution",
        "contracted",
        renew(date(2034, 3, 31), held_on=date(2029, 1, 25)),
        id="renewing before the meeting that approved it",
    ),
    pytest.param(
        "approval_below_two_thirds_of_total",
        "contracted",
        renew(date(2034, 3, 31), votes_for=19),
        id="renewing a lease approved by 19 of 30",
    ),
    pytest.param(
        "rent_period_outside_contract",
        "contracted",
        renew(
            date(2034, 3, 31),
            (InstallmentInput(date(2034, 4, 1), "100", date(2034, 4, 1), date(2035, 3, 31)),),
        ),
        id="a renewal schedule beyond the new end",
    ),
    pytest.param(
        "no_active_contract",
        "approved",
        lambda a, i: a.terminate_contract(i, date(2025, 1, 1), "other", ACCOUNTANT),
        id="terminating without a contract",
    ),
    pytest.param(
        "termination_outside_term",
        "contracted",
        lambda a, i: a.terminate_contract(i, date(2024, 3, 31), "other", ACCOUNTANT),
        id="terminating before the term starts",
    ),
    pytest.param(
        "termination_outside_term",
        "contracted",
        lambda a, i: a.terminate_contract(i, date(2029, 4, 1), "other", ACCOUNTANT),
        id="terminating after the term ends",
    ),
    pytest.param(
        "invalid_input",
        "contracted",
        lambda a, i: a.terminate_contract(i, date(2025, 1, 1), "bored", ACCOUNTANT),
        id="terminating for an unknown reason",
    ),
    # -- rent
    pytest.param(
        "no_active_contract",
        "rights_confirmed",
        invoice,
        id="invoicing without a contract",
    ),
    pytest.param(
        "no_active_contract",
        "terminated",
        invoice,
        id="invoicing after the contract was terminated",
    ),
    pytest.param(
        "rent_period_outside_contract",
        "contracted",
        lambda a, i: invoice(a, i, covers=(date(2029, 4, 1), date(2030, 3, 31))),
        id="invoicing a period after the term",
    ),
    pytest.param(
        "invoice_number_reused",
        "invoiced",
        lambda a, i: invoice(a, i, "FP-001", "30000.01"),
        id="invoicing again under a used number with another amount",
    ),
    pytest.param(
        "date_before_chart_of_accounts",
        "contracted",
        lambda a, i: invoice(a, i, issued_on=date(2023, 12, 31)),
        id="invoicing before the 2023 chart of accounts is in force",
    ),
    pytest.param(
        "amount_not_in_fen",
        "contracted",
        lambda a, i: invoice(a, i, amount="100.001"),
        id="invoicing with three decimals",
    ),
    pytest.param(
        "amount_not_in_fen",
        "contracted",
        lambda a, i: invoice(a, i, amount=100.5),
        id="invoicing with a float",
    ),
    pytest.param(
        "amount_exceeds_maximum",
        "contracted",
        lambda a, i: invoice(a, i, amount="100000000000000000"),
        id="invoicing more than the books can hold",
    ),
    pytest.param(
        "amount_not_positive",
        "contracted",
        lambda a, i: invoice(a, i, amount="0"),
        id="invoicing zero",
    ),
    pytest.param(
        "invalid_input",
        "contracted",
        lambda a, i: invoice(a, i, due_on=date(2024, 3, 31)),
        id="an invoice due before it is issued",
    ),
    pytest.param(
        "invoice_not_found",
        "contracted",
        lambda a, i: receive(a, i, invoice_no="FP-404"),
        id="receiving against an unknown invoice",
    ),
    pytest.param(
        "payment_exceeds_amount_due",
        "part_paid",
        lambda a, i: receive(a, i, "20000.01"),
        id="receiving more than is outstanding",
    ),
    pytest.param(
        "payment_before_invoice",
        "invoiced",
        lambda a, i: receive(a, i, received_on=date(2024, 3, 31)),
        id="receiving before the invoice was issued",
    ),
    pytest.param(
        "receipt_number_reused",
        "part_paid",
        lambda a, i: receive(a, i, "5000", receipt_no="SJ-001"),
        id="receiving again under a used receipt number with another amount",
    ),
    pytest.param(
        "receipt_number_reused",
        "part_paid",
        lambda a, i: receive(a, i, "10000", receipt_no="SJ-001", channel="cash"),
        id="receiving again under a used receipt number into another channel",
    ),
    pytest.param(
        "amount_not_positive",
        "invoiced",
        lambda a, i: receive(a, i, "-5"),
        id="receiving a negative amount",
    ),
    pytest.param(
        "invalid_input",
        "invoiced",
        lambda a, i: receive(a, i, channel="wechat"),
        id="receiving through an unknown channel",
    ),
    pytest.param(
        "date_before_chart_of_accounts",
        "invoiced",
        lambda a, i: receive(a, i, received_on=date(2023, 12, 31)),
        id="receiving before the 2023 chart of accounts is in force",
    ),
    pytest.param(
        "invoice_not_found",
        "contracted",
        lambda a, i: a.mark_in_arrears(i, "FP-404", date(2024, 5, 1), ACCOUNTANT),
        id="arrears on an unknown invoice",
    ),
    pytest.param(
        "invoice_not_overdue",
        "invoiced",
        lambda a, i: a.mark_in_arrears(i, "FP-001", date(2024, 4, 15), ACCOUNTANT),
        id="arrears on the due date itself",
    ),
    pytest.param(
        "invoice_not_overdue",
        "fully_paid",
        lambda a, i: a.mark_in_arrears(i, "FP-001", date(2024, 5, 1), ACCOUNTANT),
        id="arrears on a paid invoice",
    ),
    # -- disposal
    pytest.param(
        "resource_kind_may_not_be_sold",
        "homestead",
        dispose(),
        id="disposing of a homestead",
    ),
    pytest.param(
        "contract_without_resolution",
        "rights_confirmed",
        dispose(),
        id="disposing without a resolution",
    ),
    pytest.param(
        "contract_without_resolution",
        "approved",
        dispose(),
        id="disposing on a lease resolution",
    ),
    pytest.param(
        "contract_before_resolution",
        "disposal_approved",
        dispose(on=date(2024, 2, 28)),
        id="disposing before the meeting that approved it",
    ),
    pytest.param(
        "asset_already_contracted",
        "contracted",
        dispose(),
        id="disposing of an asset under contract",
    ),
    pytest.param(
        "public_bidding_required",
        "disposal_approved",
        dispose("50000"),
        id="disposing for 50000 without public bidding",
    ),
    pytest.param(
        "not_listed_for_bidding",
        "disposal_approved",
        dispose("50000", public_bidding=True),
        id="disposing through bidding without a listing",
    ),
    pytest.param(
        "date_before_chart_of_accounts",
        "disposal_approved",
        dispose(on=date(2023, 12, 31)),
        id="disposing before the 2023 chart of accounts is in force",
    ),
    pytest.param(
        "amount_not_positive",
        "disposal_approved",
        dispose("-1"),
        id="disposing for negative proceeds",
    ),
    pytest.param("asset_disposed", "disposed", dispose(), id="disposing twice"),
    pytest.param(
        "asset_disposed",
        "disposed",
        lambda a, i: a.appraise(i, "1", "评估所", "R-2", date(2024, 5, 1), ACCOUNTANT),
        id="appraising a disposed asset",
    ),
    pytest.param(
        "asset_disposed",
        "disposed",
        approve(held_on=date(2024, 5, 1)),
        id="approving a lease of a disposed asset",
    ),
    pytest.param(
        "asset_disposed",
        "disposed",
        invoice,
        id="invoicing a disposed asset",
    ),
]


@pytest.mark.parametrize(("code", "given", "when"), REFUSALS)
def test_a_refused_command_gives_its_code_and_records_nothing(
    memory: Memory, code: str, given: str, when: Command
) -> None:
    asset_id = GIVEN[given](memory.assets)
    version = memory.assets.get(asset_id).version

    with refused(memory.store, code):
        when(memory.assets, asset_id)

    assert memory.assets.get(asset_id).version == version


def test_a_concurrent_change_to_the_same_asset_is_refused_and_records_nothing(
    memory: Memory,
) -> None:
    asset_id = register_building(memory.assets)
    mine, theirs = memory.assets.get(asset_id), memory.assets.get(asset_id)
    theirs.appraise(Decimal("30000"), "评估所", "R-1", date(2024, 2, 1), ACCOUNTANT)
    memory.store.save(theirs)
    mine.confirm_rights(CERTIFICATE, date(2024, 2, 1), ACCOUNTANT)

    with refused(memory.store, "concurrent_update"), translating_conflicts():
        memory.store.save(mine)

    assert not memory.assets.get(asset_id).rights_confirmed


def test_a_resource_kind_no_list_for_the_place_ever_named_is_unknown(memory: Memory) -> None:
    # given the national list, and a village that later adds a kind of its own
    orchard = {"code": "orchard", "name_zh": "果园", "book_account": None, "sale_forbidden": False}
    kinds = [*DEFAULT_RESOURCE_KINDS, orchard]
    memory.policies.set_policy(
        "assets.resource_kinds", VILLAGE, date(2030, 1, 1), kinds, "决", ADMIN
    )

    # then a kind is known where a list ever named it, whatever the list's date
    assert memory.assets.check_kind_known("idle_farmhouse", ["CN"]) == "idle_farmhouse"
    assert memory.assets.check_kind_known("orchard", [VILLAGE]) == "orchard"
    with refused(memory.store, "resource_kind_unknown") as error:
        memory.assets.check_kind_known("orchard", [OTHER_VILLAGE, "CN"])
    assert error.value.field == "kind"
    with refused(memory.store, "resource_kind_unknown"):
        memory.assets.check_kind_known("farmhouse", [VILLAGE])


# -- the boundaries that must pass ----------------------------------------------------------------


def test_a_lease_ending_the_day_before_its_20th_anniversary_is_accepted(memory: Memory) -> None:
    asset_id = approved_building(memory.assets)
    sign(end_on=date(2044, 3, 31), rent_schedule=())(memory.assets, asset_id)
    assert memory.assets.get(asset_id).status == "contracted"


def test_a_renewal_of_20_years_from_the_day_it_is_agreed_is_accepted(memory: Memory) -> None:
    asset_id = leased_building(memory.assets)
    renew(date(2049, 1, 19))(memory.assets, asset_id)  # agreed on 2029-01-20
    contract = memory.assets.get(asset_id).contract
    assert contract is not None
    assert contract["end_on"] == date(2049, 1, 19)


def test_a_contract_just_below_the_bidding_threshold_needs_no_bidding(memory: Memory) -> None:
    asset_id = approved_building(memory.assets)
    schedule = [InstallmentInput(date(2024, 4, 1), "49999.99", date(2024, 4, 1), date(2025, 3, 31))]
    sign(rent_schedule=schedule)(memory.assets, asset_id)
    assert memory.assets.get(asset_id).status == "contracted"


# -- every code is tried --------------------------------------------------------------------------

# The test above, the corrections' refusals (test_audit_corrections.py), and the town and
# district codes (test_places.py; over the API: tests/e2e/test_scope.py).
TESTED_ELSEWHERE = {
    "concurrent_update",
    "resource_kind_unknown",
    "receipt_already_reversed",
    "district_code_invalid",
    "town_code_invalid",
    *(code for *_, code in CORRECTION_REFUSALS),
    *CLOCK_REFUSALS,  # the clock's (test_clock.py, test_time_zone.py, test_fuzz.py)
    "text_contains_forbidden_character",  # test_text.py, test_text_boundary.py
    "database_busy",  # test_concurrent_writes.py, test_write_outcomes.py
    "database_unavailable",  # test_write_outcomes.py
    "write_outcome_unknown",  # test_write_outcomes.py
    "read_model_halted",  # test_projection_halting.py
}
NOT_A_REFUSAL = {"asset_error"}  # the base class of the context's errors


def test_every_refusal_code_of_the_asset_and_shared_modules_is_tried_above() -> None:
    modules = {domain.assets.errors.__name__, domain.shared.errors.__name__}
    codes = {c.code for c in all_error_classes() if c.__module__ in modules}
    tried = {param.values[0] for param in REFUSALS} | TESTED_ELSEWHERE
    assert codes - NOT_A_REFUSAL - tried == set()


def test_a_lease_too_long_is_told_the_last_day_it_may_end(memory: Memory) -> None:
    asset_id = approved_building(memory.assets)
    with refused(memory.store, "lease_term_exceeds_20_years") as error:
        sign(start_on=date(2024, 4, 15), end_on=date(2044, 4, 15), rent_schedule=())(
            memory.assets, asset_id
        )
    assert "must end by 2044-04-14 at the latest" in error.value.message
    assert error.value.field == "end_on"
