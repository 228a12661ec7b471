"""A statement as people read it: a table on screen, CSV for Excel, and an xlsx workbook with a
title row, ``#,##0.00`` amounts, bold totals, a frozen header, a print area fitted to the page
width and column widths (openpyxl)."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

Cell = str | int | Decimal | None
AMOUNT_FORMAT = "#,##0.00"
COLUMN_WIDTH_MAX = 60  # characters


@dataclass(frozen=True)
class Report:
    title: str  # e.g. "资产负债表"
    subtitle: str  # place and period
    header: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]
    total_rows: frozenset[int] = field(default_factory=frozenset)  # indexes into rows, bold


def text_of(cell: Cell, screen: bool = False) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell:,.2f}" if screen else f"{cell:.2f}"
    return str(cell)


def display_width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def as_table(report: Report) -> str:
    """The report for a terminal: title, subtitle, aligned columns, amounts to the right."""
    rows = [list(report.header)] + [[text_of(c, screen=True) for c in r] for r in report.rows]
    numeric = [
        any(isinstance(r[i], Decimal) for r in report.rows) for i in range(len(report.header))
    ]
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(report.header))]
    out = [report.title, report.subtitle, ""]
    for n, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            space = " " * (widths[i] - display_width(cell))
            cells.append(space + cell if numeric[i] else cell + space)
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"


def as_csv(report: Report) -> str:
    """CSV with a BOM, so that Excel reads the Chinese as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(report.header)
    writer.writerows([text_of(c) for c in r] for r in report.rows)
    return "\ufeff" + out.getvalue()


def write_xlsx(report: Report, path: Path) -> None:
    """One sheet: the title (row 1), the subtitle (row 2), the header (row 3, frozen), the rows;
    amounts as numbers in ``#,##0.00``, totals bold, printed landscape fitted to one page wide."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = report.title[:31]
    columns = len(report.header)
    sheet.append([report.title])
    sheet.append([report.subtitle])
    sheet.append(list(report.header))
    last_column = get_column_letter(columns)
    sheet.merge_cells(f"A1:{last_column}1")
    sheet.merge_cells(f"A2:{last_column}2")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for index, row in enumerate(report.rows):
        sheet.append([float(c) if isinstance(c, Decimal) else c for c in row])
        for column, value in enumerate(row, 1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            if isinstance(value, Decimal):
                cell.number_format = AMOUNT_FORMAT
            if index in report.total_rows:
                cell.font = Font(bold=True)
    for column in range(1, columns + 1):
        texts = [report.header[column - 1]] + [text_of(r[column - 1], True) for r in report.rows]
        width = min(max(display_width(t) for t in texts) + 2, COLUMN_WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_area = f"A1:{last_column}{sheet.max_row}"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    book.save(path)
