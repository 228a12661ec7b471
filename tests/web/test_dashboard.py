"""The dashboard page (/dashboard): the district platform and auditors see a district's and a
town's figures as tables and as the charts' JSON; other roles are refused; bad values are shown
as refusals beside their fields, never a 500; no one is named."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from api.web.messages import message_zh
from qianwan.bootstrap import Registry
from tests.integration.test_summary import busy_district
from tests.support import DISTRICT, TOWN
from tests.web.conftest import WebClient

RANGE = "from=2024-04&to=2024-06"


def charts_of(page: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="dashboard-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.mark.parametrize("role", ["platform", "auditor"])
def test_a_district_and_its_towns(seeded: Registry, web: WebClient, role: str) -> None:
    busy_district(seeded)
    reader = web.as_role(role)
    before = seeded.store.last_notification_id()
    page = reader.get(f"/dashboard?place={DISTRICT}&{RANGE}")
    assert page.status_code == 200, page.text
    assert "数据大屏" in page.text and 'href="/dashboard"' in page.text  # in the menu
    charts = charts_of(page.text)
    assert charts["level"] == "district" and charts["months"] == ["2024-04", "2024-05", "2024-06"]
    assert charts["meals"] == [0, 123, 0] and len(charts["dayMeals"]) == 31
    assert [a["code"] for a in charts["areas"] if a["meals"]] == [TOWN]
    # the same figures as tables, and a link to the town's own dashboard
    assert "<td>2024-05</td><td>123</td><td>2</td>" in page.text
    assert f'href="/dashboard?place={TOWN}&amp;from=2024-04&amp;to=2024-06"' in page.text
    # scripts only from this server: the vendored chart library and the page's own file
    sources = re.findall(r"<script\b([^>]*)>", page.text)
    assert sorted(s.strip() for s in sources) == sorted(
        [
            'type="application/json" id="dashboard-data"',
            'src="/static/vendor/echarts-5.6.0/echarts.min.js"',
            'src="/static/js/dashboard.js"',
        ]
    )
    town = reader.get(f"/dashboard?place={TOWN}&{RANGE}")
    assert town.status_code == 200 and charts_of(town.text)["level"] == "town"
    assert "返回全区" in town.text
    assert seeded.store.last_notification_id() == before  # reading records nothing


def test_by_default_the_last_24_months_of_the_district(seeded: Registry, web: WebClient) -> None:
    page = web.as_role("platform").get("/dashboard")
    assert page.status_code == 200
    months = charts_of(page.text)["months"]
    today = seeded.clock.today()
    assert len(months) == 24 and months[-1] == f"{today:%Y-%m}"


@pytest.mark.parametrize("role", ["accountant", "admin"])
def test_other_roles_are_refused_and_see_no_link(web: WebClient, role: str) -> None:
    client = web if role == "accountant" else web.as_role(role)
    assert client.get(f"/dashboard?place={DISTRICT}").status_code == 403
    assert 'href="/dashboard"' not in client.get("/").text


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("place=32011", "invalid_input"),
        ("place=320117&from=2024-06&to=2024-05", "dashboard_range_invalid"),
        ("place=320117&from=2023-01&to=2025-01", "dashboard_range_invalid"),
        ("place=320117&from=2999-12&to=3000-01", "date_out_of_range"),
        ("place=320117&from=%3Cscript%3E&to=2024-05", "invalid_input"),
    ],
)
def test_bad_values_are_refused_beside_their_field(web: WebClient, query: str, code: str) -> None:
    page = web.as_role("platform").get(f"/dashboard?{query}")
    assert page.status_code == 400
    assert html.escape(message_zh(code), quote=False) in page.text or message_zh(code) in page.text
    assert "dashboard-data" not in page.text and "<script>" not in page.text


def test_an_unknown_place_is_not_found(web: WebClient) -> None:
    page = web.as_role("auditor").get("/dashboard?place=320199&from=2024-01&to=2024-02")
    assert page.status_code == 404 and "未找到该地区" in page.text


def test_the_page_names_no_one(seeded: Registry, web: WebClient) -> None:
    busy_district(seeded)
    page = web.as_role("platform").get(f"/dashboard?place={DISTRICT}&{RANGE}").text
    for name in ("张桂英", "王秀兰"):
        assert name not in page


def test_the_chart_json_cannot_end_its_script_element() -> None:
    from api.web.dashboard import chart_json

    text = str(chart_json({"name": "</script><script>alert(1)</script>&<!--"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>&<!--"}
