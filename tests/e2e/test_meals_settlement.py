"""A meal point's monthly settlement through the mutations: drafted, submitted, verified,
approved, subsidy received, paid; a death reported late clawed back the next month; a returned
claim redrafted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.e2e.documents import TRIAL_BALANCE, refused_before_running
from tests.e2e.meals_documents import (
    APPROVE,
    DRAFT,
    PAY,
    RECEIVE_SUBSIDY,
    RECORD_DEATH,
    RETURN,
    SETTLEMENT_FIELDS,
    SUBMIT,
    VERIFY,
    enrol,
    meals_api,
    record,
    register_point,
    upload,
)
from tests.support import VILLAGE

MAY = [date(2024, 5, 1) + timedelta(n) for n in range(31)]
SETTLEMENTS = f"""
query Settlements($point: ID!) {{
  mealSettlements(mealPointId: $point, first: 10) {{
    edges {{ node {{ {SETTLEMENT_FIELDS} mealPoint {{ pointCode }} }} }}
  }}
  mealPoint(id: $point) {{ settlements {{ edges {{ node {{ month status }} }} }} }}
}}
"""


@pytest.fixture(autouse=True)
def policies(seeded: Registry) -> None:
    meals_api(seeded)


def step(api: Api, document: str, **variables: Any) -> dict[str, Any]:
    (payload,) = api.data(document, variables).values()
    assert payload["errors"] == [], payload
    settlement: dict[str, Any] = payload["settlement"]
    return settlement


def serve_may(api: Api) -> tuple[str, str, str]:
    """A dibao elder: lunch every day and a delivered dinner on even days; an 80+ elder: lunch."""
    point = register_point(api)
    dibao = enrol(api, name="张桂英")
    aged = enrol(api, name="王秀兰", born=date(1940, 3, 1), sequence="246", category="age_80")
    records = []
    for day in MAY:
        records.append(record(dibao, f"{day}T11:30", f"{day}-d-l"))
        records.append(record(aged, f"{day}T11:40", f"{day}-a-l"))
        if day.day % 2 == 0:
            records.append(record(dibao, f"{day}T18:00", f"{day}-d-d", "dinner", delivery=True))
    assert upload(api, point, "MAY", records)["refusedCount"] == 0
    return point, dibao, aged


def settle(api: Api, sid: str, on: date) -> dict[str, Any]:
    step(api, SUBMIT, id=sid, on=str(on))
    step(api, VERIFY, id=sid, on=str(on + timedelta(1)))
    approved = step(api, APPROVE, id=sid, on=str(on + timedelta(2)))
    amount = approved["netGovernment"]
    step(api, RECEIVE_SUBSIDY, id=sid, amount=amount, on=str(on + timedelta(5)))
    return step(api, PAY, id=sid, on=str(on + timedelta(6)))


def test_a_month_is_claimed_paid_and_a_late_death_clawed_back(api: Api) -> None:
    # given a month of meals at a contracted canteen
    point, dibao, _ = serve_may(api)

    # when May is drafted and carried to payment
    may = step(api, DRAFT, point=point, month="2024-05", on="2024-06-03")
    paid = settle(api, may["id"], date(2024, 6, 4))

    # then the claim is meals × subsidy by category and slot, plus the village's top-up
    assert may["status"] == "drafted" and paid["status"] == "paid"
    lines = {(x["category"], x["slot"], x["delivery"]): x for x in paid["lines"]}
    assert {k: v["meals"] for k, v in lines.items()} == {
        ("dibao", "lunch", False): 31,
        ("dibao", "dinner", True): 15,
        ("age_80", "lunch", False): 31,
    }
    per_meal = {"dibao": {"lunch": 2, "dinner": 5}, "age_80": {"lunch": 1}}
    for (category, slot, _), line in lines.items():
        assert Decimal(line["government"]) == line["meals"] * per_meal[category][slot]
        assert Decimal(line["collective"]) == line["meals"] * 1
    assert paid["meals"] == 77
    assert Decimal(paid["government"]) == 31 * 2 + 15 * 5 + 31 * 1
    assert paid["netPayable"] == paid["paid"]
    assert paid["subsidyReceived"] == paid["netGovernment"]
    assert (paid["submittedOn"], paid["paidOn"]) == ("2024-06-04", "2024-06-10")

    # when a death on 25 May is reported in June, and June is drafted, returned, redrafted
    died = api.data(
        RECORD_DEATH, {"elder": dibao, "diedOn": "2024-05-25", "reportedOn": "2024-06-15"}
    )
    june = step(api, DRAFT, point=point, month="2024-06", on="2024-07-01")
    step(api, SUBMIT, id=june["id"], on="2024-07-02")
    returned = step(api, RETURN, id=june["id"], on="2024-07-03")
    redrafted = step(api, DRAFT, point=point, month="2024-06", on="2024-07-04")
    june_paid = settle(api, june["id"], date(2024, 7, 5))

    # then the meals after the death are voided and taken back from what the operator is owed
    assert len(died["recordDeath"]["voidedMealIds"]) == 6 + 3
    assert (returned["status"], returned["returnReason"]) == ("returned", "meals_disputed")
    assert redrafted["status"] == "drafted" and redrafted["id"] == june["id"]
    assert (june_paid["meals"], june_paid["clawbackMeals"]) == (0, 9)
    assert Decimal(june_paid["clawbackGovernment"]) == 6 * 2 + 3 * 5
    assert Decimal(june_paid["netPayable"]) == -(6 * 2 + 3 * 5 + 9 * 1)
    assert {c["fromSettlementId"] for c in june_paid["clawbacks"]} == {may["id"]}
    assert len(june_paid["clawbacks"]) == 9
    listed = api.data(SETTLEMENTS, {"point": point})
    settlements = nodes(listed["mealSettlements"])
    assert [s["month"] for s in settlements] == ["2024-05", "2024-06"]
    assert settlements[0]["mealPoint"] == {"pointCode": "ST-01"}
    assert nodes(listed["mealPoint"]["settlements"]) == [
        {"month": "2024-05", "status": "paid"},
        {"month": "2024-06", "status": "paid"},
    ]
    deceased = api.data(
        "{ elders(status: deceased) { edges { node { id status diedOn diedReportedOn } } } }"
    )
    assert nodes(deceased["elders"]) == [
        {"id": dibao, "status": "deceased", "diedOn": "2024-05-25", "diedReportedOn": "2024-06-15"}
    ]
    unknown = refused_before_running(api, "{ elders(status: asleep) { totalCount } }")
    assert "'asleep' does not exist in 'ElderStatus' enum" in unknown
    books = api.data(TRIAL_BALANCE, {"village": VILLAGE, "asOf": "2024-12-31"})["trialBalance"]
    assert books["totalDebit"] == books["totalCredit"]
