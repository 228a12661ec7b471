"""A town's month of settlements drafted in one mutation (draftSettlements): each meal point's
outcome, a retry that records nothing, refusals that record nothing, the token's villages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.meals_documents import enrol, meals_api, record, register_point, upload
from tests.support import OTHER_VILLAGE, TOWN, VILLAGE

MAY = [date(2024, 5, 1) + timedelta(n) for n in range(31)]
DRAFT_MANY = """
mutation DraftMany($month: String!, $on: Date!, $town: String, $district: String,
                   $village: String) {
  draftSettlements(month: $month, draftedOn: $on, townCode: $town, districtCode: $district,
                   villageCode: $village) {
    outcomes { mealPointId settlementId status code message meals clawbacks }
    draftedCount unchangedCount refusedCount
    errors { code field message }
  }
}
"""
SETTLEMENT = """
query One($id: ID!) { mealSettlement(id: $id) { status meals villageCode } }
"""


@pytest.fixture(autouse=True)
def policies(seeded: Registry) -> None:
    meals_api(seeded)


def serve_may(api: Api) -> tuple[str, str]:
    """Two canteens of the village: one served in May, one that served nothing."""
    point = register_point(api)
    empty = register_point(api, "ST-02", "collective")
    elder = enrol(api, name="张桂英")
    records = [record(elder, f"{day}T11:30", f"{day}-l") for day in MAY]
    assert upload(api, point, "MAY", records)["refusedCount"] == 0
    return point, empty


def draft_many(api: Api, **variables: Any) -> dict[str, Any]:
    found = {"month": "2024-05", "on": "2024-06-03", **variables}
    payload: dict[str, Any] = api.data(DRAFT_MANY, found)["draftSettlements"]
    return payload


def test_a_town_drafts_its_month_in_one_mutation_and_a_retry_records_nothing(api: Api) -> None:
    point, empty = serve_may(api)

    first = draft_many(api, town=TOWN)
    before = api.registry.store.last_notification_id()
    again = draft_many(api, town=TOWN)

    assert first["errors"] == []
    assert [(o["mealPointId"], o["status"], o["code"], o["meals"]) for o in first["outcomes"]] == [
        (point, "drafted", None, 31),
        (empty, "refused", "settlement_has_no_meals", 0),
    ]
    assert (first["draftedCount"], first["unchangedCount"], first["refusedCount"]) == (1, 0, 1)
    assert [o["status"] for o in again["outcomes"]] == ["unchanged", "refused"]
    assert api.registry.store.last_notification_id() == before
    sid = first["outcomes"][0]["settlementId"]
    shown = api.data(SETTLEMENT, {"id": sid})["mealSettlement"]
    assert shown == {"status": "drafted", "meals": 31, "villageCode": VILLAGE}


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"town": TOWN, "on": "2024-05-31"}, "settlement_month_not_ended", "month"),
        ({"town": TOWN, "month": "2024-5"}, "invalid_input", "month"),
        ({"town": TOWN, "village": VILLAGE}, "invalid_input", "townCode"),
        ({}, "invalid_input", "villageCode"),
        ({"village": OTHER_VILLAGE}, "meal_point_not_found", "villageCode"),
    ],
)
def test_refused_input_records_nothing(
    api: Api, variables: dict[str, Any], code: str, field: str
) -> None:
    serve_may(api)
    before = api.registry.store.last_notification_id()

    payload = draft_many(api, **variables)

    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["outcomes"] == []
    assert api.registry.store.last_notification_id() == before


def test_a_token_drafts_only_its_own_villages_points(api: Api) -> None:
    serve_may(api)
    other = api.as_role("accountant", [OTHER_VILLAGE])
    assert other.token  # issued before counting: issuing it is an event of its own
    before = api.registry.store.last_notification_id()

    payload = other.data(DRAFT_MANY, {"month": "2024-05", "on": "2024-06-03", "town": TOWN})

    assert [e["code"] for e in payload["draftSettlements"]["errors"]] == ["meal_point_not_found"]
    assert api.registry.store.last_notification_id() == before
    response = other.post(DRAFT_MANY, {"month": "2024-05", "on": "2024-06-03", "village": VILLAGE})
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["FORBIDDEN"]
    assert api.registry.store.last_notification_id() == before
