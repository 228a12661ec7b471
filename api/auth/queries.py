# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of access: the API tokens (administrators)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import MANAGE_TOKENS, READ_ACCESS_LOG
from api.auth.types import ApiTokenConnection, PersonalDataReadConnection
from api.common import Mapped, Row, read, utc
from api.pagination import Order, connection_field, fetch_page, page_request
from projections.access import api_tokens, personal_data_reads, to_token

NEWEST_FIRST = frozenset({"source_notification_id"})
TOKEN_ORDER = Order("token", ("source_notification_id",), NEWEST_FIRST)
READ_ORDER = Order("read", ("source_notification_id", "elder_id"), NEWEST_FIRST)


def token_view(row: Row) -> Row:
    view: dict[str, Any] = asdict(to_token(Mapped(row)))
    view["issued_at"] = utc(view["issued_at"])
    view["revoked_at"] = view["revoked_at"] and utc(view["revoked_at"])
    return view


class AccessQuery(graphene.ObjectType):
    api_tokens = connection_field(
        ApiTokenConnection, "API tokens, newest first.", permission=MANAGE_TOKENS
    )

    personal_data_reads = connection_field(
        PersonalDataReadConnection,
        "Who read which elder's personal data in clear, newest first.",
        permission=READ_ACCESS_LOG,
        elder_id=graphene.ID(description="Only the reads of this elder."),
    )

    @staticmethod
    def resolve_personal_data_reads(
        root: None,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        elder_id: str | None = None,
    ) -> Row:
        request = page_request(first, after)
        where = [] if elder_id is None else [personal_data_reads.c.elder_id == str(elder_id)]

        def view(row: Row) -> Row:
            return {**row, "read_at": utc(row["read_at"])}

        return read(
            info,
            lambda conn: fetch_page(conn, personal_data_reads, where, READ_ORDER, request, view),
        )

    @staticmethod
    def resolve_api_tokens(
        root: None, info: GraphQLResolveInfo, first: int | None = None, after: str | None = None
    ) -> Row:
        request = page_request(first, after)
        return read(
            info, lambda conn: fetch_page(conn, api_tokens, [], TOKEN_ORDER, request, token_view)
        )
