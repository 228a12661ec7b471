# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The collective's books (财会〔2023〕14号): trial balance, account balance and statement."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.common import Row, utc
from api.enums import AccountCategory, EntryKind
from domain.ledger.amount_words import amount_in_words
from projections.ledger.entry import JournalEntry as JournalEntryRow
from projections.ledger.queries import StatementLine as StatementLineRow

MONEY = "Yuan, to the fen."


class TrialBalanceLine(graphene.ObjectType):
    """One account's balance: on the debit side or on the credit side, the other is zero."""

    account_code = graphene.String(required=True, description="First-level account, e.g. 501.")
    account_name = graphene.String(required=True, description="Its name in the chart in force.")
    debit = graphene.Decimal(required=True, description=MONEY)
    credit = graphene.Decimal(required=True, description=MONEY)


class TrialBalance(graphene.ObjectType):
    """Every account that moved up to ``asOf``, with its balance; the totals are equal."""

    village_code = graphene.String(required=True)
    as_of = graphene.Date(required=True, description="Entries dated up to this day count.")
    chart_version = graphene.String(required=True, description="The chart of accounts used.")
    known_at = graphene.DateTime(
        description="When given: only entries whose source event was recorded by then."
    )
    lines = graphene.NonNull(graphene.List(graphene.NonNull(TrialBalanceLine)))
    total_debit = graphene.Decimal(required=True, description=MONEY)
    total_credit = graphene.Decimal(required=True, description=MONEY)


class AccountBalance(graphene.ObjectType):
    """One account's balance on a day."""

    village_code = graphene.String(required=True)
    account_code = graphene.String(required=True)
    account_name = graphene.String(required=True)
    as_of = graphene.Date(required=True)
    balance = graphene.Decimal(
        required=True, description="Debit minus credit (negative: a credit balance). " + MONEY
    )


class SourceEvent(graphene.ObjectType):
    """The recorded event a journal entry was posted from (see `history`)."""

    notification_id = graphene.Int(required=True, description="Its place in the event log.")
    aggregate_id = graphene.ID(required=True)
    version = graphene.Int(required=True)
    event_type = graphene.String(required=True, description="e.g. Asset.RentInvoiced")
    actor = graphene.String(required=True, description="Who recorded it.")
    authority = graphene.String(description="The resolution or document it rests on.")
    recorded_at = graphene.DateTime(required=True)


class StatementLine(graphene.ObjectType):
    """One journal line on the account, with the running balance after it."""

    entry_id = graphene.String(required=True)
    voucher_no = graphene.String(
        required=True,
        description="The voucher number a person quotes: 记-YYYY-MM-NNNN, per village and month "
        "of the entry date, without gaps.",
    )
    entry_date = graphene.Date(required=True)
    fact_date = graphene.Date(
        required=True,
        description="The fact's own date: the entry date unless the fact was booked late, in "
        "the first open month.",
    )
    kind = graphene.NonNull(EntryKind)
    counterparty = graphene.String(description="The sub-ledger's counterparty (辅助核算).")
    reference = graphene.String(description="Contract, asset or parcel code, month … of the line.")
    description = graphene.String(required=True)
    debit = graphene.Decimal(required=True, description=MONEY)
    credit = graphene.Decimal(required=True, description=MONEY)
    balance = graphene.Decimal(required=True, description="Running, debit minus credit.")
    source = graphene.Field(graphene.NonNull(SourceEvent))

    @staticmethod
    def resolve_source(root: StatementLineRow, info: GraphQLResolveInfo) -> Row:
        return {
            "notification_id": root.source_notification_id,
            "aggregate_id": root.source_aggregate_id,
            "version": root.source_version,
            "event_type": root.source_event_type,
            "actor": root.actor,
            "authority": root.authority,
            "recorded_at": utc(root.recorded_at),
        }


class AccountStatement(graphene.ObjectType):
    """An account's movements between two days (both included), oldest first."""

    village_code = graphene.String(required=True)
    account_code = graphene.String(required=True)
    account_name = graphene.String(required=True)
    date_from = graphene.Date(required=True, name="from")
    date_to = graphene.Date(required=True, name="to")
    opening_balance = graphene.Decimal(required=True, description="At the start of `from`.")
    lines = graphene.NonNull(graphene.List(graphene.NonNull(StatementLine)))
    closing_balance = graphene.Decimal(required=True, description="At the end of `to`.")


class JournalEntryLine(graphene.ObjectType):
    """One line of a journal entry: an account and one side."""

    line_no = graphene.Int(required=True, description="From 1, in the entry's order.")
    account_code = graphene.String(required=True, description="科目编码, e.g. 112.")
    account_name = graphene.String(description="科目名称 in the chart in force on the date.")
    debit = graphene.Decimal(required=True, description=MONEY)
    credit = graphene.Decimal(required=True, description=MONEY)
    counterparty = graphene.String(description="The sub-ledger's counterparty (辅助核算).")
    reference = graphene.String(description="Contract, asset or parcel code, month … of the line.")


class JournalEntry(graphene.ObjectType):
    """One journal entry of a village's books with all its lines and the event behind it."""

    entry_id = graphene.String(required=True)
    village_code = graphene.String(required=True)
    voucher_no = graphene.String(required=True, description="记-YYYY-MM-NNNN.")
    entry_date = graphene.Date(required=True)
    fact_date = graphene.Date(required=True, description="The fact's own date (booked late).")
    kind = graphene.NonNull(EntryKind)
    description = graphene.String(required=True, description="摘要.")
    chart_version = graphene.String(required=True, description="The chart of accounts used.")
    voucher_id = graphene.ID(description="The journal voucher (记账凭证) it posts, if any.")
    lines = graphene.NonNull(graphene.List(graphene.NonNull(JournalEntryLine)))
    total_debit = graphene.Decimal(required=True, description=MONEY)
    total_credit = graphene.Decimal(required=True, description=MONEY)
    total_in_words = graphene.String(
        required=True, description="合计金额（大写）: the debits in Chinese capital numerals."
    )
    source = graphene.Field(graphene.NonNull(SourceEvent))

    @staticmethod
    def resolve_total_in_words(root: JournalEntryRow, info: GraphQLResolveInfo) -> str:
        return amount_in_words(root.total_debit)

    @staticmethod
    def resolve_source(root: JournalEntryRow, info: GraphQLResolveInfo) -> Row:
        return {
            "notification_id": root.source_notification_id,
            "aggregate_id": root.source_aggregate_id,
            "version": root.source_version,
            "event_type": root.source_event_type,
            "actor": root.actor,
            "authority": root.authority,
            "recorded_at": utc(root.recorded_at),
        }


class ChartAccount(graphene.ObjectType):
    """One account of a chart of accounts (会计科目)."""

    code = graphene.String(required=True, description="科目编码, e.g. 112.")
    name = graphene.String(required=True, description="科目名称.")
    category = AccountCategory(required=True)
    normal_side = graphene.String(required=True, description="debit or credit (余额方向).")

    @staticmethod
    def resolve_name(root: Any, info: GraphQLResolveInfo) -> str:
        return str(root.name_zh)


class ChartOfAccounts(graphene.ObjectType):
    """The chart of accounts in force on a day, in its printed order."""

    version = graphene.String(required=True)
    effective_from = graphene.Date(required=True)
    source = graphene.String(required=True, description="The regulation that sets it.")
    accounts = graphene.NonNull(graphene.List(graphene.NonNull(ChartAccount)))
