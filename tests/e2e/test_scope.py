"""A token limited to villages stays inside them: every argument naming a village, a town, a
district or an object of a village is checked before anything runs (top level, inside input
objects, in lists), and no answer names what lies outside (a death, a meal, an enrolment).

The accountant here holds VILLAGE only; the other village's objects are made through the
applications, as that village's own accountant would have made them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.meals_documents import ELDER, RECORD_DEATH, RECORD_MEALS, meals_api, record
from tests.support import (
    ADMIN,
    DISTRICT,
    OPERATOR,
    OTHER_VILLAGE,
    TOWN,
    VILLAGE,
    enrol_elder,
    make_id_number,
    meal,
    register_canteen,
)

OTHER_TOWN = "320117108"
OTHER_TOWNS_VILLAGE = "320117108001"
MOVE = """
mutation Move($elder: ID!, $to: String) {
  moveElder(elderId: $elder, movedOn: "2024-06-01", toVillageCode: $to) {
    elder { villageCode } errors { code }
  }
}
"""
MEAL_BATCH = """
query Batch($id: ID!) {
  mealBatch(id: $id) {
    outcomes { recordId status reasonCode mealId }
    refusals { recordId code elderId existingMealId existingMealPointId }
  }
}
"""


@pytest.fixture
def world(seeded: Registry) -> Registry:
    """The meal policies and clock of the meal tests, and a second town with a village."""
    from domain.reference.application import TownInput, VillageInput

    meals_api(seeded)
    seeded.places.register_towns(DISTRICT, [TownInput(OTHER_TOWN, "白马镇", "town")], ADMIN)
    villages = [VillageInput(OTHER_TOWNS_VILLAGE, "石头寨村", "石头寨村股份经济合作社")]
    seeded.places.register_villages(OTHER_TOWN, villages, ADMIN)
    return seeded


@pytest.fixture
def mine(api: Api, world: Registry) -> Api:
    """An accountant holding VILLAGE only (its token issued before the tests count events)."""
    client = api.as_role("accountant", [VILLAGE])
    assert client.token
    return client


def errors(response: Any) -> list[str | None]:
    body = response.json()
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


def forbidden_and_nothing_recorded(client: Api, document: str, variables: dict[str, Any]) -> None:
    before = client.registry.store.last_notification_id()
    response = client.post(document, variables)
    assert response.status_code == 200
    assert errors(response) == ["FORBIDDEN"], response.json()
    assert all(value is None for value in response.json()["data"].values())
    assert client.registry.store.last_notification_id() == before


# -- village-valued and owned arguments, wherever they are ------------------------------------


def test_an_elder_cannot_be_moved_into_a_village_the_token_does_not_hold(
    world: Registry, mine: Api, api: Api
) -> None:
    # given an elder of the accountant's village
    elder = str(enrol_elder(world.meals))

    # when the accountant moves them into another village (registered or not) or into a
    # village code that is no code at all
    for to in (OTHER_VILLAGE, "320117107999"):
        forbidden_and_nothing_recorded(mine, MOVE, {"elder": elder, "to": to})
    assert errors(mine.post(MOVE, {"elder": elder, "to": "3201171072"})) == ["village_code_invalid"]

    # then the elder is still in the village; a token holding both villages may move them
    assert mine.data(ELDER, {"id": elder})["elder"]["villageCode"] == VILLAGE
    moved = api.data(MOVE, {"elder": elder, "to": OTHER_VILLAGE})["moveElder"]
    assert moved == {"elder": {"villageCode": OTHER_VILLAGE}, "errors": []}


def test_an_elder_of_another_village_named_inside_the_records_is_forbidden(
    world: Registry, mine: Api
) -> None:
    # given a meal point of the accountant's village, an elder of another and an unknown id
    point = str(register_canteen(world.meals))
    theirs = str(enrol_elder(world.meals, village=OTHER_VILLAGE, sequence="131"))
    ours = str(enrol_elder(world.meals, sequence="132"))

    for stranger in (theirs, str(uuid4())):
        # when a batch names them among the elders of the village, by id
        records = [
            record(ours, "2024-05-02T11:30", "r1"),
            record(stranger, "2024-05-02T11:35", "r2"),
        ]
        variables = {"point": point, "batchNo": f"B-{stranger}", "records": records}

        # then the whole upload is refused before it runs, and nothing is recorded
        forbidden_and_nothing_recorded(mine, RECORD_MEALS, variables)


def test_a_list_filtered_by_a_town_or_district_outside_the_token_is_forbidden(
    world: Registry, mine: Api
) -> None:
    documents = {
        "villages": "query($t: String) { villages(townCode: $t) { totalCount } }",
        "town": "query($t: String!) { town(code: $t) { name } }",
        "mealPoints": "query($t: String) { mealPoints(townCode: $t) { totalCount } }",
        "meals": "query($t: String) { meals(townCode: $t) { totalCount } }",
        "assets": "query($t: String) { assets(townCode: $t) { totalCount } }",
        "settlements": "query($t: String) { mealSettlements(townCode: $t) { totalCount } }",
    }
    for name, document in documents.items():
        assert errors(mine.post(document, {"t": OTHER_TOWN})) == ["FORBIDDEN"], name
        assert errors(mine.post(document, {"t": TOWN})) == [], name
    other_district = "320118"
    for document in (
        "query($d: String) { towns(districtCode: $d) { totalCount } }",
        "query($d: String) { parcels(districtCode: $d) { totalCount } }",
        "query($d: String) { district(code: $d) { name } }",
    ):
        assert errors(mine.post(document, {"d": other_district})) == ["FORBIDDEN"], document
        assert errors(mine.post(document, {"d": DISTRICT})) == [], document


def test_an_id_naming_nothing_is_refused_like_an_id_of_another_village(
    world: Registry, mine: Api, api: Api
) -> None:
    # ids of assets, meal points and settlements derive from their codes: if "nothing" and
    # "another village's" were told apart, a token could probe what other villages hold
    theirs = world.meals.register_meal_point(
        OTHER_VILLAGE, "TP-01", "测试村食堂", "canteen", "collective", 50, date(2024, 1, 2), ADMIN
    )
    query = "query($id: ID!) { mealPoint(id: $id) { pointCode } }"
    for point in (str(theirs), str(uuid4())):
        assert errors(mine.post(query, {"id": point})) == ["FORBIDDEN"]
    # a token not limited to villages is told what there is
    assert api.platform.data(query, {"id": str(uuid4())}) == {"mealPoint": None}
    assert errors(mine.post(query, {"id": "not-an-id"})) == ["invalid_input"]


# -- refusals that would tell what lies outside the token's villages --------------------------


def test_an_id_number_of_another_village_is_refused_as_unknown_whatever_its_state(
    world: Registry, mine: Api
) -> None:
    # given the accountant's meal point, and in another village a dead elder and a living one
    # who had lunch there on that day
    point = str(register_canteen(world.meals))
    meals = world.meals
    dead = enrol_elder(meals, village=OTHER_VILLAGE, sequence="141")
    meals.record_death(dead, date(2024, 4, 1), date(2024, 4, 2), ADMIN)
    alive = enrol_elder(meals, village=OTHER_VILLAGE, sequence="142")
    their_point = register_canteen(meals, "TP-02", village=OTHER_VILLAGE)
    meals.record_meals(their_point, "T1", [meal("t1", alive, "2024-05-02 11:30")], OPERATOR)

    # when the accountant uploads lunches with their ID numbers and one nobody holds
    numbers = {"dead": "141", "ate elsewhere": "142", "never enrolled": "143"}
    records = [
        {"recordId": name, "servedAt": "2024-05-02T11:40", "slot": "lunch", "idNumber": n}
        for name, n in ((k, make_id_number(sequence=s)) for k, s in numbers.items())
    ]
    variables = {"point": point, "batchNo": "IDS", "records": records}
    payload = mine.data(RECORD_MEALS, variables)["recordMeals"]

    # then all three read alike: no death, no meal id, no elder id
    refused = {"status": "refused", "reasonCode": "elder_unknown", "mealId": None}
    assert {o["recordId"]: o for o in payload["outcomes"]} == {
        name: {"recordId": name, **refused} for name in numbers
    }
    assert {r["elderId"] for r in payload["batch"]["refusals"]} == {None}


def test_a_slot_taken_at_another_villages_point_does_not_name_that_meal(
    world: Registry, mine: Api, api: Api
) -> None:
    # given an elder of the accountant's village who had lunch at another village's point
    meals = world.meals
    elder = enrol_elder(meals, sequence="151")
    their_point = register_canteen(meals, "TP-03", village=OTHER_VILLAGE)
    there = meals.record_meals(their_point, "T1", [meal("t1", elder, "2024-05-02 11:30")], OPERATOR)
    their_meal = str(there.outcomes[0].meal_id)

    # when the accountant's point uploads the same lunch
    point = str(register_canteen(meals))
    variables = {
        "point": point,
        "batchNo": "B1",
        "records": [record(str(elder), "2024-05-02T11:45", "r1")],
    }
    payload = mine.data(RECORD_MEALS, variables)["recordMeals"]

    # then it is refused as a second meal, without the id of the meal at the other point
    expected = {"recordId": "r1", "status": "refused", "reasonCode": "second_meal_in_slot"}
    assert payload["outcomes"] == [{**expected, "mealId": None}]
    batch = mine.data(MEAL_BATCH, {"id": payload["batch"]["id"]})["mealBatch"]
    assert batch["outcomes"] == [{**expected, "mealId": None}]
    assert batch["refusals"][0]["existingMealId"] is None
    assert batch["refusals"][0]["existingMealPointId"] is None
    # a token that holds both villages sees the meal in the way
    both = api.data(MEAL_BATCH, {"id": payload["batch"]["id"]})["mealBatch"]
    assert both["refusals"][0]["existingMealId"] == their_meal
    assert both["refusals"][0]["existingMealPointId"] == str(their_point)


def test_a_kept_refusal_names_no_elder_of_another_village(
    world: Registry, mine: Api, api: Api
) -> None:
    # given an upload of the accountant's point, recorded by a writer not limited to villages
    # (or before this rule), refused for a dead elder of another village
    meals = world.meals
    dead = enrol_elder(meals, village=OTHER_VILLAGE, sequence="171")
    meals.record_death(dead, date(2024, 4, 1), date(2024, 4, 2), ADMIN)
    point = register_canteen(meals)
    batch = meals.record_meals(point, "OLD", [meal("o1", dead, "2024-05-02 11:30")], OPERATOR)

    # when the accountant reads the upload back, the elder is not named
    read = mine.data(MEAL_BATCH, {"id": str(batch.batch_id)})["mealBatch"]
    assert [(r["code"], r["elderId"]) for r in read["refusals"]] == [("meal_after_death", None)]
    # a token holding both villages sees who it was
    both = api.data(MEAL_BATCH, {"id": str(batch.batch_id)})["mealBatch"]
    assert [r["elderId"] for r in both["refusals"]] == [str(dead)]


def test_a_death_names_only_the_voided_meals_of_the_token_s_villages(
    world: Registry, mine: Api
) -> None:
    # given an elder of the accountant's village with a lunch at home and one elsewhere
    meals = world.meals
    elder = enrol_elder(meals, sequence="161")
    home = register_canteen(meals)
    away = register_canteen(meals, "TP-04", village=OTHER_VILLAGE)
    here = meals.record_meals(home, "H1", [meal("h1", elder, "2024-05-03 11:30")], OPERATOR)
    meals.record_meals(away, "A1", [meal("a1", elder, "2024-05-04 11:30")], OPERATOR)

    # when the accountant records a death before both
    variables = {"elder": str(elder), "diedOn": "2024-05-01", "reportedOn": "2024-05-10"}
    payload = mine.data(RECORD_DEATH, variables)["recordDeath"]

    # then both meals are voided, but only the one at home is named
    assert payload["voidedMealIds"] == [str(here.outcomes[0].meal_id)]
    assert payload["errors"] == []


# -- code arguments and LIKE ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["%", "_", "3201171%", "32011710_", "", "32011710７", "\\"])
def test_a_malformed_town_code_is_refused_with_a_code_for_every_role(
    world: Registry, mine: Api, api: Api, code: str
) -> None:
    # a LIKE wildcard used to match every row: meals(townCode: "%")
    for client in (mine, api.platform, api.auditor):
        for field in ("meals", "mealPoints", "mealSettlements", "assets", "villages"):
            document = f"query($t: String) {{ {field}(townCode: $t) {{ totalCount }} }}"
            response = client.post(document, {"t": code})
            assert errors(response) == ["town_code_invalid"], (field, code)
            assert response.json()["errors"][0]["extensions"]["field"] == "townCode"


def test_a_malformed_district_code_is_refused_with_a_code(world: Registry, api: Api) -> None:
    response = api.platform.post('{ towns(districtCode: "3201%") { totalCount } }')
    assert errors(response) == ["district_code_invalid"]
