"""Refusals of the statements (projections/ledger/statements/), each with a stable code
(docs/rules.md F-05)."""

from __future__ import annotations

from domain.shared.errors import DomainError


class StatementError(DomainError):
    """A statement asked for something it cannot show."""

    code = "statement_refused"


class PlaceCodeInvalid(StatementError):
    """Not a 12-digit village, 9-digit town or 6-digit district code."""

    code = "place_code_invalid"


class StatementPeriodInvalid(StatementError):
    """A month not written YYYY-MM, a range whose end precedes its start, or longer than allowed."""

    code = "statement_period_invalid"


class AccountNotInChart(StatementError):
    """An account the chart in force for the period does not have."""

    code = "statement_account_not_in_chart"
