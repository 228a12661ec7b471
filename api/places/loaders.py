"""Batched reads of the places read model (projections/places.py), one statement per batch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from api.common import MAX_LIST, RegistryLoader, Row, children_per_key, one_per_key, rows
from projections.places import districts, towns, villages


def all_districts(conn: Connection) -> list[Row]:
    return rows(conn, select(districts).order_by(districts.c.code).limit(MAX_LIST))


def all_towns(conn: Connection) -> list[Row]:
    return rows(conn, select(towns).order_by(towns.c.code).limit(MAX_LIST))


def all_villages(conn: Connection) -> list[Row]:
    return rows(conn, select(villages).order_by(villages.c.code).limit(MAX_LIST))


class DistrictByCode(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return one_per_key(conn, districts, districts.c.code, keys)


class TownByCode(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return one_per_key(conn, towns, towns.c.code, keys)


class VillageByCode(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return one_per_key(conn, villages, villages.c.code, keys)


class TownsByDistrict(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return children_per_key(conn, towns, towns.c.district_code, keys, ["code"])


class VillagesByTown(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return children_per_key(conn, villages, villages.c.town_code, keys, ["code"])
