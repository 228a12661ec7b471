"""The books in a real browser with no internet: one accountant prepares a journal voucher,
another reviews it, and an auditor follows the trial balance down to the voucher's event and its
inclusion proof. Screenshots of the pages for the guide (docs/workbench/books.md)."""

from __future__ import annotations

import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import Page, expect

from projections.audit import sign_checkpoint
from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.support import VILLAGE
from tests.users_support import ADMIN_BY, CHEAP, PASSWORD

SUMMARY = "购买办公用品（浏览器）"


def signed_in(page: Page, username: str) -> None:
    sign_in(page, username, PASSWORD)
    expect(page.locator(".who .name")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


def test_a_voucher_prepared_reviewed_and_followed_down_to_its_proof(
    page: Page, live_server: LiveServer, blocked_requests: list[str], page_errors: list[str]
) -> None:
    registry = live_server.registry
    registry.users.hasher = CHEAP
    for username, name, role, villages in (
        ("books-zhang", "张会计", "accountant", [VILLAGE]),
        ("books-li", "李会计", "accountant", [VILLAGE]),
        ("books-audit", "王审计", "auditor", []),
    ):
        registry.users.create_user(username, name, PASSWORD, role, villages, ADMIN_BY)
    today = registry.clock.today().isoformat()
    page.set_viewport_size({"width": 1280, "height": 900})

    # an accountant prepares the voucher: two lines, the accounts picked from the chart
    signed_in(page, "books-zhang")
    page.goto("/vouchers/new")
    page.locator("#f-voucher_date").fill(today)
    page.locator("#f-summary").fill(SUMMARY)
    page.locator("#f-attachments").fill("2")
    page.locator("select[name=account0]").select_option("513")
    page.locator("input[name=debit0]").fill("120.00")
    page.locator("select[name=account1]").select_option("101")
    page.locator("input[name=credit1]").fill("120.00")
    screenshot(page, "workbench-books-voucher")
    page.get_by_role("button", name="保存凭证").click()
    expect(page.locator(".notice")).to_contain_text("已记录")
    expect(page.locator(".voucher")).to_contain_text("壹佰贰拾元整")
    expect(page.locator(".voucher-head .status")).to_have_text("待审核")
    voucher_url = page.url.split("?")[0]
    sign_out(page)

    # another accountant reviews it: it posts and gets its number
    signed_in(page, "books-li")
    page.goto(voucher_url)
    page.get_by_role("button", name="审核通过并记账").click()
    expect(page.locator(".voucher-head .status")).to_have_text("已记账")
    expect(page.locator(".voucher-foot")).to_contain_text("李会计")
    page.goto(voucher_url + "?print=1")  # as it prints: the voucher only, no menu
    expect(page.locator("header.top")).to_be_hidden()
    screenshot(page, "workbench-books-print")
    page.goto(voucher_url)
    sign_out(page)

    # an auditor follows the trial balance down to the event and its proof
    checkpoint = sign_checkpoint(
        registry.runner,
        registry.checkpoints,
        Ed25519PrivateKey.generate(),
        event_keys=registry.event_keys.trusted,
    )
    signed_in(page, "books-audit")
    page.goto(f"/books?village={VILLAGE}&as_of={today}")
    expect(page.locator("tfoot .total")).to_contain_text("平")
    screenshot(page, "workbench-books-trial-balance")
    page.get_by_role("link", name="管理费用").click()
    row = page.locator("tr", has_text=SUMMARY)
    expect(row.locator("td.dir")).to_have_text("借")
    screenshot(page, "workbench-books-statement")
    row.get_by_role("link").first.click()
    expect(page.locator(".voucher")).to_contain_text("制单：张会计")
    expect(page.locator(".voucher")).to_contain_text("审核：李会计")
    screenshot(page, "workbench-books-entry")
    page.get_by_role("link", name="查看事件与包含证明").click()
    expect(page.locator("dd.actor")).to_contain_text("李会计")
    expect(page.locator("code.root")).to_have_text(checkpoint.root.hex())
    screenshot(page, "workbench-books-event")
    assert re.search(r"/books/events/\d+", page.url)
    assert blocked_requests == [] and page_errors == []
