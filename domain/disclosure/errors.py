"""Refusals of disclosures (村务公开). Each code is stable and reads as a fact
(docs/rules.md D-01 …). Malformed text is ``invalid_input``; an unknown village is the shared
``village_not_registered``."""

from __future__ import annotations

from domain.shared.errors import DomainError


class DisclosureError(DomainError):
    """A refusal of the disclosure context; the subclasses say which."""

    code = "disclosure_error"


class DisclosureNotFound(DisclosureError):
    """No disclosure with this id."""

    code = "disclosure_not_found"


class DisclosurePeriodInvalid(DisclosureError):
    """A period is a whole month ``YYYY-MM`` or quarter ``YYYY-Qn`` (D-01)."""

    code = "disclosure_period_invalid"


class DisclosurePeriodNotEnded(DisclosureError):
    """A running period (or one to come) is not disclosed: its figures are not final (D-01)."""

    code = "disclosure_period_not_ended"


class DisclosurePeriodNotScheduled(DisclosureError):
    """The kind of period (month or quarter) differs from the village's schedule in force on
    the period's last day (D-02)."""

    code = "disclosure_period_not_scheduled"


class DisclosureOpenExists(DisclosureError):
    """The village's period has an unpublished disclosure already: rebuild, review or
    publish that one (D-03)."""

    code = "disclosure_open_exists"


class DisclosurePublishedExists(DisclosureError):
    """The period is published already: a new edition must correct it, with a reason (D-04)."""

    code = "disclosure_published_exists"


class DisclosureCorrectionInvalid(DisclosureError):
    """A correction names the latest published disclosure of the same village and period (D-04)."""

    code = "disclosure_correction_invalid"


class DisclosureCorrectionReasonMissing(DisclosureError):
    """A correction says why (D-04)."""

    code = "disclosure_correction_reason_missing"


class DisclosureReviewMembersInvalid(DisclosureError):
    """A review names three to five distinct members of the finance group (D-05)."""

    code = "disclosure_review_members_invalid"


class DisclosureReviewDateInvalid(DisclosureError):
    """A review is held on or after the period's end and not after today (D-05)."""

    code = "disclosure_review_date_invalid"


class DisclosureApproved(DisclosureError):
    """An approved disclosure is not rebuilt nor reviewed again: publish it (D-06)."""

    code = "disclosure_approved"


class DisclosureNotApproved(DisclosureError):
    """Only a disclosure whose current figures the finance group approved is published (D-07)."""

    code = "disclosure_not_approved"


class DisclosurePublishDateInvalid(DisclosureError):
    """Published on or after the review, and not after today (D-07)."""

    code = "disclosure_publish_date_invalid"


class DisclosurePublished(DisclosureError):
    """A published disclosure is fixed: correct it with a new edition (D-08)."""

    code = "disclosure_published"


class ProjectionsBehind(DisclosureError):
    """The read models the figures come from did not stand at one position of the log; nothing
    was recorded and the same request may be sent again (D-09)."""

    code = "projections_behind"
