"""The statements over books the registry itself posted (vouchers reviewed, the year closed and
reopened), on SQLite and PostgreSQL, and the ``qianwan statement`` command with its xlsx.

The books (tests/integration/test_ledger_books.py ``a_year_of_vouchers``), worked out by hand:
2025 grant 5,000.00 into 102 (503), office costs 120.00 from 101 (513), interest 30.50 into 102
(504): 货币资金 = 5,000.00 − 120.00 + 30.50 = 4,910.50 = 资产总计; 本年收益 = 5,030.50 −
120.00 = 4,910.50 = 未分配收益 (before closing from the P&L accounts, after it from 322).
2026-01-15 another 50.00 of office costs from 102: 货币资金 4,860.50, 本年收益 −50.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from domain.books.inputs import VoucherLineInput
from projections.ledger.statements import balance_sheet, income_statement
from projections.ledger.statements.checks import movement_of_321, statement_findings
from qianwan.bootstrap import Registry
from qianwan.settings import Settings
from scripts.cli import main
from tests.conftest import settings_env
from tests.integration.test_ledger_books import a_year_of_vouchers, voucher
from tests.support import ADMIN, DISTRICT, TOWN, VILLAGE


def figures(registry: Registry, place: str, day: date) -> tuple[Decimal, Decimal, Decimal]:
    with registry.engine.connect() as conn:
        sheet = balance_sheet(conn, place, day)
    undistributed = next(x.closing for x in sheet.lines if x.name_zh == "未分配收益")
    return sheet.total_assets, sheet.total_liabilities_and_equity, undistributed


def net_income(registry: Registry, year: int, month: int | None = None) -> Decimal:
    with registry.engine.connect() as conn:
        return income_statement(conn, VILLAGE, year, month).net_income


def test_statements_before_and_after_closing_and_reopening(seeded: Registry) -> None:
    a_year_of_vouchers(seeded)
    year_end = date(2025, 12, 31)
    expected = (Decimal("4910.50"),) * 3
    assert figures(seeded, VILLAGE, year_end) == expected
    assert net_income(seeded, 2025) == Decimal("4910.50")
    assert statement_findings(seeded.engine) == ()

    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    assert figures(seeded, VILLAGE, year_end) == expected
    assert figures(seeded, TOWN, year_end) == expected
    assert figures(seeded, DISTRICT, year_end) == expected
    assert net_income(seeded, 2025) == Decimal("4910.50")
    with seeded.engine.connect() as conn:
        assert movement_of_321(conn, VILLAGE, 2025) == Decimal("4910.50")
    assert statement_findings(seeded.engine) == ()

    seeded.books.reopen_period(VILLAGE, "2025-12", "补记利息", ADMIN)
    assert net_income(seeded, 2025) == Decimal("4910.50")
    assert figures(seeded, VILLAGE, year_end) == expected
    assert statement_findings(seeded.engine) == ()


def test_the_next_year_opens_with_the_closing_balances(seeded: Registry) -> None:
    a_year_of_vouchers(seeded)
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    voucher(
        seeded,
        date(2026, 1, 15),
        "购买办公用品",
        VoucherLineInput("513", debit_yuan="50.00"),
        VoucherLineInput("102", credit_yuan="50.00"),
    )
    with seeded.engine.connect() as conn:
        sheet = balance_sheet(conn, VILLAGE, date(2026, 1, 31))
    cash = next(x for x in sheet.lines if x.name_zh == "货币资金")
    assert (cash.year_start, cash.closing) == (Decimal("4910.50"), Decimal("4860.50"))
    assert sheet.total_assets == sheet.total_liabilities_and_equity == Decimal("4860.50")
    assert net_income(seeded, 2026, 1) == Decimal("-50.00")
    assert statement_findings(seeded.engine) == ()


def test_the_statement_command_prints_and_writes_xlsx_and_csv(
    seeded: Registry,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a_year_of_vouchers(seeded)
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    settings_env(settings, monkeypatch)
    xlsx, csv_file = tmp_path / "bs.xlsx", tmp_path / "bs.csv"
    argv = ["statement", "balance-sheet", VILLAGE, "--as-of", "2025-12-31"]
    assert main([*argv, "--xlsx", str(xlsx), "--csv", str(csv_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("资产负债表\n")
    assert "4,910.50" in out
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    rows = {r[0]: r[3] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["资产总计"] == rows["负债和所有者权益总计"] == 4910.5
    assert "资产总计,31,0.00,4910.50" in csv_file.read_text(encoding="utf-8-sig")
    assert main(["statement", "income", VILLAGE, "--year", "2025"]) == 0
    assert "四、本年收益" in capsys.readouterr().out
    assert main(["statement", "ledger", VILLAGE, "--account", "102", "--from", "2025-01-01",
                 "--to", "2025-12-31"]) == 0  # fmt: skip
    assert "记-2025-03-0001" in capsys.readouterr().out


def test_the_statement_command_refuses_an_unknown_place(
    seeded: Registry,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_env(settings, monkeypatch)
    before = seeded.store.last_notification_id()
    assert main(["statement", "balance-sheet", "320117107999"]) == 2
    assert "error: [village_not_registered]" in capsys.readouterr().err
    assert main(["statement", "balances", VILLAGE, "--from", "2025-13", "--to", "2026-01"]) == 2
    assert "error: [statement_period_invalid]" in capsys.readouterr().err
    assert seeded.store.last_notification_id() == before
