# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The collective's books (财会〔2023〕14号): trial balance, account balance and statement."""

from __future__ import annotations

import graphene
from graphql import GraphQLResolveInfo

from api.common import Row, utc
from api.enums import EntryKind
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
