# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""What every asset mutation shares: the payload's ``asset`` and running one command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.assets.loaders import AssetById
from api.assets.types import Asset
from api.common import CommandMutation, attempt, context_of, load, parse_id
from domain.assets.application import AssetApplication
from domain.shared.values import Provenance

Command = Callable[[AssetApplication, Provenance], UUID]
ASSET_ID = "The asset's id."


class AssetMutation(CommandMutation):
    class Meta:
        abstract = True

    asset = graphene.Field(Asset, description="The asset after the command; null when refused.")

    @classmethod
    async def run(cls, info: GraphQLResolveInfo, authority: str | None, command: Command) -> Any:
        """Run ``command`` (it returns the asset's id), then read the asset back. Its events are
        folded already (read-your-writes); when it recorded nothing, ``after_command`` waits for
        the facts it answered from."""
        context = context_of(info)
        assets = context.registry.assets
        asset_id, errors = attempt(lambda: command(assets, context.provenance(authority)))
        if asset_id is None:
            return cls(asset=None, errors=errors)
        context.after_command()
        return await cls.replay(info, asset_id)

    @classmethod
    async def replay(cls, info: GraphQLResolveInfo, asset_id: UUID) -> Any:
        """The payload of a command that affected ``asset_id`` (also: a create's retry)."""
        return cls(asset=await load(info, AssetById, str(asset_id)), errors=[])

    @staticmethod
    def created_id(payload: Any) -> UUID | None:
        return None if payload.asset is None else UUID(str(payload.asset["id"]))


def target(asset_id: str) -> UUID:
    return parse_id(asset_id, "assetId")
