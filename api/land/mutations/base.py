# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""What every land mutation shares: the payload's ``parcel`` and running one command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.common import CommandMutation, attempt, context_of, load, parse_id
from api.land.loaders import ParcelById
from api.land.types import Parcel
from domain.land.application import LandApplication
from domain.shared.values import Provenance

Command = Callable[[LandApplication, Provenance], UUID]
PARCEL_ID = "The parcel's id."
RECORDED = "False when the very same fact was recorded before (a safe retry): nothing new."


class ParcelMutation(CommandMutation):
    class Meta:
        abstract = True

    parcel = graphene.Field(Parcel, description="The parcel after the command; null when refused.")

    @classmethod
    async def run(cls, info: GraphQLResolveInfo, authority: str | None, command: Command) -> Any:
        """Run ``command`` (it returns the parcel's id), then read the parcel back. Its events are
        folded already (read-your-writes); when it recorded nothing, ``after_command`` waits for
        the facts it answered from."""
        context = context_of(info)
        land = context.registry.land
        parcel_id, errors = attempt(lambda: command(land, context.provenance(authority)))
        if parcel_id is None:
            return cls(parcel=None, errors=errors)
        context.after_command()
        return await cls.replay(info, parcel_id)

    @classmethod
    async def replay(cls, info: GraphQLResolveInfo, parcel_id: UUID) -> Any:
        """The payload of a command that affected ``parcel_id`` (also: a create's retry)."""
        return cls(parcel=await load(info, ParcelById, str(parcel_id)), errors=[])

    @staticmethod
    def created_id(payload: Any) -> UUID | None:
        return None if payload.parcel is None else UUID(str(payload.parcel.parcel_id))


def target(parcel_id: str) -> UUID:
    return parse_id(parcel_id, "parcelId")
