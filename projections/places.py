"""Read model of places: the district, its towns and streets, its villages and collectives."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Boolean, Column, Connection, Integer, String, Table, insert

from domain.reference.model import District, Town, Village
from projections.db import metadata
from projections.projection import Handlers, Projection, Source

districts = Table(
    "place_districts",
    metadata,
    Column("code", String(6), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("city", String(64), nullable=False),
    Column("province", String(64), nullable=False),
    Column("source_notification_id", Integer, nullable=False),
)

towns = Table(
    "place_towns",
    metadata,
    Column("code", String(9), primary_key=True),
    Column("district_code", String(6), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("name_invented", Boolean, nullable=False),
    Column("code_invented", Boolean, nullable=False),
    Column("source", String(500), nullable=False),
    Column("source_notification_id", Integer, nullable=False),
)

villages = Table(
    "place_villages",
    metadata,
    Column("code", String(12), primary_key=True),
    Column("town_code", String(9), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    Column("collective_name", String(200), nullable=False),
    Column("name_invented", Boolean, nullable=False),
    Column("code_invented", Boolean, nullable=False),
    Column("source", String(500), nullable=False),
    Column("aggregate_id", String(36), nullable=False),
    Column("source_notification_id", Integer, nullable=False),
)


def on_district(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(districts).values(
            code=e.code,
            name=e.name,
            city=e.city,
            province=e.province,
            source_notification_id=s.notification_id,
        )
    )


def on_town(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(towns).values(
            code=e.code,
            district_code=e.district_code,
            name=e.name,
            kind=e.kind,
            name_invented=e.name_invented,
            code_invented=e.code_invented,
            source=e.source,
            source_notification_id=s.notification_id,
        )
    )


def on_village(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(villages).values(
            code=e.code,
            town_code=e.town_code,
            name=e.name,
            collective_name=e.collective_name,
            name_invented=e.name_invented,
            code_invented=e.code_invented,
            source=e.source,
            aggregate_id=str(s.aggregate_id),
            source_notification_id=s.notification_id,
        )
    )


class PlacesProjection(Projection):
    name = "places"
    tables = (districts, towns, villages)
    handlers: ClassVar[Handlers] = {
        District.Registered: on_district,  # type: ignore[attr-defined]
        Town.Registered: on_town,  # type: ignore[attr-defined]
        Village.Registered: on_village,  # type: ignore[attr-defined]
    }
