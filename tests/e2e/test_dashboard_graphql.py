"""The dashboard through GraphQL: who may read it, what it refuses (with a code, recording
nothing), and that it names no one. The whole demo district fills it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from api.dashboard.types import MAX_DASHBOARD_MONTHS
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.integration.test_summary import busy_district
from tests.support import DISTRICT, TOWN

QUERY = """
query ($place: String!, $from: String!, $to: String!) {
  dashboard(placeCode: $place, fromMonth: $from, toMonth: $to) {
    placeCode placeName level fromMonth toMonth asOn
    totals { key name meals price government collective coPayment eldersServed income
             assetsInForce landContracts landAreaM2 landPrice installmentsReceived levyPaid
             arrearsInvoices arrears findings overdueDisclosures }
    months { key meals eldersServed income assetsInForce landPrice findings }
    days { day meals price government collective coPayment }
    areas { key name meals eldersServed income arrears findings }
    assetsByMode { month mode assets }
    findingsByKind { kind count }
  }
}"""
MAY = {"place": DISTRICT, "from": "2024-04", "to": "2024-06"}


def answer(api: Api, variables: dict[str, Any]) -> dict[str, Any]:
    response = api.post(QUERY, variables)
    assert response.status_code in (200, 400), response.text  # 400: refused before it ran
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("role", ["platform", "auditor"])
def test_the_platform_and_auditors_read_a_district_and_a_town(
    seeded: Registry, api: Api, role: str
) -> None:
    busy_district(seeded)
    reader = api.as_role(role)
    board = reader.data(QUERY, MAY)["dashboard"]
    assert board["level"] == "district" and board["placeName"]
    assert board["totals"]["meals"] == 123 and board["totals"]["eldersServed"] == 2
    assert [m["key"] for m in board["months"]] == ["2024-04", "2024-05", "2024-06"]
    assert len(board["days"]) == 31
    assert board["asOn"] == seeded.clock.today().isoformat()
    assert board["totals"]["overdueDisclosures"] > 0  # posted since 2024, published nothing
    town = reader.data(QUERY, {**MAY, "place": TOWN})["dashboard"]
    assert town["level"] == "town" and town["totals"]["meals"] == 123
    assert all(len(a["key"]) == 12 for a in town["areas"])


def test_it_names_no_one(seeded: Registry, api: Api) -> None:
    busy_district(seeded)
    text = api.platform.post(QUERY, MAY).text
    for name in ("张桂英", "王秀兰", "320117194"):  # the elders' names, an ID number's start
        assert name not in text


@pytest.mark.parametrize("role", ["accountant", "admin"])
def test_other_roles_are_forbidden(seeded: Registry, api: Api, role: str) -> None:
    reader = api.as_role(role)
    assert reader.token  # issued before counting
    before = seeded.store.last_notification_id()
    body = answer(reader, MAY)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] == {"dashboard": None}
    assert seeded.store.last_notification_id() == before


@pytest.mark.parametrize(
    ("place", "first", "last", "code"),
    [
        ("32011", "2024-01", "2024-02", "invalid_input"),
        ("3201171071", "2024-01", "2024-02", "invalid_input"),
        ("320117\x00", "2024-01", "2024-02", "text_contains_forbidden_character"),
        ("３２０１１７", "2024-01", "2024-02", "invalid_input"),
        (DISTRICT, "2024-13", "2024-12", "invalid_input"),
        (DISTRICT, "2024-1", "2024-12", "invalid_input"),
        (DISTRICT, "0000-01", "0000-02", "invalid_input"),
        (DISTRICT, "1799-12", "1800-01", "date_out_of_range"),
        (DISTRICT, "2999-12", "3000-01", "date_out_of_range"),
        (DISTRICT, "2024-06", "2024-05", "dashboard_range_invalid"),
        (DISTRICT, "2024-01", "2025-12\u202e", "text_contains_forbidden_character"),
        (DISTRICT, "2023-01", "2025-01", "dashboard_range_invalid"),  # 25 months
        (DISTRICT, "1800-01", "2999-12", "dashboard_range_invalid"),
    ],
)
def test_a_bad_place_or_range_is_refused_with_a_code(
    seeded: Registry, api: Api, place: str, first: str, last: str, code: str
) -> None:
    platform = api.platform
    assert platform.token  # issued before counting
    before = seeded.store.last_notification_id()
    body = answer(platform, {"place": place, "from": first, "to": last})
    assert body["errors"][0]["extensions"]["code"] == code
    assert seeded.store.last_notification_id() == before


def test_the_calendar_s_ends_and_the_longest_run_answer(seeded: Registry, api: Api) -> None:
    platform = api.platform
    for first, last in (("1800-01", "1800-01"), ("2998-01", "2999-12"), ("2023-01", "2024-12")):
        board = platform.data(QUERY, {"place": DISTRICT, "from": first, "to": last})["dashboard"]
        assert board["totals"]["meals"] == 0
    assert len(board["months"]) == MAX_DASHBOARD_MONTHS
    assert platform.data(QUERY, {**MAY, "place": "320199"}) == {"dashboard": None}
    assert platform.data(QUERY, {**MAY, "place": "320117999"}) == {"dashboard": None}


def test_the_demo_district_fills_the_dashboard(demo: Registry, demo_api: Api) -> None:
    today = demo.clock.today()
    back = today.year * 12 + today.month - 1 - (MAX_DASHBOARD_MONTHS - 1)  # the page's default
    first = f"{back // 12:04d}-{back % 12 + 1:02d}"
    board = demo_api.data(QUERY, {"place": DISTRICT, "from": first, "to": f"{today:%Y-%m}"})
    totals = board["dashboard"]["totals"]
    assert totals["meals"] > 0 and totals["eldersServed"] > 0
    assert totals["assetsInForce"] > 0 and totals["landContracts"] > 0
    assert date.fromisoformat(board["dashboard"]["asOn"]) == today
