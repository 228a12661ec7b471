"""The workbench's frame: who may see a page, CSRF on every POST, error pages in Chinese with a
code, redirects that never leave the site, and tables as xlsx."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from api.web.pages import local_path
from api.web.xlsx import Column, workbook_bytes
from tests.web.conftest import WebClient


def test_a_page_sends_a_stranger_to_sign_in(web: WebClient) -> None:
    stranger = web.anonymous()
    answer = stranger.get("/")
    assert answer.status_code == 303 and answer.headers["location"] == "/signin"
    deep = stranger.get("/graphql?x=1", headers={"accept": "application/json"})
    assert deep.status_code in (401, 405)


def test_the_home_page_greets_the_user_in_chinese(web: WebClient) -> None:
    page = web.get("/")
    assert page.status_code == 200
    assert "测试accountant" in page.text and "退出" in page.text
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unpkg" not in policy
    assert "<script>" not in page.text  # no inline script anywhere


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(web: WebClient) -> None:
    before = web.registry.store.last_notification_id()
    answer = web.post("/signout", {"csrf": "forged"}, csrf=False)
    assert answer.status_code == 403 and "csrf_token_invalid" in answer.text
    assert "<html" in answer.text and "没有权限" in answer.text
    assert web.registry.store.last_notification_id() == before
    assert web.get("/").status_code == 200  # still signed in


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/books?x=1", "/books?x=1"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/a\nb", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_a_redirect_stays_on_the_site(target: str | None, expected: str) -> None:
    assert local_path(target) == expected


def test_static_files_ship_in_the_package(web: WebClient) -> None:
    css = web.anonymous().get("/static/css/app.css")
    assert css.status_code == 200 and "font-family" in css.text
    escape = web.anonymous().get("/static/../pyproject.toml")
    assert escape.status_code == 404 and escape.headers["content-type"] == "application/json"


def test_a_table_downloads_as_xlsx_with_text_never_a_formula() -> None:
    columns = [Column("摘要"), Column("金额", "money"), Column("日期", "date")]
    content = workbook_bytes(
        "明细", columns, [["=1+1", "1234.5", "2025-03-01"], ["房租", None, ""]]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["摘要", "金额", "日期"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert float(sheet["B2"].value) == 1234.5 and sheet["B2"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2"


def test_times_are_shown_in_the_registry_s_time_zone() -> None:
    from zoneinfo import ZoneInfo

    from api.web.templating import ENVIRONMENT

    shown = ENVIRONMENT.from_string("{{ t|zh_date }}")
    shanghai = ZoneInfo("Asia/Shanghai")
    assert shown.render(t="2026-12-07T04:33:00+00:00", zone=shanghai) == "2026-12-07 12:33"
    assert shown.render(t="2026-12-07T04:33:00Z") == "2026-12-07 12:33"  # the default zone
    urumqi = ZoneInfo("Asia/Urumqi")
    assert shown.render(t="2026-12-07T04:33:00+00:00", zone=urumqi) == "2026-12-07 10:33"
    assert shown.render(t="2026-12-07T08:30:00", zone=shanghai) == "2026-12-07 08:30"  # local
    assert shown.render(t="2026-12-07", zone=shanghai) == "2026-12-07"
