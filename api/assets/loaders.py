"""Batched reads of the asset register (projections/assets.py). Rows become views whose keys are
the GraphQL fields' Python names, with money turned from fen into yuan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from api.common import MAX_LIST, RegistryLoader, Row, children_per_key, one_per_key, rows, utc, yuan
from projections.assets import contracts, invoices, register


def asset_view(r: Row | None) -> Row | None:
    if r is None:
        return None
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
        "book_value": yuan(r["book_value_fen"]),
        "registered_on": r["registered_on"],
        "status": r["status"],
        "rights_confirmed": r["rights_confirmed"],
        "appraised_value": yuan(r["appraised_value_fen"]),
        "current_contract_no": r["current_contract_no"],
        "invoiced_to_date": yuan(invoiced),
        "received_to_date": yuan(received),
        "cancelled_to_date": yuan(cancelled),
        "outstanding": yuan(invoiced - received - cancelled),
        "version": r["version"],
        "updated_at": utc(r["updated_at"]),
    }


def contract_view(r: Row) -> Row:
    view = {k: v for k, v in r.items() if not k.endswith("_fen")}
    view["total_value"] = yuan(r["total_value_fen"])
    return view


def invoice_view(r: Row) -> Row:
    view = {k: v for k, v in r.items() if not k.endswith("_fen")}
    amount, received = int(r["amount_fen"]), int(r["received_fen"])
    cancelled = int(r["cancelled_fen"])
    view.update(
        amount=yuan(amount),
        received=yuan(received),
        cancelled=yuan(cancelled),
        outstanding=yuan(amount - received - cancelled),
    )
    return view


def find_assets(conn: Connection, village_code: str | None, status: str | None) -> list[Row]:
    query = select(register).order_by(register.c.village_code, register.c.asset_code)
    if village_code is not None:
        query = query.where(register.c.village_code == village_code)
    if status is not None:
        query = query.where(register.c.status == status)
    return [v for r in rows(conn, query.limit(MAX_LIST)) if (v := asset_view(r)) is not None]


class AssetById(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        return [asset_view(r) for r in one_per_key(conn, register, register.c.asset_id, keys)]


class AssetsByVillage(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        found = children_per_key(conn, register, register.c.village_code, keys, ["asset_code"])
        return [[asset_view(r) for r in group] for group in found]


class ContractsByAsset(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        order = ["signed_on", "contract_no"]
        found = children_per_key(conn, contracts, contracts.c.asset_id, keys, order)
        return [[contract_view(r) for r in group] for group in found]


class InvoicesByAsset(RegistryLoader):
    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        order = ["issued_on", "invoice_no"]
        found = children_per_key(conn, invoices, invoices.c.asset_id, keys, order)
        return [[invoice_view(r) for r in group] for group in found]
