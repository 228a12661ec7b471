"""The asset pages: the register and its xlsx, one asset, registering an asset; who may use the
forms, village scope and hostile text (the API's to refuse; nothing recorded)."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from api.web.assets import listing
from api.web.messages import message_zh
from tests.support import ACCOUNTANT, OTHER_VILLAGE, VILLAGE, approved_building, leased_building
from tests.web.assets_support import (
    accepted,
    bill,
    recorded,
    refused_beside,
    registration,
)
from tests.web.conftest import WebClient

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


def test_a_form_on_another_villages_asset_is_refused(web: WebClient) -> None:
    asset_id = leased_building(web.registry.assets)
    other = web.as_role("accountant", [OTHER_VILLAGE])
    before = recorded(web)
    assert other.get(f"/assets/{asset_id}").status_code == 403
    assert other.get(f"/assets/{asset_id}/invoice").status_code == 403
    answer = other.post(f"/assets/{asset_id}/invoice", bill())
    assert answer.status_code == 403 and message_zh("FORBIDDEN") in answer.text
    assert recorded(web) == before
