"""Reading the disclosures' read model (projections/disclosure.py): one disclosure, a village's
editions (or only its published ones), as plain rows with the figures decoded. Masking is the
API's (api/disclosure/types.py): these rows hold what the events hold."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from domain.disclosure.vocabulary import PUBLISHED
from projections.disclosure import disclosures
from projections.places import villages

# A village's editions listed at once, the newest first: three years of months.
MAX_DISCLOSURES = 36


def to_row(r: Any, village_name: str | None) -> dict[str, Any]:
    return {
        "id": r.disclosure_id,
        "village_code": r.village_code,
        "village_name": village_name or r.village_code,
        "period": r.period,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "edition": r.edition,
        "state": r.state,
        "corrects": r.corrects,
        "correction_reason": r.correction_reason,
        "corrected_by": r.corrected_by,
        "figures": json.loads(r.figures_json),
        "seal_position": r.seal_position,
        "seal_root": r.seal_root,
        "built_at": r.built_at,
        "built_by": r.built_by,
        "held_on": r.held_on,
        "approved": r.approved,
        "opinion": r.opinion,
        "members": json.loads(r.members_json) if r.members_json else None,
        "published_on": r.published_on,
    }


def _query() -> Any:
    return select(disclosures, villages.c.name.label("village_name")).outerjoin(
        villages, villages.c.code == disclosures.c.village_code
    )


def disclosures_by_id(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any] | None]:
    """The disclosures with these ids, in their order (None where unknown)."""
    found = {
        r.disclosure_id: to_row(r, r.village_name)
        for r in conn.execute(_query().where(disclosures.c.disclosure_id.in_(list(ids))))
    }
    return [found.get(i) for i in ids]


def disclosures_of(
    conn: Connection, village_code: str, published_only: bool = False
) -> list[dict[str, Any]]:
    """The village's disclosures, newest period first, the latest edition first."""
    query = _query().where(disclosures.c.village_code == village_code)
    if published_only:
        query = query.where(disclosures.c.state == PUBLISHED)
    query = query.order_by(disclosures.c.period_end.desc(), disclosures.c.edition.desc()).limit(
        MAX_DISCLOSURES
    )
    return [to_row(r, r.village_name) for r in conn.execute(query)]
