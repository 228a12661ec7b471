"""GraphQL documents of the meal-assistance e2e tests, and the steps they share (each one HTTP
request through the API)."""

from __future__ import annotations

from datetime import date
from typing import Any

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.support import VILLAGE, make_id_number, meals_registry

ERRORS = "errors { code field message }"
POINT_FIELDS = """
  id villageCode pointCode name kind operatorKind operatorName capacityMealsPerDay
  deliveryOffered registeredOn closedOn slots { slot start end }
"""
ELDER_FIELDS = """
  id villageCode name idNumber personalDataErased status enrolledOn suspendedFrom movedAwayOn
  diedOn diedReportedOn categories { category nameZh validFrom validTo }
"""
SETTLEMENT_FIELDS = """
  id mealPointId month status meals price government collective elderShare
  clawbackMeals clawbackGovernment clawbackCollective netGovernment netCollective netPayable
  draftedOn submittedOn verifiedOn returnedOn returnReason approvedOn subsidyReceivedOn
  subsidyReceived paidOn paid
  lines { servedMonth category slot delivery meals price government collective elderShare }
  clawbacks { mealId fromSettlementId servedOn category slot government collective elderShare }
"""

REGISTER_POINT = f"""
mutation Register($code: String!, $operatorKind: OperatorKind!, $operatorName: String,
                  $capacity: Int!, $slots: [SlotWindowInput!]) {{
  registerMealPoint(villageCode: "{VILLAGE}", pointCode: $code, name: "乌村桥村长者食堂",
                    kind: canteen, operatorKind: $operatorKind, operatorName: $operatorName,
                    capacityMealsPerDay: $capacity, registeredOn: "2024-01-02",
                    deliveryOffered: true, slots: $slots, authority: "乌村桥村决〔2024〕1号") {{
    mealPoint {{ {POINT_FIELDS} village {{ name }} }}
    {ERRORS}
  }}
}}
"""

ENROL = f"""
mutation Enrol($name: String!, $idNumber: String!, $categories: [ElderCategoryInput!]!,
               $enrolledOn: Date!) {{
  enrolElder(villageCode: "{VILLAGE}", name: $name, idNumber: $idNumber,
             categories: $categories, enrolledOn: $enrolledOn) {{
    elder {{ {ELDER_FIELDS} }}
    {ERRORS}
  }}
}}
"""

RECORD_MEALS = f"""
mutation Record($point: ID!, $batchNo: String!, $records: [MealRecordInput!]!) {{
  recordMeals(mealPointId: $point, batchNo: $batchNo, records: $records) {{
    outcomes {{ recordId status reasonCode mealId }}
    replayed acceptedCount refusedCount
    batch {{
      id batchNo records accepted refused actor
      outcomes {{ recordId status reasonCode mealId }}
      refusals {{ recordId code elderId servedOn slot servedAt existingMealId }}
    }}
    {ERRORS}
  }}
}}
"""

VOID_MEAL = f"""
mutation Void($meal: ID!, $reason: VoidReason!) {{
  voidMeal(mealId: $meal, reason: $reason, voidedOn: "2024-08-01") {{
    meal {{ id voided voidReason voidedOn }}
    {ERRORS}
  }}
}}
"""

RECORD_DEATH = f"""
mutation Death($elder: ID!, $diedOn: Date!, $reportedOn: Date!) {{
  recordDeath(elderId: $elder, diedOn: $diedOn, reportedOn: $reportedOn) {{
    voidedMealIds
    elder {{ {ELDER_FIELDS} }}
    {ERRORS}
  }}
}}
"""

ERASE = f"""
mutation Erase($elder: ID!) {{
  erasePersonalData(elderId: $elder, reason: data_subject_request, erasedOn: "2024-08-10") {{
    elder {{ {ELDER_FIELDS} }}
    {ERRORS}
  }}
}}
"""

