"""Elders' names and ID numbers never leave the API in full but to an auditor of their village:
masked for every other caller, null once erased; an auditor's reads in clear are recorded. A
crawler reads every meal query with every field and scans the JSON for the clear values."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from graphene.utils.str_converters import to_camel_case
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    get_named_type,
    is_non_null_type,
    is_object_type,
)
from sqlalchemy import select

from api.meals.queries import MealsQuery
from api.schema import build_schema
from projections.access import personal_data_reads
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.e2e.meals_documents import (
    APPROVE,
    DRAFT,
    ELDER,
    ENROL,
    ERASE,
    RECORD_DEATH,
    SUBMIT,
    VERIFY,
    enrol_variables,
    meals_api,
    record,
    register_point,
    upload,
)
from tests.support import OTHER_VILLAGE, make_id_number

PEOPLE = {  # name → (birth date, sequence)
    "张桂英": (date(1944, 5, 6), "124"),
    "王秀兰": (date(1940, 3, 1), "246"),
    "李德明": (date(1938, 7, 9), "135"),
    "赵淑珍": (date(1941, 11, 23), "368"),
}
MEALS_TYPES = {"Elder", "ElderCategory", "ElderConnection", "ElderEdge", "SlotWindow", "PageInfo"}
ARGUMENTS = {
    "dateFrom": '"2024-01-01"',
    "dateTo": '"2024-12-31"',
    "first": "10",
    "month": '"2024-05"',  # MealPoint.monthTotals
}
CRAWL_DEPTH = 5


@pytest.fixture(autouse=True)
def policies(seeded: Registry) -> None:
    meals_api(seeded)


def is_meals_type(t: GraphQLObjectType) -> bool:
    return t.name.startswith("Meal") or t.name in MEALS_TYPES


def selection(t: GraphQLObjectType, path: tuple[str, ...] = ()) -> str:
    """Every field of a meal type, its meal relations followed (not back along the path); a
    relation to another context only as far as its __typename."""
    if not is_meals_type(t) or len(path) >= CRAWL_DEPTH:
        return "__typename"
    parts = []
    for name, field in t.fields.items():
        target = get_named_type(field.type)
        if not is_object_type(target):
            parts.append(name)
        elif target.name not in path:
            parts.append(f"{name}{arguments(field, {})} {{ {selection(target, (*path, t.name))} }}")
    return " ".join(parts)


def arguments(field: GraphQLField, ids: dict[str, str]) -> str:
    """The field's required arguments and those of ARGUMENTS; ``ids`` wins (quoted ids)."""
    given = {
        name: f'"{ids[name]}"' if name in ids else ARGUMENTS.get(name)
        for name, arg in field.args.items()
        if is_non_null_type(arg.type) or name in ARGUMENTS or name in ids
    }
    assert all(v is not None for v in given.values()), given
    return "(" + ", ".join(f"{k}: {v}" for k, v in given.items()) + ")" if given else ""


def crawl_documents(ids: dict[str, dict[str, str]]) -> list[str]:
    """A query per root field of the meal queries, reading every field below it (all of them in
    one document would pass the limits of one request). ids: root field → its id arguments
    (e.g. elder → {"id": …})."""
    query = build_schema().graphql_schema.query_type
    assert query is not None
    roots = []
    meal_roots = {to_camel_case(name) for name in MealsQuery._meta.fields}
    for name, field in query.fields.items():
        if name not in meal_roots:
            continue
        target = get_named_type(field.type)
        assert is_object_type(target)
        roots.append(f"{name}{arguments(field, ids.get(name, {}))} {{ {selection(target)} }}")
    return ["{ " + root + " }" for root in roots]


def clear_values() -> list[str]:
    """The names and ID numbers used, and the ID numbers' first 14 characters."""
    numbers = [make_id_number(born, seq) for born, seq in PEOPLE.values()]
    return [*PEOPLE, *numbers, *(n[:14] for n in numbers)]


