"""The disclosures' read model (村务公开, docs/disclosure.md): every edition of every village's
disclosure with its state, figures (JSON, as recorded), seal position and root, review and
publication; and the versions of the ``disclosure.schedule`` policy, so that the overdue
findings (projections/disclosure_queries.py) are a pure read. A fold of the Disclosure and
PolicySetting events: dropped and rebuilt to the same rows."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from domain.disclosure.model import Disclosure
from domain.disclosure.policy_keys import SCHEDULE_KEY
from domain.disclosure.vocabulary import DRAFTED, PUBLISHED, REJECTED, REVIEWED
from domain.policy.model import PolicySetting
from projections.db import metadata
from projections.projection import Handlers, Projection, Source

disclosures = Table(
    "disclosures",
    metadata,
    Column("disclosure_id", String(36), primary_key=True),
    Column("village_code", String(12), nullable=False),
    Column("period", String(7), nullable=False),  # 2026-03 or 2026-Q1
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("edition", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("corrects", String(36)),  # the published edition this one corrects
    Column("correction_reason", String(500)),
    Column("corrected_by", String(36)),  # the edition correcting this one
    Column("figures_json", Text, nullable=False),  # JSON, written with sorted keys
    Column("seal_position", Integer, nullable=False),
    Column("seal_root", String(64), nullable=False),
    Column("built_at", DateTime(timezone=True), nullable=False),
    Column("built_by", String(200), nullable=False),
    Column("held_on", Date),
    Column("approved", Boolean),
    Column("opinion", Text),
    Column("members_json", Text),  # JSON list of names (never shown to platform/public)
    Column("published_on", Date),
    Column("source_notification_id", Integer, nullable=False),
    Index("ix_disclosures_village_period", "village_code", "period", "edition"),
)

# The versions of disclosure.schedule by jurisdiction (CN or a place code), in recorded order.
schedule_settings = Table(
    "disclosure_schedule_settings",
    metadata,
    Column("policy_id", String(36), primary_key=True),
    Column("jurisdiction", String(12), nullable=False),
)
schedule_versions = Table(
    "disclosure_schedule_versions",
    metadata,
    Column("source_notification_id", Integer, primary_key=True, autoincrement=False),
    Column("jurisdiction", String(12), nullable=False, index=True),
    Column("effective_from", Date, nullable=False),
    Column("frequency", String(16), nullable=False),
    Column("due_days", Integer, nullable=False),
)


def as_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _update(conn: Connection, s: Source, **values: Any) -> None:
    conn.execute(
        update(disclosures)
        .where(disclosures.c.disclosure_id == str(s.aggregate_id))
        .values(**values)
    )


def on_drafted(conn: Connection, e: Any, s: Source) -> None:
    conn.execute(
        insert(disclosures).values(
            disclosure_id=str(s.aggregate_id),
            village_code=e.village_code,
            period=e.period,
            period_start=e.period_start,
            period_end=e.period_end,
            edition=e.edition,
            state=DRAFTED,
            corrects=str(e.corrects) if e.corrects else None,
            correction_reason=e.reason,
            corrected_by=None,
            figures_json=as_json(e.figures),
            seal_position=e.seal_position,
            seal_root=e.seal_root,
            built_at=s.recorded_at,
            built_by=s.actor,
            source_notification_id=s.notification_id,
        )
    )
    if e.corrects:
        conn.execute(
            update(disclosures)
            .where(disclosures.c.disclosure_id == str(e.corrects))
            .values(corrected_by=str(s.aggregate_id))
        )


def on_rebuilt(conn: Connection, e: Any, s: Source) -> None:
    _update(
        conn,
        s,
        state=DRAFTED,
        figures_json=as_json(e.figures),
        seal_position=e.seal_position,
        seal_root=e.seal_root,
        built_at=s.recorded_at,
        built_by=s.actor,
        held_on=None,
        approved=None,
        opinion=None,
        members_json=None,
    )


def on_reviewed(conn: Connection, e: Any, s: Source) -> None:
    _update(
        conn,
        s,
        state=REVIEWED if e.approved else REJECTED,
        held_on=e.held_on,
        approved=e.approved,
        opinion=e.opinion,
        members_json=as_json(list(e.members)),
    )


def on_published(conn: Connection, e: Any, s: Source) -> None:
    _update(conn, s, state=PUBLISHED, published_on=e.published_on)


def _version(conn: Connection, jurisdiction: str, e: Any, s: Source) -> None:
    value = e.value
    conn.execute(
        insert(schedule_versions).values(
            source_notification_id=s.notification_id,
            jurisdiction=jurisdiction,
            effective_from=e.effective_from,
            frequency=value["frequency"],
            due_days=value["due_days"],
        )
    )


def on_policy_adopted(conn: Connection, e: Any, s: Source) -> None:
    if e.key != SCHEDULE_KEY:
        return
    conn.execute(
        insert(schedule_settings).values(policy_id=str(s.aggregate_id), jurisdiction=e.jurisdiction)
    )
    _version(conn, e.jurisdiction, e, s)


def on_policy_revised(conn: Connection, e: Any, s: Source) -> None:
    jurisdiction = conn.scalar(
        select(schedule_settings.c.jurisdiction).where(
            schedule_settings.c.policy_id == str(s.aggregate_id)
        )
    )
    if jurisdiction is not None:
        _version(conn, str(jurisdiction), e, s)


class DisclosureProjection(Projection):
    name = "disclosures"
    tables = (disclosures, schedule_settings, schedule_versions)
    handlers: ClassVar[Handlers] = {
        Disclosure.Drafted: on_drafted,  # type: ignore[attr-defined]
        Disclosure.Rebuilt: on_rebuilt,  # type: ignore[attr-defined]
        Disclosure.Reviewed: on_reviewed,  # type: ignore[attr-defined]
        Disclosure.Published: on_published,  # type: ignore[attr-defined]
        PolicySetting.Adopted: on_policy_adopted,  # type: ignore[attr-defined]
        PolicySetting.Revised: on_policy_revised,  # type: ignore[attr-defined]
    }
