"""Spreadsheets in, in a real browser with no internet: an accountant signs in, downloads the
sign-in sheet's template, uploads a filled sheet with a bad row, sees every row's outcome with
its row number before anything is recorded, confirms, and sees what was recorded; the same file
again records nothing new. Screenshots of each page go to var/screenshots/."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from api.web.xlsx import XLSX_TYPE
from domain.shared.clock import Clock, time_zone
from qianwan.bootstrap import Registry, bootstrap
from tests.browser.conftest import ISSUER, LiveServer, offline_page, screenshot, serving, sign_in
from tests.conftest import make_settings
from tests.support import (
    VILLAGE,
    enrol_elder,
    make_id_number,
    meals_registry,
    register_canteen,
    seed_places,
)
from tests.users_support import CHEAP, PASSWORD
from tests.web.uploads_support import MEAL_HEADERS, workbook

USERNAME = "wukuaiji"
NOON_20_AUGUST = datetime(2024, 8, 20, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
PEOPLE = [
    ("张桂英", date(1944, 5, 6), "123"),
    ("王秀兰", date(1940, 3, 1), "246"),
    ("李德明", date(1938, 7, 9), "135"),
    ("赵淑珍", date(1941, 11, 23), "368"),
]


@pytest.fixture(scope="module")
def uploads_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A registry of its own whose clock says 2024-08-20: a canteen and four elders."""
    started = time.perf_counter()
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("uploads"))
    clock = Clock(time_zone("Asia/Shanghai"), lambda: NOON_20_AUGUST)
    registry = bootstrap(settings, clock=clock)
    seed_places(registry.places, registry.policies)
    meals = meals_registry(registry)
    register_canteen(meals)
    for name, born, sequence in PEOPLE:
        enrol_elder(meals, name, born, sequence)
    registry.users.hasher = CHEAP
    registry.users.create_user(USERNAME, "吴会计", PASSWORD, "accountant", [VILLAGE], ISSUER)
    with serving(registry, started) as server:
        yield server


@pytest.fixture
def uploads_page(
    browser: Browser,
    uploads_server: LiveServer,
    blocked_requests: list[str],
    page_errors: list[str],
) -> Iterator[Page]:
    """As the harness's ``page``, on this module's server: every other request is aborted."""
    with offline_page(
        browser, uploads_server, blocked_requests, page_errors, downloads=True
    ) as page:
        yield page


def filled_sheet(template: bytes) -> bytes:
    """The template as a canteen fills it for the lunch of 19 August: four elders picked from
    the list, one by ID number with a dinner delivered, one lunch at 14:45 (after the window)
    and one ID number nobody enrolled."""
    names = load_workbook(io.BytesIO(template))["老人名单"]
    labels = [str(c.value) for (c,) in names.iter_rows(min_row=2)]
    day = datetime(2024, 8, 19)
    rows: list[list[Any]] = [
        [label, None, day, "午餐", clock_time(11, 20 + 5 * n), "否"]
        for n, label in enumerate(labels[:3])
    ]
    rows.append([None, make_id_number(date(1941, 11, 23), "368"), day, "晚餐", "17:50", "是"])
    rows.append([labels[3], None, "2024/8/19", "午餐", "14:45", "否"])
    rows.append([None, make_id_number(date(1950, 1, 1), "999"), day, "午餐", "11:45", "否"])
    return workbook(MEAL_HEADERS, rows)


def last_event(registry: Registry) -> int:
    return registry.store.last_notification_id()


def test_an_accountant_uploads_a_sign_in_sheet_with_a_bad_row(
    uploads_page: Page,
    uploads_server: LiveServer,
    blocked_requests: list[str],
    page_errors: list[str],
) -> None:
    page = uploads_page
    registry = uploads_server.registry

    # given an accountant signed in, on the uploads page
    sign_in(page, USERNAME, PASSWORD, "/signin")
    page.get_by_role("link", name="导入表格").first.click()
    expect(page.get_by_role("heading", name="导入表格", exact=True)).to_be_visible()
    screenshot(page, "workbench-uploads-index")

    # when they download the canteen's template and fill it in
    with page.expect_download() as downloading:
        page.locator("#meals").get_by_role("button", name="下载模板").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".xlsx")
    template = Path(download.path()).read_bytes()
    content = filled_sheet(template)
    before = last_event(registry)

    # and upload it
    page.locator("#f-meals-file").set_input_files(
        {"name": "签到表-8月19日.xlsx", "mimeType": XLSX_TYPE, "buffer": content}
    )
    page.locator("#meals").get_by_role("button", name="上传并预览").click()

    # then every row is shown with its row number and outcome, and nothing is recorded
    expect(page.get_by_role("heading", name="助餐签到表 · 预览")).to_be_visible()
    expect(page.locator("#row-2 td.status")).to_have_text("接受")
    expect(page.locator("#row-6")).to_contain_text("time_outside_slot_window")
    expect(page.locator("#row-7")).to_contain_text("elder_unknown")
    expect(page.locator("#n-accepted")).to_have_text("4")
    expect(page.locator("#n-refused")).to_have_text("2")
    assert last_event(registry) == before
    screenshot(page, "workbench-uploads-preview")

    # when they confirm
    page.get_by_role("button", name="确认记录 4 行").click()

    # then the four meals are recorded in one batch, the refusals kept on it
    expect(page.get_by_role("heading", name="助餐签到表 · 导入结果")).to_be_visible()
    expect(page.locator("#n-accepted")).to_have_text("4")
    assert last_event(registry) > before
    screenshot(page, "workbench-uploads-result")
    after = last_event(registry)

    # and the same file again records nothing new
    page.goto("/uploads")
    page.locator("#f-meals-file").set_input_files(
        {"name": "签到表-8月19日.xlsx", "mimeType": XLSX_TYPE, "buffer": content}
    )
    page.locator("#meals").get_by_role("button", name="上传并预览").click()
    expect(page.locator("#n-already")).to_have_text("4")
    expect(page.get_by_role("button", name="确认记录 4 行")).to_have_count(0)
    assert last_event(registry) == after

    assert blocked_requests == [] and page_errors == []
