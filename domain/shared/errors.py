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


class AmountExceedsMaximum(DomainError):
    """An amount is beyond the largest the books hold (AMOUNT_YUAN_MAX, under a trillion yuan)."""

    code = "amount_exceeds_maximum"


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


class DateInvalid(DomainError):
    """A date is written YYYY-MM-DD (ISO 8601) and exists in the calendar."""

    code = "date_invalid"


class DateOutOfRange(DomainError):
    """The registry holds dates from 1800-01-01 to 2999-12-31 (DATE_MIN, DATE_MAX)."""

    code = "date_out_of_range"


class TimeInvalid(DomainError):
    """A time is ISO 8601: 2024-08-20T07:30 (in the registry's zone) or with an offset (+08:00)."""

    code = "time_invalid"


class TimeOutOfRange(DomainError):
    """The registry holds times from 1800 to 2999 (UTC); year 1 and year 9999 are outside."""

    code = "time_out_of_range"


class TimeZoneUnknown(DomainError):
    """QIANWAN_TIME_ZONE names no IANA time zone (such as Asia/Shanghai): nothing starts."""

    code = "time_zone_unknown"


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


class DatabaseBusy(DomainError):
    """Too many writes at the same moment: nothing was recorded; send the request again."""

    code = "database_busy"


class DatabaseUnavailable(DomainError):
    """The database could not be reached: nothing was recorded; send the request again later."""

    code = "database_unavailable"


class WriteOutcomeUnknown(DomainError):
    """The database went away during the write and could not be asked since whether it kept it.
    Sending the same request again is safe: the same idempotency key, invoice or receipt number
    is recorded at most once."""

    code = "write_outcome_unknown"


class TextContainsForbiddenCharacter(DomainError):
    """Text holds a control character, a lone surrogate, a noncharacter or a bidirectional
    control (domain/shared/text.py): it cannot be stored or shown safely."""

    code = "text_contains_forbidden_character"


class ReadModelHalted(DomainError):
    """The command needs a read model that is halted at an event it cannot fold; an operator
    must fix and resume it first (``qianwan project --resume``). Nothing was recorded."""

    code = "read_model_halted"
