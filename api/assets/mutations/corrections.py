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

from api.assets.mutations.base import ASSET_ID, AssetMutation, target
from api.assets.mutations.rent import RECORDED
from api.auth.permissions import WRITE_RECORDS, Owner
from api.common import Authorized
from api.enums import InvoiceCorrectionReason, ReceiptReversalReason
from domain.assets.application import AssetApplication
from domain.shared.values import Provenance


class CorrectInvoice(AssetMutation):
    """Correct the amount of an invoice of the contract in force: the books reverse its entries
    and post the corrected ones, on the same dates. Refused below what was received already."""

    class Meta:
        permission = WRITE_RECORDS.of("asset_id", Owner.ASSET)

    recorded = graphene.Boolean(description=RECORDED)

    class Arguments(Authorized):
        asset_id = graphene.ID(required=True, description=ASSET_ID)
        invoice_no = graphene.String(required=True)
        corrected_amount = graphene.Decimal(required=True, description="Yuan: the right amount.")
        reason_code = InvoiceCorrectionReason(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        asset_id: str,
        invoice_no: str,
        corrected_amount: Decimal,
        reason_code: str,
        authority: str | None = None,
    ) -> Any:
        recorded: list[bool] = []

        def command(app: AssetApplication, by: Provenance) -> UUID:
            recorded.append(
                app.correct_invoice(target(asset_id), invoice_no, corrected_amount, reason_code, by)
            )
            return target(asset_id)

        payload = await CorrectInvoice.run(info, authority, command)
        payload.recorded = recorded[0] if recorded else None
        return payload


class ReverseReceipt(AssetMutation):
    """Reverse a receipt recorded by mistake (Dr 112 / Cr 102 or 101, on its own date): the
    amount is owed again. The receipt number stays used."""

    class Meta:
        permission = WRITE_RECORDS.of("asset_id", Owner.ASSET)

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
        recorded: list[bool] = []

        def command(app: AssetApplication, by: Provenance) -> UUID:
            recorded.append(app.reverse_receipt(target(asset_id), receipt_no, reason_code, by))
            return target(asset_id)

        payload = await ReverseReceipt.run(info, authority, command)
        payload.recorded = recorded[0] if recorded else None
        return payload
