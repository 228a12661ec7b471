"""What the land mutations act on: the parcel, read back into the payload's ``parcel``."""

from __future__ import annotations

from api.auth.permissions import Owner
from api.land.loaders import ParcelById
from api.land.types import Parcel
from api.mutation import Subject
from domain.land.application import LandApplication

PARCEL: Subject[LandApplication] = Subject(
    payload_field="parcel",
    type=Parcel,
    description="The parcel after the command; null when refused.",
    application=lambda registry: registry.land,
    loader=ParcelById,
    id_of=lambda record: record.parcel_id,
    id_argument="parcel_id",
    owner=Owner.PARCEL,
)
PARCEL_ID = "The parcel's id."
