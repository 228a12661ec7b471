"""Spreadsheets as people fill them (and as attackers make them) for the upload tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from api.web.xlsx import XLSX_TYPE
from qianwan.bootstrap import Registry
from tests.support import ACCOUNTANT, VILLAGE, enrol_elder, meals_registry, register_canteen
from tests.web.conftest import WebClient

MEAL_HEADERS = ["老人", "身份证号", "日期", "餐次", "时间", "送餐", "价格（元）", "备注"]
RENT_HEADERS = ["资产编号", "发票号", "收款金额（元）", "收款日期", "收款方式", "收据号", "备注"]


def workbook(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "签到表") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(
    content: bytes, change: Callable[[str, bytes], bytes], add: dict[str, bytes]
) -> bytes:
    """The workbook's zip with each member passed through ``change`` and members added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
        for name, data in add.items():
            target.writestr(name, data)
    return out.getvalue()


def sheet_of(content: bytes, name: str) -> Worksheet:
    sheet = load_workbook(io.BytesIO(content))[name]
    assert isinstance(sheet, Worksheet)
    return sheet


def upload(
    web: WebClient, path: str, content: bytes, filename: str = "表.xlsx", **fields: str
) -> Any:
    return web.post(path, fields, files={"file": (filename, content, XLSX_TYPE)})


def text_of_row(html: str, number: int) -> str:
    """The text of the preview's row ``number`` (its <tr id="row-N">), tags dropped."""
    import re

    found = re.search(rf'<tr id="row-{number}"[^>]*>(.*?)</tr>', html, re.S)
    assert found is not None, f"no row {number} in the page"
    return re.sub(r"<[^>]+>", " ", found.group(1))


def confirm_fields(html: str) -> dict[str, str]:
    import re

    target = re.search(r'name="target" value="([^"]*)"', html)
    sha = re.search(r'name="sha256" value="([^"]*)"', html)
    assert target and sha, "the preview offers no confirmation"
    return {"target": target.group(1), "sha256": sha.group(1)}


def canteen_with_elders(registry: Registry) -> tuple[UUID, UUID, UUID, str]:
    """A canteen of VILLAGE, two elders (the second named by ID number in the sheets)."""
    from tests.support import make_id_number

    meals = meals_registry(registry)
    point = register_canteen(meals)
    wang = enrol_elder(meals, name="王秀兰", sequence="246")
    zhang = enrol_elder(meals, name="张桂英", sequence="124")
    return point, wang, zhang, make_id_number(sequence="124")


def meal_exists(registry: Registry, elder: UUID, day: date, slot: str) -> bool:
    meal_id = registry.meals.meal_id_of(elder, day, slot)
    return registry.store.versions([meal_id]).get(meal_id) is not None


def invoiced_lease(registry: Registry) -> UUID:
    """ZC-001 of VILLAGE leased, with invoice FP-2024-01 of 30,000 yuan owed."""
    from tests.support import leased_building

    asset = leased_building(registry.assets)
    registry.assets.invoice_rent(
        asset,
        "FP-2024-01",
        "30000",
        date(2024, 4, 1),
        date(2024, 4, 30),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    return asset


__all__ = ["VILLAGE"]
