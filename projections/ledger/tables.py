"""Journal tables. Money is stored as whole fen (BIGINT) so SQLite and PostgreSQL agree exactly."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from projections.db import metadata

# One row per journal entry; its id is "<notification id>-<n>", so a rebuild reproduces it.
entries = Table(
    "ledger_entries",
    metadata,
    Column("entry_id", String(32), primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("chart_version", String(16), nullable=False),
    Column("description", String(300), nullable=False),
    Column("source_notification_id", Integer, nullable=False, index=True),
    Column("source_aggregate_id", String(36), nullable=False, index=True),
    Column("source_version", Integer, nullable=False),
    Column("source_event_type", String(80), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("authority", String(300)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_ledger_entries_village_date", "village_code", "entry_date"),
)

lines = Table(
    "ledger_lines",
    metadata,
    Column("entry_id", String(32), ForeignKey("ledger_entries.entry_id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("account_code", String(8), nullable=False),
    Column("debit_fen", BigInteger, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
    Index("ix_ledger_lines_village_account_date", "village_code", "account_code", "entry_date"),
)

# Which village's books an aggregate's events post to (from its Registered event).
owners = Table(
    "ledger_owners",
    metadata,
    Column("aggregate_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False),
)

# Invoices kept so that a termination can reverse income for days after the contract's end.
invoices = Table(
    "ledger_invoices",
    metadata,
    Column("aggregate_id", String(36), primary_key=True),
    Column("invoice_no", String(64), primary_key=True),
    Column("contract_no", String(64), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("covers_from", Date, nullable=False),
    Column("covers_to", Date, nullable=False),
    Column("income_account", String(8), nullable=False),
)
