"""What the disclosure mutations act on: a disclosure, read back into the payload's
``disclosure``."""

from __future__ import annotations

from api.auth.permissions import Owner
from api.disclosure.loaders import DisclosureById
from api.disclosure.types import Disclosure
from api.mutation import Subject
from domain.disclosure.application import DisclosureApplication

DISCLOSURE: Subject[DisclosureApplication] = Subject(
    payload_field="disclosure",
    type=Disclosure,
    description="The disclosure after the command; null when refused.",
    application=lambda registry: registry.disclosure,
    loader=DisclosureById,
    id_of=lambda row: row["id"],
    id_argument="id",
    owner=Owner.DISCLOSURE,
)
