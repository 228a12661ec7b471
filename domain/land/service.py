"""What every land command shares: the stores it uses, loading a parcel, saving it."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.land.errors import ParcelNotFound
from domain.land.model import Parcel
from domain.land.rules import AppliedPolicy
from domain.policy.application import PolicyApplication, PolicyInForce
from domain.reference.application import ReferenceApplication
from domain.shared.commands import translating_conflicts
from domain.shared.eventstore import EventStore


def applied(policy: PolicyInForce) -> AppliedPolicy:
    return AppliedPolicy(policy.key, policy.jurisdiction, policy.effective_from)


class ParcelService:
    def __init__(
        self, store: EventStore, places: ReferenceApplication, policies: PolicyApplication
    ) -> None:
        self.store = store
        self.places = places
        self.policies = policies

    def get(self, parcel_id: UUID, version: int | None = None) -> Parcel:
        """The parcel (as of ``version``), or ``parcel_not_found``."""
        try:
            parcel: object = self.store.repository.get(parcel_id, version=version)
        except AggregateNotFoundError:
            raise ParcelNotFound(f"no parcel {parcel_id}", field="parcel_id") from None
        if not isinstance(parcel, Parcel):
            raise ParcelNotFound(f"{parcel_id} is not a parcel", field="parcel_id")
        return parcel

    def id_of(self, village_code: str, parcel_code: str) -> UUID:
        return Parcel.create_id(village_code, parcel_code)

    def _save(self, parcel: Parcel) -> None:
        with translating_conflicts():
            self.store.save(parcel)
