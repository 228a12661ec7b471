"""Batched reads of the places read model (projections/places.py), one statement per batch;
lists are pages (api/pagination.py), limited to the caller's villages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from api.common import RegistryLoader, Row, one_per_key, rows
from api.pagination import (
    Order,
    PageLoader,
    PageRequest,
    fetch_page,
    in_towns_of,
    in_villages,
    pages_per_parent,
)
from projections.places import districts, towns, villages

TOWN_ORDER = Order("town", ("code",))
VILLAGE_ORDER = Order("village", ("code",))


def first_district(conn: Connection) -> Row | None:
    found = rows(conn, select(districts).order_by(districts.c.code).limit(1))
    return found[0] if found else None


def town_page(
    conn: Connection,
    district_code: str | None,
    request: PageRequest,
    scope: frozenset[str] | None,
) -> Row:
    where = in_towns_of(towns.c.code, scope)
    if district_code is not None:
        where.append(towns.c.district_code == district_code)
    return fetch_page(conn, towns, where, TOWN_ORDER, request, dict)


def village_page(
    conn: Connection,
    town_code: str | None,
    request: PageRequest,
    scope: frozenset[str] | None,
) -> Row:
    where = in_villages(villages.c.code, scope)
    if town_code is not None:
        where.append(villages.c.town_code == town_code)
    return fetch_page(conn, villages, where, VILLAGE_ORDER, request, dict)


class DistrictByCode(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return one_per_key(conn, districts, districts.c.code, keys)


class TownByCode(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return one_per_key(conn, towns, towns.c.code, keys)


class VillageByCode(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return one_per_key(conn, villages, villages.c.code, keys)


class TownPagesByDistrict(PageLoader):
    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        where = in_towns_of(towns.c.code, scope)
        return pages_per_parent(
            conn, towns, "district_code", parents, where, TOWN_ORDER, request, dict
        )


class VillagePagesByTown(PageLoader):
    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        where = in_villages(villages.c.code, scope)
        return pages_per_parent(
            conn, villages, "town_code", parents, where, VILLAGE_ORDER, request, dict
        )
