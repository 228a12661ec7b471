"""Reading the books' read model (projections/books.py) outside the API: the vouchers of a
village, each with the number the ledger gave it when it posted (``voucher_numbers``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from projections.books import voucher_lines, vouchers
from projections.ledger.queries import voucher_numbers

MAX_LISTED_VOUCHERS = 1000  # one listing at most; narrow it by month or status for more


def list_vouchers(
    conn: Connection, village_code: str, month: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """The village's vouchers by date (at most MAX_LISTED_VOUCHERS), each with its number (or
    None) and its lines."""
    c = vouchers.c
    query = select(vouchers).where(c.village_code == village_code)
    if month is not None:
        query = query.where(c.month == month)
    if status is not None:
        query = query.where(c.status == status)
    query = query.order_by(c.voucher_date, c.voucher_id).limit(MAX_LISTED_VOUCHERS)
    found = [dict(r) for r in conn.execute(query).mappings()]
    ids = [r["voucher_id"] for r in found]
    numbers = voucher_numbers(conn, ids)
    lines: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        line_query = (
            select(voucher_lines)
            .where(voucher_lines.c.voucher_id.in_(ids))
            .order_by(voucher_lines.c.voucher_id, voucher_lines.c.line_no)
        )
        for line in conn.execute(line_query).mappings():
            lines[line["voucher_id"]].append(dict(line))
    for row in found:
        row["voucher_no"] = numbers.get(row["voucher_id"])
        row["lines"] = lines[row["voucher_id"]]
    return found
