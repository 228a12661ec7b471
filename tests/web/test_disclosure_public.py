"""The public notice board (村务公开栏) without signing in, on SQLite and PostgreSQL: every page
answers 200 to an anonymous reader and sets no cookie; a published disclosure shows its
sections, its review without names, its seal and how to check it; no name or ID number of an
elder or a person lessee, nor a member of the finance group, in the HTML or the xlsx; drafts
never appear (404); corrections link both ways; unknown and hostile values are a 404 or 400 page
in Chinese, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from api.web.xlsx import XLSX_TYPE
from tests.support import OTHER_VILLAGE, VILLAGE
from tests.web.conftest import WebClient
from tests.web.disclosure_support import (
    LESSEE,
    PERSONAL,
    corrected,
    drafted,
    last_month,
    published,
    with_people,
    xlsx_text,
)

HOSTILE = [
    "x",
    "0",
    "-1",
    "99999999999999999999",
    "00000000-0000-0000-0000-000000000000",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e",
    "%00",
    "a" * 700,
]
ENCODED = ["%ED%A0%80", "%FF", "%00"]  # a lone surrogate and bytes no UTF-8 text has


def anonymous_get(web: WebClient, path: str) -> httpx.Response:
    answer = web.anonymous().get(path)
    assert "set-cookie" not in answer.headers, path
    assert answer.status_code < 500, (path, answer.status_code)
    assert "Traceback" not in answer.text
    return answer


def no_personal_data(text: str, where: str) -> None:
    for value in PERSONAL:
        assert value not in text, f"{value} in {where}"


def test_the_notice_board_shows_a_published_disclosure_to_anyone(web: WebClient) -> None:
    month = with_people(web.registry)
    did = published(web.registry, month.period)
    before = web.registry.store.last_notification_id()

    index = anonymous_get(web, "/public")
    assert index.status_code == 200
    assert f'href="/public/villages/{VILLAGE}"' in index.text and "乌村桥村" in index.text
    assert OTHER_VILLAGE not in index.text  # nothing published there
    assert "content-security-policy" in index.headers

    village = anonymous_get(web, f"/public/villages/{VILLAGE}")
    assert village.status_code == 200 and f"/public/disclosures/{did}" in village.text

    notice = anonymous_get(web, f"/public/disclosures/{did}")
    assert notice.status_code == 200
    html = notice.text
    expected = ("村 务 公 开 栏", "收入支出", "资产出租", "集体经营性建设用地入市", "收益分配",
                "老年助餐", "名成员参加", f"qianwan disclosure verify {did}", "王*")  # fmt: skip
    for heading in expected:
        assert heading in html, heading
    assert 'name="csrf"' not in html and "<form" not in html and "退出" not in html
    no_personal_data(html, "the notice")

    a3 = anonymous_get(web, f"/public/disclosures/{did}?size=a3")
    assert a3.status_code == 200 and "notice-a3.css" in a3.text
    no_personal_data(a3.text, "the A3 notice")

    sheet = anonymous_get(web, f"/public/disclosures/{did}.xlsx")
    assert sheet.status_code == 200 and sheet.headers["content-type"] == XLSX_TYPE
    text = xlsx_text(sheet.content)
    for title in ("村务公开栏", "收入支出", "资产出租", "集体经营性建设用地入市", "收益分配",
                  "老年助餐", "校验", "王*"):  # fmt: skip
        assert title in text, title
    no_personal_data(text, "the xlsx")
    # reading records nothing (the public reads no personal data in clear)
    assert web.registry.store.last_notification_id() == before


def test_a_signed_in_user_reads_the_same_public_page_without_a_new_cookie(
    web: WebClient,
) -> None:
    month = with_people(web.registry)
    did = published(web.registry, month.period)
    answer = web.get(f"/public/disclosures/{did}")
    assert answer.status_code == 200 and "set-cookie" not in answer.headers
    assert LESSEE not in answer.text and "王*" in answer.text


def test_a_draft_is_never_on_the_public_pages(web: WebClient) -> None:
    month = last_month(web.registry)
    did = drafted(web.registry, month.period)
    for path in (f"/public/disclosures/{did}", f"/public/disclosures/{did}.xlsx"):
        answer = anonymous_get(web, path)
        assert answer.status_code == 404, path
        assert "找不到" in answer.text
    village = anonymous_get(web, f"/public/villages/{VILLAGE}")
    assert village.status_code == 200 and str(did) not in village.text
    assert "还没有公布" in village.text
    index = anonymous_get(web, "/public")
    assert f"/public/villages/{VILLAGE}" not in index.text


def test_corrections_link_both_ways(web: WebClient) -> None:
    month = last_month(web.registry)
    first = published(web.registry, month.period)
    second = corrected(web.registry, first, month.period)
    old = anonymous_get(web, f"/public/disclosures/{first}").text
    assert "已被第2版更正" in old and f"/public/disclosures/{second}" in old
    new = anonymous_get(web, f"/public/disclosures/{second}").text
    assert "更正原因：租金少记一笔，更正。" in new and f"/public/disclosures/{first}" in new
    listing = anonymous_get(web, f"/public/villages/{VILLAGE}").text
    assert listing.index(f"/public/disclosures/{second}") < listing.index(
        f"/public/disclosures/{first}"
    ), "the correction first (newest first)"
    assert "已被第2版更正" in listing


@pytest.mark.parametrize("part", [quote(v, safe="") for v in HOSTILE] + ENCODED)
def test_unknown_and_hostile_values_are_a_page_in_chinese(web: WebClient, part: str) -> None:
    before = web.registry.store.last_notification_id()
    for path in (
        f"/public/villages/{part}",
        f"/public/disclosures/{part}",
        f"/public/disclosures/{part}.xlsx",
        f"/public/disclosures/{part}?size={part}",
        f"/public?size={part}",
    ):
        answer = anonymous_get(web, path)
        assert answer.status_code in (200, 400, 404), (path, answer.status_code)
        if answer.status_code != 200:
            assert answer.headers["content-type"].startswith("text/html")
            assert "错误代码" in answer.text and "<script>alert(1)</script>" not in answer.text
    assert web.registry.store.last_notification_id() == before


def test_a_wrong_paper_size_is_refused_with_a_code(web: WebClient) -> None:
    month = last_month(web.registry)
    did = published(web.registry, month.period)
    answer = anonymous_get(web, f"/public/disclosures/{did}?size=a0")
    assert answer.status_code == 400 and "invalid_input" in answer.text


def test_the_sign_in_page_points_villagers_to_the_board(web: WebClient) -> None:
    answer = web.anonymous().get("/signin")
    assert answer.status_code == 200 and 'href="/public"' in answer.text


def test_the_other_pages_still_send_a_stranger_to_sign_in(web: WebClient) -> None:
    for path in ("/disclosures", f"/villages/{VILLAGE}/disclosures", "/books"):
        answer = web.anonymous().get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")
