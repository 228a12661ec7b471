"""Several uploads in one request (``recordMealUploads``) over HTTP: a result per upload, the
same outcomes as ``recordMeals``; a refused upload refuses the call and names it; a token of
another village may not name the point."""

from __future__ import annotations

from typing import Any

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.meals_documents import enrol, last_notification, meals_api, record, register_point
from tests.support import OTHER_VILLAGE

RECORD_UPLOADS = """
mutation Uploads($uploads: [MealUploadInput!]!, $dryRun: Boolean) {
  recordMealUploads(uploads: $uploads, dryRun: $dryRun) {
    results {
      batchId mealPointId batchNo replayed acceptedCount refusedCount
      outcomes { recordId status reasonCode mealId }
    }
    acceptedCount refusedCount
    errors { code field message }
  }
}
"""
DAYS = ("2024-05-02", "2024-05-03", "2024-05-06")


@pytest.fixture(autouse=True)
def policies(seeded: Registry) -> None:
    meals_api(seeded)


def days(point: str, elder: str, batch: str = "") -> list[dict[str, Any]]:
    return [
        {
            "mealPointId": point,
            "batchNo": batch or day,
            "records": [
                record(elder, f"{day}T11:30", f"{day}-l"),
                record(elder, f"{day}T18:00", f"{day}-d", "dinner"),
            ],
        }
        for day in DAYS
    ]


def send(api: Api, uploads: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    payload: dict[str, Any] = api.data(RECORD_UPLOADS, {"uploads": uploads, **more})[
        "recordMealUploads"
    ]
    return payload


def test_a_canteens_days_are_recorded_in_one_request_with_a_result_each(api: Api) -> None:
    # given a canteen and an elder
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")

    # when the canteen sends three days in one request, then the same request again
    first = send(api, days(point, wang))
    before = last_notification(api)
    again = send(api, days(point, wang))

    # then each day has its result and outcomes, and the repeat records nothing
    assert first["errors"] == [] and (first["acceptedCount"], first["refusedCount"]) == (6, 0)
    assert [r["batchNo"] for r in first["results"]] == list(DAYS)
    assert all(r["mealPointId"] == point and r["batchId"] for r in first["results"])
    statuses = {o["status"] for r in first["results"] for o in r["outcomes"]}
    assert statuses == {"accepted"}
    assert [r["replayed"] for r in again["results"]] == [True, True, True]
    assert last_notification(api) == before


def test_a_preview_of_several_uploads_records_nothing(api: Api) -> None:
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")
    before = last_notification(api)
    preview = send(api, days(point, wang), dryRun=True)
    assert [r["batchId"] for r in preview["results"]] == [None, None, None]
    assert preview["acceptedCount"] == 6
    assert last_notification(api) == before


def test_a_refused_upload_refuses_the_request_naming_it_and_nothing_is_recorded(api: Api) -> None:
    # given a canteen whose last day was uploaded with other records
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")
    send(api, [{**days(point, wang)[2], "records": [record(wang, f"{DAYS[2]}T11:30", "x")]}])
    before = last_notification(api)

    # when it sends the three days, and then a request with a malformed point id
    reused = send(api, days(point, wang))
    malformed = send(api, [days(point, wang)[0], {**days(point, wang)[1], "mealPointId": "x"}])

    # then each request is refused with the upload's code and field, and nothing is recorded
    assert reused["results"] == []
    assert [(e["code"], e["field"]) for e in reused["errors"]] == [
        ("batch_number_reused", "uploads.2.batchNo")
    ]
    assert reused["errors"][0]["message"].startswith(f"upload 2 (batch {DAYS[2]}): ")
    assert [(e["code"], e["field"]) for e in malformed["errors"]] == [
        ("invalid_input", "uploads.1.mealPointId")
    ]
    assert last_notification(api) == before


def test_a_token_of_another_village_may_not_name_the_point(api: Api) -> None:
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")
    other = api.as_role("accountant", [OTHER_VILLAGE])  # its token is issued (recorded) here
    other.data("{ __typename }")
    before = last_notification(api)
    answer = other.post(RECORD_UPLOADS, {"uploads": days(point, wang)}).json()
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert last_notification(api) == before
