# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The disclosure context's root mutation fields, one per command of the
DisclosureApplication."""

from __future__ import annotations

import graphene

from api.disclosure.mutations.commands import (
    DraftDisclosure,
    PublishDisclosure,
    RebuildDisclosure,
    ReviewDisclosure,
)


class DisclosureMutations(graphene.ObjectType):
    draft_disclosure = DraftDisclosure.Field()
    rebuild_disclosure = RebuildDisclosure.Field()
    review_disclosure = ReviewDisclosure.Field()
    publish_disclosure = PublishDisclosure.Field()
