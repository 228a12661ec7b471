"""Policy as data: a value per (key, jurisdiction) that changes from effective dates onwards.

One aggregate per key and jurisdiction (id = uuid5 of both). Its events are the policy's whole
history, so an auditor can see which value applied on any day and when it was recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.shared.aggregate import QianwanAggregate
from domain.shared.errors import PolicyNotInForce
from domain.shared.values import deterministic_id, jurisdiction_chain


@dataclass(frozen=True)
class PolicyVersion:
    """One value of a policy. value: JSON-shaped (see domain/policy/keys.py for each key)."""

    effective_from: date
    value: Any
    source: str


class PolicySetting(QianwanAggregate):
    @staticmethod
    def create_id(key: str, jurisdiction: str) -> UUID:
        return deterministic_id("policy", key, jurisdiction)

    @event("Adopted")
    def __init__(
        self,
        key: str,
        jurisdiction: str,
        effective_from: date,
        value: Any,
        source: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """key: a name from domain/policy/keys.py. jurisdiction: CN or a place code.
        effective_from: first day the value applies. value: JSON-shaped. source: the document."""
        self.key = key
        self.jurisdiction = jurisdiction
        self.versions: list[PolicyVersion] = []
        self._append(effective_from, value, source)

    def revise(
        self, effective_from: date, value: Any, source: str, actor: str, authority: str | None
    ) -> None:
        self._revised(
            effective_from=effective_from,
            value=value,
            source=source,
            actor=actor,
            authority=authority,
        )

    @event("Revised")
    def _revised(
        self, effective_from: date, value: Any, source: str, actor: str, authority: str | None
    ) -> None:
        """A new value from ``effective_from``. Same date as an earlier version: supersedes it."""
        self._append(effective_from, value, source)

    def _append(self, effective_from: date, value: Any, source: str) -> None:
        self.versions.append(PolicyVersion(effective_from, value, source))

    def in_force_on(self, day: date) -> PolicyVersion | None:
        """The latest-effective version on or before ``day``; ties go to the later recording."""
        best: PolicyVersion | None = None
        for v in self.versions:
            if v.effective_from <= day and (
                best is None or v.effective_from >= best.effective_from
            ):
                best = v
        return best


def most_specific_in_force(
    key: str, place_code: str, on: date, setting_of: Callable[[UUID], PolicySetting | None]
) -> tuple[str, PolicyVersion]:
    """The one lookup rule (docs/rules.md P-01): village → town → district → CN, the most
    specific jurisdiction with a version of ``key`` in force ``on`` wins. ``setting_of`` reads a
    setting by id (from the store, or from settings read already in bulk)."""
    for jurisdiction in jurisdiction_chain(place_code):
        setting = setting_of(PolicySetting.create_id(key, jurisdiction))
        version = setting.in_force_on(on) if setting is not None else None
        if version is not None:
            return jurisdiction, version
    raise PolicyNotInForce(f"no value of {key} is in force for {place_code} on {on}")
