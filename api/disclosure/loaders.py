"""Batched reads of the disclosures' read model (projections/disclosure_queries.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from api.auth.owners import normal_id
from api.common import RegistryLoader
from projections.disclosure_queries import disclosures_by_id


class DisclosureById(RegistryLoader):
    """Keys: disclosure ids. Values: the row (figures decoded), or None."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        ids = [normal_id(k) or "" for k in keys]
        return disclosures_by_id(conn, ids)
