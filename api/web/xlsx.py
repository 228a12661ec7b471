"""Every table of the workbench downloads as an xlsx file: one sheet, a bold frozen header,
money as numbers formatted to the fen, dates as dates, columns wide enough to read."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from starlette.responses import Response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Column:
    """``kind``: text, money, date, int."""

    title: str
    kind: str = "text"
    width: int = 14


def cell_value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "money":
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return str(value)
    if kind == "date":
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    if kind == "int":
        return int(value)
    return str(value)


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title (31 characters at most), columns and rows."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]


def fill_sheet(sheet: Any, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
    sheet.append([c.title for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_value(v, c.kind) for v, c in zip(row, columns, strict=False)])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text is never a formula: Excel and WPS would run it
                cell.data_type = "s"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind in ("money", "date"):
            number_format = MONEY_FORMAT if column.kind == "money" else "yyyy-mm-dd"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"


def sheets_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of several sheets, in order (each as ``workbook_bytes`` lays one out)."""
    book = Workbook()
    first = book.active
    assert first is not None
    for n, wanted in enumerate(sheets):
        sheet = first if n == 0 else book.create_sheet()
        sheet.title = wanted.title[:31] or f"Sheet{n + 1}"
        fill_sheet(sheet, wanted.columns, wanted.rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_bytes(title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> bytes:
    return sheets_bytes([Sheet(title, columns, rows)])


def attachment(filename: str, content: bytes) -> Response:
    """``content`` as an xlsx attachment named ``filename`` (Chinese allowed, RFC 6266)."""
    ascii_name = "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename
    )
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})


def xlsx_response(
    filename: str, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> Response:
    """The table as an attachment named ``filename`` (Chinese allowed, RFC 6266)."""
    return attachment(filename, workbook_bytes(title, columns, rows))
