# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Disclosures (村务公开): drafted from the read models (a create: it takes an idempotency
key), rebuilt, reviewed by the democratic finance group, published. The arguments are flat,
like every other mutation's (api/mutation.py)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import WRITE_RECORDS, Owner
from api.common import context_of, parse_id
from api.disclosure.mutations.subject import DISCLOSURE
from api.mutation import Authorized, CommandMutation
from domain.disclosure.application import DisclosureApplication
from domain.disclosure.model import Disclosure
from domain.shared.values import Provenance

DISCLOSURE_ID = "The disclosure's id."


class DraftDisclosure(CommandMutation):
    """Draft a village's disclosure of an ended month or quarter (the kind its schedule asks
    for), its figures built from the read models at one position of the log. A correction
    names the latest published edition of the period and says why (docs/rules.md D-01 …
    D-04, D-09)."""

    class Meta:
        subject = DISCLOSURE
        permission = WRITE_RECORDS.of("village_code").of("corrects", Owner.DISCLOSURE)
        creates = Disclosure

    class Arguments(Authorized):
        village_code = graphene.String(required=True)
        period = graphene.String(required=True, description="YYYY-MM or YYYY-Qn.")
        corrects = graphene.ID(description="The published disclosure this edition corrects.")
        reason = graphene.String(description="Why it is corrected, 1–500 characters.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        period: str,
        corrects: str | None = None,
        reason: str | None = None,
        authority: str | None = None,
    ) -> Any:
        def command(app: DisclosureApplication, by: Provenance) -> UUID:
            corrected = None if corrects is None else parse_id(corrects, "corrects")
            return app.draft(village_code, period, corrected, reason, by)

        return await DraftDisclosure.run(info, authority, command)


class RebuildDisclosure(CommandMutation):
    """Build the figures again from the read models as they stand; only before the finance
    group approved them, and a new review is needed (docs/rules.md D-06)."""

    class Meta:
        subject = DISCLOSURE
        permission = DISCLOSURE.writes

    class Arguments(Authorized):
        id = graphene.ID(required=True, description=DISCLOSURE_ID)

    @staticmethod
    async def mutate(
        root: None, info: GraphQLResolveInfo, id: str, authority: str | None = None
    ) -> Any:
        def command(app: DisclosureApplication, target: UUID, by: Provenance) -> None:
            app.rebuild(target, by)

        return await RebuildDisclosure.act(info, authority, id, command)


class ReviewDisclosure(CommandMutation):
    """Record the democratic finance group's (民主理财小组) review of the current figures:
    3–5 distinct members, held between the period's end and today (docs/rules.md D-05)."""

    class Meta:
        subject = DISCLOSURE
        permission = DISCLOSURE.writes

    class Arguments(Authorized):
        id = graphene.ID(required=True, description=DISCLOSURE_ID)
        held_on = graphene.Date(required=True, description="The day the group met.")
        members = graphene.List(
            graphene.NonNull(graphene.String), required=True, description="3–5 names."
        )
        approved = graphene.Boolean(required=True)
        opinion = graphene.String(description="What the group said, at most 1,000 characters.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        id: str,
        held_on: date,
        members: list[str],
        approved: bool,
        opinion: str | None = None,
        authority: str | None = None,
    ) -> Any:
        def command(app: DisclosureApplication, target: UUID, by: Provenance) -> None:
            app.review(target, held_on, members, approved, opinion, by)

        return await ReviewDisclosure.act(info, authority, id, command)


class PublishDisclosure(CommandMutation):
    """Publish the approved figures for the villagers; fixed afterwards (docs/rules.md D-07,
    D-08)."""

    class Meta:
        subject = DISCLOSURE
        permission = DISCLOSURE.writes

    class Arguments(Authorized):
        id = graphene.ID(required=True, description=DISCLOSURE_ID)
        published_on = graphene.Date(description="Defaults to today (Asia/Shanghai).")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        id: str,
        published_on: date | None = None,
        authority: str | None = None,
    ) -> Any:
        on = published_on or context_of(info).registry.clock.today()

        def command(app: DisclosureApplication, target: UUID, by: Provenance) -> None:
            app.publish(target, on, by)

        return await PublishDisclosure.act(info, authority, id, command)
