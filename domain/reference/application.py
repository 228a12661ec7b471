"""Commands and queries on places. Returns ids or plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from domain.reference.errors import (
    CodeNotUnderParent,
    ParentPlaceNotRegistered,
    PlaceRegisteredDifferently,
)
from domain.reference.model import TOWN_KINDS, District, Town, Village
from domain.shared.commands import create_once, get_or_none
from domain.shared.errors import InvalidInput, VillageNotRegistered
from domain.shared.eventstore import EventStore
from domain.shared.values import (
    Provenance,
    check_code,
    check_village_code,
    choice,
    required_text,
)

MAX_PLACES_PER_BATCH = 1000
# As the places projection stores them (projections/places.py): longer would stop it for good.
NAME_LENGTH_MAX = 64
SOURCE_LENGTH_MAX = 500


def check_source(source: str) -> str:
    if len(source) > SOURCE_LENGTH_MAX:
        raise InvalidInput(f"source is longer than {SOURCE_LENGTH_MAX} characters", field="source")
    return source


@dataclass(frozen=True)
class TownInput:
    code: str
    name: str
    kind: str
    name_invented: bool = False
    code_invented: bool = False
    source: str = ""


@dataclass(frozen=True)
class VillageInput:
    code: str
    name: str
    collective_name: str
    name_invented: bool = False
    code_invented: bool = False
    source: str = ""


class ReferenceApplication:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def register_district(
        self, code: str, name: str, city: str, province: str, by: Provenance
    ) -> UUID:
        code = check_code(code, 6, "district")
        new = District(
            code=code,
            name=required_text(name, "name", NAME_LENGTH_MAX),
            city=required_text(city, "city", NAME_LENGTH_MAX),
            province=required_text(province, "province", NAME_LENGTH_MAX),
            actor=by.actor,
            authority=by.authority,
        )
        return create_once(
            self.store,
            new,
            lambda d: (d.name, d.city, d.province) == (new.name, new.city, new.province),
            lambda d: PlaceRegisteredDifferently(f"district {code} is already {d.name}"),
        )

    def register_town(self, district_code: str, town: TownInput, by: Provenance) -> UUID:
        return self.register_towns(district_code, [town], by)[0]

    def register_towns(
        self, district_code: str, towns: Sequence[TownInput], by: Provenance
    ) -> list[UUID]:
        """Register several towns of one district in one transaction (all or none)."""
        if get_or_none(self.store, District.create_id(district_code), District) is None:
            raise ParentPlaceNotRegistered(f"district {district_code} is not registered")
        if len(towns) > MAX_PLACES_PER_BATCH:
            raise ValueError(f"at most {MAX_PLACES_PER_BATCH} towns per batch")
        new_ones: list[Town] = []
        ids: list[UUID] = []
        for t in towns:
            code = check_code(t.code, 9, "town")
            if not code.startswith(district_code):
                raise CodeNotUnderParent(f"town {code} is not under district {district_code}")
            town = Town(
                code=code,
                name=required_text(t.name, "name", NAME_LENGTH_MAX),
                kind=choice(t.kind, TOWN_KINDS, "kind"),
                district_code=district_code,
                name_invented=t.name_invented,
                code_invented=t.code_invented,
                source=check_source(t.source),
                actor=by.actor,
                authority=by.authority,
            )
            ids.append(town.id)
            existing = get_or_none(self.store, town.id, Town)
            if existing is None:
                new_ones.append(town)
            elif (existing.name, existing.kind) != (town.name, town.kind):
                raise PlaceRegisteredDifferently(f"town {code} is already {existing.name}")
        self.store.save(*new_ones)
        return ids

    def register_villages(
        self, town_code: str, villages: Sequence[VillageInput], by: Provenance
    ) -> list[UUID]:
        """Register several villages of one town in one transaction (all or none)."""
        if len(villages) > MAX_PLACES_PER_BATCH:
            raise ValueError(f"at most {MAX_PLACES_PER_BATCH} villages per batch")
        if get_or_none(self.store, Town.create_id(town_code), Town) is None:
            raise ParentPlaceNotRegistered(f"town {town_code} is not registered")
        new_ones: list[Village] = []
        ids: list[UUID] = []
        for v in villages:
            code = check_village_code(v.code)
            if not code.startswith(town_code):
                raise CodeNotUnderParent(f"village {code} is not under town {town_code}")
            village = Village(
                code=code,
                name=required_text(v.name, "name", NAME_LENGTH_MAX),
                town_code=town_code,
                collective_name=required_text(v.collective_name, "collective_name"),
                name_invented=v.name_invented,
                code_invented=v.code_invented,
                source=check_source(v.source),
                actor=by.actor,
                authority=by.authority,
            )
            ids.append(village.id)
            existing = get_or_none(self.store, village.id, Village)
            if existing is None:
                new_ones.append(village)
            elif (existing.name, existing.collective_name) != (
                village.name,
                village.collective_name,
            ):
                raise PlaceRegisteredDifferently(f"village {code} is already {existing.name}")
        self.store.save(*new_ones)
        return ids

    def register_village(self, town_code: str, village: VillageInput, by: Provenance) -> UUID:
        return self.register_villages(town_code, [village], by)[0]

    def village(self, code: str) -> Village:
        """The registered village, or ``village_not_registered``."""
        code = check_village_code(code)
        village = get_or_none(self.store, Village.create_id(code), Village)
        if village is None:
            raise VillageNotRegistered(f"village {code} is not registered", field="village_code")
        return village
