"""Shared test data: a small district, its policies, and an asset carried to an active lease."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.assets.application import AssetApplication, ContractInput, InstallmentInput
from domain.policy.application import PolicyApplication
from domain.policy.keys import DEFAULT_RESOURCE_KINDS
from domain.reference.application import ReferenceApplication, TownInput, VillageInput
from domain.shared.values import Provenance

ADMIN = Provenance("admin:test")
ACCOUNTANT = Provenance("accountant:test", "村务记录")
DISTRICT = "320117"
TOWN = "320117107"
VILLAGE = "320117107206"
OTHER_VILLAGE = "320117107291"
BIDDING_THRESHOLD = "50000"


def seed_places(places: ReferenceApplication, policies: PolicyApplication) -> None:
    places.register_district(DISTRICT, "溧水区", "南京市", "江苏省", ADMIN)
    places.register_towns(DISTRICT, [TownInput(TOWN, "和凤镇", "town")], ADMIN)
    places.register_villages(
        TOWN,
        [
            VillageInput(VILLAGE, "乌村桥村", "乌村桥村股份经济合作社"),
            VillageInput(OTHER_VILLAGE, "测试村", "测试村股份经济合作社", True, True, "test"),
        ],
        ADMIN,
    )
    policies.set_policy(
        "assets.resource_kinds", "CN", date(2024, 1, 1), DEFAULT_RESOURCE_KINDS, "RULES.md", ADMIN
    )
    policies.set_policy(
        "assets.public_bidding_threshold_yuan",
        DISTRICT,
        date(2024, 1, 1),
        BIDDING_THRESHOLD,
        "test rule",
        ADMIN,
    )


def resolution(
    votes_for: int = 21,
    members_total: int = 30,
    members_present: int = 28,
    held_on: date = date(2024, 3, 1),
    counted_against: str = "total",
    reference: str = "乌村桥村决〔2024〕3号",
) -> dict[str, Any]:
    return {
        "reference": reference,
        "meeting_kind": "representatives_meeting",
        "held_on": held_on,
        "members_total": members_total,
        "members_present": members_present,
        "votes_for": votes_for,
        "counted_against": counted_against,
    }


def register_building(assets: AssetApplication, code: str = "ZC-001") -> UUID:
    return assets.register_asset(
        VILLAGE,
        code,
        "村部旧楼",
        "collective_building",
        "320.5",
        "乌村桥村12号",
        date(2024, 1, 10),
        ACCOUNTANT,
        book_value_yuan="120000",
    )


def lease_contract(
    contract_no: str = "HT-001",
    start_on: date = date(2024, 4, 1),
    end_on: date = date(2029, 3, 31),
    yearly_rent: str = "30000",
    public_bidding: bool = True,
) -> ContractInput:
    schedule = [
        InstallmentInput(
            date(start_on.year + n, start_on.month, 1),
            yearly_rent,
            date(start_on.year + n, start_on.month, 1),
            date(start_on.year + n + 1, start_on.month, 1).fromordinal(
                date(start_on.year + n + 1, start_on.month, 1).toordinal() - 1
            ),
        )
        for n in range(end_on.year - start_on.year)
    ]
    return ContractInput(
        contract_no=contract_no,
        mode="lease",
        counterparty_name="南京某文旅有限公司",
        counterparty_kind="organization",
        signed_on=date(2024, 3, 20),
        start_on=start_on,
        end_on=end_on,
        rent_schedule=schedule,
        public_bidding=public_bidding,
    )


def leased_building(assets: AssetApplication, code: str = "ZC-001") -> UUID:
    """Registered, rights confirmed, lease approved by 21 of 30, listed, contracted."""
    asset_id = register_building(assets, code)
    assets.confirm_rights(asset_id, "苏(2024)溧水区不动产权第0001号", date(2024, 2, 1), ACCOUNTANT)
    assets.approve_revitalization(asset_id, "lease", resolution(), ACCOUNTANT)
    assets.list_for_bidding(
        asset_id, "溧水区农村产权交易中心", "LS-2024-01", date(2024, 3, 5), "30000", ACCOUNTANT
    )
    assets.sign_contract(asset_id, lease_contract(), ACCOUNTANT)
    return asset_id
