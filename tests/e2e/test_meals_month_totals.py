"""MealPoint.monthTotals: a point's standing meals of one month and who pays them, the sums the
workbench's meals overview shows; a voided meal leaves them, a malformed month is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.meals_documents import VOID_MEAL, enrol, meals_api, record, register_point, upload

TOTALS = """
query Totals($id: ID!, $month: String!) {
  mealPoint(id: $id) {
    monthTotals(month: $month) { meals price government collective coPayment }
  }
}
"""


def totals(api: Api, point: str, month: str) -> dict[str, Any]:
    found: dict[str, Any] = api.data(TOTALS, {"id": point, "month": month})["mealPoint"]
    sums: dict[str, Any] = found["monthTotals"]
    return sums


def test_month_totals_sum_the_months_standing_meals(api: Api, seeded: Registry) -> None:
    meals_api(seeded)
    point = register_point(api)
    zhang = enrol(api)
    wang = enrol(api, name="王秀兰", born=date(1940, 3, 1), sequence="246", category="age_80")
    payload = upload(
        api,
        point,
        "B1",
        [
            record(zhang, "2024-07-30T11:30", "1"),
            record(wang, "2024-07-30T11:35", "2"),
            record(zhang, "2024-07-31T17:45", "3", "dinner"),
            record(zhang, "2024-08-01T11:30", "4"),
        ],
    )
    assert payload["refusedCount"] == 0
    july = totals(api, point, "2024-07")
    assert july["meals"] == 3
    amounts = {k: Decimal(july[k]) for k in ("price", "government", "collective", "coPayment")}
    assert amounts["price"] == amounts["government"] + amounts["collective"] + amounts["coPayment"]
    assert amounts["collective"] == Decimal("3.00")  # the test village tops up 1 yuan a meal
    assert totals(api, point, "2024-08")["meals"] == 1
    assert totals(api, point, "2024-06") == {
        "meals": 0,
        "price": "0.00",
        "government": "0.00",
        "collective": "0.00",
        "coPayment": "0.00",
    }

    voided = payload["outcomes"][0]["mealId"]
    answer = api.data(VOID_MEAL, {"meal": voided, "reason": "recorded_in_error"})["voidMeal"]
    assert answer["errors"] == []
    after = totals(api, point, "2024-07")
    assert after["meals"] == 2
    assert Decimal(after["price"]) < amounts["price"]


def test_a_malformed_month_is_refused(api: Api, seeded: Registry) -> None:
    meals_api(seeded)
    point = register_point(api)
    for month in ("2024-13", "2024-7", "<script>", "2024-07\u202e"):
        body = api.post(TOTALS, {"id": point, "month": month}).json()
        codes = {e["extensions"]["code"] for e in body["errors"]}
        assert codes & {"invalid_input", "text_contains_forbidden_character"}, body
        assert (body.get("data") or {}).get("mealPoint") is None
