"""Reading land entry: the parcel register, the proceeds ledger, payments, the district view.

Every function returns frozen dataclasses with money as Decimal yuan. Functions taking many ids
return results aligned with the ids (None where nothing matches), for per-request DataLoaders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from domain.land.vocabulary import STAGES
from domain.shared.values import from_fen
from projections.land.tables import parcels, payments, proceeds
from projections.places import towns

MAX_PARCELS_PER_PAGE = 500
MAX_IDS_PER_BATCH = 1000
MAX_PAYMENTS = 5000


@dataclass(frozen=True)
class ParcelRecord:
    """A row of the parcel register; ``None`` for steps not reached yet."""

    parcel_id: str
    village_code: str
    town_code: str
    district_code: str
    parcel_code: str
    area_m2: Decimal
    location: str
    planned_use: str
    land_class: str
    certificate_no: str
    registered_on: date
    stage: str
    planning_conditions_no: str | None
    planning_conditions_on: date | None
    way: str | None
    listing_method: str | None
    reserve_price_yuan: Decimal | None
    term_years: int | None
    term_years_max: int | None
    retained_share: Decimal | None
    plan_drafted_on: date | None
    plan_resolution_reference: str | None
    plan_meeting_kind: str | None
    plan_votes_for: int | None
    plan_members_total: int | None
    plan_approved_on: date | None
    filed_with: str | None
    filing_no: str | None
    plan_filed_on: date | None
    exchange: str | None
    listing_no: str | None
    listed_on: date | None
    filing_working_days: int | None
    winner_name: str | None
    winner_kind: str | None
    awarded_on: date | None
    price_yuan: Decimal | None
    contract_no: str | None
    contract_signed_on: date | None
    term_start_on: date | None
    term_end_on: date | None
    use_right_certificate_no: str | None
    use_right_registered_on: date | None
    distribution_proposed_on: date | None
    distribution_resolution_reference: str | None
    distribution_votes_for: int | None
    distribution_members_total: int | None
    distribution_approved_on: date | None
    distribution_disclosed_on: date | None
    disclosure_reference: str | None
    distribution_paid_on: date | None
    version: int


@dataclass(frozen=True)
class Proceeds:
    """The proceeds ledger of one contracted parcel. Outstanding amounts are derived:
    receivable = price − received; levy_unpaid = assessed − paid; undistributed = received −
    levy assessed − retained − members' share; members_unpaid = members' share − paid."""

    parcel_id: str
    village_code: str
    town_code: str
    contract_price_yuan: Decimal
    received_yuan: Decimal
    receivable_yuan: Decimal
    levy_base_kind: str | None
    levy_rate: Decimal | None
    levy_base_yuan: Decimal | None
    levy_policy_jurisdiction: str | None
    levy_policy_effective_from: date | None
    levy_assessed_yuan: Decimal
    levy_paid_yuan: Decimal
    levy_unpaid_yuan: Decimal
    distribution_yuan: Decimal
    retained_yuan: Decimal
    members_share_yuan: Decimal
    members_paid_yuan: Decimal
    members_unpaid_yuan: Decimal
    undistributed_yuan: Decimal


@dataclass(frozen=True)
class Payment:
    """kind: installment (in) | levy (out) | members (out); reference: receipt or batch no."""

    parcel_id: str
    kind: str
    reference: str
    amount_yuan: Decimal
    paid_on: date
    channel: str
    members_count: int | None


@dataclass(frozen=True)
class StageCount:
    stage: str
    parcels: int


@dataclass(frozen=True)
class TownProceeds:
    town_code: str
    town_name: str | None
    parcels: int
    contract_price_yuan: Decimal
    received_yuan: Decimal
    levy_assessed_yuan: Decimal
    levy_paid_yuan: Decimal
    retained_yuan: Decimal
    members_paid_yuan: Decimal


@dataclass(frozen=True)
class DistrictLandView:
    """Parcels by stage (every stage, in lifecycle order) and contracted proceeds by town."""

    district_code: str
    stages: tuple[StageCount, ...]
    towns: tuple[TownProceeds, ...]


_PARCEL_FIELDS = {f.name for f in fields(ParcelRecord)}


def to_record(row: Any) -> ParcelRecord:
    values: dict[str, Any] = {}
    for key, value in row._mapping.items():
        if key.endswith("_fen"):
            values[key[:-4] + "_yuan"] = None if value is None else from_fen(value)
        elif key in ("area_m2", "retained_share"):
            values[key] = None if value is None else Decimal(value)
        elif key in _PARCEL_FIELDS:
            values[key] = value
    return ParcelRecord(**values)


def parcel(conn: Connection, parcel_id: str) -> ParcelRecord | None:
    row = conn.execute(select(parcels).where(parcels.c.parcel_id == str(parcel_id))).first()
    return None if row is None else to_record(row)


def parcels_by_id(conn: Connection, parcel_ids: Sequence[str]) -> list[ParcelRecord | None]:
    assert len(parcel_ids) <= MAX_IDS_PER_BATCH, f"at most {MAX_IDS_PER_BATCH} ids per batch"
    keys = [str(i) for i in parcel_ids]
    rows = conn.execute(select(parcels).where(parcels.c.parcel_id.in_(keys))).all()
    found = {row.parcel_id: to_record(row) for row in rows}
    return [found.get(key) for key in keys]


def list_parcels(
    conn: Connection,
    *,
    district_code: str | None = None,
    town_code: str | None = None,
    village_code: str | None = None,
    stage: str | None = None,
    limit: int = MAX_PARCELS_PER_PAGE,
    offset: int = 0,
) -> list[ParcelRecord]:
    """The register, ordered by village and parcel code; at most MAX_PARCELS_PER_PAGE rows."""
    query = select(parcels)
    for column, value in (
        (parcels.c.district_code, district_code),
        (parcels.c.town_code, town_code),
        (parcels.c.village_code, village_code),
        (parcels.c.stage, stage),
    ):
        if value is not None:
            query = query.where(column == value)
    query = query.order_by(parcels.c.village_code, parcels.c.parcel_code)
    query = query.limit(min(max(limit, 0), MAX_PARCELS_PER_PAGE)).offset(max(offset, 0))
    return [to_record(row) for row in conn.execute(query)]


def to_proceeds(row: Any) -> Proceeds:
    fen = {k: int(v) for k, v in row._mapping.items() if k.endswith("_fen") and v is not None}
    undistributed = (
        fen["received_fen"]
        - fen["levy_assessed_fen"]
        - fen["retained_fen"]
        - fen["members_share_fen"]
    )
    return Proceeds(
        parcel_id=row.parcel_id,
        village_code=row.village_code,
        town_code=row.town_code,
        contract_price_yuan=from_fen(fen["contract_price_fen"]),
        received_yuan=from_fen(fen["received_fen"]),
        receivable_yuan=from_fen(fen["contract_price_fen"] - fen["received_fen"]),
        levy_base_kind=row.levy_base_kind,
        levy_rate=None if row.levy_rate is None else Decimal(row.levy_rate),
        levy_base_yuan=None if row.levy_base_fen is None else from_fen(row.levy_base_fen),
        levy_policy_jurisdiction=row.levy_policy_jurisdiction,
        levy_policy_effective_from=row.levy_policy_effective_from,
        levy_assessed_yuan=from_fen(fen["levy_assessed_fen"]),
        levy_paid_yuan=from_fen(fen["levy_paid_fen"]),
        levy_unpaid_yuan=from_fen(fen["levy_assessed_fen"] - fen["levy_paid_fen"]),
        distribution_yuan=from_fen(fen["distribution_fen"]),
        retained_yuan=from_fen(fen["retained_fen"]),
        members_share_yuan=from_fen(fen["members_share_fen"]),
        members_paid_yuan=from_fen(fen["members_paid_fen"]),
        members_unpaid_yuan=from_fen(fen["members_share_fen"] - fen["members_paid_fen"]),
        undistributed_yuan=from_fen(undistributed),
    )


def parcel_proceeds(conn: Connection, parcel_id: str) -> Proceeds | None:
    """None until the parcel's contract is signed."""
    row = conn.execute(select(proceeds).where(proceeds.c.parcel_id == str(parcel_id))).first()
    return None if row is None else to_proceeds(row)


