"""Reading the books' read model (projections/books.py) outside the API: the vouchers of a
village, and the number the ledger gave each posted voucher."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from projections.books import voucher_lines, vouchers
from projections.ledger.tables import entries

MAX_LISTED_VOUCHERS = 1000  # one listing at most; narrow it by month or status for more


def voucher_numbers(conn: Connection, voucher_ids: Sequence[str]) -> dict[str, str]:
    """voucher id → 记-YYYY-MM-NNNN, for those the ledger posted (ledger_entries.voucher_id);
    empty while the ledger keeps no voucher numbers."""
    if not voucher_ids or "voucher_id" not in entries.c or "voucher_no" not in entries.c:
        return {}
    query = select(entries.c["voucher_id"], entries.c["voucher_no"]).where(
        entries.c["voucher_id"].in_(list(voucher_ids))
    )
    return {str(voucher_id): str(number) for voucher_id, number in conn.execute(query)}


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
