"""Spreadsheets in, a village's rent roll: the template lists the invoices still owed; a preview
runs the receipts' own checks and records nothing; the confirmation records the good rows in one
step; the same file again records nothing new; another village's roll is refused."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from tests.support import OTHER_VILLAGE, VILLAGE
from tests.web.conftest import WebClient
from tests.web.uploads_support import (
    RENT_HEADERS,
    confirm_fields,
    invoiced_lease,
    sheet_of,
    text_of_row,
    upload,
    workbook,
)


def received(web: WebClient, asset: object) -> str:
    state = web.registry.assets.get(asset)  # type: ignore[arg-type]
    return str(state.invoices["FP-2024-01"].received_yuan)


def test_the_rent_template_lists_the_invoices_still_owed(web: WebClient) -> None:
    invoiced_lease(web.registry)

    answer = web.get(f"/uploads/rent/template.xlsx?village={VILLAGE}")

    assert answer.status_code == 200
    sheet = sheet_of(answer.content, "收租表")
    assert [c.value for c in sheet[1]][:6] == [
        "资产编号*",
        "资产名称",
        "承租方",
        "发票号*",
        "应收未收（元）",
        "收款金额（元）*",
    ]
    assert sheet.freeze_panes == "A2"
    row = [c.value for c in sheet[2]]
    assert row[:4] == ["ZC-001", "村部旧楼", "南京某文旅有限公司", "FP-2024-01"]
    assert float(str(row[4])) == 30000
    assert any(v.formula1 == '"银行,现金"' for v in sheet.data_validations.dataValidation)


def test_a_rent_roll_previews_then_records_the_good_rows_once(web: WebClient) -> None:
    asset = invoiced_lease(web.registry)
    content = workbook(
        RENT_HEADERS,
        [
            ["ZC-001", "FP-2024-01", 10000.5, datetime(2024, 4, 20), "银行", "SJ-001"],
            ["ZC-001", "FP-2024-01", "9,999.50", "2024/4/25", "现金", None],
            ["ZC-001", "FP-2024-01", 90000, "2024-04-26", "银行", "SJ-003"],  # too much
            ["ZC-404", "FP-2024-01", 100, "2024-04-26", None, "SJ-004"],  # no such asset
            ["ZC-001", "FP-2024-01", "12.345", "2024-04-26", None, "SJ-005"],  # not in fen
        ],
        "收租表",
    )
    before = web.registry.store.last_notification_id()

    preview = upload(web, "/uploads/rent", content, village=VILLAGE)

    assert preview.status_code == 200, preview.text
    assert web.registry.store.last_notification_id() == before
    assert "接受" in text_of_row(preview.text, 2) and "接受" in text_of_row(preview.text, 3)
    assert "拒绝" in text_of_row(preview.text, 4)
    assert "asset_not_found" in text_of_row(preview.text, 5)
    assert "amount_not_in_fen" in text_of_row(preview.text, 6)
    assert received(web, asset) == "0.00"

    result = web.post("/uploads/rent/confirm", confirm_fields(preview.text))

    assert result.status_code == 200, result.text
    assert 'id="n-accepted">2<' in result.text and 'id="n-refused">3<' in result.text
    assert received(web, asset) == "20000.00"
    after = web.registry.store.last_notification_id()

    again = upload(web, "/uploads/rent", content, village=VILLAGE)
    assert 'id="n-already">2<' in again.text and 'id="n-accepted">0<' in again.text
    assert web.post("/uploads/rent/confirm", confirm_fields(preview.text)).status_code == 200
    assert web.registry.store.last_notification_id() == after
    assert received(web, asset) == "20000.00"


def test_another_villages_rent_roll_is_refused_and_nothing_recorded(web: WebClient) -> None:
    invoiced_lease(web.registry)
    ours = web.as_role("accountant", villages=[OTHER_VILLAGE])
    content = workbook(
        RENT_HEADERS, [["ZC-001", "FP-2024-01", 100, "2024-04-20", "银行", "SJ-9"]], "收租表"
    )
    before = web.registry.store.last_notification_id()

    assert ours.get(f"/uploads/rent/template.xlsx?village={VILLAGE}").status_code == 403
    refused = upload(ours, "/uploads/rent", content, village=VILLAGE)

    assert refused.status_code == 403 and "FORBIDDEN" in refused.text
    assert web.registry.store.last_notification_id() == before


def test_the_rent_template_filled_in_comes_back_accepted(web: WebClient) -> None:
    asset = invoiced_lease(web.registry)
    template = web.get(f"/uploads/rent/template.xlsx?village={VILLAGE}").content
    book = load_workbook(io.BytesIO(template))
    sheet = book["收租表"]
    sheet["F2"], sheet["G2"], sheet["H2"] = 30000, datetime(2024, 4, 28), "现金"
    buffer = io.BytesIO()
    book.save(buffer)

    preview = upload(web, "/uploads/rent", buffer.getvalue(), village=VILLAGE)

    assert "接受" in text_of_row(preview.text, 2), preview.text
    web.post("/uploads/rent/confirm", confirm_fields(preview.text))
    assert received(web, asset) == "30000.00"
