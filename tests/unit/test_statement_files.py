"""The statements as people read them (scripts/statement_cli.py, scripts/report_files.py): a
table, CSV and xlsx of the hand-computed books (tests/statements_books.py), the xlsx read back
with openpyxl."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from scripts.report_files import AMOUNT_FORMAT, as_csv, as_table, write_xlsx
from scripts.statement_cli import (
    build_balance_sheet,
    build_balances,
    build_income,
    build_ledger,
)
from tests.statements_books import (
    BOOKS_2025,
    BOOKS_2026,
    CLOSING_2025,
    DISTRIBUTION_2025,
    V1,
    books_engine,
    post,
)

TODAY = date(2026, 3, 10)


@pytest.fixture
def books() -> Iterator[Engine]:
    engine = books_engine()
    with engine.begin() as conn:
        post(conn, BOOKS_2025 + CLOSING_2025 + DISTRIBUTION_2025 + BOOKS_2026)
    yield engine
    engine.dispose()


def args(**given: object) -> argparse.Namespace:
    defaults: dict[str, object] = {"place": V1, "as_of": None, "year": None, "month": None}
    defaults |= {"quarter": None}
    defaults |= {"first": None, "last": None, "sub_ledgers": False, "aged": False}
    defaults |= {"account": "102", "counterparty": None}
    return argparse.Namespace(**(defaults | given))


def test_balance_sheet_as_xlsx_reads_back(books: Engine, tmp_path: Path) -> None:
    with books.connect() as conn:
        report = build_balance_sheet(conn, args(as_of=date(2025, 12, 31)), "村0", TODAY)
    path = tmp_path / "bs.xlsx"
    write_xlsx(report, path)
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == "资产负债表"
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[3]] == ["项目", "行次", "年初数", "期末数"]
    assert sheet.freeze_panes == "A4"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_area is not None
    assert sheet.column_dimensions["A"].width >= 10
    by_name = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    total = by_name["资产总计"]
    assert total[3].value == 127300
    assert total[3].number_format == AMOUNT_FORMAT
    assert total[0].font.bold
    assert not by_name["货币资金"][0].font.bold


def test_income_statement_on_screen_and_as_csv(books: Engine) -> None:
    with books.connect() as conn:
        report = build_income(conn, args(year=2025), "村0", TODAY)
    table = as_table(report)
    assert table.startswith("收益及收益分配表\n")
    assert "26,500.00" in table
    text = as_csv(report)
    assert text.startswith("\ufeff项目,行次,本月数,本年累计数\r\n")
    assert "四、本年收益,13,,26500.00" in text
    assert "六、年末未分配收益,18,,20000.00" in text
    with books.connect() as conn:
        quarter = build_income(conn, args(year=2025, quarter=3), "村0", TODAY)
    assert quarter.header[2] == "本季数" and "第3季度" in quarter.subtitle


def test_balances_aged_and_ledgers_as_reports(books: Engine) -> None:
    with books.connect() as conn:
        balances = build_balances(
            conn, args(first="2026-01", last="2026-02", sub_ledgers=True), "村0", TODAY
        )
        aged = build_balances(conn, args(first="2026-02", last="2026-02", aged=True), "村0", TODAY)
        general = build_ledger(conn, args(year=2026), "村0", TODAY)
        detail = build_ledger(
            conn, args(first=date(2026, 2, 1), last=date(2026, 2, 28)), "村0", TODAY
        )
    assert balances.header[3:] == ("期初余额", "本期借方", "本期贷方", "期末余额")
    assert ["  张三" in str(r[1]) for r in balances.rows].count(True) == 1
    assert {r[5] for r in aged.rows} == {"31-90", "0-30"}
    assert general.rows[-1][1] == "本年累计"
    assert [r[1] for r in detail.rows][1:] and all(
        str(r[1]).startswith("记-2026-02-") for r in detail.rows[1:]
    )
