"""The month-balance tables of the issue-13 contract, declared here until the ledger projection's
own (projections/ledger/tables.py) are merged: same names, same columns, in a metadata of their
own so that they never collide with the projection's. Replace the imports of this module by
``projections.ledger.tables`` at the merge and delete it."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, MetaData, String, Table

pending = MetaData()

balances = Table(
    "ledger_balances",
    pending,
    Column("village_code", String(12), primary_key=True),
    Column("account_code", String(8), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("debit_fen", BigInteger, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
)

sub_balances = Table(
    "ledger_sub_balances",
    pending,
    Column("village_code", String(12), primary_key=True),
    Column("account_code", String(8), primary_key=True),
    Column("counterparty", String(200), primary_key=True),
    Column("reference", String(64), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("debit_fen", BigInteger, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
    Column("last_date", Date),
)

years = Table(
    "ledger_years",
    pending,
    Column("village_code", String(12), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("closed", Boolean, nullable=False),
)

# The journal with the contract's new columns (voucher_no, fact_date, kind, counterparty …).
entries = Table(
    "ledger_entries",
    pending,
    Column("entry_id", String(32), primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("description", String(300), nullable=False),
    Column("source_notification_id", Integer, nullable=False),
    Column("voucher_no", String(24), nullable=False),
    Column("fact_date", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("voucher_id", String(36)),
    Column("reverses_entry_id", String(32)),
)

lines = Table(
    "ledger_lines",
    pending,
    Column("entry_id", String(32), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("account_code", String(8), nullable=False),
    Column("debit_fen", BigInteger, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
    Column("counterparty", String(200)),
    Column("counterparty_kind", String(16)),
    Column("reference", String(64)),
)
