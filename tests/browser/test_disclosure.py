"""村务公开 in a real browser with no internet: the accountant drafts October's disclosure,
records the democratic finance group's review (too few members first: refused beside the
field) and publishes it; then a stranger, never signed in, reads the notice, and it prints to
PDF on A4 and, as the wall notice, on A3. Screenshots go to var/screenshots/ (the guide's
pictures, docs/workbench/disclosure.md, are taken from them)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from domain.shared.clock import Clock, time_zone
from qianwan.bootstrap import bootstrap
from tests.browser.conftest import ISSUER, LiveServer, offline_page, screenshot, serving, sign_in
from tests.conftest import make_settings
from tests.support import (
    OPERATOR,
    VILLAGE,
    contracted_building,
    enrol_elder,
    lease_contract,
    meal,
    meals_registry,
    register_canteen,
    seed_places,
)
from tests.users_support import CHEAP, PASSWORD

USERNAME = "wukuaiji"
NOON_12_NOVEMBER = datetime(2026, 11, 12, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
LESSEE = "王小明"
ELDERS = [("张桂英", date(1944, 5, 6), "123"), ("李德明", date(1938, 7, 9), "135")]
# A PDF page's size in points: A4 is 595.28 × 841.89, A3 841.89 × 1190.55
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]")


@pytest.fixture(scope="module")
def notice_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A registry of its own whose clock says 2026-11-12: a building leased to a person and
    two elders served lunch in October, in 乌村桥村."""
    started = time.perf_counter()
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("notice"))
    clock = Clock(time_zone("Asia/Shanghai"), lambda: NOON_12_NOVEMBER)
    registry = bootstrap(settings, clock=clock)
    seed_places(registry.places, registry.policies)
    contract = replace(lease_contract(), counterparty_name=LESSEE, counterparty_kind="person")
    contracted_building(registry.assets, contract)
    meals = meals_registry(registry)
    meals.today = clock.today
    point = register_canteen(meals)
    elders = [enrol_elder(meals, n, b, s) for n, b, s in ELDERS]
    for day in range(6, 31):
        served = [meal(f"{day}-{n}", e, f"2026-10-{day:02d} 11:3{n}") for n, e in enumerate(elders)]
        meals.record_meals(point, f"B{day}", served, OPERATOR)
    registry.users.hasher = CHEAP
    registry.users.create_user(USERNAME, "吴会计", PASSWORD, "accountant", [VILLAGE], ISSUER)
    with serving(registry, started) as server:
        yield server


@pytest.fixture
def notice_page(
    browser: Browser,
    notice_server: LiveServer,
    blocked_requests: list[str],
    page_errors: list[str],
) -> Iterator[Page]:
    with offline_page(browser, notice_server, blocked_requests, page_errors) as page:
        yield page


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    return {(round(float(w)), round(float(h))) for w, h in _MEDIA_BOX.findall(pdf)}


def test_the_accountant_publishes_and_a_stranger_reads_and_prints_it(
    browser: Browser,
    notice_server: LiveServer,
    notice_page: Page,
    blocked_requests: list[str],
    page_errors: list[str],
) -> None:
    page = notice_page
    sign_in(page, USERNAME, PASSWORD)
    page.get_by_role("link", name="村务公开").first.click()
    expect(page.get_by_role("heading", name="乌村桥村 村务公开")).to_be_visible()
    page.get_by_role("link", name="编制公开表").click()
    page.get_by_label("公开期间").select_option("2026-10")
    screenshot(page, "workbench-disclosure-draft")
    page.get_by_role("button", name="编制").click()
    expect(page.locator("#state")).to_have_text("草稿")

    page.get_by_label("审核日期").fill("2026-11-05")
    page.get_by_label("参加审核的民主理财小组成员").fill("李民主\n赵理财")
    page.get_by_label("审核结论").select_option("yes")
    page.get_by_label("审核意见").fill("账实相符，同意公布。")
    page.get_by_role("button", name="记录审核结果").click()
    expect(page.locator("#review .field.invalid p.error")).to_be_visible()
    page.get_by_label("参加审核的民主理财小组成员").fill("李民主\n赵理财\n钱小组")
    page.get_by_role("button", name="记录审核结果").click()
    expect(page.locator("#state")).to_have_text("已审核")
    screenshot(page, "workbench-disclosure-reviewed")
    page.get_by_label("公布日期").fill("2026-11-08")
    page.get_by_role("button", name="公布").click()
    expect(page.locator("#state")).to_have_text("已公开")
    public_url = page.get_by_role("link", name="公开栏上的这一版").get_attribute("href")
    assert public_url is not None and public_url.startswith("/public/disclosures/")

    with offline_page(browser, notice_server, blocked_requests, page_errors) as stranger:
        stranger.goto("/public")
        stranger.get_by_role("link", name=re.compile("乌村桥村")).click()
        stranger.get_by_role("link", name="2026年10月").click()
        expect(stranger.get_by_role("heading", name="乌村桥村 2026年10月财务公开")).to_be_visible()
        html = stranger.content()
        assert LESSEE not in html and "王*" in html
        assert all(name not in html for name, _, _ in ELDERS)
        assert "李民主" not in html and "3 名成员参加" in html
        assert stranger.context.cookies() == []
        screenshot(stranger, "public-disclosure-notice")
        stranger.emulate_media(media="print")
        screenshot(stranger, "public-disclosure-print-a4")
        a4 = stranger.pdf(prefer_css_page_size=True, print_background=True)
        assert a4.startswith(b"%PDF") and page_sizes(a4) == {(595, 842)}

        stranger.goto(public_url + "?size=a3")
        screenshot(stranger, "public-disclosure-print-a3")
        a3 = stranger.pdf(prefer_css_page_size=True, print_background=True)
        assert a3.startswith(b"%PDF") and page_sizes(a3) == {(842, 1191)}
        expect(stranger.locator("header.top")).to_be_hidden()
    assert blocked_requests == [] and page_errors == []
