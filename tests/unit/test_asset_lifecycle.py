"""An asset's whole lifecycle on the in-memory store: every step succeeds and changes state."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.assets.application import InstallmentInput
from domain.shared.history import history
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

CERTIFICATE = "苏(2024)溧水区不动产权第0001号"


def event_types(memory: Memory, asset_id: UUID) -> list[str]:
    return [type(e).__qualname__ for e in memory.store.events.get(asset_id)]


def invoice_first_year(memory: Memory, asset_id: UUID, invoice_no: str = "FP-001") -> bool:
    return memory.assets.invoice_rent(
        asset_id,
        invoice_no,
        "30000",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )


# -- registration ---------------------------------------------------------------------------------


def test_registering_an_asset_records_its_details_and_its_book_account(memory: Memory) -> None:
    asset_id = register_building(memory.assets)

    asset = memory.assets.get(asset_id)
    assert asset_id == memory.assets.id_of(VILLAGE, "ZC-001")
    assert (asset.village_code, asset.asset_code, asset.kind) == (
        VILLAGE,
        "ZC-001",
        "collective_building",
    )
    assert asset.area_m2 == Decimal("320.5")
    assert asset.book_value_yuan == Decimal("120000.00")
    assert asset.book_account == "151"
    assert asset.status == "registered"
    assert not asset.rights_confirmed
    assert event_types(memory, asset_id) == ["Asset.Registered"]


def test_registering_the_same_asset_again_returns_the_same_id_and_records_nothing(
    memory: Memory,
) -> None:
    first = register_building(memory.assets)
    before = memory.store.last_notification_id()

    again = register_building(memory.assets)

    assert again == first
    assert memory.store.last_notification_id() == before
    assert memory.assets.get(first).version == 1


def test_registering_the_same_code_with_other_details_is_refused(memory: Memory) -> None:
    asset_id = register_building(memory.assets)
    with refused(memory.store, "asset_registered_differently"):
        memory.assets.register_asset(
            VILLAGE,
            "ZC-001",
            "另一栋楼",
            "collective_building",
            "320.5",
            "乌村桥村12号",
            date(2024, 1, 10),
            ACCOUNTANT,
            book_value_yuan="120000",
        )
    assert memory.assets.get(asset_id).name == "村部旧楼"


def test_the_same_asset_code_in_another_village_is_another_asset(memory: Memory) -> None:
    here = register_building(memory.assets)
    there = memory.assets.register_asset(
        OTHER_VILLAGE,
        "ZC-001",
        "村部旧楼",
        "collective_building",
        "320.5",
        "测试村1号",
        date(2024, 1, 10),
        ACCOUNTANT,
    )
    assert there != here
    assert memory.assets.get(there).village_code == OTHER_VILLAGE


def test_a_resource_not_carried_at_book_value_has_no_book_account(memory: Memory) -> None:
    asset_id = memory.assets.register_asset(
        VILLAGE,
        "ZJD-01",
        "闲置宅基地",
        "idle_homestead",
        "180",
        "乌村桥村3组",
        date(2024, 1, 10),
        ADMIN,
    )
    asset = memory.assets.get(asset_id)
    assert asset.book_account is None
    assert asset.book_value_yuan == Decimal("0.00")
    assert asset.sale_forbidden


# -- rights, appraisal, the collective's decision ------------------------------------------------


def test_confirming_rights_records_the_certificate_and_moves_the_status(memory: Memory) -> None:
    asset_id = register_building(memory.assets)

    memory.assets.confirm_rights(asset_id, CERTIFICATE, date(2024, 2, 1), ACCOUNTANT)

    asset = memory.assets.get(asset_id)
    assert asset.rights_confirmed
    assert asset.certificate_no == CERTIFICATE
    assert asset.status == "rights_confirmed"
    assert event_types(memory, asset_id)[-1] == "Asset.RightsConfirmed"


def test_appraising_records_the_appraised_value(memory: Memory) -> None:
    asset_id = register_building(memory.assets)

    memory.assets.appraise(
        asset_id, "31000.50", "南京某评估所", "宁评报字〔2024〕17号", date(2024, 2, 10), ACCOUNTANT
    )

    assert memory.assets.get(asset_id).appraised_value_yuan == Decimal("31000.50")
    assert event_types(memory, asset_id)[-1] == "Asset.Appraised"


def test_a_lease_approved_by_20_of_30_members_in_total_is_approved(memory: Memory) -> None:
    asset_id = register_building(memory.assets)
    memory.assets.confirm_rights(asset_id, CERTIFICATE, date(2024, 2, 1), ACCOUNTANT)

    memory.assets.approve_revitalization(
        asset_id, "lease", resolution(votes_for=20, members_total=30), ACCOUNTANT
    )

    asset = memory.assets.get(asset_id)
    assert asset.status == "approved"
    assert asset.approvals["lease"]["votes_for"] == 20
    assert asset.approvals["lease"]["held_on"] == date(2024, 3, 1)


def test_a_lease_approved_by_19_of_30_members_in_total_is_refused(memory: Memory) -> None:
    asset_id = register_building(memory.assets)
    memory.assets.confirm_rights(asset_id, CERTIFICATE, date(2024, 2, 1), ACCOUNTANT)

    with refused(memory.store, "approval_below_two_thirds_of_total"):
        memory.assets.approve_revitalization(
            asset_id, "lease", resolution(votes_for=19, members_total=30), ACCOUNTANT
        )
    assert memory.assets.get(asset_id).approvals == {}


def test_an_equity_deal_needs_only_a_majority_of_those_present(memory: Memory) -> None:
    asset_id = register_building(memory.assets)
    memory.assets.confirm_rights(asset_id, CERTIFICATE, date(2024, 2, 1), ACCOUNTANT)

    # 20 of 30 representatives present (the quorum), 11 of them in favour: not 2/3 of the total.
    memory.assets.approve_revitalization(
        asset_id,
        "equity",
        resolution(votes_for=11, members_total=30, members_present=20, counted_against="present"),
        ACCOUNTANT,
    )

    assert "equity" in memory.assets.get(asset_id).approvals


def test_a_rejection_is_recorded_and_withdraws_an_earlier_approval(memory: Memory) -> None:
    asset_id = approved_building(memory.assets)

    memory.assets.record_rejection(
        asset_id, "lease", resolution(votes_for=5, held_on=date(2024, 3, 10)), ACCOUNTANT
    )

    asset = memory.assets.get(asset_id)
    assert asset.status == "rejected"
    assert asset.approvals == {}
    assert event_types(memory, asset_id)[-1] == "Asset.RevitalizationRejected"
    with refused(memory.store, "contract_without_resolution"):
        memory.assets.sign_contract(asset_id, lease_contract(public_bidding=False), ACCOUNTANT)


def test_listing_for_bidding_records_the_exchange_and_reserve_price(memory: Memory) -> None:
    asset_id = approved_building(memory.assets)

    memory.assets.list_for_bidding(
        asset_id, "溧水区农村产权交易中心", "LS-2024-01", date(2024, 3, 5), "30000", ACCOUNTANT
    )

    asset = memory.assets.get(asset_id)
    assert asset.status == "listed"
    assert asset.listing is not None
    assert asset.listing["listing_no"] == "LS-2024-01"
    assert asset.listing["reserve_price_yuan"] == Decimal("30000.00")


# -- contract -------------------------------------------------------------------------------------


def test_signing_a_contract_records_its_term_and_uses_up_the_resolution(memory: Memory) -> None:
    asset_id = leased_building(memory.assets)

    asset = memory.assets.get(asset_id)
    assert asset.status == "contracted"
    assert asset.contract is not None
    assert asset.contract["contract_no"] == "HT-001"
    assert (asset.contract["start_on"], asset.contract["end_on"]) == (
        date(2024, 4, 1),
        date(2029, 3, 31),
    )
    assert asset.contract["total_value_yuan"] == Decimal("150000.00")
    assert asset.contract["resolution_reference"] == "乌村桥村决〔2024〕3号"
    assert asset.approvals == {}
    assert asset.listing is None


def test_a_contract_recorded_without_a_document_rests_on_its_resolution(memory: Memory) -> None:
    asset_id = approved_building(memory.assets)

    memory.assets.sign_contract(
        asset_id, lease_contract(public_bidding=False, yearly_rent="9000"), ADMIN
    )

    contracted: Any = list(memory.store.events.get(asset_id))[-1]
    assert type(contracted).__qualname__ == "Asset.Contracted"
    assert contracted.actor == ADMIN.actor
    assert contracted.authority == "乌村桥村决〔2024〕3号"


def test_a_lease_of_exactly_20_years_is_accepted(memory: Memory) -> None:
    asset_id = approved_building(memory.assets)

    memory.assets.sign_contract(
        asset_id,
        lease_contract(end_on=date(2044, 3, 31), public_bidding=False, yearly_rent="1000"),
        ACCOUNTANT,
    )

    contract = memory.assets.get(asset_id).contract
    assert contract is not None
    assert contract["end_on"] == date(2044, 3, 31)


# -- rent -----------------------------------------------------------------------------------------


def test_invoicing_rent_records_the_invoice_and_a_retry_records_nothing(memory: Memory) -> None:
    asset_id = leased_building(memory.assets)

    assert invoice_first_year(memory, asset_id) is True
    before = memory.store.last_notification_id()
    assert invoice_first_year(memory, asset_id) is False

    assert memory.store.last_notification_id() == before
    invoice = memory.assets.get(asset_id).invoices["FP-001"]
    assert invoice.amount_yuan == Decimal("30000.00")
    assert invoice.outstanding_yuan == Decimal("30000.00")
    assert event_types(memory, asset_id).count("Asset.RentInvoiced") == 1


def test_receiving_rent_reduces_what_is_outstanding_and_a_retry_records_nothing(
    memory: Memory,
) -> None:
    asset_id = leased_building(memory.assets)
    invoice_first_year(memory, asset_id)

    assert memory.assets.receive_rent(
        asset_id, "SJ-001", "FP-001", "10000", date(2024, 4, 10), ACCOUNTANT
    )
    before = memory.store.last_notification_id()
    assert not memory.assets.receive_rent(
        asset_id, "SJ-001", "FP-001", "10000", date(2024, 4, 10), ACCOUNTANT
    )
    assert memory.store.last_notification_id() == before
    assert memory.assets.receive_rent(
        asset_id, "SJ-002", "FP-001", "20000", date(2024, 4, 12), ACCOUNTANT, channel="cash"
    )

    invoice = memory.assets.get(asset_id).invoices["FP-001"]
    assert invoice.received_yuan == Decimal("30000.00")
    assert invoice.outstanding_yuan == Decimal("0.00")
    assert event_types(memory, asset_id).count("Asset.RentReceived") == 2


def test_an_overdue_invoice_puts_the_asset_in_arrears_until_it_is_paid(memory: Memory) -> None:
    asset_id = leased_building(memory.assets)
    invoice_first_year(memory, asset_id)

    memory.assets.mark_in_arrears(asset_id, "FP-001", date(2024, 5, 1), ACCOUNTANT)
    assert memory.assets.get(asset_id).status == "in_arrears"

    memory.assets.receive_rent(
        asset_id, "SJ-001", "FP-001", "29999.99", date(2024, 5, 2), ACCOUNTANT
    )
    assert memory.assets.get(asset_id).status == "in_arrears"  # one fen still outstanding

    memory.assets.receive_rent(asset_id, "SJ-002", "FP-001", "0.01", date(2024, 5, 3), ACCOUNTANT)
    assert memory.assets.get(asset_id).status == "contracted"


# -- renewal, termination, disposal ---------------------------------------------------------------


def test_renewing_extends_the_end_and_adds_the_new_installments(memory: Memory) -> None:
    asset_id = leased_building(memory.assets)

    memory.assets.renew_contract(
        asset_id,
        date(2034, 3, 31),
        resolution(held_on=date(2029, 1, 10), reference="乌村桥村决〔2029〕1号"),
        date(2029, 1, 20),
        ACCOUNTANT,
        [InstallmentInput(date(2029, 4, 1), "40000", date(2029, 4, 1), date(2030, 3, 31))],
    )

    asset = memory.assets.get(asset_id)
    assert asset.contract is not None
    assert asset.contract["end_on"] == date(2034, 3, 31)
    assert asset.contract["total_value_yuan"] == Decimal("190000.00")
    assert asset.status == "contracted"
    assert event_types(memory, asset_id)[-1] == "Asset.ContractRenewed"


def test_terminating_ends_the_contract_and_frees_the_asset_for_a_new_one(memory: Memory) -> None:
    asset_id = leased_building(memory.assets)

    memory.assets.terminate_contract(asset_id, date(2025, 6, 30), "mutual_agreement", ACCOUNTANT)

    asset = memory.assets.get(asset_id)
    assert asset.status == "terminated"
    assert asset.contract is not None
    assert asset.contract["terminated_on"] == date(2025, 6, 30)
    with refused(memory.store, "no_active_contract"):
        invoice_first_year(memory, asset_id, "FP-009")

    memory.assets.approve_revitalization(
        asset_id, "lease", resolution(held_on=date(2025, 7, 1)), ACCOUNTANT
    )
    second = lease_contract(
        "HT-002", date(2025, 8, 1), date(2030, 7, 31), yearly_rent="9000", public_bidding=False
    )
    memory.assets.sign_contract(asset_id, replace(second, signed_on=date(2025, 7, 5)), ACCOUNTANT)
    assert memory.assets.get(asset_id).status == "contracted"


def test_disposing_below_the_bidding_threshold_needs_no_public_bidding(memory: Memory) -> None:
    asset_id = approved_building(memory.assets, matter="disposal")

    memory.assets.dispose(asset_id, date(2024, 4, 1), "49999.99", "某公司", False, ACCOUNTANT)

    asset = memory.assets.get(asset_id)
    assert asset.status == "disposed"
    disposed: Any = list(memory.store.events.get(asset_id))[-1]
    assert type(disposed).__qualname__ == "Asset.Disposed"
    assert disposed.carrying_value_yuan == Decimal("120000.00")
    assert disposed.book_account == "151"


def test_disposing_at_the_bidding_threshold_without_bidding_is_refused(memory: Memory) -> None:
    asset_id = approved_building(memory.assets, matter="disposal")

    with refused(memory.store, "public_bidding_required"):
        memory.assets.dispose(asset_id, date(2024, 4, 1), "50000", "某公司", False, ACCOUNTANT)


def test_disposing_at_the_bidding_threshold_through_the_exchange_is_accepted(
    memory: Memory,
) -> None:
    asset_id = approved_building(memory.assets, matter="disposal")
    with refused(memory.store, "not_listed_for_bidding"):
        memory.assets.dispose(asset_id, date(2024, 4, 1), "150000", "某公司", True, ACCOUNTANT)
    memory.assets.list_for_bidding(
        asset_id, "溧水区农村产权交易中心", "LS-2024-09", date(2024, 3, 5), "120000", ACCOUNTANT
    )

    memory.assets.dispose(asset_id, date(2024, 4, 1), "150000", "某公司", True, ACCOUNTANT)

    assert memory.assets.get(asset_id).status == "disposed"


def test_a_terminated_asset_can_be_disposed_of(memory: Memory) -> None:
    asset_id = leased_building(memory.assets)
    memory.assets.terminate_contract(asset_id, date(2025, 6, 30), "other", ACCOUNTANT)
    memory.assets.approve_revitalization(
        asset_id, "disposal", resolution(held_on=date(2025, 7, 1)), ACCOUNTANT
    )

    memory.assets.dispose(asset_id, date(2025, 7, 2), "1000", "某公司", False, ACCOUNTANT)

    assert memory.assets.get(asset_id).status == "disposed"


# -- provenance and history -----------------------------------------------------------------------


def test_every_event_carries_its_actor_its_authority_and_when_it_was_recorded(
    memory: Memory,
) -> None:
    started = datetime.now(UTC)
    clerk = Provenance("clerk:320117107206", "乌村桥村决〔2024〕3号")
    asset_id = register_building(memory.assets)
    memory.assets.confirm_rights(asset_id, CERTIFICATE, date(2024, 2, 1), clerk)
    memory.assets.appraise(asset_id, "30000", "评估所", "R-1", date(2024, 2, 10), ADMIN)
    memory.assets.approve_revitalization(asset_id, "lease", resolution(), clerk)
    memory.assets.sign_contract(
        asset_id, lease_contract(public_bidding=False, yearly_rent="9000"), clerk
    )
    invoice_first_year(memory, asset_id)
    finished = datetime.now(UTC)

    events = history(memory.store, asset_id)
    assert [e.event_type for e in events] == [
        "Asset.Registered",
        "Asset.RightsConfirmed",
        "Asset.Appraised",
        "Asset.RevitalizationApproved",
        "Asset.Contracted",
        "Asset.RentInvoiced",
    ]
    assert [(e.actor, e.authority) for e in events] == [
        (ACCOUNTANT.actor, ACCOUNTANT.authority),
        (clerk.actor, clerk.authority),
        (ADMIN.actor, None),
        (clerk.actor, clerk.authority),
        (clerk.actor, clerk.authority),
        (ACCOUNTANT.actor, ACCOUNTANT.authority),
    ]
    assert [e.version for e in events] == [1, 2, 3, 4, 5, 6]
    for e in events:
        assert e.recorded_at.tzinfo is not None
        assert started <= e.recorded_at <= finished
    assert [e.recorded_at for e in events] == sorted(e.recorded_at for e in events)
    assert events[-1].payload["amount_yuan"] == "30000.00"
    assert events[-1].payload["covers_to"] == "2025-03-31"


def test_an_asset_can_be_read_as_it_was_at_an_earlier_version(memory: Memory) -> None:
    asset_id = leased_building(memory.assets)
    invoice_first_year(memory, asset_id)

    assert memory.assets.get(asset_id, version=1).status == "registered"
    assert memory.assets.get(asset_id, version=2).status == "rights_confirmed"
    assert memory.assets.get(asset_id, version=5).invoices == {}
    assert "FP-001" in memory.assets.get(asset_id).invoices
