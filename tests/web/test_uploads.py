"""Spreadsheets in, a meal point's sign-in sheet: the template opens with its Chinese headers and
lists; an upload shows every row's outcome with its row number and records nothing; the
confirmation records exactly the accepted rows in one batch; the same file again records
nothing new; another village's point is refused."""

from __future__ import annotations

import io
from datetime import date, datetime, time

from openpyxl import load_workbook

from api.web.xlsx import XLSX_TYPE
from tests.support import OTHER_VILLAGE, VILLAGE, enrol_elder, register_canteen
from tests.web.conftest import WebClient
from tests.web.uploads_support import (
    MEAL_HEADERS,
    canteen_with_elders,
    confirm_fields,
    meal_exists,
    sheet_of,
    text_of_row,
    upload,
    workbook,
)


def test_the_sign_in_template_lists_the_elders_under_chinese_headers(web: WebClient) -> None:
    point, wang, _zhang, _number = canteen_with_elders(web.registry)

    answer = web.get(f"/uploads/meals/template.xlsx?point={point}")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX_TYPE
    assert "attachment" in answer.headers["content-disposition"]
    sheet = sheet_of(answer.content, "签到表")
    headers = [c.value for c in sheet[1]]
    assert headers == ["老人", "身份证号", "日期*", "餐次*", "时间*", "送餐", "价格（元）", "备注"]
    assert sheet.freeze_panes == "A2"
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"早餐,午餐,晚餐"' in lists and '"是,否"' in lists
    assert any("老人名单" in (f or "") for f in lists)
    elders = [c.value for (c,) in sheet_of(answer.content, "老人名单").iter_rows(min_row=2)]
    assert len(elders) == 2 and any(str(wang)[:8] in str(e) for e in elders)
    assert "王秀兰" not in " ".join(map(str, elders))  # masked, as the accountant reads them
    assert "填写说明" in sheet_of(answer.content, "填写说明")["A1"].value


def sign_in_sheet(wang_label: str, zhang_number: str) -> bytes:
    return workbook(
        MEAL_HEADERS,
        [
            [wang_label, None, datetime(2024, 5, 2), "午餐", time(11, 30), "否", None, "ok"],
            [None, zhang_number, "2024/5/2", "午", "11:40", None, None, None],
            [None, None, None, None, None, None, None, None],  # a blank row in between
            [wang_label, None, "2024年5月3日", "午餐", "14:45", None, None, "after the window"],
            [None, zhang_number, "昨天", "午餐", "11:40", None, None, None],
        ],
    )


def test_a_preview_shows_every_row_and_a_confirmation_records_the_good_ones_once(
    web: WebClient,
) -> None:
    point, wang, zhang, zhang_number = canteen_with_elders(web.registry)
    template = web.get(f"/uploads/meals/template.xlsx?point={point}").content
    labels = [c.value for (c,) in sheet_of(template, "老人名单").iter_rows(min_row=2)]
    wang_label = next(str(v) for v in labels if str(wang)[:8] in str(v))
    content = sign_in_sheet(wang_label, zhang_number)
    before = web.registry.store.last_notification_id()

    preview = upload(web, "/uploads/meals", content, point=str(point))

    assert preview.status_code == 200, preview.text
    assert web.registry.store.last_notification_id() == before  # a preview records nothing
    assert "接受" in text_of_row(preview.text, 2) and "接受" in text_of_row(preview.text, 3)
    assert "time_outside_slot_window" in text_of_row(preview.text, 5)  # the domain's own rule
    assert "date_invalid" in text_of_row(preview.text, 6)  # a date nobody can read
    assert 'id="row-4"' not in preview.text  # the blank row is skipped
    assert not meal_exists(web.registry, wang, date(2024, 5, 2), "lunch")

    result = web.post("/uploads/meals/confirm", confirm_fields(preview.text))

    assert result.status_code == 200, result.text
    assert 'id="n-accepted">2<' in result.text and 'id="n-refused">2<' in result.text
    assert meal_exists(web.registry, wang, date(2024, 5, 2), "lunch")
    assert meal_exists(web.registry, zhang, date(2024, 5, 2), "lunch")
    fields = confirm_fields(preview.text)
    download = web.get(f"/uploads/meals/outcomes.xlsx?target={point}&sha256={fields['sha256']}")
    table = sheet_of(download.content, "助餐签到表")
    assert table["A1"].value == "行号" and [table[f"A{n}"].value for n in (2, 5)] == [2, 6]
    assert table["I5"].value == "拒绝" and table["K5"].value == "date_invalid"
    assert table["I2"].value == "接受"
    assert not meal_exists(web.registry, wang, date(2024, 5, 3), "lunch")
    after_first = web.registry.store.last_notification_id()

    again = upload(web, "/uploads/meals", content, point=str(point))
    assert again.status_code == 200
    assert 'id="n-already">2<' in again.text and 'id="n-accepted">0<' in again.text
    assert "/uploads/meals/confirm" not in again.text  # nothing left to record
    replay = web.post("/uploads/meals/confirm", confirm_fields(preview.text))
    assert replay.status_code == 200 and 'id="n-accepted">0<' in replay.text
    assert web.registry.store.last_notification_id() == after_first  # nothing new


