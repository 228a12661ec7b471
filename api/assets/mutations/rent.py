# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Rent: invoicing, receiving, and noticing arrears."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.assets.mutations.subject import ASSET, ASSET_ID
from api.enums import PaymentChannel
from api.mutation import RECORDED, Authorized, CommandMutation
from domain.assets.application import AssetApplication
from domain.shared.values import Provenance


class InvoiceRent(CommandMutation):
    """Bill rent (or returns) under the contract in force for a period inside its term."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    recorded = graphene.Boolean(description=RECORDED)

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        invoice_no = graphene.String(required=True, description="Unique per asset.")
        amount_yuan = graphene.Decimal(name="amount", required=True, description="Yuan.")
        issued_on = graphene.Date(required=True)
        due_on = graphene.Date(required=True)
        covers_from = graphene.Date(required=True)
        covers_to = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        invoice_no: str,
        amount_yuan: Decimal,
        issued_on: date,
        due_on: date,
        covers_from: date,
        covers_to: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, target: UUID, by: Provenance) -> bool:
            return app.invoice_rent(
                target,
                invoice_no,
                amount_yuan,
                issued_on,
                due_on,
                covers_from,
                covers_to,
                by,
            )

        return await InvoiceRent.act_recorded(info, authority, asset_id, command)


class ReceiveRent(CommandMutation):
    """Record money received against an invoice; never more than is outstanding on it."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    recorded = graphene.Boolean(description=RECORDED)

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        receipt_no = graphene.String(required=True, description="Unique per asset.")
        invoice_no = graphene.String(required=True)
        amount_yuan = graphene.Decimal(name="amount", required=True, description="Yuan.")
        received_on = graphene.Date(required=True)
        channel = PaymentChannel(default_value="bank")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        receipt_no: str,
        invoice_no: str,
        amount_yuan: Decimal,
        received_on: date,
        channel: str = "bank",
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, target: UUID, by: Provenance) -> bool:
            return app.receive_rent(
                target, receipt_no, invoice_no, amount_yuan, received_on, by, channel
            )

        return await ReceiveRent.act_recorded(info, authority, asset_id, command)


class MarkRentInArrears(CommandMutation):
    """Record that an invoice is past due with money outstanding (a demand notice)."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        invoice_no = graphene.String(required=True)
        as_of = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        invoice_no: str,
        as_of: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, asset: UUID, by: Provenance) -> None:
            app.mark_in_arrears(asset, invoice_no, as_of, by)

        return await MarkRentInArrears.act(info, authority, asset_id, command)
