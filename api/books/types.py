# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Journal vouchers (记账凭证) and the closed periods of a village's books (结账)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.books.loaders import LinesByVoucher, VoucherNoById
from api.common import Row, load
from api.enums import vocabulary
from api.pagination import connection_type
from domain.books.vocabulary import (
    COUNTERPARTY_KIND_NAMES_ZH,
    COUNTERPARTY_KINDS,
    STATUS_NAMES_ZH,
    STATUSES,
)
from domain.ledger.amount_words import amount_in_words

VoucherStatus = vocabulary(
    "VoucherStatus",
    STATUSES,
    "Where a voucher is: prepared (制单, awaiting review) → posted (reviewed by another person) "
    "| rejected (final).",
    STATUS_NAMES_ZH,
)
SubledgerCounterpartyKind = vocabulary(
    "SubledgerCounterpartyKind",
    COUNTERPARTY_KINDS,
    "Who a sub-ledger line (辅助核算) is kept for.",
    COUNTERPARTY_KIND_NAMES_ZH,
)


class VoucherLine(graphene.ObjectType):
    """One line of a voucher: an account and one side. On a red reversal the amounts are
    negative (红字), on the same side as the original's."""

    line_no = graphene.Int(required=True, description="From 1, in the voucher's order.")
    account_code = graphene.String(required=True, description="科目编码, e.g. 513.")
    account_name = graphene.String(description="科目名称 in the chart in force on the date.")
    debit_yuan = graphene.Decimal(name="debit", required=True, description="Yuan (借方).")
    credit_yuan = graphene.Decimal(name="credit", required=True, description="Yuan (贷方).")
    counterparty = graphene.String(description="Who the sub-ledger keeps it for (辅助核算).")
    counterparty_kind = SubledgerCounterpartyKind()
    reference = graphene.String(description="Contract no., asset or parcel code, month …")


class Voucher(graphene.ObjectType):
    """A journal voucher (记账凭证) of a village: prepared by one person, posted when another
    reviews it, never changed after; a correction is a red reversal naming it."""

    village_key = "village_code"  # its objects belong to this village (api/auth/middleware.py)

    id = graphene.ID(required=True, description="The voucher's id (its history's aggregateId).")
    voucher_no = graphene.String(
        description="记-YYYY-MM-NNNN, the ledger's number, given when the voucher posts; null "
        "before."
    )
    village_code = graphene.String(required=True)
    voucher_date = graphene.Date(required=True, description="The entry date.")
    month = graphene.String(required=True, description="YYYY-MM of the entry date.")
    summary = graphene.String(required=True, description="摘要.")
    status = VoucherStatus(required=True)
    preparer = graphene.String(required=True, description="制单: who prepared it.")
    reviewer = graphene.String(description="审核: who reviewed (or rejected) it.")
    reviewed_on = graphene.Date(description="When it was reviewed or rejected.")
    rejection_reason = graphene.String(description="Why it was rejected.")
    reverses = graphene.ID(description="The voucher this red reversal reverses.")
    reversed_by = graphene.ID(description="The red reversal of this voucher, pending or posted.")
    attachments = graphene.Int(required=True, description="附件张数.")
    total_yuan = graphene.Decimal(
        name="total", required=True, description="Yuan: the debits (negative on a red voucher)."
    )
    total_in_words = graphene.String(
        required=True,
        description="合计金额（大写）: the total in Chinese capital numerals, as the printed "
        "voucher shows it (负 before a red voucher's).",
    )
    lines = graphene.NonNull(graphene.List(graphene.NonNull(VoucherLine)))

    @staticmethod
    def resolve_total_in_words(root: Row, info: GraphQLResolveInfo) -> str:
        return amount_in_words(root["total_yuan"])

    @staticmethod
    def resolve_lines(root: Row, info: GraphQLResolveInfo) -> Awaitable[Any]:
        return load(info, LinesByVoucher, (root["id"], root["voucher_date"]))

    @staticmethod
    def resolve_voucher_no(root: Row, info: GraphQLResolveInfo) -> Awaitable[Any]:
        return load(info, VoucherNoById, root["id"])


VoucherConnection = connection_type(Voucher, "A page of vouchers, by date.")


class Period(graphene.ObjectType):
    """A month of a village's books that was closed (and perhaps reopened)."""

    month = graphene.String(required=True, description="YYYY-MM.")
    closed = graphene.Boolean(required=True)
    closed_on = graphene.Date(description="The business date of its (last) close.")
    closed_at = graphene.DateTime(description="When that close was recorded.")
    closed_by = graphene.String(description="Who closed it (the recorded actor).")
    reopened_on = graphene.Date()
    reopened_by = graphene.String()
    reopen_reason = graphene.String()


class BooksYear(graphene.ObjectType):
    """A year of a village's books that was closed (and perhaps reopened)."""

    year = graphene.Int(required=True)
    closed = graphene.Boolean(required=True)
    closed_on = graphene.Date()
    closed_by = graphene.String()
    reopened_on = graphene.Date()
    reopen_reason = graphene.String()


class Periods(graphene.ObjectType):
    """A village's closed periods: vouchers are dated from its first open month on."""

    village_key = "village_code"

    village_code = graphene.String(required=True)
    first_open_month = graphene.String(
        description="The month after the last closed one; null when none was ever closed."
    )
    months = graphene.NonNull(graphene.List(graphene.NonNull(Period)))
    years = graphene.NonNull(graphene.List(graphene.NonNull(BooksYear)))
