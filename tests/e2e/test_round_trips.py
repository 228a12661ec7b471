"""One round trip per answer (docs/scaling.md): each query of the district platform reads its
answer over one connection, and asked again while the log stands still it is answered from the
answers kept by the projections' positions (api/answers.py) in one statement. Counts, never
times: the times are the benchmark's (`qianwan bench`, GraphQL phase)."""

from __future__ import annotations

from typing import Any

import pytest

from api.app import create_app
from api.auth.authenticate import authenticate
from api.common import RequestContext
from api.execution import GraphQLRequest, run
from api.schema import build_schema
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.e2e.platform_documents import PLATFORM
from tests.e2e.test_dataloaders import register_in
from tests.integration.test_summary import busy_district
from tests.round_trips import RoundTrips, counting
from tests.support import OTHER_VILLAGE, VILLAGE, leased_building

# Statements on the read models the first time (the positions' read included), on SQLite and
# PostgreSQL alike; each over one connection. The event store is read once for the caller's
# token, and for a trial balance twice more for the village (is it registered?).
FIRST_STATEMENTS = {
    "trialBalance": 2,
    "districtMonthlySummary": 2,
    "balanceSheet": 5,
    "incomeStatement": 7,
    "dashboard": 2,
    "assets": 3,
    "landDistrictView": 4,
    "meals": 3,
    "mealPoints": 4,
    "disclosures": 2,
    "overdueDisclosures": 5,
}
FIRST_EVENT_STORE_READS = {"trialBalance": 3}
AGAIN = (1, 1, 1)  # the positions' read, over one connection; the token's version
ASSETS = """{ assets(first: 50) { totalCount edges { node { assetCode villageCode } } } }"""
TRIAL_BALANCE = PLATFORM["trialBalance"]


def counted(registry: Registry, api: Api, name: str, monkeypatch: pytest.MonkeyPatch) -> RoundTrips:
    document, variables = PLATFORM[name]
    with counting(registry, monkeypatch) as found:
        api.data(document, variables)
    return found


def uncached(registry: Registry, api: Api, document: str, variables: dict[str, Any]) -> Any:
    """The answer read without the kept answers, as the server reads it on a miss."""
    principal = authenticate(registry, f"Bearer {api.token}")
    assert principal is not None
    context = RequestContext(registry, principal.actor, principal=principal)
    reply = run(build_schema(registry.clock), GraphQLRequest(document, variables, None), context)
    assert reply.status == 200 and "errors" not in reply.body, reply.body
    return reply.body["data"]


def test_each_platform_query_takes_one_connection_and_once_kept_one_statement(
    seeded: Registry, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a busy district and the platform's token
    busy_district(seeded)
    platform = api.platform
    assert platform.token

    # when the platform asks each question twice while the log stands still
    found = {
        name: (
            counted(seeded, platform, name, monkeypatch).as_tuple(),
            counted(seeded, platform, name, monkeypatch).as_tuple(),
        )
        for name in PLATFORM
    }

    # then the first answer is read over one connection, the second is the one kept
    assert found == {
        name: ((FIRST_STATEMENTS[name], 1, FIRST_EVENT_STORE_READS.get(name, 1)), AGAIN)
        for name in PLATFORM
    }


def test_answers_kept_equal_answers_read(seeded: Registry, api: Api) -> None:
    # given a busy district, each question asked once (now kept)
    busy_district(seeded)
    platform = api.platform
    first = {name: platform.data(*PLATFORM[name]) for name in PLATFORM}

    # when each is asked again, and read again without the kept answers
    again = {name: platform.data(*PLATFORM[name]) for name in PLATFORM}
    read = {name: uncached(seeded, platform, *PLATFORM[name]) for name in PLATFORM}

    # then all three agree
    assert again == first == read


def test_a_new_event_changes_the_answer(
    seeded: Registry, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the platform's page of assets, asked twice (the second answer kept)
    leased_building(seeded.assets, "ZC-001")
    platform = api.platform
    before = platform.data(ASSETS)["assets"]
    assert platform.data(ASSETS)["assets"] == before

    # when an asset is registered
    register_in(seeded, VILLAGE, "ZC-002")

    # then the next answer shows it, read anew (the positions moved: another key)
    with counting(seeded, monkeypatch) as found:
        after = platform.data(ASSETS)["assets"]
    assert after["totalCount"] == before["totalCount"] + 1
    assert "ZC-002" in [a["assetCode"] for a in nodes(after)]
    assert found.read_model_statements > 1
    assert after == uncached(seeded, platform, ASSETS, {})["assets"]


def test_callers_of_other_scopes_never_share_an_answer(seeded: Registry, api: Api) -> None:
    # given assets in two villages, and accountants each limited to one of them
    register_in(seeded, VILLAGE, "ZC-001")
    register_in(seeded, OTHER_VILLAGE, "ZC-002")
    mine = api.as_role("accountant", [VILLAGE])
    other = api.as_role("accountant", [OTHER_VILLAGE])
    everyone = api.platform
    assert mine.token and other.token and everyone.token

    # when each asks the same question, twice
    answers = [client.data(ASSETS)["assets"] for client in (mine, other, everyone) * 2]

    # then each sees its own villages only, the second time as the first
    villages = [sorted({a["villageCode"] for a in nodes(x)}) for x in answers]
    assert villages == [[VILLAGE], [OTHER_VILLAGE], sorted([VILLAGE, OTHER_VILLAGE])] * 2


def test_an_answer_kept_for_one_caller_is_refused_to_a_caller_outside_its_scope(
    seeded: Registry, api: Api
) -> None:
    # given a village's trial balance read (and kept) for the platform
    document, variables = TRIAL_BALANCE
    api.platform.data(document, variables)
    api.platform.data(document, variables)

    # when an accountant of another village asks the same question
    outsider = api.as_role("accountant", [OTHER_VILLAGE])
    refused = outsider.post(document, variables).json()

    # then it is refused, as it would be without the kept answer
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert refused.get("data") in (None, {"trialBalance": None})


def test_personal_data_read_in_clear_is_never_kept_and_each_read_is_recorded(
    seeded: Registry, api: Api
) -> None:
    # given an enrolled elder, and her village's elders read by the platform (masked, kept)
    busy_district(seeded)
    elders = "{ elders(first: 5) { edges { node { name } } } }"
    masked = api.platform.data(elders)["elders"]
    assert all("*" in e["name"] for e in nodes(masked))
    auditor = api.auditor
    assert auditor.token

    # when an auditor reads them in clear twice
    start = seeded.store.last_notification_id()
    first = auditor.data(elders)["elders"]
    second = auditor.data(elders)["elders"]

    # then both are in clear, and each read recorded (one event each): nothing was kept
    assert first == second and all("*" not in e["name"] for e in nodes(first))
    assert seeded.store.last_notification_id() == start + 2
    assert api.platform.data(elders)["elders"] == masked


def test_the_server_keeps_answers_unless_told_not_to(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a server started with QIANWAN_CACHED_ANSWERS=off
    monkeypatch.setenv("QIANWAN_CACHED_ANSWERS", "off")
    platform = Api(create_app(seeded), seeded, role="platform")
    assert platform.token

    # when a question is asked twice, then it is read twice
    platform.data(ASSETS)
    with counting(seeded, monkeypatch) as found:
        platform.data(ASSETS)
    assert found.read_model_statements > 1
