# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Vouchers: recorded (制单), reviewed (审核, which posts them), rejected, reversed in red.

The preparer and the reviewer are the person the API token names (``Principal.name``)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import WRITE_RECORDS
from api.books.inputs import VoucherLineInput, line_inputs
from api.books.mutations.subject import VOUCHER, VOUCHER_ID
from api.common import context_of
from api.mutation import Authorized, CommandMutation
from domain.books.application import BooksApplication
from domain.books.model import Voucher
from domain.shared.values import Provenance


def person(info: GraphQLResolveInfo) -> str:
    """The person acting: the API token's name (api/auth/principal.py)."""
    context = context_of(info)
    return context.principal.name if context.principal is not None else context.actor


class RecordVoucher(CommandMutation):
    """Prepare a journal voucher (记账凭证) for anything outside the three programmes; the
    token's person is its preparer (制单). It posts when another person reviews it. Refused:
    unbalanced or one-sided lines, an account not in the chart or against its nature, a
    missing counterparty, a date after today or in a closed month (docs/rules.md V-01 … V-05)."""

    class Meta:
        subject = VOUCHER
        permission = WRITE_RECORDS.of("village_code")
        creates = Voucher

    class Arguments(Authorized):
        village_code = graphene.String(required=True)
        voucher_date = graphene.Date(required=True, description="The entry date.")
        summary = graphene.String(required=True, description="摘要, 1–200 characters.")
        lines = graphene.List(graphene.NonNull(VoucherLineInput), required=True)
        attachments = graphene.Int(default_value=0, description="附件张数, 0–999.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        voucher_date: date,
        summary: str,
        lines: list[Any],
        attachments: int = 0,
        authority: str | None = None,
    ) -> Any:
        preparer = person(info)

        def command(app: BooksApplication, by: Provenance) -> UUID:
            return app.record_voucher(
                village_code,
                voucher_date,
                summary,
                line_inputs(lines),
                attachments,
                preparer,
                by,
            )

        return await RecordVoucher.run(info, authority, command)


class ReviewVoucher(CommandMutation):
    """Review (审核) a prepared voucher, which posts it and gives it its number. The token's
    person reviews: not the preparer (docs/rules.md V-06)."""

    class Meta:
        subject = VOUCHER
        permission = VOUCHER.writes

    class Arguments(Authorized):
        voucher_id = graphene.ID(required=True, description=VOUCHER_ID)
        reviewed_on = graphene.Date(description="Defaults to today (Asia/Shanghai).")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        voucher_id: str,
        reviewed_on: date | None = None,
        authority: str | None = None,
    ) -> Any:
        reviewer = person(info)
        on = reviewed_on or context_of(info).registry.clock.today()

        def command(app: BooksApplication, voucher: UUID, by: Provenance) -> None:
            app.review_voucher(voucher, reviewer, on, by)

        return await ReviewVoucher.act(info, authority, voucher_id, command)


class RejectVoucher(CommandMutation):
    """Send a prepared voucher back, for good (prepare a new one); a rejected red reversal frees
    the voucher it was to reverse. Not by its preparer (docs/rules.md V-06)."""

    class Meta:
        subject = VOUCHER
        permission = VOUCHER.writes

    class Arguments(Authorized):
        voucher_id = graphene.ID(required=True, description=VOUCHER_ID)
        rejection_reason = graphene.String(required=True, description="Why, 1–500 characters.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        voucher_id: str,
        rejection_reason: str,
        authority: str | None = None,
    ) -> Any:
        reviewer = person(info)

        def command(app: BooksApplication, voucher: UUID, by: Provenance) -> None:
            app.reject_voucher(voucher, reviewer, rejection_reason, by)

        return await RejectVoucher.act(info, authority, voucher_id, command)


class ReverseVoucher(CommandMutation):
    """Prepare the red reversal (红字冲销) of a posted voucher: its lines with negated amounts,
    naming it; it posts when another person reviews it (docs/rules.md V-07). The payload's
    voucher is the red one."""

    class Meta:
        subject = VOUCHER
        permission = VOUCHER.writes
        creates = Voucher

    class Arguments(Authorized):
        voucher_id = graphene.ID(required=True, description="The posted voucher to reverse.")
        reversal_date = graphene.Date(description="Defaults to today (Asia/Shanghai).")
        summary = graphene.String(description="摘要; defaults to 冲销 and the original's.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        voucher_id: str,
        reversal_date: date | None = None,
        summary: str | None = None,
        authority: str | None = None,
    ) -> Any:
        preparer = person(info)
        on = reversal_date or context_of(info).registry.clock.today()

        def command(app: BooksApplication, by: Provenance) -> UUID:
            original = VOUCHER.target(voucher_id)
            text = summary or f"冲销：{app.voucher(original).summary}"[:200]
            return app.reverse_voucher(original, on, text, preparer, by)

        return await ReverseVoucher.run(info, authority, command)
