"""The district's monthly summary: what the platform asks of a district every month, kept up to
date as the events arrive, so that answering never walks events or journal lines.

- collective income by town, village and month: the net credit of the income accounts
  (501 经营收入, 502 投资收益, 503 补助收入, 504 其他收入) of every journal line posted, by the
  line's date; filled by the ledger projection as it posts (projections/ledger/projection.py);
- land proceeds by month and town: the contract prices of land entering the market (by the day
  the contract was signed) and the installments received (by the day received), as posted;
- meals served and who paid for them (government, collective, the elder's co-payment) by month,
  category and meal point: filled by the meals projection, each meal when it is recorded and
  taken out again when it is voided.

Every row is a sum: the handlers add to it (``add_later``), once per key and batch of the fold.
The tables belong to the projections that fill them (they are dropped and refolded with them),
so a rebuild reproduces them exactly; a test compares them with a fresh computation from the
journal and the meal register.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, String, Table

from domain.land.model import Parcel
from domain.ledger.accounts import INVESTMENT_INCOME, OPERATING_INCOME, OTHER_INCOME, SUBSIDY_INCOME
from domain.shared.clock import month_of
from projections.batching import add_later
from projections.db import metadata
from projections.projection import EventClass

INCOME_ACCOUNTS = frozenset({OPERATING_INCOME, INVESTMENT_INCOME, SUBSIDY_INCOME, OTHER_INCOME})
LAND_CONTRACTED, LAND_RECEIVED = "contracted", "received"
# The land events whose journal entry is a proceed, and which kind.
LAND_PROCEEDS: Mapping[EventClass, str] = {
    Parcel.ContractSigned: LAND_CONTRACTED,  # type: ignore[attr-defined]
    Parcel.InstallmentReceived: LAND_RECEIVED,  # type: ignore[attr-defined]
}

income = Table(
    "summary_income",
    metadata,
    Column("district_code", String(6), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("town_code", String(9), primary_key=True),
    Column("village_code", String(12), primary_key=True),
    Column("account_code", String(8), primary_key=True),
    Column("credit_fen", BigInteger, nullable=False),
    Column("debit_fen", BigInteger, nullable=False),
)

land = Table(
    "summary_land",
    metadata,
    Column("district_code", String(6), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("town_code", String(9), primary_key=True),
    Column("kind", String(16), primary_key=True),  # contracted | received
    Column("entries", BigInteger, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
)

meals = Table(
    "summary_meals",
    metadata,
    Column("district_code", String(6), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("village_code", String(12), primary_key=True),
    Column("meal_point_id", String(36), primary_key=True),
    Column("category", String(32), primary_key=True),
    Column("meals", BigInteger, nullable=False),
    Column("price_fen", BigInteger, nullable=False),
    Column("government_fen", BigInteger, nullable=False),
    Column("collective_fen", BigInteger, nullable=False),
    Column("elder_fen", BigInteger, nullable=False),
)

LEDGER_TABLES = (income, land)
MEALS_TABLES = (meals,)


# -- filled by the ledger projection --------------------------------------------------------------


def add_posting(
    conn: Connection,
    village_code: str,
    event_class: EventClass,
    entry_date: date,
    lines: list[tuple[str, int, int]],
) -> None:
    """One journal entry as posted: (account, debit fen, credit fen) per line."""
    month, district, town = month_of(entry_date), village_code[:6], village_code[:9]
    for account, debit, credit in lines:
        if account in INCOME_ACCOUNTS:
            add_later(
                conn,
                income,
                {
                    "district_code": district,
                    "month": month,
                    "town_code": town,
                    "village_code": village_code,
                    "account_code": account,
                },
                {"credit_fen": credit, "debit_fen": debit},
            )
    kind = LAND_PROCEEDS.get(event_class)
    if kind is not None:
        add_later(
            conn,
            land,
            {"district_code": district, "month": month, "town_code": town, "kind": kind},
            {"entries": 1, "amount_fen": sum(debit for _, debit, _ in lines)},
        )


# -- filled by the meals projection ---------------------------------------------------------------


def add_meal(conn: Connection, village_code: str, row: dict[str, Any], sign: int) -> None:
    """A meal (a row of the meal register) counted in (+1) or, voided, out (−1)."""
    add_later(
        conn,
        meals,
        {
            "district_code": village_code[:6],
            "month": month_of(row["served_on"]),
            "village_code": village_code,
            "meal_point_id": row["meal_point_id"],
            "category": row["category"],
        },
        {
            "meals": sign,
            "price_fen": sign * row["price_fen"],
            "government_fen": sign * row["government_fen"],
            "collective_fen": sign * row["collective_fen"],
            "elder_fen": sign * row["elder_fen"],
        },
    )
