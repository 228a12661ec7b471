"""The xlsx templates people fill in Excel or WPS: a data sheet with Chinese headers in a frozen,
bold first row, drop-down lists where the answer is one of a few words, text columns kept as
text (an ID number typed into a number cell loses its last digits), pre-filled rows, a sheet of
lists the drop-downs read, and a sheet of instructions in Chinese."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from starlette.responses import Response

from api.web.xlsx import XLSX_TYPE

TEMPLATE_ROWS = 500  # rows the drop-downs and formats reach
HEADER_FILL = PatternFill("solid", fgColor="E2EFDA")


@dataclass(frozen=True)
class TemplateColumn:
    """``kind``: text, date, time, money; ``choices``: a drop-down of these words;
    ``source``: a drop-down of the named sheet's column A (a long list)."""

    title: str
    kind: str = "text"
    width: int = 14
    choices: Sequence[str] = ()
    source: str | None = None
    required: bool = False


FORMATS = {"date": "yyyy-mm-dd", "time": "hh:mm", "money": "#,##0.00", "text": "@"}


def template_bytes(
    sheet_title: str,
    columns: Sequence[TemplateColumn],
    rows: Sequence[Sequence[Any]],
    instructions: Sequence[str],
    lists: dict[str, Sequence[str]] | None = None,
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    sheet.append([c.title + ("*" if c.required else "") for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append([None if v is None else v for v in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text is never a formula
                cell.data_type = "s"
    last = max(TEMPLATE_ROWS, len(rows) + 50)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
            cell.number_format = FORMATS.get(column.kind, "@")
        listed = _validation(column, lists or {})
        if listed is not None:
            listed.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(listed)
    sheet.freeze_panes = "A2"
    for name, values in (lists or {}).items():
        listing = book.create_sheet(name)
        listing.append([name])
        listing["A1"].font = Font(bold=True)
        for value in values:
            listing.append([value])
            listing.cell(listing.max_row, 1).data_type = "s"
        listing.column_dimensions["A"].width = 40
    guide = book.create_sheet("填写说明")
    guide.column_dimensions["A"].width = 100
    for line in instructions:
        guide.append([line])
        guide.cell(guide.max_row, 1).data_type = "s"
    guide["A1"].font = Font(bold=True, size=13)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _validation(column: TemplateColumn, lists: dict[str, Sequence[str]]) -> DataValidation | None:
    if column.choices:
        formula = '"' + ",".join(column.choices) + '"'
    elif column.source is not None and lists.get(column.source):
        count = len(lists[column.source])
        formula = f"'{column.source}'!$A$2:$A${count + 1}"
    else:
        return None
    listed = DataValidation(type="list", formula1=formula, allow_blank=True)
    listed.error = "请从下拉列表中选择"
    listed.errorTitle = column.title
    listed.showErrorMessage = True
    return listed


def attachment(filename: str, content: bytes) -> Response:
    ascii_name = "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename
    )
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})
