"""Setting policies and finding the one in force for a place on a day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.policy.errors import JurisdictionInvalid
from domain.policy.keys import PolicyKeys
from domain.policy.model import PolicySetting, PolicyVersion, most_specific_in_force
from domain.shared.commands import get_or_none, translating_conflicts
from domain.shared.eventstore import EventStore
from domain.shared.values import NATIONAL, Provenance, jurisdiction_chain, required_text

_PLACE = re.compile(r"[0-9]{6}|[0-9]{9}|[0-9]{12}")  # ASCII digits only


@dataclass(frozen=True)
class PolicyInForce:
    key: str
    jurisdiction: str
    effective_from: date
    value: Any
    source: str


class PolicyApplication:
    """``keys``: every policy key the registry knows, registered by the bootstrap."""

    def __init__(self, store: EventStore, keys: PolicyKeys) -> None:
        self.store = store
        self.keys = keys

    def set_policy(
        self,
        key: str,
        jurisdiction: str,
        effective_from: date,
        value: Any,
        source: str,
        by: Provenance,
    ) -> UUID:
        policy_key = self.keys.known(key)
        if jurisdiction != NATIONAL and not _PLACE.fullmatch(jurisdiction):
            raise JurisdictionInvalid(
                f"jurisdiction must be CN or a place code, got {jurisdiction!r}",
                field="jurisdiction",
            )
        parsed = policy_key.parse(value)
        source = required_text(source, "source", 500)
        setting = get_or_none(self.store, PolicySetting.create_id(key, jurisdiction), PolicySetting)
        if setting is None:
            setting = PolicySetting(
                key=key,
                jurisdiction=jurisdiction,
                effective_from=effective_from,
                value=parsed,
                source=source,
                actor=by.actor,
                authority=by.authority,
            )
        else:
            current = setting.in_force_on(effective_from)
            if current and (current.effective_from, current.value) == (effective_from, parsed):
                return setting.id  # a retry of the same setting records nothing
            setting.revise(effective_from, parsed, source, by.actor, by.authority)
        with translating_conflicts():
            self.store.save(setting)
        return setting.id

    def every_version(self, key: str, place_code: str) -> list[PolicyVersion]:
        """Every value ever set for ``key`` along the jurisdiction chain of ``place_code``
        (most specific first), whatever its dates: what the registry has known for the place."""
        self.keys.known(key)
        found: list[PolicyVersion] = []
        for jurisdiction in jurisdiction_chain(place_code):
            setting = get_or_none(
                self.store, PolicySetting.create_id(key, jurisdiction), PolicySetting
            )
            found += setting.versions if setting else []
        return found

    def in_force(self, key: str, place_code: str, on: date) -> PolicyInForce:
        """The value for the most specific jurisdiction of ``place_code`` in force ``on``."""
        self.keys.known(key)
        jurisdiction, version = most_specific_in_force(
            key, place_code, on, lambda id_: get_or_none(self.store, id_, PolicySetting)
        )
        return PolicyInForce(
            key, jurisdiction, version.effective_from, version.value, version.source
        )
