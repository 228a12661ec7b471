"""Refused meal commands over HTTP: the code comes back in the payload's `errors` (a refusal is
data, not a GraphQL error) and nothing is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.documents import refused_before_running
from tests.e2e.meals_documents import (
    APPROVE,
    DRAFT,
    ENROL,
    ERRORS,
    RECEIVE_SUBSIDY,
    RECORD_DEATH,
    REGISTER_POINT,
    SUBMIT,
    VERIFY,
    VOID_MEAL,
    enrol,
    enrol_variables,
    last_notification,
    meals_api,
    record,
    register_point,
    upload,
)
from tests.support import make_id_number

GRANT = f"""
mutation Grant($elder: ID!, $category: MealCategory!, $from: Date!) {{
  grantCategory(elderId: $elder, category: $category, validFrom: $from) {{
    elder {{ id }} {ERRORS}
  }}
}}
"""
END = f"""
mutation End($elder: ID!, $category: MealCategory!) {{
  endCategory(elderId: $elder, category: $category, validTo: "2024-06-30") {{
    elder {{ id }} {ERRORS}
  }}
}}
"""
SUSPEND = f"""
mutation Suspend($elder: ID!, $reason: SuspensionReason!) {{
  suspendElder(elderId: $elder, fromOn: "2024-06-01", reason: $reason) {{
    elder {{ id status }} {ERRORS}
  }}
}}
"""
RESUME = f"""
mutation Resume($elder: ID!) {{
  resumeElder(elderId: $elder, resumedOn: "2024-06-10") {{ elder {{ id }} {ERRORS} }}
}}
"""
MOVE = f"""
mutation Move($elder: ID!, $to: String) {{
  moveElder(elderId: $elder, movedOn: "2024-07-01", toVillageCode: $to) {{
    elder {{ id }} {ERRORS}
  }}
}}
"""
CLOSE = f"""
mutation Close($point: ID!, $reason: ClosureReason!) {{
  closeMealPoint(mealPointId: $point, closedOn: "2024-07-01", reason: $reason) {{
    mealPoint {{ id closedOn }} {ERRORS}
  }}
}}
"""
PAY = f"""
mutation Pay($id: ID!, $channel: PaymentChannel!) {{
  paySettlement(settlementId: $id, paidOn: "2024-06-20", channel: $channel) {{
    settlement {{ id }} {ERRORS}
  }}
}}
"""


@pytest.fixture(autouse=True)
def policies(seeded: Registry) -> None:
    meals_api(seeded)


def refused(api: Api, document: str, variables: dict[str, Any]) -> tuple[str, str | None]:
    """Run a mutation that must be refused: (code, field). Nothing may be recorded."""
    before = last_notification(api)
    response = api.post(document, variables)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    (payload,) = body["data"].values()
    assert len(payload["errors"]) == 1, payload
    assert all(v in (None, []) for k, v in payload.items() if k != "errors"), payload
    assert last_notification(api) == before, "a refused command recorded something"
    error = payload["errors"][0]
    assert error["message"]
    return error["code"], error["field"]


def test_enrolments_that_break_a_rule_are_refused(api: Api) -> None:
    enrol(api)
    wrong_check = make_id_number(sequence="246")[:-1] + "0"
    if wrong_check == make_id_number(sequence="246"):
        wrong_check = wrong_check[:-1] + "1"
    cases = {
        "id_number_check_character_wrong": enrol_variables(sequence="246")
        | {"idNumber": wrong_check},
        "id_number_malformed": enrol_variables() | {"idNumber": "32011719440506"},
        "elder_under_60": enrol_variables(born=date(1970, 1, 1)),
        "elder_already_enrolled": enrol_variables(name="张秀英"),
        "category_before_age": enrol_variables(category="age_90", sequence="246"),
    }
    for code, variables in cases.items():
        assert refused(api, ENROL, variables)[0] == code, code
    unknown = enrol_variables(category="vip", sequence="246")
    assert "'vip' does not exist in 'MealCategory'" in refused_before_running(api, ENROL, unknown)


def test_changes_to_an_elder_that_break_a_rule_are_refused(api: Api) -> None:
    elder = enrol(api)
    dead = enrol(api, name="李德明", sequence="135")
    api.data(RECORD_DEATH, {"elder": dead, "diedOn": "2024-05-01", "reportedOn": "2024-05-03"})
    cases: list[tuple[str, str, dict[str, Any]]] = [
        (
            "category_already_held",
            GRANT,
            {"elder": elder, "category": "dibao", "from": "2024-03-01"},
        ),
        ("category_not_held", END, {"elder": elder, "category": "tekun"}),
        ("elder_not_suspended", RESUME, {"elder": elder}),
        ("elder_deceased", SUSPEND, {"elder": dead, "reason": "hospitalised"}),
        (
            "death_recorded_differently",
            RECORD_DEATH,
            {"elder": dead, "diedOn": "2024-04-01", "reportedOn": "2024-05-03"},
        ),
    ]
    for code, document, variables in cases:
        assert refused(api, document, variables)[0] == code, code
    # an unknown elder, or a move to a village the token does not hold (registered or not),
    # is refused before the command runs (tests/e2e/test_scope.py)
    assert refused(api, RESUME, {"elder": "not-an-id"}) == ("invalid_input", "elderId")
    holiday = {"elder": elder, "reason": "holiday"}
    assert "'SuspensionReason'" in refused_before_running(api, SUSPEND, holiday)


def test_meal_points_and_meals_that_break_a_rule_are_refused(api: Api) -> None:
    point = register_point(api)
    elder = enrol(api)
    (meal,) = upload(api, point, "B1", [record(elder, "2024-05-02T11:30", "a")])["outcomes"]
    api.data(VOID_MEAL, {"meal": meal["mealId"], "reason": "not_served"})
    other = {"code": "ST-01", "operatorKind": "collective", "capacity": 50}
    no_operator = {"code": "ST-02", "operatorKind": "contractor", "capacity": 50}
    bad_window = no_operator | {
        "operatorName": "某公司",
        "slots": [{"slot": "lunch", "start": "13:30", "end": "11:00"}],
    }
    assert refused(api, REGISTER_POINT, other)[0] == "meal_point_registered_differently"
    assert refused(api, REGISTER_POINT, no_operator) == ("invalid_input", "operatorName")
    assert refused(api, REGISTER_POINT, bad_window) == ("slot_window_invalid", "slots")
    assert refused(api, VOID_MEAL, {"meal": meal["mealId"], "reason": "not_served"}) == (
        "meal_already_voided",
        "mealId",
    )
    bankrupt = {"point": point, "reason": "bankrupt"}
    assert "'ClosureReason'" in refused_before_running(api, CLOSE, bankrupt)


def test_settlement_steps_that_break_a_rule_are_refused(api: Api) -> None:
    point = register_point(api)
    elder = enrol(api)
    upload(api, point, "B1", [record(elder, "2024-05-02T11:30", "a")])
    early = {"point": point, "month": "2024-05", "on": "2024-05-31"}
    empty = {"point": point, "month": "2024-04", "on": "2024-05-02"}
    assert refused(api, DRAFT, early) == ("settlement_month_not_ended", "month")
    assert refused(api, DRAFT, empty)[0] == "settlement_has_no_meals"
    assert refused(api, DRAFT, early | {"month": "May"}) == ("invalid_input", "month")
    draft = api.data(DRAFT, early | {"on": "2024-06-03"})["draftSettlement"]["settlement"]
    sid = draft["id"]
    assert (
        refused(api, APPROVE, {"id": sid, "on": "2024-06-04"})[0] == "settlement_step_not_allowed"
    )
    api.data(SUBMIT, {"id": sid, "on": "2024-06-05"})
    assert refused(api, VERIFY, {"id": sid, "on": "2024-06-04"})[0] == (
        "step_dated_before_previous_step"
    )
    api.data(VERIFY, {"id": sid, "on": "2024-06-06"})
    api.data(APPROVE, {"id": sid, "on": "2024-06-07"})
    wrong = {"id": sid, "amount": "1.00", "on": "2024-06-10"}
    assert refused(api, RECEIVE_SUBSIDY, wrong) == (
        "subsidy_received_differs_from_claim",
        "amount",
    )
    assert refused(api, RECEIVE_SUBSIDY, wrong | {"amount": "2.001"})[0] == "amount_not_in_fen"
    cheque = {"id": sid, "channel": "cheque"}
    assert "'PaymentChannel'" in refused_before_running(api, PAY, cheque)
