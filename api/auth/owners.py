"""Which village an object belongs to, for permissions scoped to villages: one DataLoader keyed
by (owner kind, id), one statement per kind per batch, reading only ids and village codes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from graphql import GraphQLResolveInfo
from sqlalchemy import Connection, Select, select

from api.auth.permissions import Owner
from api.common import RegistryLoader, context_of
from projections.assets import register
from projections.books import vouchers
from projections.disclosure import disclosures
from projections.land.tables import parcels
from projections.meals.tables import batches, elders, meals, points, settlements
from projections.places import villages


def _by_id(table: Any, id_column: str) -> Callable[[list[str]], Select[Any]]:
    def query(ids: list[str]) -> Select[Any]:
        return select(table.c[id_column], table.c.village_code).where(table.c[id_column].in_(ids))

    return query


def _through_point(table: Any, id_column: str) -> Callable[[list[str]], Select[Any]]:
    def query(ids: list[str]) -> Select[Any]:
        return (
            select(table.c[id_column], points.c.village_code)
            .join(points, points.c.meal_point_id == table.c.meal_point_id)
            .where(table.c[id_column].in_(ids))
        )

    return query


def _village_by_aggregate(ids: list[str]) -> Select[Any]:
    return select(villages.c.aggregate_id, villages.c.code).where(villages.c.aggregate_id.in_(ids))


QUERIES: dict[Owner, Callable[[list[str]], Select[Any]]] = {
    Owner.ASSET: _by_id(register, "asset_id"),
    Owner.PARCEL: _by_id(parcels, "parcel_id"),
    Owner.MEAL_POINT: _by_id(points, "meal_point_id"),
    Owner.ELDER: _by_id(elders, "elder_id"),
    Owner.SETTLEMENT: _by_id(settlements, "settlement_id"),
    Owner.MEAL: _through_point(meals, "meal_id"),
    Owner.MEAL_BATCH: _through_point(batches, "batch_id"),
    Owner.VOUCHER: _by_id(vouchers, "voucher_id"),
    Owner.DISCLOSURE: _by_id(disclosures, "disclosure_id"),
}
# An aggregate of any kind (histories): the kinds that belong to a village, tried in turn.
AGGREGATE_KINDS = (
    Owner.ASSET,
    Owner.PARCEL,
    Owner.MEAL_POINT,
    Owner.ELDER,
    Owner.SETTLEMENT,
    Owner.VOUCHER,
    Owner.DISCLOSURE,
)


def normal_id(value: Any) -> str | None:
    """The id as the projections store it (lower-case, hyphenated), or None if not an id."""
    try:
        return str(UUID(str(value)))
    except ValueError:
        return None


class VillageOf(RegistryLoader):
    """Keys: (Owner, id). Values: the village code, or None when no such object is known."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        wanted: dict[Owner, set[str]] = {}
        for owner, value in keys:
            found = normal_id(value)
            if found is not None:
                wanted.setdefault(owner, set()).add(found)
        known: dict[tuple[Owner, str], str] = {}
        for owner, ids in wanted.items():
            known.update(self.villages_of(conn, owner, sorted(ids)))
        return [known.get((owner, normal_id(value) or "")) for owner, value in keys]

    def villages_of(
        self, conn: Connection, owner: Owner, ids: list[str]
    ) -> dict[tuple[Owner, str], str]:
        if owner is not Owner.AGGREGATE:
            return {(owner, i): v for i, v in conn.execute(QUERIES[owner](ids))}
        found: dict[tuple[Owner, str], str] = {
            (owner, i): v for i, v in conn.execute(_village_by_aggregate(ids))
        }
        for kind in AGGREGATE_KINDS:
            missing = [i for i in ids if (owner, i) not in found]
            if not missing:
                break
            found.update({(owner, i): v for i, v in conn.execute(QUERIES[kind](missing))})
        return found


async def outside_villages(info: GraphQLResolveInfo, owner: Owner, ids: Iterable[Any]) -> set[str]:
    """The ids among ``ids`` (of objects of kind ``owner``) that the caller may not see: of a
    village outside its token's, or unknown. Empty for a token not limited to villages. For the
    ids a command or a stored fact names in passing (the meal already in a slot …)."""
    principal = context_of(info).principal
    wanted = sorted({str(i) for i in ids if i is not None})
    if not wanted or principal is None or not principal.scoped:
        return set()
    villages = await context_of(info).loader(VillageOf).load_many([(owner, i) for i in wanted])
    return {i for i, v in zip(wanted, villages, strict=True) if not principal.sees_village(v)}