def assert_nothing_clear(body: Any) -> None:
    text = json.dumps(body, ensure_ascii=False)
    for clear in clear_values():
        assert clear not in text, f"a response contains {clear[:1]}…"


def load_people(api: Api) -> dict[str, dict[str, str]]:
    """Two meal points, four elders, meals with refusals, a death reported late, a paid month."""
    point, other = register_point(api), register_point(api, "ST-02", "collective")
    elders = {}
    for name, (born, sequence) in PEOPLE.items():
        payload = api.data(ENROL, enrol_variables(name, born, sequence))
        assert_nothing_clear(payload)
        elders[name] = payload["enrolElder"]["elder"]["id"]
    zhang, wang, li, zhao = elders.values()
    card = make_id_number(*PEOPLE["赵淑珍"])
    days = [date(2024, 5, d) for d in range(1, 11)]
    uploads = [
        upload(
            api,
            point,
            f"{d}",
            [
                record(zhang, f"{d}T11:30", "1"),
                record(wang, f"{d}T11:35", "2"),
                record(li, f"{d}T07:30", "3", "breakfast"),
                record(None, f"{d}T12:00", "4", idNumber=card),
                record(None, f"{d}T12:05", "5", idNumber=make_id_number(sequence="999")),
            ],
        )
        for d in days
    ]
    uploads.append(upload(api, other, "dup", [record(zhang, "2024-05-02T11:50", "x")]))
    uploads.append(upload(api, point, "late", [record(wang, "2024-05-04T15:00", "y")]))
    for payload in uploads:
        assert_nothing_clear(payload)
    api.data(RECORD_DEATH, {"elder": li, "diedOn": "2024-05-06", "reportedOn": "2024-05-20"})
    sid = api.data(DRAFT, {"point": point, "month": "2024-05", "on": "2024-06-03"})
    sid = sid["draftSettlement"]["settlement"]["id"]
    for document, on in ((SUBMIT, "06-04"), (VERIFY, "06-05"), (APPROVE, "06-06")):
        api.data(document, {"id": sid, "on": f"2024-{on}"})
    assert_nothing_clear(api.data(ELDER, {"id": zhao}))
    meal = uploads[0]["outcomes"][0]["mealId"]
    return {
        "mealPoint": {"id": point},
        "elder": {"id": zhang},
        "meal": {"id": meal},
        "mealBatches": {"mealPointId": point},
        "mealBatch": {"id": uploads[-2]["batch"]["id"]},
        "mealSettlement": {"id": sid},
    }


def test_no_response_contains_a_full_name_or_id_number(api: Api) -> None:
    # given elders with meals, refusals, a death, settlements and findings
    documents = crawl_documents(load_people(api))

    # when every meal query is read with every field
    responses = [api.post(document) for document in documents]

    # then the responses are full of data, and none of it names anyone in full
    data = {}
    for response in responses:
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body.get("errors")
        assert_nothing_clear(body)
        data.update(body["data"])
    elders = nodes(data["elders"])
    assert len(elders) == 4 and data["meals"]["totalCount"] == 40
    assert all(data[root] for root in ("mealPoint", "elder", "meal", "mealBatch", "mealSettlement"))
    assert {e["name"] for e in elders} == {"张*", "王*", "李*", "赵*"}
    for elder in elders:
        number = elder["idNumber"]
        assert number[:4] == "3201" and number[4:16] == "*" * 12 and len(number) == 18
    assert {f["kind"] for f in nodes(data["mealFindings"])} >= {
        "claim_for_unknown_elder",
        "duplicate_claim",
        "meal_after_death",
        "meal_outside_window",
    }
    assert nodes(data["mealSettlements"]) and nodes(data["mealBatches"])