def proceeds_by_parcel(conn: Connection, parcel_ids: Sequence[str]) -> list[Proceeds | None]:
    assert len(parcel_ids) <= MAX_IDS_PER_BATCH, f"at most {MAX_IDS_PER_BATCH} ids per batch"
    keys = [str(i) for i in parcel_ids]
    rows = conn.execute(select(proceeds).where(proceeds.c.parcel_id.in_(keys))).all()
    found = {row.parcel_id: to_proceeds(row) for row in rows}
    return [found.get(key) for key in keys]


def parcel_payments(conn: Connection, parcel_id: str) -> list[Payment]:
    """In the order they were recorded."""
    rows = conn.execute(
        select(payments)
        .where(payments.c.parcel_id == str(parcel_id))
        .order_by(payments.c.source_notification_id)
        .limit(MAX_PAYMENTS)
    ).all()
    return [
        Payment(
            r.parcel_id,
            r.kind,
            r.reference,
            from_fen(r.amount_fen),
            r.paid_on,
            r.channel,
            r.members_count,
        )
        for r in rows
    ]


def district_view(conn: Connection, district_code: str) -> DistrictLandView:
    counted: dict[str, int] = {
        str(stage): int(n)
        for stage, n in conn.execute(
            select(parcels.c.stage, func.count())
            .where(parcels.c.district_code == district_code)
            .group_by(parcels.c.stage)
        ).all()
    }
    p = proceeds.c
    rows = conn.execute(
        select(
            p.town_code,
            towns.c.name,
            func.count(),
            *(
                func.sum(column)
                for column in (
                    p.contract_price_fen,
                    p.received_fen,
                    p.levy_assessed_fen,
                    p.levy_paid_fen,
                    p.retained_fen,
                    p.members_paid_fen,
                )
            ),
        )
        .select_from(proceeds.outerjoin(towns, towns.c.code == p.town_code))
        .where(p.district_code == district_code)
        .group_by(p.town_code, towns.c.name)
        .order_by(p.town_code)
    ).all()
    return DistrictLandView(
        district_code,
        tuple(StageCount(stage, counted.get(stage, 0)) for stage in STAGES),
        tuple(
            TownProceeds(code, name, int(n), *(from_fen(int(v or 0)) for v in sums))
            for code, name, n, *sums in rows
        ),
    )
