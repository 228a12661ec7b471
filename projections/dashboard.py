"""The district dashboard's own read models (大屏, docs/dashboard.md): what the summary of
projections/summary.py keeps by month, kept finer where the dashboard draws it finer.

- meals served per day and village, and who paid for them (government, collective, the elder's
  co-payment): each meal counted in when recorded and out again when voided;
- the elders served per month and village: one row per (month, village, elder) with the number
  of standing meals, so that "elders served" is a COUNT of rows with meals, bounded by the
  elders of the place whatever the number of meals.

Both are sums (``add_later``: one upsert per key and batch of the fold) filled by the meals
projection beside its summary rows, and dropped and refolded with it, so a rebuild reproduces
them exactly. Every row carries its district and town code: a district or a town is one indexed
aggregate query. Elder ids are random (never an ID number); no name is stored here.

The dashboard's other figures read read models that already hold them: collective income and
land proceeds from projections/summary.py, land contracts and payments from projections/land/,
contracts in force and unpaid rent from projections/assets.py, findings from the meal register
and its refusals (projections/meals/); see projections/dashboard_queries.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Date, String, Table

from domain.shared.clock import month_of
from projections.batching import add_later
from projections.db import metadata

meal_days = Table(
    "dashboard_meal_days",
    metadata,
    Column("district_code", String(6), primary_key=True),
    Column("served_on", Date, primary_key=True),
    Column("town_code", String(9), primary_key=True),
    Column("village_code", String(12), primary_key=True),
    Column("meals", BigInteger, nullable=False),
    Column("price_fen", BigInteger, nullable=False),
    Column("government_fen", BigInteger, nullable=False),
    Column("collective_fen", BigInteger, nullable=False),
    Column("elder_fen", BigInteger, nullable=False),
)

meal_elders = Table(
    "dashboard_meal_elders",
    metadata,
    Column("district_code", String(6), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("town_code", String(9), primary_key=True),
    Column("village_code", String(12), primary_key=True),
    Column("elder_id", String(36), primary_key=True),
    Column("meals", BigInteger, nullable=False),  # standing meals of the elder in the month
)

MEALS_TABLES = (meal_days, meal_elders)


def add_meal(conn: Connection, village_code: str, row: dict[str, Any], sign: int) -> None:
    """A meal (a row of the meal register) counted in (+1) or, voided, out (−1)."""
    district, town = village_code[:6], village_code[:9]
    add_later(
        conn,
        meal_days,
        {
            "district_code": district,
            "served_on": row["served_on"],
            "town_code": town,
            "village_code": village_code,
        },
        {
            "meals": sign,
            "price_fen": sign * row["price_fen"],
            "government_fen": sign * row["government_fen"],
            "collective_fen": sign * row["collective_fen"],
            "elder_fen": sign * row["elder_fen"],
        },
    )
    add_later(
        conn,
        meal_elders,
        {
            "district_code": district,
            "month": month_of(row["served_on"]),
            "town_code": town,
            "village_code": village_code,
            "elder_id": row["elder_id"],
        },
        {"meals": sign},
    )
