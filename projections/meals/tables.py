"""Tables of the meal-assistance read models. Money in whole fen (BIGINT); ids as strings.

Personal data is never stored here in clear: ``meal_elders`` copies the SEALED name and ID
number from the events, and queries open them with the key store at read time. Once a key is
destroyed, the rows are still there and still rebuild, but nothing in them names anyone.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
)

from projections.db import metadata

points = Table(
    "meal_points",
    metadata,
    Column("meal_point_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False, index=True),
    Column("point_code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("operator_kind", String(16), nullable=False),
    Column("operator_name", String(200), nullable=False),
    Column("capacity_meals_per_day", Integer, nullable=False),
    Column("delivery_offered", Boolean, nullable=False),
    Column("slots", String(200), nullable=False),  # "breakfast 06:00-09:00; lunch …"
    Column("registered_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("source_notification_id", Integer, nullable=False),
)

elders = Table(
    "meal_elders",
    metadata,
    Column("elder_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False, index=True),
    Column("name_sealed", Text, nullable=False),
    Column("id_number_sealed", Text, nullable=False),
    Column("enrolled_on", Date, nullable=False),
    Column("suspended_from", Date),  # an open suspension
    Column("moved_away_on", Date),
    Column("died_on", Date),
    Column("died_reported_on", Date),
    Column("died_notification_id", Integer),
    Column("erased", Boolean, nullable=False),
    Column("erased_on", Date),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

categories = Table(
    "meal_elder_categories",
    metadata,
    Column("elder_id", String(36), primary_key=True),
    Column("category", String(32), primary_key=True),
    Column("valid_from", Date, primary_key=True),
    Column("valid_to", Date),
)

meals = Table(
    "meal_register",
    metadata,
    Column("meal_id", String(36), primary_key=True),
    Column("meal_point_id", String(36), nullable=False),
    Column("elder_id", String(36), nullable=False),
    Column("served_on", Date, nullable=False),
    Column("slot", String(16), nullable=False),
    Column("served_at", String(8), nullable=False),
    Column("delivery", Boolean, nullable=False),
    Column("category", String(32), nullable=False),
    Column("price_fen", BigInteger, nullable=False),
    Column("government_fen", BigInteger, nullable=False),
    Column("collective_fen", BigInteger, nullable=False),
    Column("elder_fen", BigInteger, nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("batch_id", String(36)),
    Column("recorded_notification_id", Integer, nullable=False),
    Column("voided", Boolean, nullable=False),
    Column("void_reason", String(32)),
    Column("voided_on", Date),
    Column("voided_notification_id", Integer),
    Column("settlement_id", String(36)),  # the settlement that claims it
    Column("clawback_settlement_id", String(36)),  # the settlement that claws it back
    Index("ix_meal_register_point_day", "meal_point_id", "served_on"),
    Index("ix_meal_register_elder_day", "elder_id", "served_on"),
    Index("ix_meal_register_settlement", "settlement_id"),
)
# The meals no settlement claims yet, with what a claim needs, in the order the claim's lines
# are summed (projections/meals/month_candidates.py reads a month of many points from it alone,
# never the table). Partial: claimed and voided meals leave it, so it holds about a month.
UNCLAIMED = and_(meals.c.settlement_id.is_(None), meals.c.voided.is_(False))
Index(
    "ix_meal_register_unclaimed",
    *(meals.c[c] for c in ("meal_point_id", "served_on", "slot", "category", "delivery")),
    *(meals.c[c] for c in ("meal_id", "price_fen", "government_fen", "collective_fen")),
    meals.c.elder_fen,
    sqlite_where=UNCLAIMED,
    postgresql_where=UNCLAIMED,
)
# Voided meals only (a few): where the clawbacks due are looked for.
VOIDED = meals.c.voided.is_(True)
VOIDED_INDEX = "ix_meal_register_voided"
Index(
    VOIDED_INDEX,
    meals.c.meal_point_id,
    sqlite_where=VOIDED,
    postgresql_where=VOIDED,
)

batches = Table(
    "meal_batches",
    metadata,
    Column("batch_id", String(36), primary_key=True),
    Column("meal_point_id", String(36), nullable=False, index=True),
    Column("batch_no", String(64), nullable=False),
    Column("records", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("refused", Integer, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("source_notification_id", Integer, nullable=False),
)

# Refused records: each is a fact (an attempted claim) that auditors may need.
refusals = Table(
    "meal_refusals",
    metadata,
    Column("batch_id", String(36), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("meal_point_id", String(36), nullable=False),
    Column("code", String(40), nullable=False),
    Column("elder_id", String(36)),
    Column("served_on", Date),
    Column("slot", String(16)),
    Column("served_at", String(8)),
    Column("delivery", Boolean),
    Column("existing_meal_id", String(36)),
    Column("existing_meal_point_id", String(36)),
    Column("source_notification_id", Integer, nullable=False),
    Index("ix_meal_refusals_code", "code", "served_on"),
)

settlements = Table(
    "meal_settlements",
    metadata,
    Column("settlement_id", String(36), primary_key=True),
    Column("meal_point_id", String(36), nullable=False, index=True),
    Column("village_code", String(12), nullable=False, index=True),
    Column("operator_kind", String(16), nullable=False),
    Column("month", String(7), nullable=False),
    Column("period_end", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("meals", Integer, nullable=False),
    Column("price_fen", BigInteger, nullable=False),
    Column("government_fen", BigInteger, nullable=False),
    Column("collective_fen", BigInteger, nullable=False),
    Column("elder_fen", BigInteger, nullable=False),
    Column("clawback_meals", Integer, nullable=False),
    Column("clawback_government_fen", BigInteger, nullable=False),
    Column("clawback_collective_fen", BigInteger, nullable=False),
    Column("clawback_elder_fen", BigInteger, nullable=False),
    Column("drafted_on", Date, nullable=False),
    Column("submitted_on", Date),
    Column("verified_on", Date),
    Column("returned_on", Date),
    Column("return_reason", String(32)),
    Column("approved_on", Date),
    Column("subsidy_received_on", Date),
    Column("subsidy_received_fen", BigInteger),
    Column("paid_on", Date),
    Column("paid_fen", BigInteger),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

settlement_lines = Table(
    "meal_settlement_lines",
    metadata,
    Column("settlement_id", String(36), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("served_month", String(7), nullable=False),
    Column("category", String(32), nullable=False),
    Column("slot", String(16), nullable=False),
    Column("delivery", Boolean, nullable=False),
    Column("meals", Integer, nullable=False),
    Column("price_fen", BigInteger, nullable=False),
    Column("government_fen", BigInteger, nullable=False),
    Column("collective_fen", BigInteger, nullable=False),
    Column("elder_fen", BigInteger, nullable=False),
)

clawbacks = Table(
    "meal_settlement_clawbacks",
    metadata,
    Column("settlement_id", String(36), primary_key=True),
    Column("meal_id", String(36), primary_key=True),
    Column("from_settlement_id", String(36), nullable=False),
    Column("served_on", Date, nullable=False),
    Column("category", String(32), nullable=False),
    Column("slot", String(16), nullable=False),
    Column("government_fen", BigInteger, nullable=False),
    Column("collective_fen", BigInteger, nullable=False),
    Column("elder_fen", BigInteger, nullable=False),
)

ALL_TABLES = (
    points,
    elders,
    categories,
    meals,
    batches,
    refusals,
    settlements,
    settlement_lines,
    clawbacks,
)
