"""``qianwan statement balance-sheet|income|balances|ledger PLACE``: the statements of a village,
or summed for a town or the district (docs/statements.md), as a table, ``--csv FILE`` or
``--xlsx FILE``. Thin: parse, call projections/ledger/statements, print or write."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from projections.ledger.statements import (
    account_balances,
    aged_balances,
    balance_sheet,
    detail_ledger,
    general_ledger,
    income_statement,
)
from projections.ledger.statements.source import place_name
from qianwan.bootstrap import Registry
from scripts.common import EXIT_OK, iso_date
from scripts.report_files import Cell, Report, as_csv, as_table, write_xlsx

PLACE_HELP = "12-digit village, 9-digit town or 6-digit district code (a town or district sums)"


def add_statement_commands(commands: Any) -> None:
    """Register ``statement`` and its four reports on the ``qianwan`` parser's subparsers."""
    statement = commands.add_parser(
        "statement",
        help="print a statement (会计报表): balance-sheet, income, balances or ledger",
        description="The statements of 财会〔2023〕14号 for a village, or summed for a town or "
        "the district, on screen, as CSV or as xlsx.",
    )
    reports = statement.add_subparsers(dest="report", required=True, metavar="REPORT")

    def report(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = reports.add_parser(name, help=help_text)
        parser.add_argument("place", metavar="VILLAGE", help=PLACE_HELP)
        parser.add_argument("--csv", type=Path, metavar="FILE", help="also write CSV to FILE")
        parser.add_argument("--xlsx", type=Path, metavar="FILE", help="also write xlsx to FILE")
        return parser

    sheet = report("balance-sheet", "资产负债表 as of a day")
    sheet.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    sheet.set_defaults(run=run_statement, build=build_balance_sheet)

    income = report("income", "收益及收益分配表 of a year, or of a month and the year to it")
    income.add_argument("--year", type=int, required=True)
    period = income.add_mutually_exclusive_group()
    period.add_argument("--month", type=int, help="1–12: 本月数 and 本年累计数 to that month")
    period.add_argument("--quarter", type=int, help="1–4: 本季数 and 本年累计数 to its end")
    income.set_defaults(run=run_statement, build=build_income)

    balances = report("balances", "科目余额表 over a range of months")
    balances.add_argument("--from", dest="first", required=True, metavar="YYYY-MM")
    balances.add_argument("--to", dest="last", required=True, metavar="YYYY-MM")
    balances.add_argument("--sub-ledgers", action="store_true", help="rows per counterparty")
    balances.add_argument("--aged", action="store_true", help="112/211 per counterparty, aged")
    balances.set_defaults(run=run_statement, build=build_balances)

    ledger = report("ledger", "总账 of an account for a year, or 明细账 from a day to a day")
    ledger.add_argument("--account", required=True, metavar="CODE", help="e.g. 102")
    ledger.add_argument("--year", type=int, help="总账 of that year")
    ledger.add_argument("--from", dest="first", type=iso_date, metavar="YYYY-MM-DD")
    ledger.add_argument("--to", dest="last", type=iso_date, metavar="YYYY-MM-DD")
    ledger.add_argument("--counterparty", help="明细账 of one counterparty only")
    ledger.set_defaults(run=run_statement, build=build_ledger)


def run_statement(registry: Registry, args: argparse.Namespace) -> int:
    registry.runner.catch_up_for_reading()
    with registry.engine.connect() as conn:
        name = place_name(conn, args.place)
        report: Report = args.build(conn, args, f"{name}（{args.place}）", registry.clock.today())
    sys.stdout.write(as_table(report))
    if args.csv:
        args.csv.write_text(as_csv(report), encoding="utf-8")
    if args.xlsx:
        write_xlsx(report, args.xlsx)
    return EXIT_OK


def build_balance_sheet(
    conn: Connection, args: argparse.Namespace, place: str, today: date
) -> Report:
    day = args.as_of or today
    sheet = balance_sheet(conn, args.place, day)
    rows: list[list[Cell]] = [
        [line.name_zh, line.line_no, line.year_start, line.closing] for line in sheet.lines
    ]
    totals = frozenset(
        i for i, line in enumerate(sheet.lines) if "合计" in line.name_zh or "总计" in line.name_zh
    )
    return Report(
        "资产负债表",
        f"{place}  {day}  单位：元",
        ("项目", "行次", "年初数", "期末数"),
        rows,
        totals,
    )


def build_income(conn: Connection, args: argparse.Namespace, place: str, today: date) -> Report:
    quarter = getattr(args, "quarter", None)
    statement = income_statement(conn, args.place, args.year, args.month, quarter)
    period = f"{args.year}年" + (
        f"{args.month}月" if args.month else f"第{quarter}季度" if quarter else ""
    )
    in_period = args.month is not None or quarter is not None
    rows: list[list[Cell]] = [
        [line.name_zh, line.line_no, line.year_start if in_period else None, line.closing]
        for line in statement.lines
    ]
    rows += [
        [line.name_zh, line.line_no, None, line.closing] for line in statement.distribution[1:]
    ]
    totals = frozenset(
        i for i, r in enumerate(rows) if str(r[0])[:2] in {"二、", "三、", "四、", "五、", "六、"}
    )
    return Report(
        "收益及收益分配表",
        f"{place}  {period}  单位：元",
        ("项目", "行次", "本季数" if quarter else "本月数", "本年累计数"),
        rows,
        totals,
    )


def build_balances(conn: Connection, args: argparse.Namespace, place: str, today: date) -> Report:
    if args.aged:
        aged = aged_balances(conn, args.place, args.last)
        rows: list[list[Cell]] = [
            [
                a.account_code,
                a.counterparty,
                a.balance,
                a.last_date.isoformat() if a.last_date else None,
                a.days,
                a.bucket,
            ]
            for a in aged
        ]
        header: tuple[str, ...] = ("科目编码", "往来单位", "余额", "最后发生日", "天数", "账龄")
        return Report("往来账龄分析表", f"{place}  截至 {args.last}  单位：元", header, rows)
    found = account_balances(conn, args.place, args.first, args.last, args.sub_ledgers)
    rows = [
        [
            r.account_code,
            r.name_zh if r.counterparty is None else f"  {r.counterparty}",
            r.reference,
            r.opening,
            r.debit,
            r.credit,
            r.closing,
        ]
        for r in found
    ]
    header = ("科目编码", "科目名称", "辅助核算", "期初余额", "本期借方", "本期贷方", "期末余额")
    return Report("科目余额表", f"{place}  {args.first} 至 {args.last}  单位：元", header, rows)


def build_ledger(conn: Connection, args: argparse.Namespace, place: str, today: date) -> Report:
    if args.year is not None:
        g = general_ledger(conn, args.place, args.account, args.year)
        rows: list[list[Cell]] = [[f"{args.year}-01", "年初余额", None, None, g.opening]]
        rows += [[m.month, "本月合计", m.debit, m.credit, m.balance] for m in g.months]
        rows.append([str(args.year), "本年累计", g.debit, g.credit, g.closing])
        header: tuple[str, ...] = ("月份", "摘要", "借方", "贷方", "余额（借正贷负）")
        title = f"{place}  {g.account_code} {g.name_zh}  {args.year}年  单位：元"
        return Report("总账", title, header, rows, frozenset({len(rows) - 1}))
    first = args.first or date(today.year, 1, 1)
    last = args.last or today
    d = detail_ledger(conn, args.place, args.account, first, last, args.counterparty)
    rows = [[first.isoformat(), None, "期初余额", None, None, None, d.opening]]
    rows += [
        [
            line.entry_date.isoformat(),
            line.voucher_no,
            line.summary,
            line.counterparty,
            line.debit,
            line.credit,
            line.balance,
        ]
        for line in d.lines
    ]
    header = ("日期", "凭证号", "摘要", "往来单位", "借方", "贷方", "余额（借正贷负）")
    title = f"{place}  {d.account_code} {d.name_zh}  {first} 至 {last}  单位：元"
    return Report("明细账", title, header, rows)
