"""Reading an uploaded spreadsheet without trusting it: what arrives is an .xlsx file of at most
5 MB, a real zip holding a workbook, with no macros, no formulas, nothing that unpacks to more
than a bounded size and at most MAX_DATA_ROWS filled rows. Anything else is refused with a code
(``UploadRefused``) before a row is read.

Then its cells, as Excel and WPS write them: a date may be a date cell, a number of days (a
serial) or text such as 2024-05-02, 2024/5/2 or 2024年5月2日; a time a time cell, a fraction of a
day or 11:30; an amount a number or text. Each reader answers the value as the API takes it or
the code of the refusal the API's own readers give (api/scalars.py, domain/shared/clock.py), so
one unreadable cell refuses its row, never the whole upload."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from api.scalars import read_decimal
from api.web.uploads.refusals import (
    CellTimeInvalid,
    CellTooLong,
    UploadCorrupt,
    UploadEmpty,
    UploadHasFormulas,
    UploadHasMacros,
    UploadHeadersMissing,
    UploadNotXlsx,
    UploadRefused,
    UploadTooLarge,
    UploadTooManyRows,
)
from domain.shared.clock import business_date
from domain.shared.errors import DomainError
from domain.shared.text import forbidden_in

MAX_FILE_BYTES = 5_000_000
MAX_UNPACKED_BYTES = 60_000_000  # what all the zip's members hold once unpacked
MAX_MEMBER_RATIO = 200  # unpacked / packed of one large member: beyond it, a zip bomb
MAX_MEMBERS = 500
MAX_DATA_ROWS = 1000  # filled rows of one upload (a meal batch holds at most 1,000 records)
MAX_SHEET_ROWS = 20_000  # rows read at all, filled or not
MAX_COLUMNS = 30
MAX_CELL_CHARS = 500  # no value of a row is longer; a longer cell refuses its row
EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass
class Row:
    """One filled row: its number as Excel shows it and its cells by column key."""

    number: int
    cells: dict[str, Any]
    problems: list[str] = field(default_factory=list)  # codes of cells that cannot be read


@dataclass(frozen=True)
class Sheet:
    rows: list[Row]
    blank_rows: int  # rows left empty between filled ones (skipped)


def check_container(content: bytes, filename: str) -> None:
    """The file is an .xlsx workbook as Excel writes it, or ``UploadRefused``."""
    if not content:
        raise UploadEmpty()
    if len(content) > MAX_FILE_BYTES:
        raise UploadTooLarge()
    if not filename.lower().endswith(".xlsx"):
        raise UploadNotXlsx(filename[-40:])
    if not content.startswith(b"PK\x03\x04"):
        raise UploadNotXlsx()  # CSV or anything else renamed
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise UploadCorrupt() from None
    if "xl/workbook.xml" not in names or not types:
        raise UploadNotXlsx()
    if len(members) > MAX_MEMBERS:
        raise UploadTooLarge()
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        raise UploadHasMacros()
    unpacked = sum(m.file_size for m in members)
    bomb = any(
        m.file_size > 1_000_000 and m.file_size > MAX_MEMBER_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if unpacked > MAX_UNPACKED_BYTES or bomb:
        raise UploadTooLarge()


def read_sheet(
    content: bytes,
    filename: str,
    columns: dict[str, str],
    required: Sequence[str],
    sheet_name: str | None = None,
) -> Sheet:
    """The filled rows of the sheet ``sheet_name`` (else the first), their cells keyed by
    ``columns`` (header text → key) from the header row 1. Missing ``required`` keys, a
    formula anywhere, or too many rows refuse the whole file."""
    check_container(content, filename)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises whatever its parsers raise on a damaged workbook
        raise UploadCorrupt() from None
    try:
        named = sheet_name is not None and sheet_name in book.sheetnames
        sheet: Any = book[sheet_name] if named and sheet_name else book.worksheets[0]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            raise UploadNotXlsx()
        return _rows(sheet.iter_rows(max_col=MAX_COLUMNS), columns, required)
    except UploadRefused:
        raise
    except Exception:
        raise UploadCorrupt() from None
    finally:
        book.close()


def _rows(cells: Iterable[Any], columns: dict[str, str], required: Sequence[str]) -> Sheet:
    keys: dict[int, str] = {}
    rows: list[Row] = []
    blank = pending = 0  # blank rows between filled ones; those after the last are no rows
    for index, row in enumerate(cells, start=1):
        if index > MAX_SHEET_ROWS:
            raise UploadTooManyRows()
        values = []
        for position, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (
                isinstance(value, str) and value.startswith("=") and len(value) > 1
            ):
                where = f"{get_column_letter(position + 1)}{index}"
                raise UploadHasFormulas(where)
            values.append(value)
        if index == 1:
            keys = header_keys(values, columns)
            missing = [k for k in required if k not in keys.values()]
            if missing:
                names = [t for t, k in columns.items() if k in missing]
                raise UploadHeadersMissing("、".join(names))
            continue
        filled = {keys[i]: v for i, v in enumerate(values) if i in keys and not empty(v)}
        if not filled:
            pending += 1
            continue
        blank, pending = blank + pending, 0
        if len(rows) >= MAX_DATA_ROWS:
            raise UploadTooManyRows()
        too_long = False
        for key, value in filled.items():  # kept short: the preview keeps rows in memory
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                filled[key], too_long = value[:MAX_CELL_CHARS], True
        rows.append(Row(index, filled, [CellTooLong.code] if too_long else []))
    return Sheet(rows, blank)


def header_keys(values: Sequence[Any], columns: dict[str, str]) -> dict[int, str]:
    """Column position → key, by the header's text (any order; spaces and a trailing
    explanation in brackets ignored: 价格（元） is 价格)."""
    found: dict[int, str] = {}
    for position, value in enumerate(values):
        if not isinstance(value, str):
            continue
        title = re.split(r"[（(]", value.replace(" ", "").replace("*", ""), maxsplit=1)[0]
        if title in columns and columns[title] not in found.values():
            found[position] = columns[title]
    return found


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- cells ------------------------------------------------------------------------------------


def text_of(value: Any) -> str:
    """A cell as text: numbers without a spurious .0, dates as ISO, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def forbidden_text(cells: dict[str, Any]) -> bool:
    """Whether any text cell holds a character the registry refuses (domain/shared/text.py)."""
    return any(isinstance(v, str) and forbidden_in(v) is not None for v in cells.values())


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def date_of(value: Any) -> tuple[date | None, str | None]:
    """(the date, None) or (None, the refusal's code)."""
    try:
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if not 1 <= value < 2_958_466:  # Excel's serials: 1900-01-01 … 9999-12-31
                return None, "date_invalid"
            day = (EXCEL_EPOCH + timedelta(days=int(value))).date()
        else:
            text = text_of(value)
            found = _DATE_TEXT.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
            if found is None:
                return None, "date_invalid"
            day = date(int(found[1]), int(found[2]), int(found[3]))
        return business_date(day, "date"), None
    except ValueError:
        return None, "date_invalid"
    except DomainError as refusal:
        return None, refusal.code


