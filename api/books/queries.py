# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the books context: vouchers and the closed periods of a village."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import READ_RECORDS, Owner, PermittedField
from api.books.loaders import VoucherById, VoucherFilter, periods_view, voucher_page
from api.books.types import Periods, VoucherConnection, VoucherStatus
from api.common import Row, context_of, load, parse_id, read
from api.pagination import connection_field, page_request, scope_of
from domain.books.months import check_month


class BooksQuery(graphene.ObjectType):
    vouchers = connection_field(
        VoucherConnection,
        "Journal vouchers (记账凭证) by date, every status unless one is asked for.",
        permission=READ_RECORDS.of("village_code").of("town_code", Owner.TOWN),
        village_code=graphene.String(description="Only this village's vouchers."),
        town_code=graphene.String(description="Only the vouchers of this town's villages."),
        month=graphene.String(description="Only vouchers dated in this month, YYYY-MM."),
        status=VoucherStatus(description="Only vouchers in this status."),
    )
    voucher = PermittedField(
        "api.books.types.Voucher",
        permission=READ_RECORDS.of("id", Owner.VOUCHER),
        id=graphene.ID(required=True),
        description="A voucher by id, or null when none has that id.",
    )
    periods = PermittedField(
        Periods,
        permission=READ_RECORDS.of("village_code"),
        village_code=graphene.String(required=True),
        description="A village's closed months and years and its first open month (结账).",
    )

    @staticmethod
    def resolve_vouchers(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        village_code: str | None = None,
        town_code: str | None = None,
        month: str | None = None,
        status: str | None = None,
    ) -> Row:
        request, scope = page_request(first, after), scope_of(info)
        if month is not None:
            month = check_month(month)
        where = VoucherFilter(village_code, town_code, month, status)
        return read(info, lambda conn: voucher_page(conn, where, request, scope))

    @staticmethod
    def resolve_voucher(root: None, info: GraphQLResolveInfo, id: str) -> Any:
        return load(info, VoucherById, str(parse_id(id, "id")))

    @staticmethod
    def resolve_periods(root: None, info: GraphQLResolveInfo, village_code: str) -> Row:
        code = context_of(info).registry.places.village(village_code).code
        return read(info, lambda conn: periods_view(conn, code))
