"""Collective resolutions (村民会议 / 村民代表会议 决议) and the vote rules they must satisfy.

Rules (docs/rules.md S-02, S-03, S-04; Land Administration Law art. 63; Organic Law of the
Villagers' Committees):
- Leasing or disposing of collective property, and land entering the market, need at least 2/3 of
  ALL members of the villagers' meeting or of ALL villager representatives. The count is against
  the total, never against those present.
- Ordinary matters: quorum (villagers' meeting: more than half of the adult members;
  representatives' meeting: at least 2/3 of the representatives present) and a majority of
  those present.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from domain.shared.errors import (
    ApprovalBelowMajorityOfPresent,
    ApprovalBelowTwoThirdsOfTotal,
    ApprovalCountedOnAttendees,
    InvalidInput,
    MeetingQuorumNotReached,
    ResolutionVotesInconsistent,
)
from domain.shared.values import choice, required_text

MEETING_KINDS = ("villagers_meeting", "representatives_meeting")
MEETING_KIND_NAMES_ZH = {"villagers_meeting": "村民会议", "representatives_meeting": "村民代表会议"}
COUNTING_BASES = ("total", "present")


def _meeting_date(value: Any) -> date:
    if not isinstance(value, date):
        raise InvalidInput(
            f"resolution.held_on must be a date, got {value!r}", field="resolution.held_on"
        )
    return value


def _count(raw: dict[str, Any], key: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, str)):  # no floats, no True
        value = None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput(
            f"resolution.{key} must be a whole number, got {raw.get(key)!r}",
            field=f"resolution.{key}",
        ) from None


@dataclass(frozen=True)
class Resolution:
    """A meeting's decision as recorded in its minutes.

    reference: the resolution's document number, e.g. ``乌村桥村决〔2024〕3号``.
    meeting_kind: ``villagers_meeting`` or ``representatives_meeting``.
    held_on: the meeting date.
    members_total: all members of that meeting (all adult villagers, or all representatives).
    members_present: those present.
    votes_for: votes in favour.
    counted_against: what the minutes counted the votes against: ``total`` or ``present``.
    """

    reference: str
    meeting_kind: str
    held_on: date
    members_total: int
    members_present: int
    votes_for: int
    counted_against: str = "total"

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Resolution:
        resolution = cls(
            reference=required_text(raw.get("reference"), "resolution.reference"),
            meeting_kind=choice(
                str(raw.get("meeting_kind")), MEETING_KINDS, "resolution.meeting_kind"
            ),
            held_on=_meeting_date(raw.get("held_on")),
            members_total=_count(raw, "members_total"),
            members_present=_count(raw, "members_present"),
            votes_for=_count(raw, "votes_for"),
            counted_against=choice(
                str(raw.get("counted_against", "total")),
                COUNTING_BASES,
                "resolution.counted_against",
            ),
        )
        resolution.check_counts()
        return resolution

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def check_counts(self) -> None:
        if not (0 <= self.votes_for <= self.members_present <= self.members_total) or (
            self.members_total <= 0
        ):
            raise ResolutionVotesInconsistent(
                "votes for ≤ members present ≤ members in total, and the total must be positive; "
                f"got {self.votes_for} ≤ {self.members_present} ≤ {self.members_total}",
                field="resolution",
            )

    def check_two_thirds_of_total(self) -> None:
        """Leasing, disposal, land entry: ≥ 2/3 of all members, counted against the total."""
        self.check_counts()
        if self.counted_against != "total":
            raise ApprovalCountedOnAttendees(
                "this matter needs two thirds of ALL members or representatives; a count "
                "against those present is not accepted",
                field="resolution.counted_against",
            )
        if self.votes_for * 3 < self.members_total * 2:
            raise ApprovalBelowTwoThirdsOfTotal(
                f"{self.votes_for} votes for out of {self.members_total} members in total is "
                f"below two thirds (needs {-(-self.members_total * 2 // 3)})",
                field="resolution.votes_for",
            )

    def check_ordinary_majority(self) -> None:
        """Quorum present, then more than half of those present."""
        self.check_counts()
        if self.meeting_kind == "villagers_meeting":
            quorum_met = self.members_present * 2 > self.members_total
        else:
            quorum_met = self.members_present * 3 >= self.members_total * 2
        if not quorum_met:
            raise MeetingQuorumNotReached(
                f"{self.members_present} present of {self.members_total} does not reach the "
                f"quorum of a {MEETING_KIND_NAMES_ZH[self.meeting_kind]}",
                field="resolution.members_present",
            )
        if self.votes_for * 2 <= self.members_present:
            raise ApprovalBelowMajorityOfPresent(
                f"{self.votes_for} votes for of {self.members_present} present is not a majority",
                field="resolution.votes_for",
            )