_TIME_TEXT = re.compile(r"^(\d{1,2})\s*[:：点时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?$")


def time_of(value: Any) -> tuple[time | None, str | None]:
    """(the wall-clock time, None) or (None, the code of ``CellTimeInvalid``)."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0), None
    if isinstance(value, time):
        return value.replace(microsecond=0), None
    if isinstance(value, timedelta):
        value = value.total_seconds() / 86400
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0 <= value < 1:
            return None, CellTimeInvalid.code
        seconds = round(value * 86400)
        if seconds >= 86400:
            return None, CellTimeInvalid.code
        return time(seconds // 3600, seconds % 3600 // 60, seconds % 60), None
    text = text_of(value)
    found = _TIME_TEXT.match(text.split()[-1] if text.strip() else text)  # "2024-05-02 11:30"
    if found is None:
        return None, CellTimeInvalid.code
    try:
        return time(int(found[1]), int(found[2]), int(found[3] or 0)), None
    except ValueError:
        return None, CellTimeInvalid.code


def amount_of(value: Any) -> tuple[str | None, str | None]:
    """An amount as the API's Decimal takes it (text), or the refusal's code."""
    if isinstance(value, bool):
        return None, "decimal_invalid"
    if isinstance(value, float):
        # as Excel shows it: 15 significant digits, so 1234.5600000000002 (a pasted value of a
        # sum) reads 1234.56, as the person saw it; 12.345 stays 12.345 (refused: not in fen)
        text = format(value, ".15g")
        if "e" in text:
            return None, "decimal_out_of_range"
    elif isinstance(value, (int, Decimal)):
        text = str(value)
    else:
        text = text_of(value).replace(",", "").replace("，", "").replace("元", "")
        text = text.replace("¥", "").replace("￥", "").strip()
    try:
        read_decimal(text)
    except DomainError as refusal:
        return None, refusal.code
    return text, None


def shown(value: Any, kind: str = "text") -> str:
    """A cell as the preview shows it: a date or time as the page read it (2024-08-19, 11:20),
    anything unreadable as it was written."""
    if kind == "date":
        day, _ = date_of(value)
        if day is not None:
            return day.isoformat()
    elif kind == "time":
        moment, _ = time_of(value)
        if moment is not None:
            return moment.strftime("%H:%M" if moment.second == 0 else "%H:%M:%S")
    return text_of(value)
