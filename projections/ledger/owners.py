"""What the ledger keeps of the aggregates it posts for: the owner village, code and current
counterparty of each (ledger_owners), and the counterparty of each invoice when it was issued.

These rows are written at once (not deferred), and every row read or written in a batch is also
kept in the batch's memo (projections/batching.py ``batch_memo``), so that a fold reads each
aggregate's row once per batch instead of once per event; the statements are built once, with
bound parameters, since building and hashing a statement per event cost more than running it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from projections.batching import batch_memo
from projections.ledger.tables import invoices, owners


@dataclass(frozen=True)
class Owner:
    village_code: str
    code: str | None
    counterparty: str | None
    counterparty_kind: str | None


@dataclass(frozen=True)
class InvoiceParty:
    village_code: str
    contract_no: str
    counterparty: str | None
    counterparty_kind: str | None


OWNER = select(
    owners.c.village_code, owners.c.code, owners.c.counterparty, owners.c.counterparty_kind
).where(owners.c.aggregate_id == bindparam("aggregate_id"))
INVOICE_PARTY = (
    select(
        owners.c.village_code,
        invoices.c.contract_no,
        invoices.c.counterparty,
        invoices.c.counterparty_kind,
    )
    .join(owners, owners.c.aggregate_id == invoices.c.aggregate_id)
    .where(
        invoices.c.aggregate_id == bindparam("aggregate_id"),
        invoices.c.invoice_no == bindparam("invoice_no"),
    )
)
SET_COUNTERPARTY = (
    update(owners)
    .where(owners.c.aggregate_id == bindparam("owner_id"))
    .values(
        counterparty=bindparam("new_counterparty"),
        counterparty_kind=bindparam("new_counterparty_kind"),
    )
)


def _memo(name: str) -> dict[Any, Any]:
    memo = batch_memo()
    return memo.setdefault(name, {}) if memo is not None else {}


def find_owner(conn: Connection, aggregate_id: Any) -> Owner | None:
    known = _memo("owners")
    key = str(aggregate_id)
    found = known.get(key)
    if found is None:
        row = conn.execute(OWNER, {"aggregate_id": key}).first()
        if row is None:
            return None
        found = known[key] = Owner(*row)
    return found


def owner_of(conn: Connection, aggregate_id: Any) -> Owner:
    found = find_owner(conn, aggregate_id)
    assert found is not None, f"no owner for {aggregate_id}"
    return found


def know_owner(conn: Connection, aggregate_id: Any, owner: Owner) -> None:
    """The first event of an aggregate names the village whose books it posts to."""
    key = str(aggregate_id)
    conn.execute(insert(owners), [{"aggregate_id": key, **asdict(owner)}])
    _memo("owners")[key] = owner


def know_counterparty(conn: Connection, aggregate_id: Any, name: str, kind: str | None) -> None:
    """The aggregate's current counterparty: its contract's lessee, buyer or partner (``kind``
    None: the kind known so far)."""
    held = owner_of(conn, aggregate_id)
    changed = replace(held, counterparty=name, counterparty_kind=kind or held.counterparty_kind)
    key = str(aggregate_id)
    conn.execute(
        SET_COUNTERPARTY,
        {
            "owner_id": key,
            "new_counterparty": changed.counterparty,
            "new_counterparty_kind": changed.counterparty_kind,
        },
    )
    _memo("owners")[key] = changed


def know_invoice(conn: Connection, aggregate_id: Any, row: dict[str, Any], village: str) -> None:
    """An invoice as issued (``row``: the ledger_invoices columns but the aggregate id)."""
    key = str(aggregate_id)
    conn.execute(insert(invoices), [{"aggregate_id": key, **row}])
    _memo("invoices")[(key, row["invoice_no"])] = InvoiceParty(
        village, row["contract_no"], row["counterparty"], row["counterparty_kind"]
    )


def invoice_party(conn: Connection, aggregate_id: Any, invoice_no: str) -> InvoiceParty | None:
    """The village and the counterparty an invoice was issued to, or None if unknown."""
    known = _memo("invoices")
    key = (str(aggregate_id), invoice_no)
    found = known.get(key)
    if found is None:
        row = conn.execute(
            INVOICE_PARTY, {"aggregate_id": key[0], "invoice_no": invoice_no}
        ).first()
        if row is None:
            return None
        found = known[key] = InvoiceParty(*row)
    return found
