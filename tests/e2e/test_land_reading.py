"""Reading land entry: the parcel register and its filters, the district's view, the land
policies in force for a parcel on a day, and the village → parcels relation, whose SQL does not
grow with the number of villages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.reference.application import TownInput, VillageInput
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.e2e.documents import refused_before_running
from tests.e2e.test_dataloaders import statements_for
from tests.support import (
    ACCOUNTANT,
    ADMIN,
    DISTRICT,
    LAND_LEVY,
    LAND_MEMBERS,
    LAND_PRICE,
    LAND_RETAINED,
    OTHER_VILLAGE,
    TOWN,
    VILLAGE,
    parcel_through,
    seed_land_policies,
)

PARCELS = """
query($district: String, $town: String, $village: String, $stage: ParcelStage) {
  parcels(districtCode: $district, townCode: $town, villageCode: $village, stage: $stage) {
    totalCount edges { node { parcelCode villageCode stage plannedUse } }
  }
}
"""

DISTRICT_VIEW = """
query($district: String!) {
  landDistrictView(districtCode: $district) {
    districtCode
    stages { stage parcels }
    towns { townCode townName parcels contractPrice received levyAssessed levyPaid retained
            membersPaid }
  }
}
"""

PARCEL_POLICIES = """
query($id: ID!, $on: Date!) {
  parcelPolicies(parcelId: $id, on: $on) { key jurisdiction effectiveFrom value source }
}
"""

VILLAGES_DOWN_TO_PAYMENTS = """
{ villages(first: 10) { edges { node { code
    parcels(first: 10) { edges { node {
      parcelCode village { code } proceeds { contractPrice }
      payments(first: 10) { edges { node { amount } } } } } } } } } }
