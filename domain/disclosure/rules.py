"""The rules of disclosures (村务公开), each citing its id in docs/rules.md. Plain functions of
plain values: the application looks up what they read (today, the schedule in force, the other
editions of the period) and the aggregate runs them before any event."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.disclosure.errors import (
    DisclosureApproved,
    DisclosureCorrectionInvalid,
    DisclosureCorrectionReasonMissing,
    DisclosureNotApproved,
    DisclosureOpenExists,
    DisclosurePeriodNotEnded,
    DisclosurePeriodNotScheduled,
    DisclosurePublishDateInvalid,
    DisclosurePublished,
    DisclosurePublishedExists,
    DisclosureReviewDateInvalid,
    DisclosureReviewMembersInvalid,
)
from domain.disclosure.periods import Period
from domain.disclosure.vocabulary import (
    DRAFTED,
    MEMBER_NAME_LENGTH_MAX,
    PERIOD_KIND_NAMES_ZH,
    PUBLISHED,
    REJECTED,
    REVIEW_MEMBERS_MAX,
    REVIEW_MEMBERS_MIN,
    REVIEWED,
)
from domain.shared.text import check_text


def check_period_ended(period: Period, today: date) -> None:
    """docs/rules.md D-01: only a period that has ended is disclosed."""
    if period.end >= today:
        raise DisclosurePeriodNotEnded(
            f"{period.text} ends on {period.end}: it has not ended on {today}", field="period"
        )


def check_period_scheduled(period: Period, frequency_kind: str) -> None:
    """docs/rules.md D-02: the kind of period is the one of the schedule in force."""
    if period.kind != frequency_kind:
        raise DisclosurePeriodNotScheduled(
            f"the village discloses by {PERIOD_KIND_NAMES_ZH[frequency_kind]}; "
            f"{period.text} is a {period.kind}",
            field="period",
        )


def check_edition(
    latest_state: str | None, latest_id: UUID | None, corrects: UUID | None, reason: str | None
) -> None:
    """docs/rules.md D-03, D-04: one open disclosure per village and period; a new edition
    corrects the latest, published one and says why. ``latest_*``: the period's latest
    edition (None when none)."""
    if latest_state is not None and latest_state != PUBLISHED:
        raise DisclosureOpenExists(
            f"disclosure {latest_id} of this period is not published yet", field="period"
        )
    if corrects is None:
        if latest_state is not None:
            raise DisclosurePublishedExists(
                f"the period is published already ({latest_id}): correct it", field="corrects"
            )
        return
    if corrects != latest_id:
        raise DisclosureCorrectionInvalid(
            f"{corrects} is not the latest published disclosure of this village and period",
            field="corrects",
        )
    if not reason:
        raise DisclosureCorrectionReasonMissing("a correction says why", field="reason")


def check_not_published(state: str) -> None:
    """docs/rules.md D-08: a published disclosure is fixed."""
    if state == PUBLISHED:
        raise DisclosurePublished("the disclosure is published: correct it with a new edition")


def check_rebuildable(state: str) -> None:
    """docs/rules.md D-06: figures are rebuilt only before an approving review."""
    check_not_published(state)
    if state == REVIEWED:
        raise DisclosureApproved("the finance group approved these figures: publish them")


def check_reviewable(state: str) -> None:
    """docs/rules.md D-06: a draft, or one the group did not approve, is reviewed."""
    check_rebuildable(state)
    assert state in (DRAFTED, REJECTED), state


def check_members(members: Any) -> list[str]:
    """docs/rules.md D-05: three to five distinct, non-blank members of the finance group."""
    if not isinstance(members, (list, tuple)) or not (
        REVIEW_MEMBERS_MIN <= len(members) <= REVIEW_MEMBERS_MAX
    ):
        raise DisclosureReviewMembersInvalid(
            f"the finance group's review names {REVIEW_MEMBERS_MIN}–{REVIEW_MEMBERS_MAX} members",
            field="members",
        )
    names: list[str] = []
    for member in members:
        if not isinstance(member, str) or not member.strip():
            raise DisclosureReviewMembersInvalid("a member's name is blank", field="members")
        name = check_text(member.strip(), "members")
        if len(name) > MEMBER_NAME_LENGTH_MAX:
            raise DisclosureReviewMembersInvalid(
                f"a member's name is over {MEMBER_NAME_LENGTH_MAX} characters", field="members"
            )
        names.append(name)
    if len(set(names)) != len(names):
        raise DisclosureReviewMembersInvalid("a member is named twice", field="members")
    return names


def check_review_date(held_on: date, period_end: date, today: date) -> None:
    """docs/rules.md D-05: held on or after the period's end, not after today."""
    if not period_end <= held_on <= today:
        raise DisclosureReviewDateInvalid(
            f"the review is held {period_end} … {today}, got {held_on}", field="held_on"
        )


def check_publishable(state: str, held_on: date | None, published_on: date, today: date) -> None:
    """docs/rules.md D-07: published after an approving review of the current figures, on or
    after the review's day and not after today."""
    check_not_published(state)
    if state != REVIEWED or held_on is None:
        raise DisclosureNotApproved(
            "the finance group has not approved the current figures", field="id"
        )
    if not held_on <= published_on <= today:
        raise DisclosurePublishDateInvalid(
            f"published {held_on} … {today}, got {published_on}", field="published_on"
        )
