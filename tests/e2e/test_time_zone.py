"""One time zone for the registry, whatever the host's: "today" and every time written without
an offset are Asia/Shanghai (QIANWAN_TIME_ZONE), on a host set to UTC or to Los Angeles alike.

The host's clock is moved to 23:45 UTC on 2024-08-19, which is 07:45 on 2024-08-20 in Beijing,
while the host's own zone still says 2024-08-19 (``time.time`` is what ``date.today`` and the
registry's clock read; it keeps ticking from there)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.shared.errors import DomainError
from qianwan.bootstrap import Registry
from tests.clock_support import (
    BEIJING_MORNING,
    host_zone,
    move_host_clock,
    naive_utc_wall_clock,
)
from tests.e2e.conftest import ISSUER, Api
from tests.e2e.meals_documents import enrol, record, register_point, upload
from tests.support import leased_building, seed_meal_policies

__all__ = ["host_zone"]  # a fixture


@pytest.fixture
def beijing_morning(host_zone: str, monkeypatch: pytest.MonkeyPatch) -> str:
    move_host_clock(monkeypatch, BEIJING_MORNING)
    assert date.today() == date(2024, 8, 19)  # the host still lives on the day before
    return host_zone


@pytest.mark.parametrize("served_at", ["2024-08-20T07:30:00", "2024-08-19T23:30:00Z"])
def test_a_breakfast_at_0730_in_beijing_is_accepted_while_the_host_is_on_the_day_before(
    seeded: Registry, api: Api, beijing_morning: str, served_at: str
) -> None:
    # given a canteen and an elder (the registry's own clock: no test clock injected)
    seed_meal_policies(seeded.policies)
    point, elder = register_point(api), enrol(api)

    # when the breakfast served at 07:30 Beijing time is uploaded at 07:45 Beijing time
    payload = upload(api, point, "B-0820", [record(elder, served_at, "r1", "breakfast")])

    # then it is recorded on the 20th, at 07:30
    assert payload["errors"] == []
    assert [o["status"] for o in payload["outcomes"]] == ["accepted"], payload["outcomes"]
    meals = api.data("{ meals(first: 5) { edges { node { servedOn servedAt slot } } } }")
    served = [edge["node"] for edge in meals["meals"]["edges"]]
    assert served == [{"servedOn": "2024-08-20", "servedAt": "07:30:00", "slot": "breakfast"}]


def test_a_breakfast_after_the_present_moment_in_beijing_is_still_in_the_future(
    seeded: Registry, api: Api, beijing_morning: str
) -> None:
    seed_meal_policies(seeded.policies)
    point, elder = register_point(api), enrol(api)
    payload = upload(api, point, "B-0821", [record(elder, "2024-08-21T07:30", "r1", "breakfast")])
    assert [o["reasonCode"] for o in payload["outcomes"]] == ["served_in_future"]
    assert payload["acceptedCount"] == 0


def test_the_books_default_to_todays_date_in_beijing(
    seeded: Registry, api: Api, beijing_morning: str
) -> None:
    books = api.data('{ trialBalance(villageCode: "320117107206") { asOf } }')
    assert books["trialBalance"]["asOf"] == "2024-08-20"
    balance = api.data(
        '{ accountBalance(villageCode: "320117107206", accountCode: "101") { asOf } }'
    )
    assert balance["accountBalance"]["asOf"] == "2024-08-20"


def test_a_token_cannot_be_issued_to_expire_on_todays_date_in_beijing(
    seeded: Registry, beijing_morning: str
) -> None:
    before = seeded.store.last_notification_id()
    with pytest.raises(DomainError) as refused:
        seeded.access.issue_token("platform", [], "short-lived", ISSUER, date(2024, 8, 20))
    assert refused.value.code == "token_expiry_not_in_future"
    assert seeded.store.last_notification_id() == before


def test_a_token_stops_working_at_midnight_in_beijing(
    seeded: Registry, api: Api, host_zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a token whose first day without validity is 2024-08-21, issued on the 20th
    move_host_clock(monkeypatch, BEIJING_MORNING)
    secret = seeded.access.issue_token(
        "platform", [], "short-lived", ISSUER, date(2024, 8, 21)
    ).secret
    client = api.with_token(secret)
    assert client.post("{ towns(first: 1) { totalCount } }").status_code == 200

    # when it is half past midnight on the 21st in Beijing (still the 20th on the host)
    move_host_clock(monkeypatch, datetime(2024, 8, 20, 16, 30, tzinfo=UTC))
    assert date.today() == date(2024, 8, 20)

    # then the token no longer works
    response = client.post("{ towns(first: 1) { totalCount } }")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def first_recorded_at(api: Api, aggregate_id: str) -> datetime:
    query = "query($id: ID!) { history(aggregateId: $id) { recordedAt } }"
    events = api.auditor.data(query, {"id": aggregate_id})["history"]
    return datetime.fromisoformat(events[0]["recordedAt"]).astimezone(UTC)


def test_a_time_without_an_offset_is_read_as_beijing_time(
    seeded: Registry, api: Api, host_zone: str
) -> None:
    # given an asset recorded at R (UTC), and a time written without an offset that is R + 4 h
    # as a UTC wall clock: as Beijing time it is R − 4 h, before anything was recorded
    asset = str(leased_building(seeded.assets))
    recorded = first_recorded_at(api, asset)
    text = naive_utc_wall_clock(recorded + timedelta(hours=4))

    # when the books and the asset are read as known at that time
    books = api.auditor.data(
        """query($at: DateTime) { trialBalance(villageCode: "320117107206", asOf: "2026-12-31",
             knownAt: $at) { totalDebit knownAt } }""",
        {"at": text},
    )["trialBalance"]
    state = api.auditor.post(
        "query($id: ID!, $at: DateTime) { aggregateAt(id: $id, at: $at) { version } }",
        {"id": asset, "at": text},
    ).json()

    # then both are read as of R − 4 h: nothing was known yet
    assert books["totalDebit"] == "0.00"
    known = datetime.fromisoformat(books["knownAt"])
    assert known == recorded - timedelta(hours=4)
    assert state["errors"][0]["extensions"]["code"] == "aggregate_not_recorded_by_then"


def test_a_time_with_an_offset_keeps_it(seeded: Registry, api: Api, host_zone: str) -> None:
    asset = str(leased_building(seeded.assets))
    recorded = first_recorded_at(api, asset)
    later = (recorded + timedelta(hours=1)).astimezone(UTC).isoformat()
    state = api.auditor.data(
        "query($id: ID!, $at: DateTime) { aggregateAt(id: $id, at: $at) { version } }",
        {"id": asset, "at": later},
    )
    assert state["aggregateAt"]["version"] >= 1
