"""The 老年助餐 pages in a real browser with no internet: an accountant signs in, enrols an elder
(a wrong ID number first: refused beside its field), records a lunch for two elders, drafts the
July settlement and submits it. Screenshots of each page go to var/screenshots/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from domain.shared.clock import Clock, time_zone
from qianwan.bootstrap import bootstrap
from tests.browser.conftest import ISSUER, LiveServer, offline_page, screenshot, serving, sign_in
from tests.conftest import make_settings
from tests.support import (
    OPERATOR,
    OTHER_VILLAGE,
    VILLAGE,
    enrol_elder,
    make_id_number,
    meal,
    meals_registry,
    register_canteen,
    seed_places,
)
from tests.users_support import CHEAP, PASSWORD

USERNAME = "zhoukuaiji"
NOON_20_AUGUST = datetime(2024, 8, 20, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
PEOPLE = [
    ("张桂英", date(1944, 5, 6), "123", "dibao"),
    ("王秀兰", date(1940, 3, 1), "246", "age_80"),
    ("李德明", date(1938, 7, 9), "135", "care_dependent"),
    ("赵淑珍", date(1941, 11, 23), "368", "tekun"),
]


@pytest.fixture(scope="module")
def meals_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, UUID]]:
    """A registry of its own whose clock says 2024-08-20: a canteen, four elders, a July and
    most of an August of lunches."""
    started = time.perf_counter()
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("meals"))
    clock = Clock(time_zone("Asia/Shanghai"), lambda: NOON_20_AUGUST)
    registry = bootstrap(settings, clock=clock)
    seed_places(registry.places, registry.policies)
    meals = meals_registry(registry)
    point = register_canteen(meals)
    register_canteen(meals, "ST-02", OTHER_VILLAGE, "collective", 60, False)
    elders = [enrol_elder(meals, n, b, s, ((c, date(2024, 1, 1)),)) for n, b, s, c in PEOPLE]
    for day in [date(2024, 7, d) for d in range(1, 32)] + [date(2024, 8, d) for d in range(1, 19)]:
        records = [
            meal(f"{day}-{n}", elder, f"{day} 11:{10 + n:02d}")
            for n, elder in enumerate(elders)
            if (day.day + n) % 3
        ]
        meals.record_meals(point, str(day), records, OPERATOR)
    registry.users.hasher = CHEAP
    registry.users.create_user(USERNAME, "周会计", PASSWORD, "accountant", [VILLAGE], ISSUER)
    with serving(registry, started) as server:
        yield server, point


@pytest.fixture
def meals_page(
    browser: Browser,
    meals_server: tuple[LiveServer, UUID],
    blocked_requests: list[str],
    page_errors: list[str],
) -> Iterator[Page]:
    """As the harness's ``page``, on this module's server: every other request is aborted."""
    server, _ = meals_server
    with offline_page(browser, server, blocked_requests, page_errors) as page:
        yield page


def test_an_accountant_enrols_records_meals_and_settles_a_month(
    meals_page: Page, blocked_requests: list[str], page_errors: list[str]
) -> None:
    page = meals_page

    # given an accountant signed in, on the meals overview
    sign_in(page, USERNAME, PASSWORD, "/signin")
    page.get_by_role("link", name="老年助餐").first.click()
    expect(page.get_by_role("heading", name="老年助餐")).to_be_visible()
    expect(page.get_by_role("link", name="长者食堂ST-01")).to_be_visible()
    screenshot(page, "workbench-meals-overview")

    # when they open the canteen and enrol an elder with a mistyped ID number
    page.get_by_role("link", name="长者食堂ST-01").click()
    expect(page.get_by_role("heading", name="本村登记的老人")).to_be_visible()
    screenshot(page, "workbench-meals-point")
    page.get_by_role("link", name="登记老人").click()
    number = make_id_number(date(1948, 1, 1), "555")
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    page.get_by_label("姓名").fill("孙秀英")
    page.get_by_label("身份证号码").fill(wrong)
    page.get_by_label("补贴类别").select_option("dibao")
    page.get_by_role("button", name="登记").click()
    # then the refusal is beside the ID field, in Chinese
    expect(page.locator("#e-id_number")).to_contain_text("校验码")
    screenshot(page, "workbench-meals-enrol-refused")
    # and with the right number the elder is enrolled, shown masked
    page.get_by_label("身份证号码").fill(number)
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已记录。")).to_be_visible()
    expect(page.get_by_role("cell", name="孙*")).to_be_visible()

    # when they record a lunch for two elders
    page.get_by_role("link", name="登记用餐").click()
    page.get_by_label("用餐时间").fill("2024-08-19T11:40")
    page.get_by_label("餐次").select_option("lunch")
    page.get_by_label("张*").check()
    page.get_by_label("王*").check()
    screenshot(page, "workbench-meals-record")
    page.get_by_role("button", name="登记用餐").click()
    # then both are recorded
    expect(page.get_by_role("heading", name="用餐登记结果")).to_be_visible()
    expect(page.locator("td.status", has_text="已记录")).to_have_count(2)
    screenshot(page, "workbench-meals-batch")

    # when they draft July's settlement and submit it
    page.get_by_role("link", name="返回助餐点").click()
    page.get_by_role("link", name="编制月度结算").click()
    expect(page.get_by_label("结算月份")).to_have_value("2024-07")
    page.get_by_role("button", name="编制结算单").click()
    expect(page.get_by_role("heading", name="结算明细")).to_be_visible()
    expect(page.get_by_role("cell", name="低保")).to_be_visible()
    screenshot(page, "workbench-meals-settlement")
    page.get_by_role("button", name="提交").click()
    # then it is submitted, and no second submit is offered
    expect(page.get_by_text("已记录。")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("已提交")
    assert page.get_by_role("heading", name="提交民政部门").count() == 0

    # nothing came from anywhere else, and no script or style was refused (the one error the
    # console shows is the refused form's answer, 400)
    assert blocked_requests == []
    assert [e for e in page_errors if "status of 400" not in e] == []
    assert len(page_errors) <= 1
