"""The books' read model (凭证与结账): every voucher with its lines and status, and every month
and year a village closed. A fold of the Voucher and Books events: it can be dropped and rebuilt
to the same rows (docs/rules.md B-10). The voucher numbers are the ledger's (ledger_entries
.voucher_no, assigned when a voucher posts), not kept here."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    insert,
    select,
    update,
)

from domain.books.model import Books, Voucher
from domain.books.vocabulary import POSTED, PREPARED, REJECTED
from domain.shared.clock import month_of
from domain.shared.values import to_fen
from projections.db import metadata
from projections.projection import Handlers, Projection, Source

vouchers = Table(
    "books_vouchers",
    metadata,
    Column("voucher_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("voucher_date", Date, nullable=False),
    Column("month", String(7), nullable=False),
    Column("summary", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("preparer", String(200), nullable=False),
    Column("reviewer", String(200)),
    Column("reviewed_on", Date),
    Column("rejection_reason", String(500)),
    Column("reverses", String(36)),  # the voucher this red one reverses
    Column("reversed_by", String(36)),  # the red voucher reversing this one, pending or posted
    Column("attachments", Integer, nullable=False),
    Column("total_fen", BigInteger, nullable=False),  # the debits (negative on a red voucher)
    Column("recorded_by", String(200), nullable=False),
    Column("source_notification_id", Integer, nullable=False),
    Index("ix_books_vouchers_village_date", "village_code", "voucher_date", "voucher_id"),
    Index("ix_books_vouchers_village_month", "village_code", "month", "status"),
)

voucher_lines = Table(
    "books_voucher_lines",
    metadata,
    Column("voucher_id", String(36), primary_key=True),
    Column("line_no", Integer, primary_key=True),  # from 1, in the voucher's order
    Column("account_code", String(8), nullable=False),
    Column("debit_fen", BigInteger, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
    Column("counterparty", String(200)),
    Column("counterparty_kind", String(16)),
    Column("reference", String(64)),
)

periods = Table(
    "books_periods",
    metadata,
    Column("village_code", String(12), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("closed", Boolean, nullable=False),
    Column("closed_on", Date),  # the business date of the (last) close
    Column("closed_at", DateTime(timezone=True)),  # when it was recorded
    Column("closed_by", String(200)),
    Column("reopened_on", Date),
    Column("reopened_by", String(200)),
    Column("reopen_reason", String(500)),
)

years = Table(
    "books_years",
    metadata,
    Column("village_code", String(12), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("closed", Boolean, nullable=False),
    Column("closed_on", Date),
    Column("closed_by", String(200)),
    Column("reopened_on", Date),
    Column("reopen_reason", String(500)),
)

# Books events name no village but Opened: the village of each Books aggregate.
books_villages = Table(
    "books_villages",
    metadata,
    Column("books_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False),
)


def on_prepared(conn: Connection, e: Any, s: Source) -> None:
    voucher_id = str(s.aggregate_id)
    conn.execute(
        insert(vouchers).values(
            voucher_id=voucher_id,
            village_code=e.village_code,
            voucher_date=e.voucher_date,
            month=month_of(e.voucher_date),
            summary=e.summary,
            status=PREPARED,
            preparer=e.preparer,
            attachments=e.attachments,
            reverses=str(e.reverses) if e.reverses else None,
            total_fen=sum(to_fen(line["debit_yuan"]) for line in e.lines),
            recorded_by=s.actor,
            source_notification_id=s.notification_id,
        )
    )
    conn.execute(
        insert(voucher_lines),
        [
            {
                "voucher_id": voucher_id,
                "line_no": n,
                "account_code": line["account"],
                "debit_fen": to_fen(line["debit_yuan"]),
                "credit_fen": to_fen(line["credit_yuan"]),
                "counterparty": line["counterparty"],
                "counterparty_kind": line["counterparty_kind"],
                "reference": line["reference"],
            }
            for n, line in enumerate(e.lines, start=1)
        ],
    )


def _voucher(s: Source, **values: Any) -> Any:
    return update(vouchers).where(vouchers.c.voucher_id == str(s.aggregate_id)).values(**values)


def on_reviewed(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(_voucher(s, status=POSTED, reviewer=e.reviewer, reviewed_on=e.reviewed_on))


def on_rejected(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        _voucher(
            s,
            status=REJECTED,
            reviewer=e.reviewer,
            reviewed_on=e.rejected_on,
            rejection_reason=e.reason,
        )
    )


def on_reversal_prepared(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(_voucher(s, reversed_by=str(e.reversal_id)))


def on_reversal_withdrawn(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(_voucher(s, reversed_by=None))


def on_opened(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(books_villages).values(books_id=str(s.aggregate_id), village_code=e.village_code)
    )


def village_of(conn: Connection, s: Source) -> str:
    found = conn.scalar(
        select(books_villages.c.village_code).where(
            books_villages.c.books_id == str(s.aggregate_id)
        )
    )
    assert found is not None, f"books {s.aggregate_id} closed before it was opened"
    return str(found)


def _upsert(conn: Connection, table: Table, key: dict[str, Any], values: dict[str, Any]) -> None:
    where = [table.c[name] == value for name, value in key.items()]
    if conn.execute(update(table).where(*where).values(**values)).rowcount == 0:
        conn.execute(insert(table).values(**key, **values))


def on_period_closed(conn: Connection, e: Any, s: Source) -> None:
    key = {"village_code": village_of(conn, s), "month": e.month}
    values = {
        "closed": True,
        "closed_on": e.closed_on,
        "closed_at": s.recorded_at,
        "closed_by": s.actor,
    }
    _upsert(conn, periods, key, values)


def on_period_reopened(conn: Connection, e: Any, s: Source) -> None:
    key = {"village_code": village_of(conn, s), "month": e.month}
    values = {
        "closed": False,
        "reopened_on": e.reopened_on,
        "reopened_by": s.actor,
        "reopen_reason": e.reason,
    }
    _upsert(conn, periods, key, values)


def on_year_closed(conn: Connection, e: Any, s: Source) -> None:
    key = {"village_code": village_of(conn, s), "year": e.year}
    _upsert(conn, years, key, {"closed": True, "closed_on": e.closed_on, "closed_by": s.actor})


def on_year_reopened(conn: Connection, e: Any, s: Source) -> None:
    key = {"village_code": village_of(conn, s), "year": e.year}
    values = {"closed": False, "reopened_on": e.reopened_on, "reopen_reason": e.reason}
    _upsert(conn, years, key, values)


class BooksProjection(Projection):
    name = "books"
    tables = (vouchers, voucher_lines, periods, years, books_villages)
    handlers: ClassVar[Handlers] = {
        Voucher.Prepared: on_prepared,  # type: ignore[attr-defined]
        Voucher.Reviewed: on_reviewed,  # type: ignore[attr-defined]
        Voucher.Rejected: on_rejected,  # type: ignore[attr-defined]
        Voucher.ReversalPrepared: on_reversal_prepared,  # type: ignore[attr-defined]
        Voucher.ReversalWithdrawn: on_reversal_withdrawn,  # type: ignore[attr-defined]
        Books.Opened: on_opened,  # type: ignore[attr-defined]
        Books.PeriodClosed: on_period_closed,  # type: ignore[attr-defined]
        Books.PeriodReopened: on_period_reopened,  # type: ignore[attr-defined]
        Books.YearClosed: on_year_closed,  # type: ignore[attr-defined]
        Books.YearReopened: on_year_reopened,  # type: ignore[attr-defined]
    }