def test_hostile_text_in_cells_is_refused_by_row_or_shown_escaped(web: WebClient) -> None:
    point, _wang, _zhang, zhang_number = canteen_with_elders(web.registry)
    content = workbook(
        MEAL_HEADERS,
        [
            [None, zhang_number, "2024-05-02", "午餐", "11:40", None, None, "备\u202e注"],
            ["<script>alert(1)</script>", None, "2024-05-02", "午餐", "11:40", None, None, None],
            [None, "a_x0000_b", "2024-05-02", "晚餐", "18:00", None, None, None],
            [None, zhang_number, "2024-05-02", "晚餐", "18:00", None, None, "长" * 10_000],
        ],
    )
    before = web.registry.store.last_notification_id()

    preview = upload(web, "/uploads/meals", content, point=str(point))

    assert preview.status_code == 200, preview.text
    assert "text_contains_forbidden_character" in text_of_row(preview.text, 2)
    assert "<script>alert" not in preview.text and "&lt;script&gt;" in preview.text
    assert "拒绝" in text_of_row(preview.text, 3) and "拒绝" in text_of_row(preview.text, 4)
    assert "text_too_long" in text_of_row(preview.text, 5)
    assert "长" * 1000 not in preview.text
    assert web.registry.store.last_notification_id() == before


def test_another_villages_meal_point_is_refused_and_nothing_recorded(web: WebClient) -> None:
    canteen_with_elders(web.registry)
    theirs = register_canteen(web.registry.meals, "ST-09", village=OTHER_VILLAGE)
    enrol_elder(web.registry.meals, name="李四", sequence="333", village=OTHER_VILLAGE)
    ours = web.as_role("accountant", villages=[VILLAGE])
    content = workbook(MEAL_HEADERS, [[None, "x", "2024-05-02", "午餐", "11:40"]])
    before = web.registry.store.last_notification_id()

    assert ours.get(f"/uploads/meals/template.xlsx?point={theirs}").status_code == 403
    refused = upload(ours, "/uploads/meals", content, point=str(theirs))

    assert refused.status_code == 403 and "FORBIDDEN" in refused.text
    assert web.registry.store.last_notification_id() == before


def test_only_accountants_may_upload(web: WebClient) -> None:
    auditor = web.as_role("auditor")
    assert auditor.get("/uploads").status_code == 403
    assert web.get("/uploads").status_code == 200
    assert "导入表格" in web.get("/").text and "导入表格" not in auditor.get("/").text


def test_a_confirmation_without_its_preview_or_a_file_is_refused(web: WebClient) -> None:
    point = canteen_with_elders(web.registry)[0]
    before = web.registry.store.last_notification_id()

    stale = web.post("/uploads/meals/confirm", {"target": str(point), "sha256": "0" * 64})
    no_file = web.post("/uploads/meals", {"point": str(point)})
    no_point = web.post("/uploads/meals", {"point": "\u0000<b>"})

    assert stale.status_code == 400 and "<code>upload_expired</code>" in stale.text
    assert no_file.status_code == 400 and "<code>upload_missing</code>" in no_file.text
    assert no_point.status_code == 400 and "<b>" not in no_point.text
    assert web.registry.store.last_notification_id() == before


def test_the_template_filled_in_comes_back_accepted(web: WebClient) -> None:
    point, wang, zhang, _number = canteen_with_elders(web.registry)
    template = web.get(f"/uploads/meals/template.xlsx?point={point}").content
    book = load_workbook(io.BytesIO(template))
    sheet = book["签到表"]
    sheet["C2"], sheet["D2"], sheet["E2"] = date(2024, 5, 6), "早餐", time(7, 15)
    buffer = io.BytesIO()
    book.save(buffer)  # row 3, the other elder nobody signed in, is skipped

    preview = upload(web, "/uploads/meals", buffer.getvalue(), "签到表.xlsx", point=str(point))

    assert preview.status_code == 200, preview.text
    assert "接受" in text_of_row(preview.text, 2) and 'id="row-3"' not in preview.text
    web.post("/uploads/meals/confirm", confirm_fields(preview.text))
    signed = str(sheet["A2"].value)
    elder = wang if str(wang)[:8] in signed else zhang
    assert meal_exists(web.registry, elder, date(2024, 5, 6), "breakfast")
