"""``qianwan voucher …`` and ``qianwan close …`` in-process on SQLite: a voucher from --line or
a lines file, reviewed by another person, reversed, listed; months closed and reopened; every
refusal ``error: [code] message`` with exit 2 and nothing recorded."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from qianwan.bootstrap import Registry, bootstrap
from scripts.cli import main
from tests.conftest import make_settings, settings_env
from tests.support import VILLAGE, seed_places


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    settings, _ = make_settings("sqlite", tmp_path)
    settings_env(settings, monkeypatch)
    opened = bootstrap(settings)
    seed_places(opened.places, opened.policies)
    yield opened
    opened.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


RECORD = ("voucher", "record", VILLAGE, "--date", "2026-04-03", "--summary", "购买办公用品")


def voucher_id(out: str) -> str:
    found = re.search(r"voucher ([0-9a-f-]{36})", out)
    assert found, out
    return found.group(1)


def test_a_voucher_recorded_reviewed_reversed_and_listed(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, *RECORD, "--line", "513:120:0", "--line", "101:0:120", "--by", "张"
    )
    assert (code, err) == (0, "")
    first = voucher_id(out)
    assert run(capsys, "voucher", "review", first, "--on", "2026-04-05", "--by", "李")[0] == 0
    code, out, _ = run(capsys, "voucher", "reverse", first, "--date", "2026-04-20", "--by", "张")
    assert code == 0 and "red voucher" in out
    code, out, _ = run(capsys, "voucher", "list", VILLAGE, "--json")
    listed = json.loads(out)
    assert [(v["status"], v["total_fen"]) for v in listed] == [
        ("posted", 12000),
        ("prepared", -12000),
    ]
    assert listed[0]["lines"][0]["account_code"] == "513"
    code, out, _ = run(capsys, "voucher", "list", VILLAGE, "--status", "prepared")
    assert code == 0 and "冲销：购买办公用品" in out and "贷" in out
    assert "合计（大写）：负壹佰贰拾元整" in out
    assert [v["voucher_no"] for v in listed] == ["记-2026-04-0001", None]


def test_lines_from_a_csv_or_json_file(
    registry: Registry, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    as_csv = tmp_path / "lines.csv"
    as_csv.write_text(
        "account,debit,credit,counterparty,counterparty_kind,reference\n"
        "112,800,,张三,person,HT-001\n501,,800,,,\n",
        encoding="utf-8",
    )
    assert run(capsys, *RECORD, "--lines-file", str(as_csv), "--by", "张")[0] == 0
    as_json = tmp_path / "lines.json"
    as_json.write_text(
        json.dumps([{"account": "513", "debit": "5"}, {"account": "101", "credit": "5"}]),
        encoding="utf-8",
    )
    assert run(capsys, *RECORD, "--lines-file", str(as_json), "--by", "张")[0] == 0
    _, out, _ = run(capsys, "voucher", "list", VILLAGE, "--json")
    lines = sorted(
        (line["account_code"], line["counterparty"], line["reference"])
        for voucher in json.loads(out)
        for line in voucher["lines"]
    )
    assert lines == [
        ("101", None, None),
        ("112", "张三", "HT-001"),
        ("501", None, None),
        ("513", None, None),
    ]


def test_refusals_are_one_line_with_their_code_and_record_nothing(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    before = registry.store.last_notification_id()
    for argv, code in [
        ((*RECORD, "--line", "513:120:0", "--line", "101:0:119"), "voucher_not_balanced"),
        ((*RECORD, "--line", "513:120:0"), "voucher_lines_too_few"),
        ((*RECORD, "--line", "513-120"), "arguments_invalid"),
        (("close", "month", VILLAGE, "2999-01"), "period_not_ended"),
        (("close", "reopen", VILLAGE, "2026-01", "--reason", "x"), "period_not_last_closed"),
    ]:
        exit_code, out, err = run(capsys, *argv)
        assert (exit_code, out) == (2, ""), argv
        assert err.startswith(f"error: [{code}] "), err
    assert registry.store.last_notification_id() == before
    _, out, _ = run(capsys, *RECORD, "--line", "513:1:0", "--line", "101:0:1", "--by", "张")
    exit_code, _, err = run(capsys, "voucher", "review", voucher_id(out), "--by", " 张 ")
    assert exit_code == 2 and err.startswith("error: [reviewer_is_preparer] ")


def test_closing_and_reopening_months_and_a_year(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "close", "year", VILLAGE, "2025")
    assert code == 0 and "first open: 2026-01" in out
    assert run(capsys, "close", "month", VILLAGE, "2026-01")[0] == 0
    code, out, _ = run(capsys, "close", "reopen", VILLAGE, "2026-01", "--reason", "漏记")
    assert code == 0 and "first open: 2026-01" in out
    code, _, err = run(
        capsys,
        *RECORD[:3],
        "--date",
        "2025-12-31",
        "--summary",
        "x",
        "--line",
        "513:1:0",
        "--line",
        "101:0:1",
    )
    assert code == 2 and "2026-01 is the first open period" in err
