"""Reading elders (re-exported by queries.py). Names and ID numbers are opened with the key
store at read time, ID numbers only ever returned masked; after erasure both are None."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from domain.meals.idcard import mask
from domain.meals.model.elder import ID_NUMBER_FIELD, NAME_FIELD
from domain.meals.vocabulary import CATEGORIES
from domain.shared.keystore import KeyStore
from projections.meals.tables import categories, elders

MAX_ELDERS = 5000


@dataclass(frozen=True)
class CategoryView:
    category: str
    name_zh: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class ElderView:
    """name and id_number_masked are None once the elder's personal data was erased."""

    elder_id: str
    village_code: str
    name: str | None
    id_number_masked: str | None
    personal_data_erased: bool
    status: str  # active | suspended | moved_away | deceased
    enrolled_on: date
    suspended_from: date | None
    moved_away_on: date | None
    died_on: date | None
    categories: tuple[CategoryView, ...]


def elders_of(
    conn: Connection, keys: KeyStore, village_code: str | None = None, limit: int = MAX_ELDERS
) -> list[ElderView]:
    query = select(elders).order_by(elders.c.village_code, elders.c.enrolled_on, elders.c.elder_id)
    if village_code is not None:
        query = query.where(elders.c.village_code == village_code)
    rows = list(conn.execute(query.limit(min(limit, MAX_ELDERS))).mappings())
    return _elder_views(conn, keys, rows)


def elder(conn: Connection, keys: KeyStore, elder_id: UUID | str) -> ElderView | None:
    rows = list(conn.execute(select(elders).where(elders.c.elder_id == str(elder_id))).mappings())
    views = _elder_views(conn, keys, rows)
    return views[0] if views else None


def _elder_views(conn: Connection, keys: KeyStore, rows: list[Any]) -> list[ElderView]:
    ids = [r["elder_id"] for r in rows]
    held: dict[str, list[CategoryView]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(categories).where(categories.c.elder_id.in_(chunk))
        for c in conn.execute(query.order_by(categories.c.valid_from)).mappings():
            view = CategoryView(
                c["category"], CATEGORIES[c["category"]], c["valid_from"], c["valid_to"]
            )
            held.setdefault(c["elder_id"], []).append(view)
    sealed: list[tuple[UUID, str, str]] = []
    for r in rows:
        sealed += [
            (UUID(r["elder_id"]), NAME_FIELD, r["name_sealed"]),
            (UUID(r["elder_id"]), ID_NUMBER_FIELD, r["id_number_sealed"]),
        ]
    opened = keys.open_many(sealed)
    views = []
    for n, r in enumerate(rows):
        name, number = opened[2 * n], opened[2 * n + 1]
        views.append(
            ElderView(
                elder_id=r["elder_id"],
                village_code=r["village_code"],
                name=name,
                id_number_masked=mask(number) if number else None,
                personal_data_erased=r["erased"] or name is None,
                status=elder_status(r),
                enrolled_on=r["enrolled_on"],
                suspended_from=r["suspended_from"],
                moved_away_on=r["moved_away_on"],
                died_on=r["died_on"],
                categories=tuple(held.get(r["elder_id"], ())),
            )
        )
    return views


def elder_status(r: Any) -> str:
    """An elder's status from the register row: deceased, moved away, suspended or active."""
    if r["died_on"] is not None:
        return "deceased"
    if r["moved_away_on"] is not None:
        return "moved_away"
    return "suspended" if r["suspended_from"] is not None else "active"
