"""The accountant's main flow in a real browser with no internet: sign in, the home page's
cards, the asset register, an asset, a rent bill recorded, a payment refused beside its field and
then recorded. Served from a registry of its own with demo-like data (dates around today), so
the home page has rent due, arrears and a contract ending soon. Saves the screenshots the guide
shows (docs/workbench/assets.md) to var/screenshots/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from api.web.home import month_bounds
from api.web.messages import message_zh
from domain.assets.application import AssetApplication, ContractInput, InstallmentInput
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry, bootstrap
from tests.browser.conftest import LiveServer, offline_page, screenshot, serving, sign_in
from tests.conftest import make_settings
from tests.support import (
    ACCOUNTANT,
    OTHER_VILLAGE,
    VILLAGE,
    enrol_elder,
    meal,
    record_one,
    register_canteen,
    resolution,
    seed_meal_policies,
    seed_places,
)

ADMIN = Provenance("admin:browser-tests")
USERNAME, PASSWORD = "wangkuaiji", "Qianwan-ceshi-2026"
WAIT_MS = 20_000


def asset(assets: AssetApplication, code: str, name: str, kind: str, area: str, book: str) -> UUID:
    return assets.register_asset(
        VILLAGE,
        code,
        name,
        kind,
        area,
        f"乌村桥村{code[-1]}组",
        date(2024, 1, 10),
        ACCOUNTANT,
        book_value_yuan=book,
    )


def leased(
    assets: AssetApplication,
    key: UUID,
    number: str,
    who: str,
    start: date,
    end: date,
    yearly: str,
    bidding: bool,
) -> None:
    certificate = f"苏(2024)溧水区不动产权第{number[-2:]:0>7}号"
    assets.confirm_rights(key, certificate, date(2024, 2, 1), ACCOUNTANT)
    assets.approve_revitalization(key, "lease", resolution(), ACCOUNTANT)
    if bidding:
        assets.list_for_bidding(
            key, "溧水区农村产权交易中心", f"LS-{number}", date(2024, 3, 5), yearly, ACCOUNTANT
        )
    schedule = [
        InstallmentInput(date(y, 1, 15), yearly, date(y, 1, 1), date(y, 12, 31))
        for y in range(start.year, end.year)
    ]
    contract = ContractInput(
        number,
        "lease",
        who,
        "organization" if "公司" in who else "person",
        start - timedelta(days=10),
        start,
        end,
        schedule,
        bidding,
    )
    assets.sign_contract(key, contract, ACCOUNTANT)


def demo(registry: Registry) -> UUID:
    """Four assets of 乌村桥村 around today: rent due this month, a bill in arrears, a lease
    ending in 45 days; returns the leased building's id."""
    seed_places(registry.places, registry.policies)
    assets, today = registry.assets, registry.clock.today()
    first, last, _ = month_bounds(today)
    year, last_year = date(today.year, 1, 1), today.year - 1
    building = asset(assets, "ZC-001", "村部旧楼", "collective_building", "320.5", "120000")
    leased(
        assets,
        building,
        f"HT-{last_year}-01",
        "南京某文旅有限公司",
        date(today.year - 1, 1, 1),
        date(today.year + 4, 12, 31),
        "36000",
        True,
    )
    key = building
    assets.invoice_rent(
        key,
        f"ZD-{last_year}-01",
        "36000",
        date(today.year - 1, 1, 1),
        date(today.year - 1, 1, 15),
        date(today.year - 1, 1, 1),
        date(today.year - 1, 12, 31),
        ACCOUNTANT,
    )
    assets.receive_rent(
        key,
        f"SK-{last_year}-01",
        f"ZD-{last_year}-01",
        "36000",
        date(last_year, 1, 12),
        ACCOUNTANT,
    )
    assets.invoice_rent(
        key,
        f"ZD-{today.year}-01",
        "36000",
        year,
        year + timedelta(days=14),
        year,
        date(today.year, 12, 31),
        ACCOUNTANT,
    )
    assets.receive_rent(
        key,
        f"SK-{today.year}-01",
        f"ZD-{today.year}-01",
        "20000",
        year + timedelta(days=10),
        ACCOUNTANT,
    )
    house = asset(assets, "ZC-002", "张家闲置农房", "idle_farmhouse", "186", "45000")
    leased(
        assets,
        house,
        f"HT-{last_year}-02",
        "李建国",
        date(today.year - 1, 1, 1),
        today + timedelta(days=45),
        "8000",
        False,
    )
    assets.invoice_rent(
        house,
        f"ZD-{first:%Y%m}",
        "8000",
        first,
        last,
        first,
        min(last, today + timedelta(days=45)),
        ACCOUNTANT,
    )
    granary = asset(assets, "ZC-003", "老粮站", "collective_building", "450.25", "86000")
    assets.confirm_rights(granary, "苏(2024)溧水区不动产权第0003号", date(2024, 2, 1), ACCOUNTANT)
    assets.approve_revitalization(granary, "lease", resolution(), ACCOUNTANT)
    asset(assets, "ZC-004", "村东四荒地", "four_wastes_land", "12000", "0")
    seed_meal_policies(registry.policies)
    canteen = register_canteen(registry.meals)
    for n, (name, born) in enumerate((("张桂英", date(1944, 5, 6)), ("陈玉兰", date(1941, 2, 3)))):
        elder = enrol_elder(registry.meals, name, born, f"12{n}")
        record_one(registry.meals, canteen, meal(f"R{n}", elder, f"{today} 11:30"), f"B{n}")
    registry.users.create_user(
        USERNAME, "王会计", PASSWORD, "accountant", [VILLAGE, OTHER_VILLAGE], ADMIN
    )
    return building


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, UUID]]:
    started = time.perf_counter()
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("assets"))
    registry = bootstrap(settings)
    building = demo(registry)
    with serving(registry, started) as server:
        yield server, building