SETTLEMENT_PAYLOAD = f"settlement {{ {SETTLEMENT_FIELDS} }} {ERRORS}"
DRAFT = f"""
mutation Draft($point: ID!, $month: String!, $on: Date!) {{
  draftSettlement(mealPointId: $point, month: $month, draftedOn: $on) {{ {SETTLEMENT_PAYLOAD} }}
}}
"""
SUBMIT = f"""
mutation Submit($id: ID!, $on: Date!) {{
  submitSettlement(settlementId: $id, submittedOn: $on) {{ {SETTLEMENT_PAYLOAD} }}
}}
"""
VERIFY = f"""
mutation Verify($id: ID!, $on: Date!) {{
  verifySettlement(settlementId: $id, verifiedOn: $on, authority: "溧水区民政局核定") {{
    {SETTLEMENT_PAYLOAD}
  }}
}}
"""
RETURN = f"""
mutation Return($id: ID!, $on: Date!) {{
  returnSettlement(settlementId: $id, returnedOn: $on, reason: meals_disputed) {{
    {SETTLEMENT_PAYLOAD}
  }}
}}
"""
APPROVE = f"""
mutation Approve($id: ID!, $on: Date!) {{
  approveSettlement(settlementId: $id, approvedOn: $on) {{ {SETTLEMENT_PAYLOAD} }}
}}
"""
RECEIVE_SUBSIDY = f"""
mutation Subsidy($id: ID!, $amount: Decimal!, $on: Date!) {{
  recordSubsidyReceived(settlementId: $id, amount: $amount, receivedOn: $on) {{
    {SETTLEMENT_PAYLOAD}
  }}
}}
"""
PAY = f"""
mutation Pay($id: ID!, $on: Date!) {{
  paySettlement(settlementId: $id, paidOn: $on) {{ {SETTLEMENT_PAYLOAD} }}
}}
"""

MEALS_PAGE = """
query Meals($point: ID, $from: Date, $to: Date, $first: Int, $after: String) {
  meals(mealPointId: $point, dateFrom: $from, dateTo: $to, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id servedOn servedAt slot elderId voided } }
  }
}
"""

ELDER = f"query Elder($id: ID!) {{ elder(id: $id) {{ {ELDER_FIELDS} }} }}"


def meals_api(seeded: Registry) -> None:
    """The demo meal policies (the test village tops up 1 yuan a meal) and the tests' clock
    (2024-08-20)."""
    meals_registry(seeded)


def last_notification(api: Api) -> int:
    count: int = api.request("GET", "/healthz").json()["lastNotificationId"]
    return count


def register_point(api: Api, code: str = "ST-01", operator_kind: str = "contractor") -> str:
    variables: dict[str, Any] = {
        "code": code,
        "operatorKind": operator_kind,
        "operatorName": "溧水某餐饮管理有限公司" if operator_kind == "contractor" else None,
        "capacity": 120,
    }
    payload = api.data(REGISTER_POINT, variables)["registerMealPoint"]
    assert payload["errors"] == [], payload
    point_id: str = payload["mealPoint"]["id"]
    return point_id


def enrol_variables(
    name: str = "张桂英",
    born: date = date(1944, 5, 6),
    sequence: str = "124",
    category: str = "dibao",
) -> dict[str, Any]:
    return {
        "name": name,
        "idNumber": make_id_number(born, sequence),
        "categories": [{"category": category, "validFrom": "2024-01-01"}],
        "enrolledOn": "2024-01-05",
    }


def enrol(api: Api, **variables: Any) -> str:
    payload = api.data(ENROL, enrol_variables(**variables))["enrolElder"]
    assert payload["errors"] == [], payload
    elder_id: str = payload["elder"]["id"]
    return elder_id


def record(
    elder_id: str | None,
    at: str,
    record_id: str,
    slot: str = "lunch",
    **more: Any,
) -> dict[str, Any]:
    """A meal record; ``at`` is 'YYYY-MM-DDTHH:MM' local time."""
    return {"recordId": record_id, "servedAt": at, "slot": slot, "elderId": elder_id, **more}


def upload(api: Api, point: str, batch_no: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    variables = {"point": point, "batchNo": batch_no, "records": records}
    payload: dict[str, Any] = api.data(RECORD_MEALS, variables)["recordMeals"]
    return payload
