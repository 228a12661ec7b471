"""A small set of books worked out by hand, posted straight into the journal tables of the
issue-13 contract and their month balances, for the statement tests (docs/statements.md).

Village 320117107206 (V1), all amounts in yuan:

2025
  E1  01-05  Dr 102 100000.00            Cr 301 100000.00        capital paid in
  E2  02-10  Dr 151  60000.00            Cr 102  60000.00        a building bought
  E3  03-01  Dr 112  12000.00 (张三)     Cr 501  12000.00        rent due
  E4  03-20  Dr 102   5000.00            Cr 112   5000.00 (张三) rent received
  E5  06-30  Dr 513   1500.00            Cr 152   1500.00        depreciation
  E6  07-15  Dr 102  20000.00            Cr 503  20000.00        a subsidy
  E7  09-01  Dr 514   4000.00            Cr 102   4000.00        public-welfare spending
  E8  10-01  Dr 102    800.00            Cr 211     800.00 (李四) a deposit received
  C1  12-31  closing: Dr 501 12000, Dr 503 20000 / Cr 513 1500, Cr 514 4000, Cr 321 26500
  C2  12-31  closing: Dr 321 26500 / Cr 322 26500
  E9  12-31  Dr 322   6500.00            Cr 211   6500.00 (成员)  distribution declared

  本年收益 2025 = 12000 + 20000 − 1500 − 4000 = 26500.00 (经营收益 12000 − 1500 = 10500.00;
  收益总额 10500 + 20000 − 4000 = 26500.00); 各项分配 6500.00; 年末未分配收益 20000.00.
  At 2025-12-31: 102 = 100000 − 60000 + 5000 + 20000 − 4000 + 800 = 61800.00; 112 张三 7000.00;
  151 − 152 = 58500.00; 资产总计 61800 + 7000 + 58500 = 127300.00; 211 = 800 + 6500 = 7300.00;
  资本 100000 + 未分配收益 20000 = 120000.00; total 127300.00.

2026
  E10 01-10  Dr 102   3000.00            Cr 112   3000.00 (张三)
  E11 02-05  Dr 513   1200.00            Cr 102   1200.00
  E12 02-20  Dr 102    700.00            Cr 504    700.00
  E13 02-25  Dr 211   1000.00 (李四)     Cr 102   1000.00        李四 overpaid: 211 debit 200

  At 2026-02-15: 102 = 61800 + 3000 − 1200 = 63600.00; 112 4000.00; 资产总计 126100.00;
  未分配收益 = 20000 − 1200 = 18800.00; 负债和所有者权益总计 7300 + 100000 + 18800 = 126100.00.
  At 2026-02-28: 102 = 63600 + 700 − 1000 = 63300.00; 应收款项 = 112 张三 4000 + 211 李四's
  debit 200 = 4200.00; 资产总计 63300 + 4200 + 58500 = 126000.00; 应付款项 = 成员 6500.00;
  未分配收益 = 20000 + 700 − 1200 = 19500.00; total 6500 + 100000 + 19500 = 126000.00.

Village 320117107291 (V2): E20 2025-05-01 Dr 102 1000.00 / Cr 301 1000.00.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, create_engine, insert, select, update

from domain.shared.values import to_fen
from projections.db import metadata
from projections.ledger.tables import balances, entries, lines, sub_balances
from projections.places import districts, towns, villages

V1 = "320117107206"
V2 = "320117107291"
TOWN = "320117107"
DISTRICT = "320117"

# (id, village, date, kind, summary, [(account, debit, credit, counterparty)])
Line = tuple[str, str, str, str | None]
Entry = tuple[str, str, str, str, str, list[Line]]
BOOKS_2025: tuple[Entry, ...] = (
    (
        "E1",
        V1,
        "2025-01-05",
        "programme",
        "资本投入",
        [("102", "100000", "0", None), ("301", "0", "100000", None)],
    ),
    (
        "E2",
        V1,
        "2025-02-10",
        "programme",
        "购入房屋",
        [("151", "60000", "0", None), ("102", "0", "60000", None)],
    ),
    (
        "E3",
        V1,
        "2025-03-01",
        "programme",
        "应收租金",
        [("112", "12000", "0", "张三"), ("501", "0", "12000", None)],
    ),
    (
        "E4",
        V1,
        "2025-03-20",
        "programme",
        "收到租金",
        [("102", "5000", "0", None), ("112", "0", "5000", "张三")],
    ),
    (
        "E5",
        V1,
        "2025-06-30",
        "voucher",
        "计提折旧",
        [("513", "1500", "0", None), ("152", "0", "1500", None)],
    ),
    (
        "E6",
        V1,
        "2025-07-15",
        "voucher",
        "收到补助",
        [("102", "20000", "0", None), ("503", "0", "20000", None)],
    ),
    (
        "E7",
        V1,
        "2025-09-01",
        "voucher",
        "公益支出",
        [("514", "4000", "0", None), ("102", "0", "4000", None)],
    ),
    (
        "E8",
        V1,
        "2025-10-01",
        "programme",
        "收到押金",
        [("102", "800", "0", None), ("211", "0", "800", "李四")],
    ),
    (
        "E20",
        V2,
        "2025-05-01",
        "programme",
        "资本投入",
        [("102", "1000", "0", None), ("301", "0", "1000", None)],
    ),
)
CLOSING_2025: tuple[Entry, ...] = (
    (
        "C1",
        V1,
        "2025-12-31",
        "closing",
        "结转本年收益",
        [
            ("501", "12000", "0", None),
            ("503", "20000", "0", None),
            ("513", "0", "1500", None),
            ("514", "0", "4000", None),
            ("321", "0", "26500", None),
        ],
    ),
    (
        "C2",
        V1,
        "2025-12-31",
        "closing",
        "结转收益分配",
        [("321", "26500", "0", None), ("322", "0", "26500", None)],
    ),
)
DISTRIBUTION_2025: tuple[Entry, ...] = (
    (
        "E9",
        V1,
        "2025-12-31",
        "voucher",
        "成员分配",
        [("322", "6500", "0", None), ("211", "0", "6500", "成员")],
    ),
)
BOOKS_2026: tuple[Entry, ...] = (
    (
        "E10",
        V1,
        "2026-01-10",
        "programme",
        "收回租金",
        [("102", "3000", "0", None), ("112", "0", "3000", "张三")],
    ),
    (
        "E11",
        V1,
        "2026-02-05",
        "voucher",
        "办公费",
        [("513", "1200", "0", None), ("102", "0", "1200", None)],
    ),
    (
        "E12",
        V1,
        "2026-02-20",
        "voucher",
        "其他收入",
        [("102", "700", "0", None), ("504", "0", "700", None)],
    ),
    (
        "E13",
        V1,
        "2026-02-25",
        "voucher",
        "退还押金",
        [("211", "1000", "0", "李四"), ("102", "0", "1000", None)],
    ),
)


def books_engine() -> Engine:
    """An in-memory database holding the places and the contract's journal tables."""
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        for table in (districts, towns, villages):
            table.create(conn)
        metadata.create_all(conn, tables=[entries, lines, balances, sub_balances])
        conn.execute(
            insert(districts).values(
                code=DISTRICT,
                name="溧水区",
                city="南京市",
                province="江苏省",
                source_notification_id=1,
            )
        )
        conn.execute(
            insert(towns).values(
                code=TOWN,
                district_code=DISTRICT,
                name="白马镇",
                kind="town",
                name_invented=False,
                code_invented=False,
                source="test",
                source_notification_id=2,
            )
        )
        for n, code in enumerate((V1, V2)):
            conn.execute(
                insert(villages).values(
                    code=code,
                    town_code=TOWN,
                    name=f"村{n}",
                    collective_name=f"村{n}股份经济合作社",
                    name_invented=True,
                    code_invented=False,
                    source="test",
                    aggregate_id=f"a{n}",
                    source_notification_id=3 + n,
                )
            )
    return engine


