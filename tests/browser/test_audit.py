"""The auditor's pages in a real browser with no internet: an auditor signs in, finds the
village's building by its code, reads its history and its state at an earlier version beside
now, looks at May's meal findings and opens a meal behind one, and reads the seal's state after
a verification was recorded. Screenshots of each page go to var/screenshots/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import Browser, Page, expect

from domain.audit.keyfiles import key_id, raw_public_key
from domain.audit.verification import outcome_of, record_verification
from domain.shared.values import Provenance
from projections.audit import sign_checkpoint, verify
from qianwan.bootstrap import bootstrap
from tests.browser.conftest import ISSUER, LiveServer, offline_page, screenshot, serving, sign_in
from tests.conftest import make_settings
from tests.support import (
    ACCOUNTANT,
    OPERATOR,
    enrol_elder,
    leased_building,
    meal,
    meals_registry,
    register_canteen,
    seed_places,
)
from tests.users_support import CHEAP, PASSWORD

USERNAME = "lishenji"


@pytest.fixture(scope="module")
def audit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A leased building with a year's rent billed and paid; a canteen where 张桂英, who died
    on 4 May, had meals claimed after that; a signed checkpoint and one recorded verification."""
    started = time.perf_counter()
    settings, _ = make_settings("sqlite", tmp_path_factory.mktemp("audit"))
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    a = registry.assets
    asset = leased_building(a)
    a.invoice_rent(
        asset,
        "FP-001",
        "30000",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    a.receive_rent(asset, "SJ-001", "FP-001", "30000", date(2024, 4, 10), ACCOUNTANT)
    meals = meals_registry(registry)
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    other = enrol_elder(meals, "王秀兰", date(1940, 3, 1), "246")
    days = [date(2024, 5, d) for d in range(1, 8)]
    records = [meal(f"{d}", elder, f"{d} 11:30") for d in days]
    records += [meal(f"o{d}", other, f"{d} 11:40") for d in days]
    meals.record_meals(point, "B1", records, OPERATOR)
    meals.record_death(elder, date(2024, 5, 4), date(2024, 5, 10), ACCOUNTANT)
    late = [meal("late", elder, "2024-05-09 11:30"), meal("dup", other, "2024-05-02 12:00")]
    meals.record_meals(point, "B2", late, OPERATOR)
    key = Ed25519PrivateKey.generate()
    trusted = registry.event_keys.trusted
    sign_checkpoint(registry.runner, registry.checkpoints, key, event_keys=trusted)
    through = registry.store.last_notification_id()
    checked = verify(
        registry.store, registry.engine, (), [raw_public_key(key)], registry.checkpoints,
        event_keys=trusted,
    )  # fmt: skip
    outcome = outcome_of(checked, through, trusted.key_ids, [key_id(raw_public_key(key))])
    record_verification(registry.store, outcome, Provenance("cli:shenji"))
    registry.users.hasher = CHEAP
    registry.users.create_user(USERNAME, "李审计", PASSWORD, "auditor", [], ISSUER)
    with serving(registry, started) as server:
        yield server


@pytest.fixture
def audit_page(
    browser: Browser,
    audit_server: LiveServer,
    blocked_requests: list[str],
    page_errors: list[str],
) -> Iterator[Page]:
    """As the harness's ``page``, on this module's server: every other request is aborted."""
    with offline_page(browser, audit_server, blocked_requests, page_errors) as page:
        yield page


def test_an_auditor_reads_a_history_the_findings_and_the_seal(
    audit_page: Page, blocked_requests: list[str], page_errors: list[str]
) -> None:
    page = audit_page

    # given an auditor signed in
    sign_in(page, USERNAME, PASSWORD, "/signin")

    # when they look for the building by its code and open its records
    page.get_by_role("link", name="审计查询").first.click()
    page.get_by_label("名称或编号").fill("zc-001")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_role("cell", name="村部旧楼")).to_be_visible()
    screenshot(page, "workbench-audit-search")
    page.get_by_role("link", name="查看记录").click()

    # then every event is listed with who recorded it and on what authority
    expect(page.get_by_role("heading", name="资产 ZC-001 村部旧楼")).to_be_visible()
    history = page.locator("table.audit-history tbody tr")
    expect(history).to_have_count(7)
    expect(history.first).to_contain_text("资产登记")
    expect(history.first).to_contain_text("accountant:test")
    expect(page.locator("table.audit-history")).to_contain_text("收到租金")

    # and its state at version 2 stands beside its state now, the changes marked
    page.get_by_label("版本").fill("2")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("columnheader", name="当时（第 2 版）")).to_be_visible()
    expect(page.locator("table.audit-state tr.changed").first).to_be_visible()
    screenshot(page, "workbench-audit-history")

    # when they look at May's findings and open a meal behind one
    page.get_by_role("link", name="助餐疑点").click()
    page.get_by_label("起始日期").fill("2024-05-01")
    page.get_by_label("截止日期").fill("2024-05-31")
    page.get_by_role("button", name="查询").click()
    rows = page.locator("table.audit-findings tbody tr")
    expect(rows).to_have_count(5)
    expect(page.get_by_role("link", name="张桂英").first).to_be_visible()
    screenshot(page, "workbench-audit-findings")
    page.locator("a.meal", has_text="已作废").first.click()
    expect(page.get_by_role("heading", name="用餐记录", exact=False)).to_be_visible()
    expect(page.locator("table.audit-history")).to_contain_text("作废用餐记录")

    # and the seal: the latest checkpoint and the verification recorded
    page.get_by_role("link", name="封存与校验").click()
    expect(page.locator(".seal-verify .badge")).to_have_text("通过")
    expect(page.locator(".seal-checkpoint")).to_contain_text("签名密钥")
    screenshot(page, "workbench-audit-seal")

    # nothing came from anywhere else, and no script or style was refused
    assert blocked_requests == []
    assert page_errors == []
