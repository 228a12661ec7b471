"""Batched reads of the land read model (projections/land/): the parcel register, the proceeds
ledger and the payments. Each loader takes one SQL statement per batch of keys and returns the
projections' own records (``ParcelRecord``, ``Proceeds``, ``Payment``), aligned with the keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection

from api.common import Mapped, RegistryLoader, Row
from api.pagination import (
    Order,
    PageLoader,
    PageRequest,
    equal_to,
    fetch_page,
    in_villages,
    pages_per_parent,
)
from domain.shared.values import from_fen
from projections.land import queries
from projections.land.queries import ParcelRecord, Payment
from projections.land.tables import parcels, payments


def parcel_record(row: Row) -> ParcelRecord:
    return queries.to_record(Mapped(row))


def payment(row: Row) -> Payment:
    return Payment(
        parcel_id=row["parcel_id"],
        kind=row["kind"],
        reference=row["reference"],
        amount_yuan=from_fen(int(row["amount_fen"])),
        paid_on=row["paid_on"],
        channel=row["channel"],
        members_count=row["members_count"],
    )


PARCEL_ORDER = Order("parcel", ("village_code", "parcel_code"))
PAYMENT_ORDER = Order("payment", ("source_notification_id", "kind", "reference"))


@dataclass(frozen=True)
class ParcelFilter:
    district_code: str | None = None
    town_code: str | None = None
    village_code: str | None = None
    stage: str | None = None

    def conditions(self, scope: frozenset[str] | None) -> list[ColumnElement[bool]]:
        c = parcels.c
        return in_villages(c.village_code, scope) + equal_to(
            district=(c.district_code, self.district_code),
            town=(c.town_code, self.town_code),
            village=(c.village_code, self.village_code),
            stage=(c.stage, self.stage),
        )


def parcel_page(
    conn: Connection, where: ParcelFilter, request: PageRequest, scope: frozenset[str] | None
) -> Row:
    return fetch_page(conn, parcels, where.conditions(scope), PARCEL_ORDER, request, parcel_record)


class ParcelById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return queries.parcels_by_id(conn, keys)


class ParcelPagesByVillage(PageLoader):
    """A village's parcels by parcel code."""

    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        where = in_villages(parcels.c.village_code, scope)
        return pages_per_parent(
            conn, parcels, "village_code", parents, where, PARCEL_ORDER, request, parcel_record
        )


class ProceedsByParcel(RegistryLoader):
    """The proceeds ledger of each parcel; None until its contract is signed."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return queries.proceeds_by_parcel(conn, keys)


class PaymentPagesByParcel(PageLoader):
    """Installments, the levy and member batches of each parcel, in the order recorded."""

    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        return pages_per_parent(
            conn, payments, "parcel_id", parents, [], PAYMENT_ORDER, request, payment
        )