def _counter() -> Iterator[int]:
    n = 0
    while True:
        n += 1
        yield n


_NUMBERS = _counter()


def post(conn: Connection, books: Iterable[Entry]) -> None:
    """Each entry into ledger_entries/ledger_lines, and its lines into the month balances, as
    the ledger projection folds them."""
    for entry_id, village, day_text, kind, summary, entry_lines in books:
        day = date.fromisoformat(day_text)
        month = day_text[:7]
        number = next(_NUMBERS)
        conn.execute(insert(entries).values(
            entry_id=entry_id, village_code=village, entry_date=day, description=summary,
            source_notification_id=number, voucher_no=f"记-{month}-{number:04d}", fact_date=day,
            kind=kind, voucher_id=None, reverses_entry_id=None, chart_version="2023",
            source_aggregate_id=entry_id, source_version=1, source_event_type="Test.Posted",
            actor="accountant:test", authority=None, recorded_at=datetime(2026, 3, 1, tzinfo=UTC),
        ))  # fmt: skip
        for line_no, (account, debit, credit, counterparty) in enumerate(entry_lines, 1):
            d, c = to_fen(Decimal(debit)), to_fen(Decimal(credit))
            conn.execute(insert(lines).values(
                entry_id=entry_id, line_no=line_no, village_code=village, entry_date=day,
                account_code=account, debit_fen=d, credit_fen=c, counterparty=counterparty,
                counterparty_kind=None, reference=None,
            ))  # fmt: skip
            _add(
                conn,
                balances,
                {"village_code": village, "account_code": account, "month": month},
                d,
                c,
                None,
            )
            if counterparty is not None:
                key = {
                    "village_code": village,
                    "account_code": account,
                    "counterparty": counterparty or "",
                    "reference": "",
                    "month": month,
                }
                _add(conn, sub_balances, key, d, c, day)


def _add(
    conn: Connection, table: object, key: dict[str, str], d: int, c: int, day: date | None
) -> None:
    from sqlalchemy import Table

    assert isinstance(table, Table)
    where = [table.c[k] == v for k, v in key.items()]
    found = conn.execute(select(table.c.debit_fen).where(*where)).first()
    extra = {"last_date": day} if day is not None else {}
    if found is None:
        conn.execute(insert(table).values(**key, debit_fen=d, credit_fen=c, **extra))
    else:
        moved = {"debit_fen": table.c.debit_fen + d, "credit_fen": table.c.credit_fen + c}
        conn.execute(update(table).where(*where).values(**moved, **extra))


def yuan(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.01"))
