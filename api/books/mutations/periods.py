# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Closing (结账) a village's months and years, and reopening the last closed month (admin)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import REOPEN_PERIODS, WRITE_RECORDS
from api.books.mutations.subject import PERIODS
from api.mutation import Authorized, CommandMutation
from domain.books.application import BooksApplication
from domain.books.model import Books
from domain.shared.values import Provenance

MONTH = "YYYY-MM."


class ClosePeriod(CommandMutation):
    """Close a month (结账): nothing is posted with a date in it afterwards. Months close in
    order, once ended (docs/rules.md V-08)."""

    class Meta:
        subject = PERIODS
        permission = WRITE_RECORDS.of("village_code")

    class Arguments(Authorized):
        village_code = graphene.String(required=True)
        month = graphene.String(required=True, description=MONTH)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        month: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: BooksApplication, by: Provenance) -> UUID:
            app.close_period(village_code, month, by)
            return Books.create_id(village_code)

        return await ClosePeriod.run(info, authority, command)


class CloseYear(CommandMutation):
    """Close the year (年度结账): December too if open; the ledger then posts the closing
    vouchers (income and expenses to 321, 321 to 322) dated 12-31 (docs/rules.md V-09)."""

    class Meta:
        subject = PERIODS
        permission = WRITE_RECORDS.of("village_code")

    class Arguments(Authorized):
        village_code = graphene.String(required=True)
        year = graphene.Int(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        year: int,
        authority: str | None = None,
    ) -> Any:
        def command(app: BooksApplication, by: Provenance) -> UUID:
            app.close_year(village_code, year, by)
            return Books.create_id(village_code)

        return await CloseYear.run(info, authority, command)


class ReopenPeriod(CommandMutation):
    """Reopen the last closed month, with the reason (admin only); December of a closed year
    reopens the year, and the ledger reverses its closing vouchers (docs/rules.md V-10)."""

    class Meta:
        subject = PERIODS
        permission = REOPEN_PERIODS

    class Arguments(Authorized):
        village_code = graphene.String(required=True)
        month = graphene.String(required=True, description=MONTH)
        reopen_reason = graphene.String(required=True, description="Why, 1–500 characters.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        month: str,
        reopen_reason: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: BooksApplication, by: Provenance) -> UUID:
            app.reopen_period(village_code, month, reopen_reason, by)
            return Books.create_id(village_code)

        return await ReopenPeriod.run(info, authority, command)
