# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""A village's rent roll: many receipts at once, each checked as ``receiveRent`` checks one, or
previewed (``dryRun``) with the same checks and nothing recorded (domain/assets/rentroll.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import WRITE_RECORDS
from api.enums import PaymentChannel, RentReceiptRowStatus
from api.mutation import Authorized, CommandMutation, execute
from domain.assets.application import AssetApplication
from domain.assets.rentroll import MAX_RENT_ROLL_ROWS, RentReceiptInput, RentReceiptOutcome
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry


class RentReceiptRow(graphene.InputObjectType):
    """One receipt of a roll, against an invoice of the asset with this code in the village."""

    asset_code = graphene.String(required=True, description="资产编号 in the roll's village.")
    receipt_no = graphene.String(required=True, description="Unique per asset.")
    invoice_no = graphene.String(required=True)
    amount_yuan = graphene.Decimal(name="amount", required=True, description="Yuan.")
    received_on = graphene.Date(required=True)
    channel = PaymentChannel(default_value="bank")


class RentReceiptRowOutcome(graphene.ObjectType):
    """What became of one row: accepted (recorded now; in a preview: would be),
    already_recorded (the very same receipt was recorded before: nothing new) or refused
    (with the refusal's code; nothing of it recorded)."""

    receipt_no = graphene.String(required=True)
    status = RentReceiptRowStatus(required=True)
    reason_code = graphene.String(description="The refusal's code, when refused.")
    asset_id = graphene.ID(description="The asset the row named, when found.")


class ReceiveRentRoll(CommandMutation):
    """Record a village's rent roll (1 to 1,000 receipts). Each row is checked as `receiveRent`
    checks one receipt, against the asset as the earlier rows left it, and is accepted, already
    recorded or refused on its own; the accepted rows are recorded in one transaction. The same
    roll again records nothing new (each receipt number is idempotent)."""

    class Meta:
        permission = WRITE_RECORDS.of("village_code")

    outcomes = graphene.NonNull(
        graphene.List(graphene.NonNull(RentReceiptRowOutcome)),
        description="One per row, in the rows' order (empty when refused).",
    )
    accepted_count = graphene.Int(description="Rows accepted (recorded now, or would be).")
    already_recorded_count = graphene.Int()
    refused_count = graphene.Int()

    class Arguments(Authorized):
        village_code = graphene.String(required=True, description="The village of every row.")
        receipts = graphene.List(
            graphene.NonNull(RentReceiptRow),
            required=True,
            description=f"1 to {MAX_RENT_ROLL_ROWS} receipts.",
        )
        dry_run = graphene.Boolean(
            default_value=False,
            description="True: a preview, every row checked and answered, nothing recorded.",
        )

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        receipts: Any,
        dry_run: bool = False,
        authority: str | None = None,
    ) -> Any:
        rows = [rent_receipt(r) for r in receipts or []]

        def command(app: AssetApplication, by: Provenance) -> list[RentReceiptOutcome]:
            return app.receive_rent_roll(village_code, rows, by, bool(dry_run))

        outcomes, errors = execute(info, authority, assets, command)
        if outcomes is None:
            return ReceiveRentRoll(outcomes=[], errors=errors)
        statuses = [o.status for o in outcomes]
        return ReceiveRentRoll(
            outcomes=[
                {
                    "receipt_no": o.receipt_no,
                    "status": o.status,
                    "reason_code": o.reason_code,
                    "asset_id": str(o.asset_id) if o.asset_id else None,
                }
                for o in outcomes
            ],
            accepted_count=statuses.count("accepted"),
            already_recorded_count=statuses.count("already_recorded"),
            refused_count=statuses.count("refused"),
            errors=[],
        )


def assets(registry: Registry) -> AssetApplication:
    return registry.assets


def rent_receipt(raw: Any) -> RentReceiptInput:
    amount: Decimal = raw.amount_yuan
    received_on: date = raw.received_on
    return RentReceiptInput(
        raw.asset_code, raw.receipt_no, raw.invoice_no, amount, received_on, raw.channel
    )
