"""Batched reads of the asset register (projections/assets.py). Rows become views whose keys are
the GraphQL fields' Python names, with money turned from fen into yuan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from api.common import RegistryLoader, Row, in_yuan, one_per_key, utc, yuan
from api.pagination import (
    Order,
    PageLoader,
    PageRequest,
    equal_to,
    fetch_page,
    in_villages,
    pages_per_parent,
)
from projections.assets import contracts, invoices, register
from projections.places import districts


def asset_view(r: Row) -> Row:
    invoiced, received = int(r["invoiced_fen"]), int(r["received_fen"])
    cancelled = int(r["cancelled_fen"])
    return {
        "id": r["asset_id"],
        "village_code": r["village_code"],
        "town_code": r["town_code"],
        "asset_code": r["asset_code"],
        "name": r["name"],
        "kind": r["kind"],
        "area_m2": Decimal(r["area_m2"]),
        "location": r["location"],
        "certificate_no": r["certificate_no"],
        "book_value_yuan": yuan(r["book_value_fen"]),
        "registered_on": r["registered_on"],
        "status": r["status"],
        "rights_confirmed": r["rights_confirmed"],
        "appraised_value_yuan": yuan(r["appraised_value_fen"]),
        "current_contract_no": r["current_contract_no"],
        "invoiced_yuan": yuan(invoiced),
        "received_yuan": yuan(received),
        "cancelled_yuan": yuan(cancelled),
        "outstanding_yuan": yuan(invoiced - received - cancelled),
        "version": r["version"],
        "updated_at": utc(r["updated_at"]),
    }


def contract_view(r: Row) -> Row:
    return in_yuan(r)


def invoice_view(r: Row) -> Row:
    view = in_yuan(r)
    amount, received = int(r["amount_fen"]), int(r["received_fen"])
    view["outstanding_yuan"] = yuan(amount - received - int(r["cancelled_fen"]))
    return view


ASSET_ORDER = Order("asset", ("village_code", "asset_code"))
CONTRACT_ORDER = Order("contract", ("signed_on", "contract_no"))
INVOICE_ORDER = Order("invoice", ("issued_on", "invoice_no"))


@dataclass(frozen=True)
class AssetFilter:
    village_code: str | None = None
    town_code: str | None = None
    status: str | None = None
    kind: str | None = None

    def conditions(self, scope: frozenset[str] | None) -> list[ColumnElement[bool]]:
        c = register.c
        return in_villages(c.village_code, scope) + equal_to(
            village=(c.village_code, self.village_code),
            town=(c.town_code, self.town_code),
            status=(c.status, self.status),
            kind=(c.kind, self.kind),
        )


def asset_page(
    conn: Connection, where: AssetFilter, request: PageRequest, scope: frozenset[str] | None
) -> Row:
    return fetch_page(conn, register, where.conditions(scope), ASSET_ORDER, request, asset_view)


def kind_registered(conn: Connection, kind: str) -> bool:
    """Whether any asset of this resource kind is registered, in any village."""
    query = select(register.c.asset_id).where(register.c.kind == kind).limit(1)
    return conn.execute(query).first() is not None


def district_codes(conn: Connection) -> list[str]:
    return [r.code for r in conn.execute(select(districts.c.code).order_by(districts.c.code))]


class AssetById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = one_per_key(conn, register, register.c.asset_id, keys)
        return [None if r is None else asset_view(r) for r in found]


class AssetPagesByVillage(PageLoader):
    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        where = in_villages(register.c.village_code, scope)
        return pages_per_parent(
            conn, register, "village_code", parents, where, ASSET_ORDER, request, asset_view
        )


class ContractPagesByAsset(PageLoader):
    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        where = in_villages(contracts.c.village_code, scope)
        return pages_per_parent(
            conn, contracts, "asset_id", parents, where, CONTRACT_ORDER, request, contract_view
        )


class InvoicePagesByAsset(PageLoader):
    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        return pages_per_parent(
            conn, invoices, "asset_id", parents, [], INVOICE_ORDER, request, invoice_view
        )


class UnpaidInvoicePagesByAsset(PageLoader):
    """The invoices with money outstanding: what a village's rent due and arrears are made of."""

    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        scope: frozenset[str] | None,
    ) -> dict[Any, Row]:
        c = invoices.c
        unpaid = [c.amount_fen - c.received_fen - c.cancelled_fen > 0]
        return pages_per_parent(
            conn, invoices, "asset_id", parents, unpaid, INVOICE_ORDER, request, invoice_view
        )
