"""Identical creates that race: a request that finds its create recorded already by another
request (the same idempotency key, or the same natural key) answers with the first result, even
while that other request has saved its events and not yet folded them into the projections.

``unfolded`` is a client of a second server on the same database whose registry saves without
folding (``read_your_writes=False``): each request it sends stays, for the rest of the test,
where a racing request is between its save and its fold. That makes the race deterministic;
the threaded test at the end sends identical requests at once, as clients would."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import pytest

from api.app import create_app
from qianwan.bootstrap import Registry, bootstrap
from tests.e2e.conftest import Api
from tests.e2e.documents import ASSET_FIELDS, ERRORS
from tests.e2e.meals_documents import (
    ELDER_FIELDS,
    SETTLEMENT_FIELDS,
    enrol,
    enrol_variables,
    meals_api,
    record,
    register_point,
    upload,
)
from tests.support import MEALS_TODAY, VILLAGE

RACING_ROUNDS = 8  # rounds of the threaded race; before the fix most rounds lost it
RACING_CLIENTS = 3

REGISTER_ASSET = f"""
mutation Register($code: String!, $key: String) {{
  registerAsset(villageCode: "{VILLAGE}", assetCode: $code, name: "仓库", kind: "other",
                areaM2: "80.0", location: "村口", registeredOn: "2024-01-10",
                bookValue: "1200", idempotencyKey: $key) {{
    asset {{ {ASSET_FIELDS} }}
    {ERRORS}
  }}
}}
"""
REGISTER_PARCEL = f"""
mutation Register($code: String!, $key: String) {{
  registerParcel(villageCode: "{VILLAGE}", parcelCode: $code, areaM2: "12000.5",
                 location: "乌村桥村工业集中区3号地块", plannedUse: industrial,
                 landClass: collective_construction_land,
                 certificateNo: "苏(2024)溧水区不动产权第0100号", registeredOn: "2024-03-01",
                 idempotencyKey: $key) {{
    parcel {{ id villageCode parcelCode stage version }}
    {ERRORS}
  }}
}}
"""
REGISTER_POINT = f"""
mutation Register($code: String!, $key: String) {{
  registerMealPoint(villageCode: "{VILLAGE}", pointCode: $code, name: "乌村桥村长者食堂",
                    kind: canteen, operatorKind: collective, capacityMealsPerDay: 80,
                    registeredOn: "2024-01-02", idempotencyKey: $key) {{
    mealPoint {{ id pointCode name slots {{ slot start end }} }}
    {ERRORS}
  }}
}}
"""
ENROL = f"""
mutation Enrol($name: String!, $idNumber: String!, $categories: [ElderCategoryInput!]!,
               $enrolledOn: Date!, $key: String) {{
  enrolElder(villageCode: "{VILLAGE}", name: $name, idNumber: $idNumber,
             categories: $categories, enrolledOn: $enrolledOn, idempotencyKey: $key) {{
    elder {{ {ELDER_FIELDS} }}
    {ERRORS}
  }}
}}
"""
RECORD_MEALS = f"""
mutation Record($point: ID!, $batchNo: String!, $records: [MealRecordInput!]!, $key: String) {{
  recordMeals(mealPointId: $point, batchNo: $batchNo, records: $records, idempotencyKey: $key) {{
    acceptedCount refusedCount
    outcomes {{ recordId status reasonCode mealId }}
    batch {{ id batchNo records accepted refused outcomes {{ recordId status mealId }} }}
    {ERRORS}
  }}
}}
"""
DRAFT = f"""
mutation Draft($point: ID!, $key: String) {{
  draftSettlement(mealPointId: $point, month: "2024-07", draftedOn: "2024-08-02",
                  idempotencyKey: $key) {{
    settlement {{ {SETTLEMENT_FIELDS} }}
    {ERRORS}
  }}
}}
"""
ISSUE_TOKEN = f"""
mutation Issue($key: String) {{
  issueApiToken(role: platform, name: "district platform", idempotencyKey: $key) {{
    token {{ id role name villages }}
    {ERRORS}
  }}
}}
"""


@dataclass(frozen=True)
class Create:
    """A create mutation, and how to prepare what it needs (returning its variables)."""

    name: str
    document: str
    prepare: Callable[[Api], dict[str, Any]]  # the variables, once what it needs exists
    role: str = "accountant"
    natural_key: bool = True  # False: only an idempotency key makes a retry

    def send(self, api: Api, variables: dict[str, Any], key: str | None) -> dict[str, Any]:
        payload: dict[str, Any] = api.data(self.document, {**variables, "key": key})[self.name]
        return payload


def meals_of_july(api: Api) -> dict[str, Any]:
    point = register_point(api)
    elder = enrol(api)
    july = [date(2024, 7, 1) + timedelta(n) for n in range(3)]
    records = [record(elder, f"{day}T11:30", f"{day}-l") for day in july]
    assert upload(api, point, "JULY", records)["refusedCount"] == 0
    return {"point": point}


def one_meal(api: Api) -> dict[str, Any]:
    point = register_point(api)
    elder = enrol(api)
    meal = record(elder, f"{MEALS_TODAY}T11:30", "r1")
    return {"point": point, "batchNo": "RACE-1", "records": [meal]}


CREATES = [
    Create("registerAsset", REGISTER_ASSET, lambda api: {"code": "RACE-01"}),
    Create("registerParcel", REGISTER_PARCEL, lambda api: {"code": "320117107206JA00901"}),
    Create("registerMealPoint", REGISTER_POINT, lambda api: {"code": "RACE-P"}),
    Create("enrolElder", ENROL, lambda api: enrol_variables("李玉珍", sequence="368")),
    Create("recordMeals", RECORD_MEALS, one_meal),
    Create("draftSettlement", DRAFT, meals_of_july),
    Create("issueApiToken", ISSUE_TOKEN, lambda api: {}, role="admin", natural_key=False),
]
BY_NATURAL_KEY = [c for c in CREATES if c.natural_key]


def ids(create: Create) -> str:
    return create.name


@pytest.fixture
def writer(seeded: Registry) -> Iterator[Registry]:
    """A second registry on the same database that saves and never folds."""
    meals_api(seeded)
    other = bootstrap(seeded.settings, read_your_writes=False)
    other.meals.today = seeded.meals.today
    yield other
    other.close()


def unfolded(api: Api, writer: Registry, role: str) -> Api:
    """A client with the same token as ``api.as_role(role)``, served by ``writer``."""
    same = api.as_role(role)
    return Api(create_app(writer), writer, token=same.token)


def last(registry: Registry) -> int:
    return registry.store.last_notification_id()


def recorded_since(registry: Registry, position: int) -> list[str]:
    """The types of the events recorded after ``position`` (PostgreSQL's ids may have gaps:
    an insert refused on a unique id uses one up)."""
    notifications = registry.store.recorder.select_notifications(start=position + 1, limit=100)
    return [n.topic.rsplit(".", 1)[-1] for n in notifications]


@pytest.mark.parametrize("create", CREATES, ids=ids)
def test_a_retry_with_the_key_of_a_create_not_yet_folded_answers_the_first_result(
    seeded: Registry, writer: Registry, api: Api, create: Create
) -> None:
    # given a request with a key that another server has saved and not yet folded
    client = api.as_role(create.role)
    variables = create.prepare(client)
    create.send(unfolded(api, writer, create.role), variables, "race-key")
    recorded = last(seeded)

    # when the very same request comes here
    retry = create.send(client, variables, "race-key")

    # then it answers the first result, with the object, and records nothing
    assert retry["errors"] == []
    assert all(retry[k] is not None for k in retry if k != "errors"), retry
    assert recorded_since(seeded, recorded) == []
    again = create.send(client, variables, "race-key")  # once everything is folded
    assert retry == again
    assert recorded_since(seeded, recorded) == []


@pytest.mark.parametrize("create", BY_NATURAL_KEY, ids=ids)
def test_a_create_recognised_by_its_natural_key_before_the_fold_answers_the_first_result(
    seeded: Registry, writer: Registry, api: Api, create: Create
) -> None:
    # given a create that another server has saved and not yet folded
    variables = create.prepare(api)
    create.send(unfolded(api, writer, create.role), variables, None)
    recorded = last(seeded)

    # when the same create comes here, without a key and then with one
    retry = create.send(api, variables, None)
    keyed = create.send(api, variables, "late-key")

    # then each answers the first result with the object; only the key is recorded
    for answer in (retry, keyed):
        assert answer["errors"] == []
        assert all(answer[k] is not None for k in answer if k != "errors"), answer
        assert answer == retry
    assert recorded_since(seeded, recorded) == ["Used"]
    assert create.send(api, variables, "late-key") == keyed  # and the key remembers it
    assert recorded_since(seeded, recorded) == ["Used"]


RECORD_DEATH = f"""
mutation Death($elder: ID!) {{
  recordDeath(elderId: $elder, diedOn: "2024-08-01", reportedOn: "2024-08-03") {{
    elder {{ id status diedOn diedReportedOn }}
    {ERRORS}
  }}
}}
"""
REVOKE_TOKEN = f"""
mutation Revoke($token: ID!) {{
  revokeApiToken(tokenId: $token, reason: "left the office") {{
    token {{ id revokedAt }}
    {ERRORS}
  }}
}}
"""


def test_a_repeated_fact_not_yet_folded_is_answered_with_the_fact(
    seeded: Registry, writer: Registry, api: Api
) -> None:
    """Not only creates: any command that records nothing because its fact is recorded already
    answers from the facts as recorded, not from projections a moment behind them."""
    # given a death and a revocation another server has saved and not yet folded
    elder = {"elder": enrol(api)}
    token = {"token": api.admin.data(ISSUE_TOKEN, {"key": None})["issueApiToken"]["token"]["id"]}
    unfolded(api, writer, "accountant").data(RECORD_DEATH, elder)
    unfolded(api, writer, "admin").data(REVOKE_TOKEN, token)
    recorded = last(seeded)

    # when each is sent again here
    death = api.data(RECORD_DEATH, elder)["recordDeath"]
    revoked = api.admin.data(REVOKE_TOKEN, token)["revokeApiToken"]

    # then the answers show them, and nothing more is recorded
    assert death["errors"] == [] and death["elder"]["diedOn"] == "2024-08-01"
    assert revoked["errors"] == [] and revoked["token"]["revokedAt"] is not None
    assert recorded_since(seeded, recorded) == []


# -- the race itself -----------------------------------------------------------------------


def send_at_once(clients: list[Api], send: Callable[[Api], dict[str, Any]]) -> list[Any]:
    """Every client sends its request when all of them are ready."""
    barrier = threading.Barrier(len(clients))
    answers: list[Any] = [None] * len(clients)

    def run(n: int) -> None:
        barrier.wait()
        try:
            answers[n] = send(clients[n])
        except BaseException as error:  # reported below, with the others' answers
            answers[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@dataclass(frozen=True)
class Race:
    """A create every client sends at once, round after round, each round a new one."""

    name: str
    document: str
    prepare: Callable[[Api], dict[str, Any]]  # once, what every round needs
    of_round: Callable[[Api, dict[str, Any], int], dict[str, Any]]  # the round's variables
    events: list[str]  # the types of the events one create records, its key aside

    def send(self, api: Api, variables: dict[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = api.data(self.document, variables)[self.name]
        return payload


def upload_of_round(api: Api, prepared: dict[str, Any], round_no: int) -> dict[str, Any]:
    day = MEALS_TODAY - timedelta(round_no)
    meal = record(prepared["elder"], f"{day}T11:30", f"r-{round_no}")
    return {"point": prepared["point"], "batchNo": f"RACE-{round_no}", "records": [meal]}


def point_of_round(api: Api, prepared: dict[str, Any], round_no: int) -> dict[str, Any]:
    """A point of its own, with a meal served in July, to settle in August."""
    point = register_point(api, f"RACE-{round_no}")
    meal = record(prepared["elder"], f"{date(2024, 7, 1 + round_no)}T11:30", "r1")
    assert upload(api, point, "JULY", [meal])["refusedCount"] == 0
    return {"point": point}


RACES = [
    Race(
        "registerAsset",
        REGISTER_ASSET,
        lambda api: {},
        lambda api, prepared, n: {"code": f"RACE-{n:02d}"},
        ["Registered"],
    ),
    Race(
        "recordMeals",
        RECORD_MEALS,
        lambda api: {"elder": enrol(api), "point": register_point(api)},
        upload_of_round,
        ["Recorded", "Submitted"],  # the meal, then the batch naming it
    ),
    Race(
        "draftSettlement",
        DRAFT,
        lambda api: {"elder": enrol(api)},
        point_of_round,
        ["SettlementDrafted", "Drafted"],  # on the point, then the settlement
    ),
]


@pytest.mark.parametrize("race", RACES, ids=lambda race: race.name)
@pytest.mark.parametrize("keyed", [True, False], ids=["same key", "no key"])
def test_identical_creates_sent_at_once_all_answer_the_first_result(
    seeded: Registry, api: Api, race: Race, keyed: bool
) -> None:
    meals_api(seeded)
    clients = [api] + [Api(api.app, seeded, token=api.token) for _ in range(RACING_CLIENTS - 1)]
    prepared = race.prepare(api)
    for round_no in range(RACING_ROUNDS):
        # given one create, which every client sends at the same moment
        variables = {
            **race.of_round(api, prepared, round_no),
            "key": f"race-{round_no}" if keyed else None,
        }
        before = last(seeded)

        answers = send_at_once(clients, partial(race.send, variables=variables))

        # then every answer is the first result, and one create is recorded
        first = answers[0]
        assert isinstance(first, dict) and first["errors"] == [], answers
        assert all(first[k] is not None for k in first if k != "errors"), answers
        assert all(answer == first for answer in answers), answers
        assert recorded_since(seeded, before) == race.events + (["Used"] if keyed else [])
