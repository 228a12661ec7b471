"""Journal tables. Money is stored as whole fen (BIGINT) so SQLite and PostgreSQL agree exactly."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
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
    # 记-YYYY-MM-NNNN: numbered in fold order per village and month of entry_date, no gaps
    Column("voucher_no", String(24), nullable=False),
    Column("fact_date", Date, nullable=False),  # the fact's own date (≠ entry_date: booked late)
    Column("kind", String(16), nullable=False),  # programme | voucher | closing | reversal
    Column("voucher_id", String(36), index=True),  # the Voucher of a manual or red voucher
    Column("reverses_entry_id", String(32)),  # the entry a red voucher reverses
    Index("ix_ledger_entries_village_date", "village_code", "entry_date"),
    Index("ix_ledger_entries_village_voucher_no", "village_code", "voucher_no", unique=True),
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
    Column("counterparty", String(200)),  # the sub-ledger (辅助核算): who owes or is owed
    Column("counterparty_kind", String(16)),  # person | organization | … | operator
    Column("reference", String(64)),  # contract no, asset or parcel code, settlement month …
    Index("ix_ledger_lines_village_account_date", "village_code", "account_code", "entry_date"),
)

# Which village's books an aggregate's events post to (from its Registered event), its code
# (asset or parcel code; a settlement's month) and its current counterparty (the lessee or
# buyer of its contract; a meal point's or settlement's operator), for the sub-ledgers.
owners = Table(
    "ledger_owners",
    metadata,
    Column("aggregate_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("code", String(64)),
    Column("counterparty", String(200)),
    Column("counterparty_kind", String(16)),
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
    Column("counterparty", String(200)),  # the contract's counterparty when invoiced
    Column("counterparty_kind", String(16)),
)

# The month's movement of each account (sums of lines by the month of entry_date): what every
# statement reads, so a statement costs O(accounts × months), never O(lines).
balances = Table(
    "ledger_balances",
    metadata,
    Column("village_code", String(12), primary_key=True),
    Column("account_code", String(8), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("debit_fen", BigInteger, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
    # On SQLite the rows are stored in key order (no rowid), so a statement reading a village's
    # accounts reads one contiguous stretch of the table instead of an index and then each row.
    sqlite_with_rowid=False,
)

# The same per counterparty and reference ('' for none), for lines that carry either;
# last_date: the latest entry_date of such a line in the month (for aging).
sub_balances = Table(
    "ledger_sub_balances",
    metadata,
    Column("village_code", String(12), primary_key=True),
    Column("account_code", String(8), primary_key=True),
    Column("counterparty", String(200), primary_key=True),
    Column("reference", String(64), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("debit_fen", BigInteger, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
    Column("last_date", Date, nullable=False),
    sqlite_with_rowid=False,
)

# The projection's copy of the books' closings (domain/books), to route late facts.
periods = Table(
    "ledger_periods",
    metadata,
    Column("village_code", String(12), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("closed", Boolean, nullable=False),
)

years = Table(
    "ledger_years",
    metadata,
    Column("village_code", String(12), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("closed", Boolean, nullable=False),
)

# The last voucher number given per village and month (numbers run 1…last_no without gaps).
voucher_counters = Table(
    "ledger_voucher_counters",
    metadata,
    Column("village_code", String(12), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("last_no", Integer, nullable=False),
)

# The vouchers prepared, as the ledger needs them to post on review: the lines in fen (a red
# voucher's negated), and the entry each posted as (for the red reversal that names it).
vouchers = Table(
    "ledger_vouchers",
    metadata,
    Column("voucher_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("voucher_date", Date, nullable=False),
    Column("summary", String(200), nullable=False),
    Column("lines_json", Text, nullable=False),  # JSON, written with sorted keys
    Column("reverses", String(36)),
    Column("entry_id", String(32)),
)

# kind: domain/books/vocabulary.py ENTRY_KINDS; counterparty_kind: its COUNTERPARTY_KINDS.