def test_a_masked_id_number_keeps_its_first_four_and_last_two_characters(api: Api) -> None:
    # given an elder
    payload = api.data(ENROL, enrol_variables("张桂英"))["enrolElder"]

    # then the payload and later reads show the mask
    number = make_id_number(*PEOPLE["张桂英"])
    expected = {"name": "张*", "idNumber": number[:4] + "*" * 12 + number[-2:]}
    assert {k: payload["elder"][k] for k in expected} == expected
    elder = api.data(ELDER, {"id": payload["elder"]["id"]})["elder"]
    assert {k: elder[k] for k in expected} == expected


def test_a_name_of_one_character_is_masked_whole(api: Api) -> None:
    # given an elder whose recorded name is a single character
    payload = api.data(ENROL, enrol_variables("孙", sequence="135"))["enrolElder"]

    # then not even that character is shown
    assert payload["elder"]["name"] == "*"


def test_after_erasure_the_name_and_id_number_are_null(api: Api) -> None:
    # given an elder with meals
    point = register_point(api)
    elder = api.data(ENROL, enrol_variables("赵淑珍", *PEOPLE["赵淑珍"]))["enrolElder"]["elder"]
    upload(api, point, "B1", [record(elder["id"], "2024-05-02T11:30", "a")])

    # when the personal data is erased
    erased = api.data(ERASE, {"elder": elder["id"]})["erasePersonalData"]["elder"]

    # then name and ID number are gone for good; the elder and their meals stay
    assert (erased["name"], erased["idNumber"], erased["personalDataErased"]) == (None, None, True)
    again = api.data(ELDER, {"id": elder["id"]})["elder"]
    assert (again["name"], again["idNumber"]) == (None, None)
    assert again["categories"] == elder["categories"]
    meals = api.data("{ meals { totalCount edges { node { elder { id name } } } } }")["meals"]
    assert meals["totalCount"] == 1
    assert meals["edges"][0]["node"]["elder"] == {"id": elder["id"], "name": None}


def test_an_auditor_sees_personal_data_in_full_and_the_read_is_recorded(
    seeded: Registry, api: Api
) -> None:
    # given an elder, and an auditor's and the platform's tokens
    elder = api.data(ENROL, enrol_variables("张桂英"))["enrolElder"]["elder"]
    auditor, platform = api.auditor, api.platform
    assert auditor.token and platform.token
    before = seeded.store.last_notification_id()

    # when each reads the elder
    seen = auditor.data(ELDER, {"id": elder["id"]})["elder"]
    masked = platform.data(ELDER, {"id": elder["id"]})["elder"]

    # then the auditor sees name and ID number in clear, the platform masks
    number = make_id_number(*PEOPLE["张桂英"])
    assert (seen["name"], seen["idNumber"]) == ("张桂英", number)
    assert (masked["name"], masked["idNumber"]) == ("张*", number[:4] + "*" * 12 + number[-2:])
    # and the auditor's read, only that one, is recorded as one event
    with seeded.engine.connect() as conn:
        reads = conn.execute(select(personal_data_reads)).mappings().all()
    assert [(r["elder_id"], r["fields"]) for r in reads] == [(elder["id"], "id_number name")]
    assert reads[0]["actor"].startswith("test auditor [auditor token ")
    assert seeded.store.last_notification_id() == before + 1
    log = auditor.data("{ personalDataReads { edges { node { elderId fields actor } } } }")
    assert [e["node"]["elderId"] for e in log["personalDataReads"]["edges"]] == [elder["id"]]


def test_an_auditor_limited_to_other_villages_sees_the_mask(seeded: Registry, api: Api) -> None:
    # given an elder of 乌村桥村 and an auditor of the other village only
    elder = api.data(ENROL, enrol_variables("张桂英"))["enrolElder"]["elder"]
    auditor = api.as_role("auditor", [OTHER_VILLAGE])

    # when the auditor asks for the elder and for the village's elders
    one = auditor.post(ELDER, {"id": elder["id"]}).json()
    listed = auditor.data("{ elders { totalCount } }")["elders"]

    # then the elder is outside its scope, and no list shows it
    assert one["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert listed["totalCount"] == 0