def guide_shot(page: Page, name: str) -> Path:
    """A screenshot for the guide, 1280 px wide."""
    return screenshot(page, f"workbench-assets-{name}")


def test_an_accountant_bills_and_receives_rent_in_the_browser(
    browser: Browser, demo_server: tuple[LiveServer, UUID]
) -> None:
    server, building = demo_server
    blocked, errors = list[str](), list[str]()
    with offline_page(browser, server, blocked, errors) as page:
        accountant_flow(page, server, building, blocked, errors)


def accountant_flow(
    page: Page, server: LiveServer, building: UUID, blocked: list[str], errors: list[str]
) -> None:

    # given the accountant signed in
    sign_in(page, USERNAME, PASSWORD, "/")

    # then the home page shows the village at a glance
    expect(page.locator("#card-due")).to_contain_text("8,000.00", timeout=WAIT_MS)
    expect(page.locator("#card-arrears")).to_contain_text("16,000.00")
    expect(page.locator("#card-meals")).to_contain_text("2 餐 · 补贴 4.00 元")
    expect(page.locator("#ending")).to_contain_text("张家闲置农房")
    guide_shot(page, "home")

    # when they open the register and the leased building
    page.get_by_role("link", name="资产", exact=True).click()
    expect(page.locator("table.assets")).to_contain_text("老粮站")
    page.get_by_role("link", name="村部旧楼").click()
    expect(page.get_by_role("heading", name="村部旧楼")).to_be_visible()

    # and bill the rent of a quarter
    page.get_by_role("link", name="开具租金账单").click()
    today = server.registry.clock.today()
    page.get_by_label("账单编号").fill("ZD-TEST-01")
    page.get_by_label("金额").fill("9000")
    page.get_by_label("应收日期").fill(today.isoformat())
    page.get_by_label("所属期间起").fill(date(today.year, 1, 1).isoformat())
    page.get_by_label("所属期间止").fill(date(today.year, 3, 31).isoformat())
    page.get_by_role("button", name="开具").click()
    expect(page.locator(".notice")).to_have_text("已记录。", timeout=WAIT_MS)
    expect(page.locator("body")).to_contain_text("ZD-TEST-01")

    # and receive more than is owed on it: refused beside the amount, nothing recorded
    before = server.registry.store.last_notification_id()
    page.goto(f"/assets/{building}/receive?invoice=ZD-TEST-01")
    page.get_by_label("收据编号").fill("SK-TEST-01")
    page.get_by_label("收款金额").fill("9000.01")
    page.get_by_role("button", name="记录收款").click()
    expect(page.locator("#e-amount")).to_have_text(message_zh("payment_exceeds_amount_due"))
    guide_shot(page, "refused")
    assert server.registry.store.last_notification_id() == before

    # then the right amount is recorded
    page.get_by_label("收款金额").fill("9000")
    page.get_by_role("button", name="记录收款").click()
    expect(page.locator(".notice")).to_have_text("已记录。", timeout=WAIT_MS)
    guide_shot(page, "detail")
    assert blocked == [] and errors == []  # nothing from the internet, no script error
