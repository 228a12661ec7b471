"""Files that are not what they claim: each refused with a code, in Chinese on the uploads page,
never a 500, and nothing recorded. And the cells Excel and WPS write: dates and times as cells,
numbers or text, amounts as floats, ints or text."""

from __future__ import annotations

import functools
import io
import time as time_module
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook

from api.web.messages import MESSAGES
from api.web.uploads.pending import Pending, PendingUploads
from api.web.uploads.sheets import amount_of, date_of, time_of
from tests.web.conftest import WebClient
from tests.web.uploads_support import MEAL_HEADERS, canteen_with_elders, rewritten, upload, workbook

GOOD_ROW = [None, "x", "2024-05-02", "午餐", "11:40"]


def good() -> bytes:
    return workbook(MEAL_HEADERS, [GOOD_ROW])


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(good()))
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        archive.writestr("xl/media/zeros.bin", b"\0" * 80_000_000)
    return out.getvalue()


@functools.lru_cache(maxsize=2)
def many_rows(count: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("签到表")
    sheet.append(MEAL_HEADERS)
    for _ in range(count):
        sheet.append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_formula() -> bytes:
    return workbook(MEAL_HEADERS, [GOOD_ROW, [None, "x", "=TODAY()", "午餐", "11:40"]])


def with_nul() -> bytes:  # XML cannot hold NUL: a file carrying one is damaged
    def nul(name: str, data: bytes) -> bytes:
        return data.replace(b">x<", b">a&#0;b<") if "sheet" in name else data

    return rewritten(good(), nul, {})


def macro() -> bytes:
    return rewritten(good(), lambda name, data: data, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})


HOSTILE: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "csv renamed": ("老人,日期\n王,2024-05-02\n".encode, "a.xlsx", "upload_not_xlsx"),
    "not xlsx by name": (good, "sheet.xls", "upload_not_xlsx"),
    "corrupt zip": (lambda: b"PK\x03\x04" + b"\x00garbage" * 100, "a.xlsx", "upload_corrupt"),
    "a zip but no workbook": (
        lambda: rewritten(good(), lambda n, d: d, {})[:200] + b"\0" * 50,
        "a.xlsx",
        "upload_corrupt",
    ),
    "zip bomb": (zip_bomb, "a.xlsx", "upload_too_large"),
    "macros": (macro, "a.xlsx", "upload_has_macros"),
    "formulas": (with_formula, "a.xlsx", "upload_has_formulas"),
    "nul in a cell": (with_nul, "a.xlsx", "upload_corrupt"),
    "too many rows": (lambda: many_rows(1001), "a.xlsx", "upload_too_many_rows"),
    "100,000 rows": (lambda: many_rows(100_000), "a.xlsx", "upload_too_many_rows"),
    "no headers": (lambda: workbook(["甲", "乙"], [[1, 2]]), "a.xlsx", "upload_headers_missing"),
    "empty": (lambda: b"", "a.xlsx", "upload_empty"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_is_refused_with_a_code_and_nothing_recorded(
    web: WebClient, case: str
) -> None:
    point = canteen_with_elders(web.registry)[0]
    make, filename, code = HOSTILE[case]
    before = web.registry.store.last_notification_id()

    answer = upload(web, "/uploads/meals", make(), filename, point=str(point))

    assert answer.status_code == 400, answer.text
    assert f"<code>{code}</code>" in answer.text
    assert MESSAGES[code] in answer.text  # said in Chinese
    assert 'id="e-meals"' in answer.text  # beside the form it concerns
    assert web.registry.store.last_notification_id() == before


def test_a_body_over_five_megabytes_is_refused_before_it_is_read(web: WebClient) -> None:
    point = canteen_with_elders(web.registry)[0]
    before = web.registry.store.last_notification_id()
    answer = upload(web, "/uploads/meals", b"PK\x03\x04" + b"0" * 5_200_000, point=str(point))
    assert answer.status_code == 413 and "body_too_large" in answer.text
    assert web.registry.store.last_notification_id() == before


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2024, 5, 2, 0, 0), date(2024, 5, 2)),
        (date(2024, 5, 2), date(2024, 5, 2)),
        (45414, date(2024, 5, 2)),  # Excel's serial number of the day
        (45414.0, date(2024, 5, 2)),
        ("2024-05-02", date(2024, 5, 2)),
        ("2024/5/2", date(2024, 5, 2)),
        ("2024.5.2", date(2024, 5, 2)),
        (" 2024年5月2日 ", date(2024, 5, 2)),
        ("20240502", date(2024, 5, 2)),
        ("2024-02-30", None),
        ("昨天", None),
        (-3, None),
        (True, None),
    ],
)
def test_dates_come_as_cells_numbers_or_text(cell: object, expected: date | None) -> None:
    day, code = date_of(cell)
    assert day == expected
    assert (code is None) == (expected is not None)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (time(11, 30), time(11, 30)),
        (datetime(2024, 5, 2, 11, 30), time(11, 30)),
        (0.5, time(12, 0)),
        ("11:30", time(11, 30)),
        ("11：30", time(11, 30)),
        ("7:05:09", time(7, 5, 9)),
        ("2024-05-02 11:30", time(11, 30)),
        ("25:00", None),
        ("noon", None),
        (1.5, None),
    ],
)
def test_times_come_as_cells_fractions_or_text(cell: object, expected: time | None) -> None:
    assert time_of(cell)[0] == expected


@pytest.mark.parametrize(
    ("cell", "expected", "code"),
    [
        (12.5, "12.5", None),
        (0.1, "0.1", None),
        (1234.5600000000002, "1234.56", None),
        (12.345, "12.345", None),
        (1e20, None, "decimal_out_of_range"),
        (30000, "30000", None),
        ("1,234.50元", "1234.50", None),
        ("￥8", "8", None),
        ("NaN", None, "decimal_invalid"),
        ("1E+999999999", None, "decimal_out_of_range"),
        ("十元", None, "decimal_invalid"),
    ],
)
def test_amounts_come_as_numbers_or_text(cell: object, expected: str | None, code: str) -> None:
    assert amount_of(cell) == (expected, code)


def test_a_pending_upload_is_its_uploaders_only_and_forgotten_in_time() -> None:
    kept = PendingUploads(seconds=60, capacity=2)
    first = Pending("u1", "meals", "p", "a" * 64, "a.xlsx", {}, [])
    kept.put(first)
    assert kept.get("u1", "meals", "p", "a" * 64) is first
    assert kept.get("u2", "meals", "p", "a" * 64) is None  # another user's
    assert kept.get("u1", "rent", "p", "a" * 64) is None  # another kind
    kept.put(Pending("u1", "meals", "p", "b" * 64, "b.xlsx", {}, []))
    kept.put(Pending("u1", "meals", "p", "c" * 64, "c.xlsx", {}, []))
    assert kept.get("u1", "meals", "p", "a" * 64) is None  # the oldest made room
    late = Pending(
        "u1", "meals", "p", "d" * 64, "d.xlsx", {}, [], made=time_module.monotonic() - 61
    )
    kept.put(late)
    assert kept.get("u1", "meals", "p", "d" * 64) is None  # expired
