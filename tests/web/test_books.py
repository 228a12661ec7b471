"""The books pages: the trial balance as the API gives it, the drill-down from an account to its
line, entry, voucher and event with its proof, every table as xlsx, and the journal voucher
form (recorded, refused with nothing recorded, reviewed by a second person), roles and scope."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import load_workbook

from api.auth.principal import Principal
from api.web.graphql import run_as
from api.web.messages import message_zh
from api.web.templating import yuan
from domain.access.roles import Role
from projections.audit import sign_checkpoint
from tests.support import ACCOUNTANT, OTHER_VILLAGE, VILLAGE, leased_building
from tests.web.conftest import WebClient

TRIAL_BALANCE = """
query($v: String!, $d: Date) {
  trialBalance(villageCode: $v, asOf: $d) {
    totalDebit totalCredit lines { accountCode debit credit }
  }
}
"""
AS_OF = "2026-12-06"
REVIEWER = "王会计"


def last(web: WebClient) -> int:
    return web.registry.store.last_notification_id()


def voucher_form(**changes: str) -> dict[str, str]:
    form = {
        "village": VILLAGE,
        "voucher_date": "2026-04-03",
        "summary": "购买办公用品",
        "attachments": "2",
        "account0": "513",
        "debit0": "120.00",
        "account1": "101",
        "credit1": "120.00",
        "idempotency_key": "",
    }
    form.update(changes)
    return form


def reviewer(web: WebClient) -> WebClient:
    return WebClient(web.app, web.registry, "accountant", [VILLAGE], name=REVIEWER)


def prepared(web: WebClient, **changes: str) -> str:
    answer = web.post("/vouchers/new", voucher_form(**changes))
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/vouchers/([0-9a-f-]{36})\?done=recorded", answer.headers["location"])
    assert found, answer.headers["location"]
    return found.group(1)


@pytest.fixture
def books(web: WebClient) -> WebClient:
    """A lease billed 30,000.00 (a programme entry) and a reviewed office voucher of 120.00."""
    assets = web.registry.assets
    asset = leased_building(assets)
    assets.invoice_rent(
        asset, "FP-001", "30000", date(2024, 4, 1), date(2024, 4, 15),
        date(2024, 4, 1), date(2025, 3, 31), ACCOUNTANT,
    )  # fmt: skip
    voucher = prepared(web)
    assert reviewer(web).post(f"/vouchers/{voucher}/review", {}).status_code == 303
    return web


def links(html: str, prefix: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(rf'href="({prefix}[^"]*)"', html)]


def workbook(content: bytes) -> Any:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return sheet


def element(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert found, f"no element {element_id}"
    return found.group(1).strip()


def test_the_trial_balance_page_shows_the_api_s_balances_and_totals(books: WebClient) -> None:
    principal = Principal("test-auditor", Role.AUDITOR, "审计", None)
    schema = books.app.state.schema
    api = run_as(books.registry, schema, principal, TRIAL_BALANCE, {"v": VILLAGE, "d": AS_OF})
    expected = api.data["trialBalance"]
    assert expected["totalDebit"] == expected["totalCredit"] != "0.00"

    page = books.get(f"/books?village={VILLAGE}&as_of={AS_OF}")
    assert page.status_code == 200
    total = re.search(r'<tr class="total">(.*?)</tr>', page.text, re.S)
    assert total and total.group(1).count(yuan(expected["totalDebit"])) == 2
    for line in expected["lines"]:
        assert f"/books/accounts/{line['accountCode']}?village={VILLAGE}" in page.text
    assert "借方余额" in page.text and "贷方余额" in page.text

    # the books as they were known before anything was recorded: nothing moved yet
    then = books.get(f"/books?village={VILLAGE}&as_of={AS_OF}&known_at=2020-01-01T08:00")
    assert then.status_code == 200 and "/books/accounts/513" not in then.text
    assert "暂无记录" in then.text


def test_drill_down_from_an_account_to_its_line_voucher_event_and_proof(books: WebClient) -> None:
    # the office voucher debited 513 管理费用: its statement shows the line, 借 120.00
    statement = books.get(f"/books/accounts/513?village={VILLAGE}&from=2026-01-01&to={AS_OF}")
    assert statement.status_code == 200
    assert "购买办公用品" in statement.text and "记-2026-04-0001" in statement.text
    assert re.search(r'<td class="dir">借</td>\s*<td class="num">120.00</td>', statement.text)
    entry_link = links(statement.text, "/books/entries/")[0]

    entry = books.get(entry_link)
    assert entry.status_code == 200
    assert "壹佰贰拾元整" in entry.text  # 大写金额
    assert "测试accountant" in entry.text and REVIEWER in entry.text  # 制单, 审核
    assert "查看事件与包含证明" not in entry.text  # the event and proof are the auditors'
    sheet = workbook(books.get(entry_link + "&format=xlsx").content)
    assert [c.value for c in sheet[2]][:2] == ["购买办公用品", "513 管理费用"]

    # an auditor follows the programme entry of the rent to its event and its proof
    auditor = books.as_role("auditor")
    receivable = auditor.get(f"/books/accounts/112?village={VILLAGE}&from=2024-01-01&to={AS_OF}")
    assert receivable.status_code == 200
    entry = auditor.get(links(receivable.text, "/books/entries/")[0])
    event_link = links(entry.text, "/books/events/")[0]

    before_seal = auditor.get(event_link)
    assert before_seal.status_code == 200  # the event, without a proof before any checkpoint
    assert "村务记录" in before_seal.text and "暂无包含证明" in before_seal.text

    key = Ed25519PrivateKey.generate()
    registry = books.registry
    checkpoint = sign_checkpoint(
        registry.runner, registry.checkpoints, key, event_keys=registry.event_keys.trusted
    )
    event = auditor.get(event_link.split("?")[0])  # the proof names the event by itself
    assert event.status_code == 200
    actor = re.search(r'<dd class="actor">(.*?)</dd>', event.text)
    assert actor and actor.group(1) == "accountant:test"
    assert "村务记录" in event.text and "开具租金/收益通知" in event.text  # its type in Chinese
    assert checkpoint.root.hex() in event.text and "叶子位置" in event.text
    proof = auditor.get(event_link.split("?")[0] + "?format=json")
    assert proof.status_code == 200 and proof.json()["root"] == checkpoint.root.hex()

    assert books.get(event_link).status_code == 403  # an accountant may not open it
    limited = books.as_role("auditor", [VILLAGE]).get(event_link)  # the event, not the proof
    assert limited.status_code == 200 and "村务记录" in limited.text
    assert checkpoint.root.hex() not in limited.text and "区级审计人员" in limited.text
    outside = books.as_role("auditor", [OTHER_VILLAGE]).get(event_link)
    assert outside.status_code == 403


@pytest.mark.parametrize(
    ("path", "title", "first_row"),
    [
        (f"/books?village={VILLAGE}&as_of={AS_OF}&format=xlsx", "试算平衡表", "科目编码"),
        (f"/books/accounts/513?village={VILLAGE}&to={AS_OF}&format=xlsx", "明细账", "日期"),
        (f"/books/balances?village={VILLAGE}&start=2026-01&end=2026-11&format=xlsx",
         "科目余额表", "科目编码"),
        (f"/books/balance-sheet?village={VILLAGE}&as_of={AS_OF}&format=xlsx", "资产负债表", "行次"),
        (f"/books/income?village={VILLAGE}&year=2026&month=4&format=xlsx",
         "收益及收益分配表", "行次"),
        (f"/vouchers?village={VILLAGE}&month=2026-04&format=xlsx", "记账凭证", "凭证号"),
    ],
)  # fmt: skip
def test_every_table_downloads_as_xlsx(
    books: WebClient, path: str, title: str, first_row: str
) -> None:
    answer = books.get(path)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = workbook(answer.content)
    assert sheet.title == title
    assert sheet["A1"].value == first_row and sheet.max_row >= 2


def test_the_statement_pages_show_in_chinese(books: WebClient) -> None:
    for path, heading in [
        (f"/books/balances?village={VILLAGE}&start=2026-01&end=2026-11", "科目余额表"),
        (f"/books/balance-sheet?village={VILLAGE}&as_of={AS_OF}", "资产总计"),
        (f"/books/income?village={VILLAGE}&year=2026&month=4", "本年累计数"),
        (f"/vouchers?village={VILLAGE}&month=2026-04", "记-2026-04-0001"),
    ]:
        page = books.get(path)
        assert page.status_code == 200 and heading in page.text, path
    balances = books.get(f"/books/balances?village={VILLAGE}&start=2026-04&end=2026-04")
    assert re.search(r"513</a></td>\s*<td>管理费用", balances.text)


def test_a_voucher_is_recorded_shown_for_print_and_reviewed_by_another_person(
    web: WebClient,
) -> None:
    form = web.get("/vouchers/new")
    assert form.status_code == 200 and 'name="account5"' in form.text
    assert "513 管理费用" in form.text  # accounts picked from the chart by code and name

    before = last(web)
    key = "same-key-twice"
    voucher = prepared(web, idempotency_key=key, account3="", debit3="")
    assert last(web) > before
    again = web.post("/vouchers/new", voucher_form(idempotency_key=key))
    assert again.headers["location"].startswith(f"/vouchers/{voucher}")  # recorded once
    page = web.get(f"/vouchers/{voucher}")
    assert "待审核" in page.text and "壹佰贰拾元整" in page.text
    assert 'class="voucher' in page.text and f"/vouchers/{voucher}?print=1" in page.text
    assert "voucher-print.css" in web.get(f"/vouchers/{voucher}?print=1").text
    sheet = workbook(web.get(f"/vouchers/{voucher}?format=xlsx").content)
    assert [c.value for c in sheet[3]][1:4] == ["101 库存现金", None, None]
    assert float(sheet["E3"].value) == 120.0

    # the preparer may not review it: refused on the page, nothing recorded
    before = last(web)
    refused = web.post(f"/vouchers/{voucher}/review", {})
    assert refused.status_code == 400
    assert message_zh("reviewer_is_preparer") in element(refused.text, "e-review")
    assert last(web) == before

    answer = reviewer(web).post(f"/vouchers/{voucher}/review", {})
    assert answer.status_code == 303 and last(web) > before
    posted = web.get(f"/vouchers/{voucher}")
    assert "已记账" in posted.text and "记-2026-04-0001" in posted.text and REVIEWER in posted.text
    assert "凭证的事件" not in posted.text  # its events are the auditors'
    audited = web.as_role("auditor").get(f"/vouchers/{voucher}")
    assert "凭证的事件" in audited.text and "凭证审核记账" in audited.text
    assert "审核通过并记账" not in audited.text  # an auditor reviews nothing

    # a posted voucher is corrected by its red reversal, prepared once however often sent
    before = last(web)
    reversal = web.post(f"/vouchers/{voucher}/reverse", {"idempotency_key": "red-1"})
    assert reversal.status_code == 303 and last(web) > before
    red = reversal.headers["location"].split("?")[0]
    assert red != f"/vouchers/{voucher}"
    again = web.post(f"/vouchers/{voucher}/reverse", {"idempotency_key": "red-1"})
    assert again.headers["location"].split("?")[0] == red
    red_page = web.get(red)
    assert "红字冲销" in red_page.text and "-120.00" in red_page.text
    refused = web.post(f"/vouchers/{voucher}/reverse", {"idempotency_key": "red-2"})
    assert refused.status_code == 400 and element(refused.text, "e-review")


def test_an_unbalanced_voucher_is_refused_above_the_form_and_nothing_recorded(
    web: WebClient,
) -> None:
    before = last(web)
    answer = web.post("/vouchers/new", voucher_form(credit1="100.00"))
    assert answer.status_code == 400
    assert message_zh("voucher_not_balanced") in element(answer.text, "e-voucher")
    assert 'value="100.00"' in answer.text  # the typed values are shown again
    assert last(web) == before


def test_a_line_s_refusal_is_shown_on_that_line_blank_rows_left_out(web: WebClient) -> None:
    before = last(web)
    form = voucher_form(account3="112", debit3="50", account4="501", credit4="50")
    answer = web.post("/vouchers/new", form)  # 112 without its counterparty, on the 4th row
    assert answer.status_code == 400
    assert message_zh("counterparty_required") in element(answer.text, "e-line3")
    assert 'id="e-line0"' not in answer.text and 'id="e-line4"' not in answer.text
    bad_date = web.post("/vouchers/new", voucher_form(voucher_date="2026-02-30"))
    assert bad_date.status_code == 400 and element(bad_date.text, "e-voucher_date")
    assert last(web) == before


def test_a_rejection_needs_its_reason(web: WebClient) -> None:
    voucher = prepared(web)
    other = reviewer(web)
    before = last(web)
    refused = other.post(f"/vouchers/{voucher}/reject", {"rejection_reason": "  "})
    assert refused.status_code == 400 and element(refused.text, "e-rejection_reason")
    assert last(web) == before
    rejected = other.post(f"/vouchers/{voucher}/reject", {"rejection_reason": "金额有误"})
    assert rejected.status_code == 303
    assert "已退回" in web.get(f"/vouchers/{voucher}").text


def test_roles_that_may_not_use_the_pages_are_refused(web: WebClient) -> None:
    assert web.as_role("platform").get(f"/books?village={VILLAGE}").status_code == 403
    auditor = web.as_role("auditor")
    assert auditor.get(f"/books?village={VILLAGE}").status_code == 200
    assert auditor.get("/vouchers/new").status_code == 403
    before = last(web)
    assert auditor.post("/vouchers/new", voucher_form()).status_code == 403
    assert web.get("/books/events/1").status_code == 403
    assert last(web) == before


def test_a_village_outside_the_user_s_scope_is_refused_and_nothing_recorded(
    web: WebClient,
) -> None:
    mine = web.as_role("accountant", [VILLAGE])
    for path in (
        f"/books?village={OTHER_VILLAGE}",
        f"/books/accounts/101?village={OTHER_VILLAGE}",
        f"/vouchers?village={OTHER_VILLAGE}",
        f"/books/entries/1-1?village={OTHER_VILLAGE}",
        f"/books/balance-sheet?village={OTHER_VILLAGE}",
    ):
        answer = mine.get(path)
        assert answer.status_code == 403 and "forbidden" in answer.text.lower(), path
    before = last(web)
    refused = mine.post("/vouchers/new", voucher_form(village=OTHER_VILLAGE))
    assert refused.status_code == 403 and last(web) == before
    other_voucher = prepared(web, village=OTHER_VILLAGE)
    before = last(web)
    assert mine.get(f"/vouchers/{other_voucher}").status_code == 403
    assert mine.post(f"/vouchers/{other_voucher}/review", {}).status_code == 403
    assert last(web) == before


@pytest.mark.parametrize(
    "hostile", ["a\x00b", "<script>alert(1)</script>", "\u202eevil", "x" * 100_000]
)
def test_hostile_text_is_refused_or_shown_escaped_never_a_500(web: WebClient, hostile: str) -> None:
    before = last(web)
    answer = web.post("/vouchers/new", voucher_form(summary=hostile, counterparty0=hostile))
    assert answer.status_code in (303, 400), answer.text[:300]
    if answer.status_code == 400:
        assert last(web) == before
    else:
        shown = web.get(answer.headers["location"].split("?")[0]).text
        assert "<script>alert" not in shown and "&lt;script&gt;" in shown
    typed = quote(hostile[:30].replace("/", ""), safe="")  # a "/" would route elsewhere
    for path in (
        f"/books?village={VILLAGE}&as_of={typed}",
        f"/books/accounts/{typed}?village={VILLAGE}",
        f"/books/entries/{typed}?village={VILLAGE}",
        f"/vouchers/{typed}",
        f"/books/income?village={VILLAGE}&year={typed}",
        f"/books?village={typed}",
    ):
        page = web.get(path)
        assert page.status_code in (400, 404), (path, page.status_code)
        assert "<script>alert" not in page.text and "internal_error" not in page.text
