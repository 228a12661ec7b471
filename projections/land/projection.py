"""Fills the parcel register, the proceeds ledger and the payments from Parcel events."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Connection, insert, select, update

from domain.land.model import Parcel
from domain.shared.values import to_fen
from projections.land.tables import parcels, payments, proceeds
from projections.projection import Handlers, Projection, Source


def touch(conn: Connection, s: Source, **values: Any) -> None:
    conn.execute(
        update(parcels)
        .where(parcels.c.parcel_id == str(s.aggregate_id))
        .values(version=s.version, updated_at=s.recorded_at, **values)
    )


def change_proceeds(conn: Connection, s: Source, **values: Any) -> None:
    conn.execute(
        update(proceeds).where(proceeds.c.parcel_id == str(s.aggregate_id)).values(**values)
    )


def record_payment(
    conn: Connection, s: Source, kind: str, reference: str, e: Any, paid_on: Any
) -> None:
    conn.execute(
        insert(payments).values(
            parcel_id=str(s.aggregate_id),
            kind=kind,
            reference=reference,
            amount_fen=to_fen(e.amount_yuan),
            paid_on=paid_on,
            channel=e.channel,
            members_count=getattr(e, "members_count", None),
            source_notification_id=s.notification_id,
        )
    )


def on_registered(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(parcels).values(
            parcel_id=str(s.aggregate_id),
            village_code=e.village_code,
            town_code=e.village_code[:9],
            district_code=e.village_code[:6],
            parcel_code=e.parcel_code,
            area_m2=str(e.area_m2),
            location=e.location,
            planned_use=e.planned_use,
            land_class=e.land_class,
            certificate_no=e.certificate_no,
            registered_on=e.registered_on,
            stage="registered",
            version=s.version,
            updated_at=s.recorded_at,
        )
    )


def on_planning_conditions(conn: Connection, e: Any, s: Source) -> None:
    touch(
        conn,
        s,
        stage="planning_conditions_issued",
        planning_conditions_no=e.document_no,
        planning_conditions_on=e.issued_on,
    )


def on_plan_drafted(conn: Connection, e: Any, s: Source) -> None:
    touch(
        conn,
        s,
        stage="plan_drafted",
        way=e.way,
        listing_method=e.listing_method,
        reserve_price_fen=to_fen(e.reserve_price_yuan),
        term_years=e.term_years,
        term_years_max=e.term_years_max,
        retained_share=str(e.retained_share),
        plan_drafted_on=e.drafted_on,
    )


def on_plan_approved(conn: Connection, e: Any, s: Source) -> None:
    r = e.resolution
    touch(
        conn,
        s,
        stage="plan_approved",
        plan_resolution_reference=r["reference"],
        plan_meeting_kind=r["meeting_kind"],
        plan_votes_for=r["votes_for"],
        plan_members_total=r["members_total"],
        plan_approved_on=r["held_on"],
    )


def on_plan_filed(conn: Connection, e: Any, s: Source) -> None:
    touch(
        conn,
        s,
        stage="plan_filed",
        filed_with=e.filed_with,
        filing_no=e.filing_no,
        plan_filed_on=e.filed_on,
    )


def on_listed(conn: Connection, e: Any, s: Source) -> None:
    touch(
        conn,
        s,
        stage="listed",
        exchange=e.exchange,
        listing_no=e.listing_no,
        listed_on=e.listed_on,
        filing_working_days=e.working_days_elapsed,
    )


def on_awarded(conn: Connection, e: Any, s: Source) -> None:
    touch(
        conn,
        s,
        stage="awarded",
        winner_name=e.winner_name,
        winner_kind=e.winner_kind,
        awarded_on=e.awarded_on,
        price_fen=to_fen(e.price_yuan),
    )


def on_contract_signed(conn: Connection, e: Any, s: Source) -> None:
    touch(
        conn,
        s,
        stage="contracted",
        contract_no=e.contract_no,
        contract_signed_on=e.signed_on,
        term_start_on=e.term_start_on,
        term_end_on=e.term_end_on,
    )
    row = conn.execute(
        select(parcels.c.village_code, parcels.c.town_code, parcels.c.district_code).where(
            parcels.c.parcel_id == str(s.aggregate_id)
        )
    ).one()
    conn.execute(
        insert(proceeds).values(
            parcel_id=str(s.aggregate_id),
            village_code=row.village_code,
            town_code=row.town_code,
            district_code=row.district_code,
            contract_price_fen=to_fen(e.price_yuan),
            received_fen=to_fen(e.received_in_kind_yuan),
            levy_assessed_fen=0,
            levy_paid_fen=0,
            distribution_fen=0,
            retained_fen=0,
            members_share_fen=0,
            members_paid_fen=0,
        )
    )


def on_installment(conn: Connection, e: Any, s: Source) -> None:
    record_payment(conn, s, "installment", e.receipt_no, e, e.received_on)
    change_proceeds(conn, s, received_fen=proceeds.c.received_fen + to_fen(e.amount_yuan))
    touch(conn, s)


def on_levy_assessed(conn: Connection, e: Any, s: Source) -> None:
    change_proceeds(
        conn,
        s,
        levy_base_kind=e.base_kind,
        levy_rate=str(e.rate),
        levy_base_fen=to_fen(e.base_yuan),
        levy_policy_jurisdiction=e.policy_jurisdiction,
        levy_policy_effective_from=e.policy_effective_from,
        levy_assessed_fen=to_fen(e.levy_yuan),
    )
    touch(conn, s, stage="levy_assessed")


def on_levy_paid(conn: Connection, e: Any, s: Source) -> None:
    record_payment(conn, s, "levy", e.receipt_no, e, e.paid_on)
    change_proceeds(conn, s, levy_paid_fen=to_fen(e.amount_yuan))
    touch(conn, s, stage="levy_paid")


def on_use_right(conn: Connection, e: Any, s: Source) -> None:
    touch(
        conn,
        s,
        stage="use_right_registered",
        use_right_certificate_no=e.certificate_no,
        use_right_registered_on=e.registered_on,
    )


def on_distribution_proposed(conn: Connection, e: Any, s: Source) -> None:
    change_proceeds(conn, s, distribution_fen=to_fen(e.amount_yuan))
    touch(conn, s, stage="distribution_proposed", distribution_proposed_on=e.proposed_on)


def on_distribution_approved(conn: Connection, e: Any, s: Source) -> None:
    change_proceeds(
        conn,
        s,
        distribution_fen=to_fen(e.amount_yuan),
        retained_fen=to_fen(e.retained_yuan),
        members_share_fen=to_fen(e.members_yuan),
    )
    r = e.resolution
    touch(
        conn,
        s,
        stage="distribution_approved",
        distribution_resolution_reference=r["reference"],
        distribution_votes_for=r["votes_for"],
        distribution_members_total=r["members_total"],
        distribution_approved_on=e.approved_on,
    )


def _members_left_fen(conn: Connection, s: Source) -> int:
    row = conn.execute(
        select(proceeds.c.members_share_fen, proceeds.c.members_paid_fen).where(
            proceeds.c.parcel_id == str(s.aggregate_id)
        )
    ).one()
    return int(row.members_share_fen) - int(row.members_paid_fen)


def on_disclosed(conn: Connection, e: Any, s: Source) -> None:
    done = _members_left_fen(conn, s) == 0  # nothing for the members: the distribution is done
    touch(
        conn,
        s,
        distribution_disclosed_on=e.disclosed_on,
        disclosure_reference=e.reference,
        stage="distribution_paid" if done else "distribution_disclosed",
        distribution_paid_on=e.disclosed_on if done else None,
    )


def on_members_paid(conn: Connection, e: Any, s: Source) -> None:
    record_payment(conn, s, "members", e.batch_no, e, e.paid_on)
    change_proceeds(conn, s, members_paid_fen=proceeds.c.members_paid_fen + to_fen(e.amount_yuan))
    if _members_left_fen(conn, s) == 0:
        touch(conn, s, stage="distribution_paid", distribution_paid_on=e.paid_on)
    else:
        touch(conn, s)


class LandProjection(Projection):
    name = "land"
    tables = (parcels, proceeds, payments)
    handlers: ClassVar[Handlers] = {
        Parcel.Registered: on_registered,  # type: ignore[attr-defined]
        Parcel.PlanningConditionsIssued: on_planning_conditions,  # type: ignore[attr-defined]
        Parcel.PlanDrafted: on_plan_drafted,  # type: ignore[attr-defined]
        Parcel.PlanApproved: on_plan_approved,  # type: ignore[attr-defined]
        Parcel.PlanFiled: on_plan_filed,  # type: ignore[attr-defined]
        Parcel.Listed: on_listed,  # type: ignore[attr-defined]
        Parcel.Awarded: on_awarded,  # type: ignore[attr-defined]
        Parcel.ContractSigned: on_contract_signed,  # type: ignore[attr-defined]
        Parcel.InstallmentReceived: on_installment,  # type: ignore[attr-defined]
        Parcel.LevyAssessed: on_levy_assessed,  # type: ignore[attr-defined]
        Parcel.LevyPaid: on_levy_paid,  # type: ignore[attr-defined]
        Parcel.UseRightRegistered: on_use_right,  # type: ignore[attr-defined]
        Parcel.DistributionProposed: on_distribution_proposed,  # type: ignore[attr-defined]
        Parcel.DistributionApproved: on_distribution_approved,  # type: ignore[attr-defined]
        Parcel.DistributionDisclosed: on_disclosed,  # type: ignore[attr-defined]
        Parcel.MembersPaid: on_members_paid,  # type: ignore[attr-defined]
    }
