"""Places: the district, its towns and streets, its villages and their collectives.

Each is an aggregate whose id is uuid5 of its statistical code, so a code is registered once.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import deterministic_id

TOWN_KINDS = ("town", "street", "township")
TOWN_KIND_NAMES_ZH = {"town": "镇", "street": "街道", "township": "乡"}


class District(QianwanAggregate):
    """A county-level district, e.g. 溧水区 (320117)."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return deterministic_id("district", code)

    @event("Registered")
    def __init__(
        self, code: str, name: str, city: str, province: str, actor: str, authority: str | None
    ) -> None:
        """code: 6-digit statistical code. name, city, province: names in Chinese."""
        self.code = code
        self.name = name
        self.city = city
        self.province = province


class Town(QianwanAggregate):
    """A town (镇) or street (街道) of a district."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return deterministic_id("town", code)

    @event("Registered")
    def __init__(
        self,
        code: str,
        name: str,
        kind: str,
        district_code: str,
        name_invented: bool,
        code_invented: bool,
        source: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """code: 9 digits (district + town). kind: town | street | township.
        name_invented / code_invented: demo data that is not real says so. source: where from."""
        self.code = code
        self.name = name
        self.kind = kind
        self.district_code = district_code
        self.name_invented = name_invented
        self.code_invented = code_invented
        self.source = source


class Village(QianwanAggregate):
    """A village with its one collective economic organization (the books' owner)."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return deterministic_id("village", code)

    @event("Registered")
    def __init__(
        self,
        code: str,
        name: str,
        town_code: str,
        collective_name: str,
        name_invented: bool,
        code_invented: bool,
        source: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """code: 12 digits (district + town + village). collective_name: the village's collective
        economic organization, e.g. 某某村股份经济合作社, whose books the ledger keeps."""
        self.code = code
        self.name = name
        self.town_code = town_code
        self.collective_name = collective_name
        self.name_invented = name_invented
        self.code_invented = code_invented
        self.source = source