"""

SECOND_TOWN = "320117108"
THIRD_VILLAGE = "320117108001"
WAREHOUSE = "320117107206JA00102"
SHOP = "320117107291JA00001"


@pytest.fixture
def land(seeded: Registry) -> Registry:
    seed_land_policies(seeded.policies)
    return seeded


def register_shop(registry: Registry, village: str = OTHER_VILLAGE, code: str = SHOP) -> str:
    pid = registry.land.register_parcel(
        village,
        code,
        "800",
        "测试村南",
        "commercial",
        "collective_construction_land",
        "证-3",
        date(2024, 5, 1),
        ACCOUNTANT,
    )
    return str(pid)


def three_parcels(registry: Registry) -> None:
    """Paid out and contracted in 乌村桥村, registered in 测试村 (one town)."""
    parcel_through(registry.land, "distribution_paid")
    parcel_through(registry.land, "paid_in_full", code=WAREHOUSE, planned_use="warehousing")
    register_shop(registry)


def codes(api: Api, **variables: Any) -> list[str]:
    return [p["parcelCode"] for p in nodes(api.data(PARCELS, variables)["parcels"])]


def test_the_register_filters_by_place_and_stage(land: Registry, api: Api) -> None:
    # given three parcels in two villages at three stages
    three_parcels(land)

    # when the register is read with and without filters
    everything = nodes(api.data(PARCELS)["parcels"])

    # then each filter narrows it, ordered by village and parcel code
    assert [(p["parcelCode"], p["stage"]) for p in everything] == [
        ("320117107206JA00101", "distribution_paid"),
        (WAREHOUSE, "contracted"),
        (SHOP, "registered"),
    ]
    assert codes(api, district=DISTRICT) == codes(api, town=TOWN) == codes(api)
    assert codes(api, village=OTHER_VILLAGE) == [SHOP]
    assert codes(api, stage="contracted") == [WAREHOUSE]
    assert codes(api.platform, town=SECOND_TOWN) == []
    # a town outside the accountant's villages is not filtered to nothing: it is refused
    assert api.post(PARCELS, {"town": SECOND_TOWN}).json()["errors"][0]["extensions"] == {
        "code": "FORBIDDEN"
    }


def test_an_unknown_stage_is_refused(land: Registry, api: Api) -> None:
    message = refused_before_running(api, PARCELS, {"stage": "sold"})
    assert "'sold' does not exist in 'ParcelStage' enum" in message


def test_the_district_view_counts_stages_and_sums_proceeds_by_town(
    land: Registry, api: Api
) -> None:
    # given three parcels of one town at three stages
    three_parcels(land)

    # when the district's view is read
    view = api.platform.data(DISTRICT_VIEW, {"district": DISTRICT})["landDistrictView"]

    # then every stage is listed in order with its count, and the contracted proceeds by town
    assert view["districtCode"] == DISTRICT
    assert view["stages"][0] == {"stage": "registered", "parcels": 1}
    assert len(view["stages"]) == 15
    assert {s["stage"]: s["parcels"] for s in view["stages"] if s["parcels"]} == {
        "registered": 1,
        "contracted": 1,
        "distribution_paid": 1,
    }
    two_prices = str(2 * Decimal(LAND_PRICE))
    assert view["towns"] == [
        {
            "townCode": TOWN,
            "townName": "和凤镇",
            "parcels": 2,
            "contractPrice": two_prices,
            "received": two_prices,
            "levyAssessed": LAND_LEVY,
            "levyPaid": LAND_LEVY,
            "retained": LAND_RETAINED,
            "membersPaid": LAND_MEMBERS,
        }
    ]


def test_the_district_view_of_an_unknown_district_is_refused(land: Registry, api: Api) -> None:
    response = api.platform.post(DISTRICT_VIEW, {"district": "320199"})
    assert response.json()["errors"][0]["extensions"]["code"] == "invalid_input"


def test_parcel_policies_are_the_land_policies_in_force_for_its_village_that_day(
    land: Registry, api: Api
) -> None:
    # given a parcel, and the village adopting its own adjustment fund from June 2024
    pid = register_shop(land, village=VILLAGE, code="320117107206JA00103")
    village_fund = {"base": "gross_price", "rate": "0.25"}
    land.policies.set_policy(
        "land.adjustment_fund", VILLAGE, date(2024, 6, 1), village_fund, "村级试点 (test)", ADMIN
    )

    # when the parcel's policies are read before and from that day
    before = api.data(PARCEL_POLICIES, {"id": pid, "on": "2024-05-31"})["parcelPolicies"]
    after = api.data(PARCEL_POLICIES, {"id": pid, "on": "2024-06-01"})["parcelPolicies"]

    # then every land policy is there, each from the most specific jurisdiction that has one
    assert [(p["key"], p["jurisdiction"], p["effectiveFrom"]) for p in before] == [
        ("land.adjustment_fund", DISTRICT, "2024-01-01"),
        ("land.term_years_max", "CN", "2024-01-01"),
        ("land.private_agreement_uses", "CN", "2024-01-01"),
        ("land.filing_period_working_days_min", "CN", "2024-01-01"),
        ("calendar.public_holidays", "CN", "2024-01-01"),
    ]
    assert before[0]["value"]["rate_by_use"]["commercial"] == "0.40"
    assert before[1]["value"]["industrial"] == 50
    assert before[2]["value"] == ["infrastructure", "public_welfare"]
    assert before[3]["value"] == 10
    assert "2024-10-01" in before[4]["value"]["holidays"]
    assert after[0] == {
        "key": "land.adjustment_fund",
        "jurisdiction": VILLAGE,
        "effectiveFrom": "2024-06-01",
        "value": {"base": "gross_price", "rate": "0.25", "rate_by_use": {}},
        "source": "村级试点 (test)",
    }
    assert after[1:] == before[1:]


def test_before_any_land_policy_took_effect_none_is_listed(land: Registry, api: Api) -> None:
    pid = register_shop(land)
    policies = api.data(PARCEL_POLICIES, {"id": pid, "on": "2023-12-31"})["parcelPolicies"]
    assert policies == []


def test_the_policies_of_an_unknown_parcel_are_refused(land: Registry, api: Api) -> None:
    variables = {"id": "00000000-0000-4000-8000-000000000000", "on": "2024-06-01"}
    error = api.platform.post(PARCEL_POLICIES, variables).json()["errors"][0]
    assert error["extensions"] == {"code": "parcel_not_found", "field": "parcelId"}
    # to a token limited to villages, unknown is refused like another village's
    error = api.post(PARCEL_POLICIES, variables).json()["errors"][0]
    assert error["extensions"] == {"code": "FORBIDDEN"}


def test_villages_down_to_parcels_take_the_same_statements_for_one_village_or_three(
    land: Registry, api: Api
) -> None:
    api = api.platform  # reads every village, those registered later too
    # given a paid-out parcel in one village
    parcel_through(land.land, "distribution_paid")
    one_village = statements_for(land, api, VILLAGES_DOWN_TO_PAYMENTS)

    # when two more villages (one in a second town) get parcels, contracted or registered
    land.places.register_towns(DISTRICT, [TownInput(SECOND_TOWN, "白马镇", "town")], ADMIN)
    land.places.register_villages(
        SECOND_TOWN,
        [VillageInput(THIRD_VILLAGE, "测试二村", "测试二村股份经济合作社", True, True)],
        ADMIN,
    )
    parcel_through(land.land, "paid_in_full", code=WAREHOUSE)
    register_shop(land)
    register_shop(land, code="320117107291JA00002")
    register_shop(land, village=THIRD_VILLAGE, code="320117108001JA00001")
    three_villages = statements_for(land, api, VILLAGES_DOWN_TO_PAYMENTS)

    # then the same statements serve the bigger tree: one per level
    data = nodes(api.data(VILLAGES_DOWN_TO_PAYMENTS)["villages"])
    by_village = {v["code"]: [p["parcelCode"] for p in nodes(v["parcels"])] for v in data}
    assert by_village == {
        VILLAGE: ["320117107206JA00101", WAREHOUSE],
        OTHER_VILLAGE: [SHOP, "320117107291JA00002"],
        THIRD_VILLAGE: ["320117108001JA00001"],
    }
    first = nodes(next(v for v in data if v["code"] == VILLAGE)["parcels"])[0]
    assert first["village"] == {"code": VILLAGE}
    assert first["proceeds"] == {"contractPrice": LAND_PRICE}
    assert len(nodes(first["payments"])) == 5
    # the villages' page (count and rows), then one per relation (the token's version is read
    # from the event store, whose statements are not counted)
    assert one_village == three_villages == 6
