# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""A collective resolution as mutations take it: one GraphQL input type for every context that
records a decision of the villagers' meeting or of the representatives' meeting (assets, land),
read by the domain's one rule for resolutions (domain/shared/resolution.py)."""

from __future__ import annotations

from typing import Any

import graphene

from api.enums import CountedAgainst, MeetingKind


class ResolutionInput(graphene.InputObjectType):
    """A collective resolution (村民会议 / 村民代表会议 决议) as its minutes record it. Leasing
    and disposal need two thirds of ALL members, counted against the total."""

    reference = graphene.String(
        required=True, description="The resolution's number, e.g. 乌村桥村决〔2024〕3号."
    )
    meeting_kind = MeetingKind(required=True)
    held_on = graphene.Date(required=True, description="The meeting date.")
    members_total = graphene.Int(
        required=True, description="All members of that meeting (adult villagers or deputies)."
    )
    members_present = graphene.Int(required=True, description="Those present.")
    votes_for = graphene.Int(required=True, description="Votes in favour.")
    counted_against = CountedAgainst(default_value="total")


def resolution_dict(raw: Any) -> dict[str, Any]:
    """The resolution as the domain parses it (``Resolution.parse``)."""
    return dict(raw)
