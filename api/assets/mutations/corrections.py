# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Corrections: a mistaken invoice or receipt is fixed by a correcting event with a reason code;
nothing recorded before is edited, and the books show the original and the correction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.assets.mutations.subject import ASSET, ASSET_ID
from api.enums import InvoiceCorrectionReason, ReceiptReversalReason
from api.mutation import RECORDED, Authorized, CommandMutation
from domain.assets.application import AssetApplication
from domain.shared.values import Provenance


class CorrectInvoice(CommandMutation):
    """Correct the amount of an invoice of the contract in force: the books reverse its entries
    and post the corrected ones, on the same dates. Refused below what was received already."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    recorded = graphene.Boolean(description=RECORDED)

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        invoice_no = graphene.String(required=True)
        corrected_amount_yuan = graphene.Decimal(
            name="correctedAmount", required=True, description="Yuan: the right amount."
        )
        reason_code = InvoiceCorrectionReason(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        invoice_no: str,
        corrected_amount_yuan: Decimal,
        reason_code: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, target: UUID, by: Provenance) -> bool:
            return app.correct_invoice(target, invoice_no, corrected_amount_yuan, reason_code, by)

        return await CorrectInvoice.act_recorded(info, authority, asset_id, command)


class ReverseReceipt(CommandMutation):
    """Reverse a receipt recorded by mistake (Dr 112 / Cr 102 or 101, on its own date): the
    amount is owed again. The receipt number stays used."""

    class Meta:
        subject = ASSET
        permission = ASSET.writes

    recorded = graphene.Boolean(description=RECORDED)

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        receipt_no = graphene.String(required=True)
        reason_code = ReceiptReversalReason(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        receipt_no: str,
        reason_code: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: AssetApplication, target: UUID, by: Provenance) -> bool:
            return app.reverse_receipt(target, receipt_no, reason_code, by)

        return await ReverseReceipt.act_recorded(info, authority, asset_id, command)
