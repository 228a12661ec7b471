"""The base of every refusal the domain gives, and the registry of their stable codes.

A domain error is a user-facing refusal: the command did nothing and the caller can act on the
code. Programmer errors are ``assert``s or ordinary exceptions, never a ``DomainError``.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A refused command. ``code`` is stable and documented; ``message`` is for people."""

    code: ClassVar[str] = "domain_error"
    field: str | None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


def all_error_classes() -> list[type[DomainError]]:
    """Every concrete error class, for the documentation and the uniqueness test."""
    found: list[type[DomainError]] = []
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if "code" in sub.__dict__:
                found.append(sub)
    return sorted(found, key=lambda c: c.code)


class InvalidInput(DomainError):
    """A value is malformed: wrong shape, out of range, or not a known choice."""

    code = "invalid_input"


class AmountNotInFen(DomainError):
    """Money must be yuan with at most two decimal places (fen)."""

    code = "amount_not_in_fen"


class AmountNotPositive(DomainError):
    """The amount must be greater than zero."""

    code = "amount_not_positive"


class VillageCodeInvalid(DomainError):
    """A village code is 12 digits: district (6) + town (3) + village (3)."""

    code = "village_code_invalid"


class TownCodeInvalid(DomainError):
    """A town code is 9 digits: district (6) + town (3)."""

    code = "town_code_invalid"


class DistrictCodeInvalid(DomainError):
    """A district code is 6 digits."""

    code = "district_code_invalid"


class VillageNotRegistered(DomainError):
    """The village code names no registered village."""

    code = "village_not_registered"


class ActorMissing(DomainError):
    """Every recorded fact needs the person or system that recorded it."""

    code = "actor_missing"


class DateBeforeChartOfAccounts(DomainError):
    """Money cannot move before the first chart of accounts the registry knows is in force."""

    code = "date_before_chart_of_accounts"


class ConcurrentUpdate(DomainError):
    """Someone else changed the same record at the same moment; reload and try again."""

    code = "concurrent_update"


class ResolutionVotesInconsistent(DomainError):
    """Votes for ≤ members present ≤ members in total, all positive."""

    code = "resolution_votes_inconsistent"


class ApprovalBelowTwoThirdsOfTotal(DomainError):
    """Leasing or disposing of collective property needs ≥ 2/3 of ALL members or representatives."""

    code = "approval_below_two_thirds_of_total"


class ApprovalCountedOnAttendees(DomainError):
    """A two-thirds resolution was counted against those present, not against the total."""

    code = "approval_counted_on_attendees"


class MeetingQuorumNotReached(DomainError):
    """An ordinary meeting needs its quorum present before it can decide."""

    code = "meeting_quorum_not_reached"


class ApprovalBelowMajorityOfPresent(DomainError):
    """An ordinary decision needs more than half of those present."""

    code = "approval_below_majority_of_present"


class PolicyNotInForce(DomainError):
    """No policy value is in force for this place and date; an administrator must set one."""

    code = "policy_not_in_force"
