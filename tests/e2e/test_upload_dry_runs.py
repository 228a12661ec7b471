"""Previews of uploads over GraphQL: ``recordMeals(dryRun: true)`` and
``receiveRentRoll(dryRun: true)`` answer every record's outcome by the very checks that record,
and record nothing; without ``dryRun`` the same input records, once."""

from __future__ import annotations

from datetime import date
from typing import Any

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.meals_documents import enrol, meals_api, record, register_point
from tests.support import ACCOUNTANT, OTHER_VILLAGE, VILLAGE, leased_building

PREVIEW_MEALS = """
mutation Preview($point: ID!, $records: [MealRecordInput!]!, $dryRun: Boolean) {
  recordMeals(mealPointId: $point, batchNo: "B-1", records: $records, dryRun: $dryRun) {
    outcomes { recordId status reasonCode }
    batch { id }
    replayed acceptedCount refusedCount
    errors { code }
  }
}
"""
ROLL = """
mutation Roll($village: String!, $receipts: [RentReceiptRow!]!, $dryRun: Boolean) {
  receiveRentRoll(villageCode: $village, receipts: $receipts, dryRun: $dryRun) {
    outcomes { receiptNo status reasonCode }
    acceptedCount alreadyRecordedCount refusedCount
    errors { code field }
  }
}
"""


def meals_preview(api: Api, point: str, records: list[Any], dry_run: bool) -> dict[str, Any]:
    variables = {"point": point, "records": records, "dryRun": dry_run}
    payload: dict[str, Any] = api.data(PREVIEW_MEALS, variables)["recordMeals"]
    return payload


def test_a_meals_dry_run_answers_each_record_and_records_nothing(
    seeded: Registry, api: Api
) -> None:
    meals_api(seeded)
    point = register_point(api)
    wang = enrol(api, name="王秀兰", sequence="246")
    records = [
        record(wang, "2024-05-02T11:30", "r1"),
        record(wang, "2024-05-02T12:10", "r2"),  # a second lunch in the same batch
        record(wang, "2024-05-02T14:45", "r3", "dinner"),  # outside the dinner window
    ]
    before = seeded.store.last_notification_id()

    preview = meals_preview(api, point, records, True)

    assert seeded.store.last_notification_id() == before
    assert preview["errors"] == [] and preview["batch"] is None
    statuses = [(o["status"], o["reasonCode"]) for o in preview["outcomes"]]
    assert statuses == [
        ("accepted", None),
        ("refused", "second_meal_in_slot"),
        ("refused", "time_outside_slot_window"),
    ]

    recorded = meals_preview(api, point, records, False)
    assert recorded["outcomes"] == preview["outcomes"] and recorded["batch"] is not None
    after = seeded.store.last_notification_id()
    assert after > before

    again = meals_preview(api, point, records, True)  # the batch is recorded: it says so
    assert again["replayed"] is True and seeded.store.last_notification_id() == after


def receipt(receipt_no: str, amount: str, asset_code: str = "ZC-001") -> dict[str, Any]:
    return {
        "assetCode": asset_code,
        "receiptNo": receipt_no,
        "invoiceNo": "FP-1",
        "amount": amount,
        "receivedOn": "2024-04-20",
        "channel": "bank",
    }


def test_a_rent_roll_dry_run_checks_the_rows_against_each_other_and_records_nothing(
    seeded: Registry, api: Api
) -> None:
    asset = leased_building(seeded.assets)
    april, end = date(2024, 4, 1), date(2025, 3, 31)
    seeded.assets.invoice_rent(
        asset, "FP-1", "1000", april, date(2024, 4, 30), april, end, ACCOUNTANT
    )
    rows = [receipt("S-1", "600"), receipt("S-2", "600"), receipt("S-3", "1", "ZC-404")]
    before = seeded.store.last_notification_id()

    preview = api.data(ROLL, {"village": VILLAGE, "receipts": rows, "dryRun": True})
    payload = preview["receiveRentRoll"]

    assert payload["errors"] == [] and seeded.store.last_notification_id() == before
    assert [(o["status"], o["reasonCode"]) for o in payload["outcomes"]] == [
        ("accepted", None),
        ("refused", "payment_exceeds_amount_due"),
        ("refused", "asset_not_found"),
    ]
    recorded = api.data(ROLL, {"village": VILLAGE, "receipts": rows})["receiveRentRoll"]
    assert recorded["outcomes"] == payload["outcomes"]
    after = seeded.store.last_notification_id()
    assert after == before + 1  # one receipt, one event
    again = api.data(ROLL, {"village": VILLAGE, "receipts": rows})["receiveRentRoll"]
    assert again["alreadyRecordedCount"] == 1 and seeded.store.last_notification_id() == after


def test_a_rent_roll_of_another_village_is_forbidden(seeded: Registry, api: Api) -> None:
    ours = api.as_role("accountant", villages=[OTHER_VILLAGE])
    rows = [receipt("S-1", "600")]
    assert ours.token  # issued (an event) before counting
    before = seeded.store.last_notification_id()
    answer = ours.post(ROLL, {"village": VILLAGE, "receipts": rows, "dryRun": False}).json()
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"]
    assert seeded.store.last_notification_id() == before
