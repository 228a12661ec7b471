"""The vote rules of collective resolutions (docs/rules.md S-02, S-03, S-04)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.shared.errors import DomainError
from domain.shared.resolution import Resolution
from tests.support import resolution


def parsed(**changes: Any) -> Resolution:
    raw = resolution()
    raw.update(changes)
    return Resolution.parse(raw)


def refusal(check: str, **changes: Any) -> str:
    with pytest.raises(DomainError) as error:
        getattr(parsed(**changes), check)()
    return error.value.code


def test_a_resolution_is_parsed_from_its_minutes() -> None:
    r = parsed()
    assert r.reference == "乌村桥村决〔2024〕3号"
    assert r.meeting_kind == "representatives_meeting"
    assert r.held_on == date(2024, 3, 1)
    assert (r.members_total, r.members_present, r.votes_for) == (30, 28, 21)
    assert r.as_dict() == {**resolution(), "held_on": date(2024, 3, 1)}


@pytest.mark.parametrize(("votes", "total"), [(20, 30), (30, 30), (21, 31), (2, 3), (14, 21)])
def test_two_thirds_of_the_total_passes(votes: int, total: int) -> None:
    parsed(votes_for=votes, members_present=total, members_total=total).check_two_thirds_of_total()


@pytest.mark.parametrize(("votes", "total"), [(19, 30), (20, 31), (1, 3), (13, 21), (0, 30)])
def test_below_two_thirds_of_the_total_is_refused(votes: int, total: int) -> None:
    code = refusal(
        "check_two_thirds_of_total", votes_for=votes, members_present=total, members_total=total
    )
    assert code == "approval_below_two_thirds_of_total"


def test_two_thirds_of_those_present_is_not_two_thirds_of_the_total() -> None:
    # 19 of 28 present is over two thirds of those present, under two thirds of the 30 members.
    assert refusal("check_two_thirds_of_total", votes_for=19) == (
        "approval_below_two_thirds_of_total"
    )


def test_minutes_that_counted_against_those_present_are_refused_even_with_enough_votes() -> None:
    code = refusal("check_two_thirds_of_total", votes_for=28, counted_against="present")
    assert code == "approval_counted_on_attendees"


def test_an_ordinary_decision_needs_a_majority_of_those_present() -> None:
    parsed(votes_for=15, members_present=28).check_ordinary_majority()
    assert refusal("check_ordinary_majority", votes_for=14, members_present=28) == (
        "approval_below_majority_of_present"
    )


def test_a_representatives_meeting_needs_two_thirds_present() -> None:
    parsed(votes_for=20, members_present=20, members_total=30).check_ordinary_majority()
    code = refusal("check_ordinary_majority", votes_for=19, members_present=19, members_total=30)
    assert code == "meeting_quorum_not_reached"


def test_a_villagers_meeting_needs_more_than_half_present() -> None:
    villagers = {"meeting_kind": "villagers_meeting", "members_total": 30}
    parsed(votes_for=16, members_present=16, **villagers).check_ordinary_majority()
    code = refusal("check_ordinary_majority", votes_for=15, members_present=15, **villagers)
    assert code == "meeting_quorum_not_reached"


@pytest.mark.parametrize(
    ("votes", "present", "total"),
    [(29, 28, 30), (21, 31, 30), (0, 0, 0), (-1, 28, 30), (1, -1, 30)],
)
def test_inconsistent_counts_are_refused_when_parsed(votes: int, present: int, total: int) -> None:
    with pytest.raises(DomainError) as error:
        parsed(votes_for=votes, members_present=present, members_total=total)
    assert error.value.code == "resolution_votes_inconsistent"


@pytest.mark.parametrize(
    "changes",
    [
        {"reference": "  "},
        {"meeting_kind": "party_meeting"},
        {"counted_against": "everyone"},
        {"held_on": "2024-03-01"},
        {"held_on": None},
        {"members_total": "thirty"},
        {"votes_for": None},
    ],
    ids=repr,
)
def test_malformed_minutes_are_invalid_input(changes: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as error:
        parsed(**changes)
    assert error.value.code == "invalid_input"


def test_minutes_missing_a_count_are_invalid_input() -> None:
    raw = resolution()
    del raw["votes_for"]
    with pytest.raises(DomainError) as error:
        Resolution.parse(raw)
    assert error.value.code == "invalid_input"
    assert error.value.field == "resolution.votes_for"
