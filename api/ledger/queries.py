# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root fields of the ledger context: reading the books of one village collective."""

from __future__ import annotations

from datetime import date, datetime

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import READ_POLICIES, READ_RECORDS, PermittedField
from api.common import Row, context_of, read
from api.ledger.types import (
    AccountBalance,
    AccountStatement,
    ChartOfAccounts,
    JournalEntry,
    TrialBalance,
)
from domain.ledger.chart import ChartVersion, chart_in_force
from domain.shared.errors import InvalidInput
from projections.ledger import entry, queries
from projections.ledger.queries import MAX_STATEMENT_LINES

VILLAGE = "12-digit code of a registered village."
AS_OF = "Defaults to today in the registry's time zone (Asia/Shanghai), not the server's."


def registered_village(info: GraphQLResolveInfo, village_code: str) -> str:
    """Refuses a malformed or unregistered code (rather than showing empty books)."""
    return str(context_of(info).registry.places.village(village_code).code)


def today(info: GraphQLResolveInfo) -> date:
    return context_of(info).registry.clock.today()


def account_name(account_code: str, on: date) -> str:
    chart = chart_in_force(on)
    if not chart.has(account_code):
        raise InvalidInput(
            f"account {account_code} is not in the {chart.version} chart of accounts",
            field="accountCode",
        )
    return chart.account(account_code).name_zh


class LedgerQuery(graphene.ObjectType):
    trial_balance = PermittedField(
        graphene.NonNull(TrialBalance),
        permission=READ_RECORDS.of("village_code"),
        village_code=graphene.String(required=True, description=VILLAGE),
        as_of=graphene.Date(description=AS_OF),
        known_at=graphene.DateTime(
            description="The books as they stood at this recorded time: only entries whose "
            "source event was recorded by then, so corrections recorded later are left out."
        ),
        description="The village collective's trial balance as of a day (effective date), "
        "optionally as known at a recorded time.",
    )
    account_balance = PermittedField(
        graphene.NonNull(AccountBalance),
        permission=READ_RECORDS.of("village_code"),
        village_code=graphene.String(required=True, description=VILLAGE),
        account_code=graphene.String(required=True),
        as_of=graphene.Date(description=AS_OF),
        description="One account's balance at the end of a day.",
    )
    account_statement = PermittedField(
        graphene.NonNull(AccountStatement),
        permission=READ_RECORDS.of("village_code"),
        village_code=graphene.String(required=True, description=VILLAGE),
        account_code=graphene.String(required=True),
        date_from=graphene.Date(required=True, name="from"),
        date_to=graphene.Date(required=True, name="to"),
        description="An account's lines between two days, both included (at most "
        f"{MAX_STATEMENT_LINES} lines), each with the event it was posted from.",
    )
    chart_of_accounts = PermittedField(
        graphene.NonNull(ChartOfAccounts),
        permission=READ_POLICIES,
        on=graphene.Date(description=AS_OF),
        description="The chart of accounts (会计科目表) in force on a day.",
    )
    journal_entry = PermittedField(
        JournalEntry,
        permission=READ_RECORDS.of("village_code"),
        village_code=graphene.String(required=True, description=VILLAGE),
        entry_id=graphene.String(required=True, description="A statement line's `entryId`."),
        description="One journal entry of the village with its lines (at most "
        f"{entry.MAX_ENTRY_LINES}) and its source event; null when the village has no entry "
        "with that id.",
    )

    @staticmethod
    def resolve_trial_balance(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> queries.TrialBalance:
        code, day = registered_village(info, village_code), as_of or today(info)
        return read(info, lambda conn: queries.trial_balance(conn, code, day, known_at))

    @staticmethod
    def resolve_account_balance(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        account_code: str,
        as_of: date | None = None,
    ) -> Row:
        code, day = registered_village(info, village_code), as_of or today(info)
        name = account_name(account_code, day)
        balance = read(info, lambda conn: queries.account_balance(conn, code, account_code, day))
        return {
            "village_code": code,
            "account_code": account_code,
            "account_name": name,
            "as_of": day,
            "balance": balance,
        }

    @staticmethod
    def resolve_account_statement(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        account_code: str,
        date_from: date,
        date_to: date,
    ) -> queries.AccountStatement:
        code = registered_village(info, village_code)
        if date_to < date_from:
            raise InvalidInput(f"to {date_to} is before from {date_from}", field="to")
        account_name(account_code, date_to)
        return read(
            info,
            lambda conn: queries.account_statement(conn, code, account_code, date_from, date_to),
        )

    @staticmethod
    def resolve_journal_entry(
        root: None, info: GraphQLResolveInfo, village_code: str, entry_id: str
    ) -> entry.JournalEntry | None:
        code = registered_village(info, village_code)
        if len(entry_id) > 32:
            return None
        return read(info, lambda conn: entry.journal_entry(conn, code, entry_id))

    @staticmethod
    def resolve_chart_of_accounts(
        root: None, info: GraphQLResolveInfo, on: date | None = None
    ) -> ChartVersion:
        return chart_in_force(on or today(info))
