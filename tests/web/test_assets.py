"""The asset pages: the register and its xlsx, one asset, and the forms for the everyday facts.
Each form records through its mutation; a refusal shows the Chinese message beside the field it
concerns and records nothing; roles, village scope and hostile text are the API's to refuse."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from uuid import UUID

import pytest
from openpyxl import load_workbook

from api.web.assets import listing
from api.web.messages import message_zh
from tests.support import ACCOUNTANT, OTHER_VILLAGE, VILLAGE, approved_building, leased_building
from tests.web.conftest import WebClient

ERROR = re.compile(r'<p class="error" id="e-([a-z_0-9]+)" role="alert">([^<]*)</p>')


def errors_of(html: str) -> dict[str, str]:
    return {name: text for name, text in ERROR.findall(html)}


def recorded(web: WebClient) -> int:
    return web.registry.store.last_notification_id() or 0


def refused_beside(web: WebClient, path: str, data: dict[str, str], field: str, code: str) -> str:
    """POST ``data``: a 400 page with ``code``'s Chinese message beside ``field``, nothing
    recorded."""
    before = recorded(web)
    answer = web.post(path, data)
    assert answer.status_code == 400, answer.text[-800:]
    assert errors_of(answer.text).get(field) == message_zh(code), errors_of(answer.text)
    assert recorded(web) == before
    return answer.text


def accepted(web: WebClient, path: str, data: dict[str, str], asset_id: UUID | None) -> str:
    before = recorded(web)
    answer = web.post(path, data)
    assert answer.status_code == 303, errors_of(answer.text) or answer.text[-800:]
    target = answer.headers["location"]
    assert target.endswith("?done=recorded")
    if asset_id is not None:
        assert target == f"/assets/{asset_id}?done=recorded"
    assert recorded(web) > before
    return target


def registration(**changes: str) -> dict[str, str]:
    return {
        "village": VILLAGE,
        "asset_code": "ZC-101",
        "name": "老粮站",
        "kind": "collective_building",
        "area_m2": "450.25",
        "location": "乌村桥村3组",
        "registered_on": "2024-05-06",
        "book_value": "86000",
        **changes,
    }


def minutes(**changes: str) -> dict[str, str]:
    return {
        "outcome": "approved",
        "matter": "lease",
        "reference": "乌村桥村决〔2024〕9号",
        "meeting_kind": "representatives_meeting",
        "held_on": "2024-04-10",
        "members_total": "30",
        "members_present": "28",
        "votes_for": "21",
        "counted_against": "total",
        **changes,
    }


# -- the register --------------------------------------------------------------------------------


def test_the_register_lists_filters_and_downloads_the_villages_assets(web: WebClient) -> None:
    leased = leased_building(web.registry.assets, "ZC-001")
    approved_building(web.registry.assets, "ZC-002")
    page = web.get("/assets")
    assert page.status_code == 200
    assert f'href="/assets/{leased}"' in page.text and "ZC-002" in page.text
    assert "已签约</span>" in page.text and "已批准</span>" in page.text and "共 2 项" in page.text
    only_contracted = web.get("/assets?status=contracted&village=" + VILLAGE)
    assert "ZC-001" in only_contracted.text and "ZC-002" not in only_contracted.text
    download = web.get("/assets/xlsx?status=approved")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["ZC-002"]
    assert rows[0][2] == "村部旧楼" and rows[0][3] == "集体楼宇厂房" and rows[0][7] == "已批准"
    assert rows[0][6] == 120000


def test_the_register_pages_and_its_download_holds_every_page(
    web: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PAGE", 1)
    for code in ("ZC-001", "ZC-002", "ZC-003"):
        approved_building(web.registry.assets, code)
    first = web.get(f"/assets?village={VILLAGE}")
    assert "ZC-001" in first.text and "ZC-002" not in first.text and "共 3 项" in first.text
    following = re.search(r'href="(/assets\?[^"]*after=[^"]+)">下一页', first.text)
    assert following is not None
    second = web.get(html.unescape(following.group(1)))
    assert "ZC-002" in second.text and "ZC-001" not in second.text
    sheet = load_workbook(io.BytesIO(web.get(f"/assets/xlsx?village={VILLAGE}").content)).active
    assert sheet is not None
    assert [c.value for c in sheet["B"]][1:] == ["ZC-001", "ZC-002", "ZC-003"]


def test_an_asset_shows_its_contracts_bills_and_arrears(web: WebClient) -> None:
    assets = web.registry.assets
    asset_id = leased_building(assets)
    assets.invoice_rent(
        asset_id,
        "ZD-001",
        "30000",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    assets.receive_rent(asset_id, "SK-001", "ZD-001", "10000", date(2024, 4, 10), ACCOUNTANT)
    page = web.get(f"/assets/{asset_id}")
    assert page.status_code == 200
    assert "HT-001" in page.text and "南京某文旅有限公司" in page.text
    assert "ZD-001" in page.text and "20,000.00" in page.text and "逾期" in page.text
    assert f'href="/assets/{asset_id}/receive?invoice=ZD-001"' in page.text
    bills = web.get(f"/assets/{asset_id}/invoices/xlsx")
    sheet = load_workbook(io.BytesIO(bills.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:3] == ["ZD-001", "HT-001", 30000]
    assert sheet["J2"].value == 20000 and sheet["K2"].value == "是"
    contracts = web.get(f"/assets/{asset_id}/contracts/xlsx")
    sheet = load_workbook(io.BytesIO(contracts.content)).active
    assert sheet is not None and sheet["A2"].value == "HT-001" and sheet["B2"].value == "出租"
    assert web.get("/assets/00000000-0000-0000-0000-000000000000").status_code == 403
    assert (
        web.as_role("auditor").get("/assets/00000000-0000-0000-0000-000000000000").status_code
        == 404
    )


# -- register an asset ---------------------------------------------------------------------------


def test_registering_an_asset_records_it_once_and_shows_it(web: WebClient) -> None:
    form = web.get("/assets/new")
    assert form.status_code == 200 and "集体楼宇厂房" in form.text and "乌村桥村" in form.text
    data = {**registration(), "idempotency_key": "k-register-1"}
    target = accepted(web, "/assets/new", data, None)
    asset_id = web.registry.assets.id_of(VILLAGE, "ZC-101")
    assert target == f"/assets/{asset_id}?done=recorded"
    shown = web.get(target)
    assert "老粮站" in shown.text and "已记录" in shown.text and "86,000.00" in shown.text
    before = recorded(web)
    again = web.post("/assets/new", data)  # a double submit: the same idempotency key
    assert again.status_code == 303 and recorded(web) == before


def test_a_refused_registration_shows_each_message_beside_its_field(web: WebClient) -> None:
    page = refused_beside(
        web, "/assets/new", registration(area_m2="很大"), "area_m2", "decimal_invalid"
    )
    assert 'value="老粮站"' in page  # what was typed is shown again
    refused_beside(
        web,
        "/assets/new",
        registration(registered_on="2024-13-01"),
        "registered_on",
        "date_invalid",
    )
    refused_beside(
        web, "/assets/new", registration(book_value="1.005"), "book_value", "amount_not_in_fen"
    )
    refused_beside(web, "/assets/new", registration(name=""), "name", "variables_invalid")


def test_registering_in_a_village_outside_the_users_scope_is_refused(web: WebClient) -> None:
    mine = web.as_role("accountant", [VILLAGE])
    before = recorded(web)
    answer = mine.post("/assets/new", registration(village=OTHER_VILLAGE))
    assert answer.status_code == 400 and message_zh("FORBIDDEN") in answer.text
    assert recorded(web) == before


def test_hostile_text_is_refused_or_shown_escaped(web: WebClient) -> None:
    refused_beside(
        web,
        "/assets/new",
        registration(name="老粮站\x00"),
        "name",
        "text_contains_forbidden_character",
    )
    refused_beside(
        web,
        "/assets/new",
        registration(location="3组\u202e"),
        "location",
        "text_contains_forbidden_character",
    )
    refused_beside(web, "/assets/new", registration(name="楼" * 200_000), "name", "invalid_input")
    assert web.get("/assets?after=%00garbage").status_code == 400  # the API's code, no 500
    before = recorded(web)
    huge = web.post("/assets/new", registration(name="楼" * 4_000_000))  # 12 MB
    assert huge.status_code == 413 and "body_too_large" in huge.text
    nameless = {k: v for k, v in registration().items() if k != "name"}
    uploaded = web.post("/assets/new", nameless, files={"name": ("a.xlsx", b"PK")})
    assert uploaded.status_code == 400 and "e-name" in uploaded.text  # a file is no name
    assert recorded(web) == before
    script = "<script>alert(1)</script>"
    target = accepted(web, "/assets/new", registration(name=script), None)
    shown = web.get(target)
    assert script not in shown.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text
    listed = web.get("/assets")
    assert script not in listed.text and "&lt;script&gt;" in listed.text


def test_only_accountants_may_use_the_forms(web: WebClient) -> None:
    asset_id = leased_building(web.registry.assets)
    auditor = web.as_role("auditor")
    assert auditor.get("/assets").status_code == 200
    assert auditor.get(f"/assets/{asset_id}").status_code == 200
    before = recorded(web)
    forms = ("confirm", "resolution", "list", "sign", "renew", "invoice", "receive")
    for path in ("/assets/new", *(f"/assets/{asset_id}/{form}" for form in forms)):
        assert auditor.get(path).status_code == 403
        assert auditor.post(path, registration()).status_code == 403
    assert recorded(web) == before
    assert web.as_role("admin").get("/assets").status_code == 403
    assert web.anonymous().get("/assets").status_code == 303


# -- from a registered asset to a lease, all through the forms ------------------------------------


def test_an_asset_goes_from_registration_to_a_lease_through_the_forms(web: WebClient) -> None:
    accepted(web, "/assets/new", registration(), None)
    asset_id = web.registry.assets.id_of(VILLAGE, "ZC-101")
    assert f'href="/assets/{asset_id}/confirm"' in web.get(f"/assets/{asset_id}").text
    confirm = f"/assets/{asset_id}/confirm"
    certificate = {"certificate_no": "苏(2024)溧水区不动产权第0101号", "confirmed_on": "2024-05-20"}
    refused_beside(
        web, confirm, {**certificate, "confirmed_on": "2024-02-30"}, "confirmed_on", "date_invalid"
    )
    accepted(web, confirm, certificate, asset_id)
    accepted(web, f"/assets/{asset_id}/resolution", minutes(), asset_id)
    listing = f"/assets/{asset_id}/list"
    exchange = {
        "exchange": "溧水区农村产权交易中心",
        "listing_no": "LS-2024-09",
        "listed_on": "2024-04-15",
        "reserve_price": "60000",
    }
    assert "挂牌交易" in web.get(f"/assets/{asset_id}").text
    refused_beside(
        web, listing, {**exchange, "reserve_price": "6万"}, "reserve_price", "decimal_invalid"
    )
    accepted(web, listing, exchange, asset_id)
    schedule = "\n".join(f"{y}-05-01 40000 {y}-05-01 {y + 1}-04-30" for y in (2024, 2025))
    signed = lease(rent_schedule=schedule, public_bidding="on")
    accepted(web, f"/assets/{asset_id}/sign", signed, asset_id)
    assert web.registry.assets.get(asset_id).status == "contracted"


# -- the villagers' resolution -------------------------------------------------------------------


def rights_confirmed(web: WebClient, code: str = "ZC-001") -> UUID:
    assets = web.registry.assets
    asset_id = assets.register_asset(
        VILLAGE,
        code,
        "村部旧楼",
        "collective_building",
        "320.5",
        "乌村桥村12号",
        date(2024, 1, 10),
        ACCOUNTANT,
        book_value_yuan="120000",
    )
    assets.confirm_rights(asset_id, "苏(2024)溧水区不动产权第0001号", date(2024, 2, 1), ACCOUNTANT)
    return asset_id


def test_a_resolution_is_recorded_approved_or_voted_down(web: WebClient) -> None:
    asset_id = rights_confirmed(web)
    path = f"/assets/{asset_id}/resolution"
    assert "村民代表会议" in web.get(path).text
    refused_beside(
        web, path, minutes(votes_for="19"), "votes_for", "approval_below_two_thirds_of_total"
    )
    refused_beside(web, path, minutes(members_total="三十"), "members_total", "variables_invalid")
    accepted(web, path, minutes(outcome="rejected", votes_for="9"), asset_id)
    assert web.registry.assets.get(asset_id).status == "rejected"
    accepted(web, path, minutes(), asset_id)
    assert web.registry.assets.get(asset_id).status == "approved"


# -- sign and renew a contract -------------------------------------------------------------------


def lease(**changes: str) -> dict[str, str]:
    return {
        "contract_no": "HT-201",
        "mode": "lease",
        "counterparty_name": "溧水某农业合作社",
        "counterparty_kind": "organization",
        "signed_on": "2024-04-20",
        "start_on": "2024-05-01",
        "end_on": "2026-04-30",
        "rent_schedule": "2024-05-01 12000 2024-05-01 2025-04-30\n"
        "2025-05-01, 12000, 2025-05-01, 2026-04-30",
        **changes,
    }


def test_signing_a_lease_records_the_contract_with_its_schedule(web: WebClient) -> None:
    asset_id = approved_building(web.registry.assets)
    path = f"/assets/{asset_id}/sign"
    refused_beside(web, path, lease(end_on="2045-05-01"), "end_on", "lease_term_exceeds_20_years")
    refused_beside(
        web,
        path,
        lease(rent_schedule="2024-05-01 12000 2024-05-01"),
        "rent_schedule",
        "variables_invalid",
    )
    refused_beside(
        web,
        path,
        lease(rent_schedule="2024-05-01 12000.001 2024-05-01 2025-04-30"),
        "rent_schedule",
        "amount_not_in_fen",
    )
    accepted(web, path, lease(), asset_id)
    shown = web.get(f"/assets/{asset_id}")
    assert "HT-201" in shown.text and "溧水某农业合作社" in shown.text
    assert "24,000.00" in shown.text  # the schedule's total


def test_renewing_the_contract_in_force(web: WebClient) -> None:
    asset_id = leased_building(web.registry.assets)
    path = f"/assets/{asset_id}/renew"
    renewal = {
        **minutes(held_on="2028-12-01", reference="乌村桥村决〔2028〕2号"),
        "new_end_on": "2034-03-31",
        "renewed_on": "2028-12-05",
        "additional_schedule": "2029-04-01 32000 2029-04-01 2030-03-31",
    }
    refused_beside(
        web, path, {**renewal, "new_end_on": "2028-03-31"}, "new_end_on", "renewal_not_later"
    )
    refused_beside(
        web, path, {**renewal, "votes_for": "12"}, "votes_for", "approval_below_two_thirds_of_total"
    )
    accepted(web, path, renewal, asset_id)
    assert "2034-03-31" in web.get(f"/assets/{asset_id}").text


# -- bill and receive rent -----------------------------------------------------------------------


def bill(**changes: str) -> dict[str, str]:
    return {
        "invoice_no": "ZD-101",
        "amount": "30000",
        "issued_on": "2024-04-01",
        "due_on": "2024-04-30",
        "covers_from": "2024-04-01",
        "covers_to": "2025-03-31",
        **changes,
    }


def test_billing_and_receiving_rent(web: WebClient) -> None:
    asset_id = leased_building(web.registry.assets)
    invoice = f"/assets/{asset_id}/invoice"
    refused_beside(
        web, invoice, bill(covers_to="2030-03-31"), "covers_from", "rent_period_outside_contract"
    )
    refused_beside(web, invoice, bill(amount="3万"), "amount", "decimal_invalid")
    accepted(web, invoice, bill(), asset_id)
    receive = f"/assets/{asset_id}/receive"
    form = web.get(receive + "?invoice=ZD-101")
    assert 'value="ZD-101" selected' in form.text and "未收 30,000.00 元" in form.text
    payment = {
        "invoice_no": "ZD-101",
        "receipt_no": "SK-101",
        "amount": "12000.50",
        "received_on": "2024-04-20",
        "channel": "bank",
    }
    refused_beside(
        web, receive, {**payment, "amount": "30000.01"}, "amount", "payment_exceeds_amount_due"
    )
    refused_beside(
        web, receive, {**payment, "invoice_no": "ZD-404"}, "invoice_no", "invoice_not_found"
    )
    accepted(web, receive, payment, asset_id)
    shown = web.get(f"/assets/{asset_id}")
    assert "12,000.50" in shown.text and "17,999.50" in shown.text


def test_a_form_on_another_villages_asset_is_refused(web: WebClient) -> None:
    asset_id = leased_building(web.registry.assets)
    other = web.as_role("accountant", [OTHER_VILLAGE])
    before = recorded(web)
    assert other.get(f"/assets/{asset_id}").status_code == 403
    assert other.get(f"/assets/{asset_id}/invoice").status_code == 403
    answer = other.post(f"/assets/{asset_id}/invoice", bill())
    assert answer.status_code == 403 and message_zh("FORBIDDEN") in answer.text
    assert recorded(web) == before
