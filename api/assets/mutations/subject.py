"""What the asset mutations act on: the asset, read back into the payload's ``asset``."""

from __future__ import annotations

from api.assets.loaders import AssetById
from api.assets.types import Asset
from api.auth.permissions import Owner
from api.mutation import Subject
from domain.assets.application import AssetApplication

ASSET: Subject[AssetApplication] = Subject(
    payload_field="asset",
    type=Asset,
    description="The asset after the command; null when refused.",
    application=lambda registry: registry.assets,
    loader=AssetById,
    id_of=lambda row: row["id"],
    id_argument="asset_id",
    owner=Owner.ASSET,
)
ASSET_ID = "The asset's id."
