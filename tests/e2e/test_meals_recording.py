"""Enrolling elders and uploading meals over HTTP: every record gets its own outcome, a refused
record carries its code, and a repeated upload records nothing."""

from __future__ import annotations

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.e2e.meals_documents import (
    MEALS_PAGE,
    RECORD_MEALS,
    enrol,
    last_notification,
    meals_api,
    record,
    register_point,
    upload,
)
from tests.support import make_id_number

BATCH = """
query Batch($id: ID!, $point: ID!) {
  mealBatch(id: $id) { batchNo records accepted refused outcomes { recordId status reasonCode } }
  mealBatches(mealPointId: $point) { edges { node { batchNo mealPoint { pointCode } } } }
}
"""


@pytest.fixture(autouse=True)
def policies(seeded: Registry) -> None:
    meals_api(seeded)


def test_an_upload_returns_one_outcome_per_record_with_the_refusal_codes(api: Api) -> None:
    # given a canteen and two elders, one enrolled by card number
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")
    zhang_number = make_id_number(sequence="124")
    zhang = enrol(api, name="张桂英", sequence="124")

    # when the canteen uploads a day: five good records and four it must refuse
    payload = upload(
        api,
        point,
        "2024-05-02",
        [
            record(wang, "2024-05-02T11:30", "r1"),
            record(None, "2024-05-02T11:40", "r2", idNumber=zhang_number),
            record(wang, "2024-05-02T18:05", "r3", "dinner", delivery=True),
            record(wang, "2024-05-02T12:10", "r4"),  # a second lunch
            record(zhang, "2024-05-02T14:45", "r5"),  # after the lunch window
            record(zhang, "2024-05-02T07:15", "r6", "breakfast"),
            record(zhang, "2024-09-02T07:15", "r7", "breakfast"),  # after today (2024-08-20)
            record(None, "2024-05-02T11:50", "r8", idNumber=make_id_number(sequence="999")),
            record(zhang, "2024-05-02T18:30", "r9", "dinner", price="15.00"),
        ],
    )

    # then each record has its outcome, in order, and the batch keeps the refusals
    assert payload["errors"] == []
    outcomes = [(o["recordId"], o["status"], o["reasonCode"]) for o in payload["outcomes"]]
    assert outcomes == [
        ("r1", "accepted", None),
        ("r2", "accepted", None),
        ("r3", "accepted", None),
        ("r4", "refused", "second_meal_in_slot"),
        ("r5", "refused", "time_outside_slot_window"),
        ("r6", "accepted", None),
        ("r7", "refused", "served_in_future"),
        ("r8", "refused", "elder_unknown"),
        ("r9", "accepted", None),
    ]
    first_lunch = payload["outcomes"][0]["mealId"]
    assert payload["outcomes"][3]["mealId"] == first_lunch  # the meal in the way
    assert (payload["acceptedCount"], payload["refusedCount"], payload["replayed"]) == (5, 4, False)
    batch = payload["batch"]
    assert (batch["records"], batch["accepted"], batch["refused"]) == (9, 5, 4)
    assert batch["actor"].startswith("test accountant [accountant token ")
    assert [r["code"] for r in batch["refusals"]] == [
        "second_meal_in_slot",
        "time_outside_slot_window",
        "served_in_future",
        "elder_unknown",
    ]
    assert batch["refusals"][3]["elderId"] is None  # an unknown card names nobody
    assert {o["status"] for o in batch["outcomes"]} == {"accepted", "refused"}
    assert len(batch["outcomes"]) == 9
    meals = api.data(MEALS_PAGE, {"point": point})["meals"]
    assert meals["totalCount"] == 5
    assert {e["node"]["elderId"] for e in meals["edges"]} == {wang, zhang}


def test_the_same_upload_again_is_replayed_and_records_nothing(api: Api) -> None:
    # given an upload
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")
    records = [record(wang, "2024-05-03T11:30", "a"), record(wang, "2024-05-03T07:30", "b")]
    first = upload(api, point, "B-1", records)
    before = last_notification(api)

    # when it is sent again, then with other records under the same number
    again = upload(api, point, "B-1", list(reversed(records)))
    reused = upload(api, point, "B-1", [record(wang, "2024-05-04T11:30", "c")])

    # then the first outcomes come back and nothing is recorded; the reuse is refused
    assert again["replayed"] is True
    assert {o["mealId"] for o in again["outcomes"]} == {o["mealId"] for o in first["outcomes"]}
    assert reused["batch"] is None and reused["outcomes"] == []
    assert [e["code"] for e in reused["errors"]] == ["batch_number_reused"]
    assert reused["errors"][0]["field"] == "batchNo"
    assert last_notification(api) == before


def test_an_upload_is_read_back_with_its_outcomes(api: Api) -> None:
    # given an upload with a refusal
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")
    payload = upload(
        api,
        point,
        "B-2",
        [record(wang, "2024-05-03T11:30", "x"), record(wang, "2024-05-03T20:30", "y", "dinner")],
    )

    # when the batch is asked for
    data = api.data(BATCH, {"id": payload["batch"]["id"], "point": point})

    # then it lists what became of every record
    assert data["mealBatch"]["outcomes"] == [
        {"recordId": "x", "status": "accepted", "reasonCode": None},
        {"recordId": "y", "status": "refused", "reasonCode": "time_outside_slot_window"},
    ]
    assert nodes(data["mealBatches"]) == [{"batchNo": "B-2", "mealPoint": {"pointCode": "ST-01"}}]


def test_a_malformed_upload_is_refused_whole(api: Api) -> None:
    # given a canteen
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")
    before = last_notification(api)

    # when two records share an id, or no record is sent
    twice = [record(wang, "2024-05-03T11:30", "same"), record(wang, "2024-05-04T11:30", "same")]
    repeated = upload(api, point, "B-3", twice)
    empty = api.data(RECORD_MEALS, {"point": point, "batchNo": "B-4", "records": []})

    # then each is refused with its code and nothing is recorded
    assert [e["code"] for e in repeated["errors"]] == ["record_id_repeated_in_batch"]
    assert [e["code"] for e in empty["recordMeals"]["errors"]] == ["invalid_input"]
    assert last_notification(api) == before
