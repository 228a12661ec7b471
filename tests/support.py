"""Shared test data: a small district, its policies, and an asset carried to an active lease."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.assets.application import AssetApplication, ContractInput, InstallmentInput
from domain.assets.policy_keys import DEFAULT_RESOURCE_KINDS
from domain.land.application import LandApplication
from domain.land.inputs import EntryPlanInput
from domain.land.policy_keys import LAND_POLICY_DEFAULTS
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication, TownInput, VillageInput
from domain.shared.errors import DomainError
from domain.shared.eventstore import EventStore
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
        "assets.resource_kinds",
        "CN",
        date(2024, 1, 1),
        DEFAULT_RESOURCE_KINDS,
        "docs/rules.md P-03",
        ADMIN,
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


# -- added for the unit and integration suites ---------------------------------------------------


@contextmanager
def refused(store: EventStore, code: str) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """The block raises the domain error ``code`` and nothing reaches the event store."""
    before = store.last_notification_id()
    with pytest.raises(DomainError) as info:
        yield info
    assert info.value.code == code, f"expected {code}, got {info.value}"
    assert store.last_notification_id() == before, "a refused command recorded something"


def approved_building(
    assets: AssetApplication, code: str = "ZC-001", matter: str = "lease"
) -> UUID:
    """Registered, rights confirmed, ``matter`` approved by 21 of 30 on 2024-03-01."""
    asset_id = register_building(assets, code)
    assets.confirm_rights(asset_id, "苏(2024)溧水区不动产权第0001号", date(2024, 2, 1), ACCOUNTANT)
    assets.approve_revitalization(asset_id, matter, resolution(), ACCOUNTANT)
    return asset_id


def contracted_building(
    assets: AssetApplication, contract: ContractInput, code: str = "ZC-001"
) -> UUID:
    """As ``leased_building``, but under the given contract (listed first if it claims bidding)."""
    asset_id = approved_building(assets, code, contract.mode)
    if contract.public_bidding:
        assets.list_for_bidding(
            asset_id, "溧水区农村产权交易中心", f"LS-{code}", date(2024, 3, 5), "30000", ACCOUNTANT
        )
    assets.sign_contract(asset_id, contract, ACCOUNTANT)
    return asset_id


# -- land entering the market (入市) -------------------------------------------------------------

PARCEL = "320117107206JA00101"  # 宗地代码: district, town, village, zone letters, number
LAND_PRICE = "2600000.05"
LAND_COST = "600000.00"  # deducted from the price: the value-added base of the demo policy
LAND_LEVY = "400000.01"  # (2,600,000.05 − 600,000.00) × 0.20, to the fen
LAND_NET = "2200000.04"
LAND_RETAINED = "660000.01"  # 30 % of the net proceeds, to the fen
LAND_MEMBERS = "1540000.03"


def seed_land_policies(policies: PolicyApplication) -> None:
    for key, jurisdiction, effective_from, value, source in LAND_POLICY_DEFAULTS:
        policies.set_policy(key, jurisdiction, effective_from, value, source, ADMIN)


def land_application(
    store: EventStore, places: ReferenceApplication, policies: PolicyApplication
) -> LandApplication:
    seed_land_policies(policies)
    return LandApplication(store, places, policies)


def register_parcel(
    land: LandApplication,
    code: str = PARCEL,
    planned_use: str = "industrial",
    land_class: str = "collective_construction_land",
) -> UUID:
    return land.register_parcel(
        VILLAGE,
        code,
        "12000.5",
        "乌村桥村工业集中区3号地块",
        planned_use,
        land_class,
        "苏(2024)溧水区不动产权第0100号",
        date(2024, 3, 1),
        ACCOUNTANT,
    )


def entry_plan(**changes: Any) -> EntryPlanInput:
    values: dict[str, Any] = {
        "way": "grant",
        "listing_method": "listing",
        "reserve_price_yuan": "2000000",
        "term_years": 50,
        "retained_share": "0.30",
        "drafted_on": date(2024, 3, 15),
    }
    values.update(changes)
    return EntryPlanInput(**values)


def _members_paid(land: LandApplication, pid: UUID) -> None:
    land.pay_members(pid, "FF-2024-01", "1000000.00", 400, date(2024, 11, 15), ACCOUNTANT)
    land.pay_members(pid, "FF-2024-02", "540000.03", 216, date(2024, 11, 20), ACCOUNTANT)


# The whole journey, step by step, named by the stage each step reaches ("paid_in_full" is the
# two installments of the price, which is not a stage of its own).
LAND_JOURNEY: tuple[tuple[str, Callable[[LandApplication, UUID], Any]], ...] = (
    (
        "planning_conditions_issued",
        lambda land, pid: land.issue_planning_conditions(
            pid,
            "溧规条〔2024〕21号",
            "南京市规划和自然资源局溧水分局",
            date(2024, 3, 10),
            ACCOUNTANT,
        ),
    ),
    ("plan_drafted", lambda land, pid: land.draft_entry_plan(pid, entry_plan(), ACCOUNTANT)),
    (
        "plan_approved",
        lambda land, pid: land.approve_entry_plan(
            pid,
            resolution(held_on=date(2024, 3, 25), reference="乌村桥村决〔2024〕7号"),
            ACCOUNTANT,
        ),
    ),
    (
        "plan_filed",
        lambda land, pid: land.file_entry_plan(
            pid, "溧水区人民政府", "溧政备〔2024〕15号", date(2024, 4, 1), ACCOUNTANT
        ),
    ),
    (
        "listed",
        lambda land, pid: land.list_parcel(
            pid, "南京市公共资源交易中心溧水分中心", "LSJT2024-009", date(2024, 4, 17), ACCOUNTANT
        ),
    ),
    (
        "awarded",
        lambda land, pid: land.award(
            pid, "南京某智能制造有限公司", "organization", LAND_PRICE, date(2024, 5, 20), ACCOUNTANT
        ),
    ),
    (
        "contracted",
        lambda land, pid: land.sign_contract(
            pid, "LSRS-2024-003", date(2024, 5, 28), date(2024, 6, 1), ACCOUNTANT
        ),
    ),
    (
        "paid_in_full",
        lambda land, pid: (
            land.receive_installment(pid, "SK-001", "1300000.00", date(2024, 6, 10), ACCOUNTANT),
            land.receive_installment(pid, "SK-002", "1300000.05", date(2024, 9, 10), ACCOUNTANT),
        ),
    ),
    (
        "levy_assessed",
        lambda land, pid: land.assess_levy(
            pid, "溧调节金〔2024〕5号", date(2024, 9, 20), ACCOUNTANT, LAND_COST
        ),
    ),
    (
        "levy_paid",
        lambda land, pid: land.pay_levy(pid, "FS-2024-0931", date(2024, 9, 30), ACCOUNTANT),
    ),
    (
        "use_right_registered",
        lambda land, pid: land.register_use_right(
            pid, "苏(2024)溧水区不动产权第0200号", date(2024, 10, 15), ACCOUNTANT
        ),
    ),
    (
        "distribution_proposed",
        lambda land, pid: land.propose_distribution(pid, LAND_NET, date(2024, 10, 20), ACCOUNTANT),
    ),
    (
        "distribution_approved",
        lambda land, pid: land.approve_distribution(
            pid,
            resolution(held_on=date(2024, 10, 28), reference="乌村桥村决〔2024〕9号"),
            ACCOUNTANT,
        ),
    ),
    (
        "distribution_disclosed",
        lambda land, pid: land.disclose_distribution(
            pid, date(2024, 11, 1), "乌村桥村村务公开栏〔2024〕11期", ACCOUNTANT
        ),
    ),
    ("distribution_paid", _members_paid),
)
LAND_STEPS = tuple(name for name, _ in LAND_JOURNEY)


def parcel_through(
    land: LandApplication, last: str | None, code: str = PARCEL, planned_use: str = "industrial"
) -> UUID:
    """A parcel registered and carried through the journey up to and including ``last``
    (None: registered only)."""
    pid = register_parcel(land, code, planned_use)
    if last is None:
        return pid
    assert last in LAND_STEPS, last
    for name, step in LAND_JOURNEY:
        step(land, pid)
        if name == last:
            break
    return pid


# -- meal assistance (老年助餐) -----------------------------------------------------------------

MEALS_SECRET = "test-only-personal-data-secret"
MEALS_TODAY = date(2024, 8, 20)
OPERATOR = Provenance("meal-point:test")
CIVIL_AFFAIRS = Provenance("civil-affairs:320117", "溧水区民政局核定")


def make_id_number(
    born: date = date(1944, 5, 6), sequence: str = "123", area: str = "320117"
) -> str:
    """A resident ID number with a correct check character (GB 11643)."""
    from domain.meals.idcard import check_character

    first = f"{area}{born:%Y%m%d}{sequence}"
    return first + check_character(first)


def seed_meal_policies(policies: PolicyApplication, top_up_yuan: str = "1.00") -> None:
    """Demo subsidies and prices for the district; the test village tops up every meal."""
    from domain.meals.policy_keys import (
        DEFAULT_COLLECTIVE_TOP_UP,
        DEFAULT_MEAL_PRICES,
        DEFAULT_MEAL_SUBSIDIES,
    )

    start = date(2024, 1, 1)
    policies.set_policy(
        "meals.subsidy_yuan", DISTRICT, start, DEFAULT_MEAL_SUBSIDIES, "demo values", ADMIN
    )
    policies.set_policy(
        "meals.standard_price_yuan", DISTRICT, start, DEFAULT_MEAL_PRICES, "demo values", ADMIN
    )
    policies.set_policy(
        "meals.collective_top_up_yuan", "CN", start, DEFAULT_COLLECTIVE_TOP_UP, "default", ADMIN
    )
    per_meal = {f"{s}_yuan": top_up_yuan for s in ("breakfast", "lunch", "dinner")}
    policies.set_policy(
        "meals.collective_top_up_yuan", VILLAGE, start, per_meal, "村民代表会议决议", ADMIN
    )


def memory_meals(store: Any, places: ReferenceApplication, policies: PolicyApplication) -> Any:
    """MealsApplication on the in-memory store, with an in-memory key store and log candidates."""
    from domain.meals.application import MealsApplication
    from domain.meals.settling import LogCandidates
    from domain.shared.keystore import MemoryKeyStore

    seed_meal_policies(policies)
    return MealsApplication(
        store,
        places,
        policies,
        MemoryKeyStore(MEALS_SECRET),
        LogCandidates(store),
        today=lambda: MEALS_TODAY,
    )


def register_canteen(
    meals: Any,
    code: str = "ST-01",
    village: str = VILLAGE,
    operator_kind: str = "contractor",
    capacity: int = 120,
    delivery: bool = True,
) -> UUID:
    return meals.register_meal_point(  # type: ignore[no-any-return]
        village,
        code,
        f"长者食堂{code}",
        "canteen",
        operator_kind,
        capacity,
        date(2024, 1, 2),
        ACCOUNTANT,
        operator_name="溧水某餐饮管理有限公司" if operator_kind == "contractor" else None,
        delivery_offered=delivery,
    )


def enrol_elder(
    meals: Any,
    name: str = "张桂英",
    born: date = date(1944, 5, 6),
    sequence: str = "123",
    categories: tuple[tuple[str, date], ...] = (("dibao", date(2024, 1, 1)),),
    village: str = VILLAGE,
) -> UUID:
    from domain.meals.application import CategoryInput

    return meals.enrol_elder(  # type: ignore[no-any-return]
        village,
        name,
        make_id_number(born, sequence),
        [CategoryInput(c, start) for c, start in categories],
        date(2024, 1, 5),
        ACCOUNTANT,
    )


def meal(
    record_id: str,
    elder_id: UUID | None,
    at: str,
    slot: str = "lunch",
    **more: Any,
) -> Any:
    """A meal record; ``at`` is 'YYYY-MM-DD HH:MM'."""
    from datetime import datetime

    from domain.meals.uploads import MealRecordInput

    return MealRecordInput(
        record_id=record_id,
        served_at=datetime.fromisoformat(at),
        slot=slot,
        elder_id=elder_id,
        **more,
    )


def meals_registry(registry: Any, top_up_yuan: str = "1.00") -> Any:
    """The registry's meal application with the demo meal policies and the tests' clock."""
    seed_meal_policies(registry.policies, top_up_yuan)
    registry.meals.today = lambda: MEALS_TODAY
    return registry.meals


def outcome(result: Any, record_id: str) -> Any:
    """The outcome of one record of a batch result."""
    return next(o for o in result.outcomes if o.record_id == record_id)


def record_one(meals: Any, point: UUID, record: Any, batch: str = "B1") -> Any:
    return meals.record_meals(point, batch, [record], OPERATOR)


def stored_notifications(store: Any) -> list[Any]:
    return list(store.recorder.select_notifications(1, 1_000_000))
