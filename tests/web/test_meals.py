"""The 老年助餐 pages: the overview, a meal point, a settlement, their xlsx downloads, and the
forms (enrol an elder, record meals, draft and submit a settlement). Each form: accepted (fact
recorded, redirect) and refused (400, the Chinese message beside its field, nothing recorded);
roles and villages outside the user's scope refused; hostile text refused or shown escaped;
names and ID numbers only as the API gives them to the role."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest
from openpyxl import load_workbook

from api.web.messages import message_zh
from qianwan.bootstrap import Registry
from tests.support import (
    OPERATOR,
    OTHER_VILLAGE,
    VILLAGE,
    enrol_elder,
    make_id_number,
    meal,
    meals_registry,
    register_canteen,
)
from tests.web.conftest import WebClient

ID_ZHANG = make_id_number(date(1944, 5, 6), "123")
ID_WANG = make_id_number(date(1940, 3, 1), "456")
NEW_ID = make_id_number(date(1950, 2, 3), "777")


@dataclass
class Seed:
    point: UUID
    other_point: UUID
    zhang: UUID
    wang: UUID


@pytest.fixture
def seed(web: WebClient) -> Seed:
    meals = meals_registry(web.registry)
    point = register_canteen(meals)
    other_point = register_canteen(meals, "ST-09", OTHER_VILLAGE)
    zhang = enrol_elder(meals, "张桂英", sequence="123")
    wang = enrol_elder(meals, "王秀兰", date(1940, 3, 1), "456", (("age_80", date(2024, 1, 1)),))
    records = [
        meal("j1", zhang, "2024-07-15 11:30"),
        meal("j2", wang, "2024-07-15 11:40"),
        meal("a1", zhang, "2024-08-01 11:30"),
        meal("a2", wang, "2024-08-01 11:35"),
        meal("a3", zhang, "2024-08-02 18:00", "dinner"),
    ]
    assert meals.record_meals(point, "B1", records, OPERATOR).refused_count == 0
    return Seed(point, other_point, zhang, wang)


def last_id(web: WebClient) -> int:
    return web.registry.store.last_notification_id()


def error_beside(html: str, field: str) -> str:
    found = re.search(rf'id="e-{field}"[^>]*>([^<]*)<', html)
    general = re.search(r'class="form-error"[^>]*>(.*?)</div>', html, re.S)
    assert found is not None, f"no refusal beside {field}: {general and general.group(1)}"
    return found.group(1)


def sheet_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]


def settle_july(web: WebClient, seed: Seed) -> str:
    answer = web.post(
        f"/meals/points/{seed.point}/settlements/new",
        {"month": "2024-07", "drafted_on": "2024-08-05", "idempotency_key": "draft-july"},
    )
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(
        r"/meals/settlements/([0-9a-f-]{36})\?done=recorded", answer.headers["location"]
    )
    assert found is not None
    return found.group(1)


# -- reading -------------------------------------------------------------------------------------


def test_the_overview_shows_each_point_with_its_month_and_downloads(
    web: WebClient, seed: Seed
) -> None:
    page = web.get("/meals?month=2024-08")
    assert page.status_code == 200
    assert "长者食堂ST-01" in page.text and f"/meals/points/{seed.point}" in page.text
    assert "长者食堂ST-09" in page.text  # the accountant holds both villages
    assert "老年助餐" in page.text
    july = web.get("/meals?month=2024-07")
    download = web.get("/meals/xlsx?month=2024-08")
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(download.content)
    assert rows[0][:3] == ["村", "编号", "助餐点"]
    ours = next(r for r in rows if r[2] == "长者食堂ST-01")
    other = next(r for r in rows if r[2] == "长者食堂ST-09")
    assert ours[6] == 3 and other[6] == 0  # August: three meals at ST-01
    price, government, collective, co_payment = (Decimal(str(v)) for v in ours[7:11])
    assert government > 0 and price == government + collective + co_payment
    assert collective == Decimal("3.00")  # the village tops up 1 yuan a meal
    assert july.status_code == 200 and ">2<" in july.text.replace(" ", "")


def test_a_meal_point_shows_its_days_meals_elders_masked_and_downloads(
    web: WebClient, seed: Seed
) -> None:
    page = web.get(f"/meals/points/{seed.point}?month=2024-08")
    print(page.text[page.text.find("<main>") :][:1500])
    assert page.status_code == 200
    assert "2024-08-02" in page.text and "晚餐" in page.text  # the last day with meals
    assert "张*" in page.text and "王*" in page.text
    assert "张桂英" not in page.text and ID_ZHANG not in page.text  # the API masks them
    assert ID_ZHANG[:4] + "*" * 12 + ID_ZHANG[-2:] in page.text
    for table, expected in (("days", 2), ("meals", 1), ("elders", 2)):
        download = web.get(f"/meals/points/{seed.point}/xlsx?month=2024-08&table={table}")
        assert download.status_code == 200
        assert len(sheet_rows(download.content)) == 1 + expected, table
    elders = sheet_rows(web.get(f"/meals/points/{seed.point}/xlsx?table=elders").content)
    assert all(ID_ZHANG not in str(cell) for row in elders for cell in row)


def test_a_platform_user_never_sees_a_name_or_an_id_number(web: WebClient, seed: Seed) -> None:
    platform = web.as_role("platform")
    for path in (
        f"/meals/points/{seed.point}?month=2024-08",
        f"/meals/points/{seed.point}/meals/new",
    ):
        page = platform.get(path)
        if path.endswith("/new"):
            assert page.status_code == 403  # a reader does not record meals
            continue
        assert page.status_code == 200
        for secret in ("张桂英", "王秀兰", ID_ZHANG, ID_WANG):
            assert secret not in page.text
        assert "张*" in page.text


def test_an_auditor_reads_what_the_api_gives_an_auditor_and_the_read_is_recorded(
    web: WebClient, seed: Seed
) -> None:
    auditor = web.as_role("auditor")
    assert auditor.get("/meals?month=2024-08").status_code == 200  # no personal data there
    before = last_id(web)
    page = auditor.get(f"/meals/points/{seed.point}?month=2024-08")
    assert page.status_code == 200
    assert "张桂英" in page.text and ID_ZHANG in page.text  # in clear for an auditor, as the API
    assert last_id(web) > before  # ... and the API recorded the read


def test_hostile_query_values_are_refused_with_a_page_never_a_500(
    web: WebClient, seed: Seed
) -> None:
    for path in (
        "/meals?month=<script>alert(1)</script>",
        f"/meals/points/{seed.point}?day=%00",
        f"/meals/points/{seed.point}?day=2024-02-30",
        f"/meals/points/{seed.point}?month=2024-13",
        f"/meals/points/{seed.point}/xlsx?table=%E2%80%AE",
        "/meals/points/not-a-uuid",
        "/meals/settlements/00000000-0000-0000-0000-000000000000",
    ):
        page = web.get(path)
        assert 400 <= page.status_code < 500, (path, page.status_code)
        assert "<script>alert" not in page.text and "<html" in page.text


# -- enrol an elder ------------------------------------------------------------------------------


def enrol_form(**changes: str) -> dict[str, str]:
    values = {
        "name": "赵淑珍",
        "id_number": NEW_ID,
        "enrolled_on": "2024-08-01",
        "category": "dibao",
        "category_from": "2024-08-01",
        "idempotency_key": "enrol-1",
    }
    values.update(changes)
    return values


def test_enrolling_an_elder_records_once_and_shows_them_masked(web: WebClient, seed: Seed) -> None:
    form = web.get(f"/meals/points/{seed.point}/elders/new")
    assert form.status_code == 200 and "身份证号码" in form.text and "低保" in form.text
    before = last_id(web)
    answer = web.post(f"/meals/points/{seed.point}/elders/new", enrol_form())
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/meals/points/{seed.point}?done=recorded"
    after = last_id(web)
    assert after > before
    again = web.post(f"/meals/points/{seed.point}/elders/new", enrol_form())
    assert again.status_code == 303 and last_id(web) == after  # a double submit records once
    page = web.get(f"/meals/points/{seed.point}")
    assert "赵*" in page.text and "赵淑珍" not in page.text and NEW_ID not in page.text


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        (
            {"id_number": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")},
            "id_number",
            "id_number_check_character_wrong",
        ),
        ({"id_number": "12345"}, "id_number", "id_number_malformed"),
        ({"enrolled_on": "2024-02-30"}, "enrolled_on", "date_invalid"),
        ({"category": ""}, "category", None),
        ({"name": "赵\u202e淑珍"}, "name", "text_contains_forbidden_character"),
        ({"name": "赵\x00淑珍"}, "name", "text_contains_forbidden_character"),
    ],
)
def test_a_refused_enrolment_shows_why_beside_the_field_and_records_nothing(
    web: WebClient, seed: Seed, changes: dict[str, str], field: str, code: str | None
) -> None:
    before = last_id(web)
    answer = web.post(f"/meals/points/{seed.point}/elders/new", enrol_form(**changes))
    assert answer.status_code == 400
    shown = error_beside(answer.text, field)
    if code is not None:
        assert shown == message_zh(code)
    assert re.search(r"[\u4e00-\u9fff]", shown)
    assert last_id(web) == before


# -- record meals --------------------------------------------------------------------------------


def test_recording_meals_for_several_elders_records_once(web: WebClient, seed: Seed) -> None:
    form = web.get(f"/meals/points/{seed.point}/meals/new")
    assert form.status_code == 200
    assert "张* · 3201" in form.text and f'value="{seed.zhang}"' in form.text
    assert ID_ZHANG not in form.text
    data = {
        "served_at": "2024-08-19T11:45",
        "slot": "lunch",
        "elders": [str(seed.zhang), str(seed.wang)],
        "idempotency_key": "meals-1",
    }
    before = last_id(web)
    answer = web.post(f"/meals/points/{seed.point}/meals/new", data)
    assert answer.status_code == 303
    batch = answer.headers["location"].split("?")[0]
    after = last_id(web)
    assert after > before
    assert web.post(f"/meals/points/{seed.point}/meals/new", data).status_code == 303
    assert last_id(web) == after  # the same form sent twice records once
    result = web.get(batch)
    assert result.status_code == 200 and result.text.count('class="status">已记录') == 2
    day = web.get(f"/meals/points/{seed.point}?month=2024-08&day=2024-08-19")
    assert day.text.count("午餐") >= 2


def test_a_meal_the_rules_refuse_is_kept_on_the_batch_with_its_reason(
    web: WebClient, seed: Seed
) -> None:
    data = {
        "served_at": "2024-08-01T11:50",  # zhang had lunch on 2024-08-01 already
        "slot": "lunch",
        "elders": [str(seed.zhang)],
        "idempotency_key": "meals-2",
    }
    answer = web.post(f"/meals/points/{seed.point}/meals/new", data)
    assert answer.status_code == 303
    result = web.get(answer.headers["location"])
    assert message_zh("second_meal_in_slot") in result.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"elders": []}, "elders"),
        ({"served_at": "2024-08-19T25:61"}, "served_at"),
        ({"slot": "brunch"}, "slot"),
    ],
)
def test_a_refused_meal_form_shows_why_and_records_nothing(
    web: WebClient, seed: Seed, changes: dict[str, object], field: str
) -> None:
    data: dict[str, object] = {
        "served_at": "2024-08-19T11:45",
        "slot": "lunch",
        "elders": [str(seed.zhang)],
        "idempotency_key": "meals-3",
    }
    data.update(changes)
    before = last_id(web)
    answer = web.post(f"/meals/points/{seed.point}/meals/new", data)
    assert answer.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", error_beside(answer.text, field))
    assert last_id(web) == before


# -- settlements ---------------------------------------------------------------------------------


def test_drafting_and_submitting_a_settlement(web: WebClient, seed: Seed) -> None:
    form = web.get(f"/meals/points/{seed.point}/settlements/new")
    assert form.status_code == 200 and "结算月份" in form.text
    settlement = settle_july(web, seed)
    page = web.get(f"/meals/settlements/{settlement}")
    assert page.status_code == 200 and "已编制" in page.text
    assert "低保" in page.text and "提交民政部门" in page.text
    rows = sheet_rows(web.get(f"/meals/settlements/{settlement}/xlsx").content)
    assert rows[0][0] == "用餐月份" and rows[-1][0] == "合计" and rows[-1][4] == 2
    overview = web.get("/meals?status=drafted")
    assert f"/meals/settlements/{settlement}" in overview.text
    listed = sheet_rows(web.get("/meals/settlements.xlsx?status=drafted").content)
    assert any(r[0] == "2024-07" for r in listed)
    before = last_id(web)
    answer = web.post(f"/meals/settlements/{settlement}/submit", {"submitted_on": "2024-08-06"})
    assert answer.status_code == 303 and last_id(web) > before
    page = web.get(f"/meals/settlements/{settlement}")
    assert "提交民政部门" not in page.text  # submitted: no second submit offered


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"month": "2024-08", "drafted_on": "2024-08-20"}, "month", "settlement_month_not_ended"),
        ({"month": "2024-13"}, "month", None),
        ({"drafted_on": "yesterday"}, "drafted_on", "date_invalid"),
    ],
)
def test_a_refused_draft_shows_why_and_records_nothing(
    web: WebClient, seed: Seed, changes: dict[str, str], field: str, code: str | None
) -> None:
    data = {"month": "2024-07", "drafted_on": "2024-08-05", "idempotency_key": "draft-x"}
    data.update(changes)
    before = last_id(web)
    answer = web.post(f"/meals/points/{seed.point}/settlements/new", data)
    assert answer.status_code == 400
    shown = error_beside(answer.text, field)
    assert shown == message_zh(code) if code else re.search(r"[\u4e00-\u9fff]", shown)
    assert last_id(web) == before


def test_a_refused_submit_shows_why_and_records_nothing(web: WebClient, seed: Seed) -> None:
    settlement = settle_july(web, seed)
    before = last_id(web)
    answer = web.post(f"/meals/settlements/{settlement}/submit", {"submitted_on": "2024-08-01"})
    assert answer.status_code == 400  # before the draft (step_dated_before_previous_step)
    assert re.search(r"[\u4e00-\u9fff]", answer.text)
    bad = web.post(f"/meals/settlements/{settlement}/submit", {"submitted_on": "2024-99-01"})
    assert bad.status_code == 400
    assert error_beside(bad.text, "submitted_on") == message_zh("date_invalid")
    assert last_id(web) == before


# -- roles and scope -----------------------------------------------------------------------------


def test_readers_may_not_use_the_forms_and_an_admin_sees_no_meals(
    web: WebClient, seed: Seed
) -> None:
    auditor = web.as_role("auditor")
    before = last_id(web)
    for path in ("elders/new", "meals/new", "settlements/new"):
        assert auditor.get(f"/meals/points/{seed.point}/{path}").status_code == 403
        refused = auditor.post(f"/meals/points/{seed.point}/{path}", enrol_form())
        assert refused.status_code == 403
    assert last_id(web) == before
    assert web.as_role("admin").get("/meals").status_code == 403
    assert "/meals" not in web.as_role("admin").get("/").text
    assert 'href="/meals"' in web.get("/").text


def test_a_village_outside_the_users_scope_is_refused_and_nothing_recorded(
    web: WebClient, seed: Seed
) -> None:
    ours = web.as_role("accountant", [VILLAGE])
    overview = ours.get("/meals?month=2024-08")
    assert overview.status_code == 200 and "长者食堂ST-09" not in overview.text
    outside = ours.get(f"/meals/points/{seed.other_point}")
    assert outside.status_code in (400, 403) and "forbidden" in outside.text.lower()
    before = last_id(web)
    enrol = ours.post(f"/meals/points/{seed.other_point}/elders/new", enrol_form())
    draft = ours.post(
        f"/meals/points/{seed.other_point}/settlements/new",
        {"month": "2024-07", "drafted_on": "2024-08-05"},
    )
    for refused in (enrol, draft):
        assert refused.status_code in (400, 403) and "forbidden" in refused.text.lower()
    assert last_id(web) == before


def test_escaped_everywhere_a_hostile_name_is_shown(
    web: WebClient, seed: Seed, seeded: Registry
) -> None:
    answer = web.post(
        f"/meals/points/{seed.point}/elders/new",
        enrol_form(name="<script>alert(1)</script>", idempotency_key="enrol-hostile"),
    )
    assert answer.status_code == 303
    auditor = web.as_role("auditor").get(f"/meals/points/{seed.point}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in auditor.text
    assert "<script>alert(1)" not in auditor.text


def test_empty_and_huge_forms_are_refused_never_a_500(web: WebClient, seed: Seed) -> None:
    settlement = settle_july(web, seed)
    before = last_id(web)
    for path in (
        f"/meals/points/{seed.point}/elders/new",
        f"/meals/points/{seed.point}/meals/new",
        f"/meals/points/{seed.point}/settlements/new",
        f"/meals/settlements/{settlement}/submit",
    ):
        empty = web.post(path, {})
        assert empty.status_code == 400 and "<html" in empty.text, path
        huge = web.post(path, {"name": "赵" * 3_000_000, "month": "9" * 3_000_000})
        assert 400 <= huge.status_code < 500 and "<html" in huge.text, path
    assert last_id(web) == before
