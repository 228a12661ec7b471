"""A disclosure of a village collective's finances (村务公开) for one month or quarter.

Disclosure: drafted (its figures built from the read models at one position of the log, with
the seal's root there) → reviewed by the democratic finance group (民主理财小组): approved, or
rejected (then rebuilt or reviewed again) → published, after which it is fixed; a correction is
a new edition naming the one it corrects. Its id is deterministic of (village, period, edition).

The public commands check their rules (domain/disclosure/rules.py) before they trigger an event;
the private ``@event`` methods only apply their change (they run on every replay, so they never
raise and never read the clock); their names and parameters are the stored events' topics and
fields (domain.disclosure.model:Disclosure.<Event>), never to be changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.disclosure import rules
from domain.disclosure.vocabulary import DRAFTED, PUBLISHED, REJECTED, REVIEWED
from domain.shared.aggregate import QianwanAggregate
from domain.shared.values import Provenance, deterministic_id


class Disclosure(QianwanAggregate):
    """One edition of a village's disclosure of one period."""

    @staticmethod
    def create_id(village_code: str, period: str, edition: int) -> UUID:
        return deterministic_id("disclosure", village_code, period, str(edition))

    @event("Drafted")
    def __init__(
        self,
        village_code: str,
        period: str,
        period_start: date,
        period_end: date,
        edition: int,
        corrects: UUID | None,
        reason: str | None,
        figures: dict[str, Any],
        seal_position: int,
        seal_root: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """period: "YYYY-MM" or "YYYY-Qn", from period_start to period_end. edition: 1, or the
        correction's number; corrects: the published edition it corrects (reason: why), else
        None. figures: JSON-able, money as strings of yuan (docs/disclosure.md). seal_position:
        the notification id the figures were built at; seal_root: the seal's root there (hex)."""
        self.village_code = village_code
        self.period = period
        self.period_start = period_start
        self.period_end = period_end
        self.edition = edition
        self.corrects = corrects
        self.reason = reason
        self.figures = figures
        self.seal_position = seal_position
        self.seal_root = seal_root
        self.state = DRAFTED
        self.held_on: date | None = None
        self.members: list[str] = []
        self.opinion: str | None = None
        self.published_on: date | None = None

    # -- commands ---------------------------------------------------------------------------

    def rebuild(
        self, figures: dict[str, Any], seal_position: int, seal_root: str, by: Provenance
    ) -> None:
        """docs/rules.md D-06: new figures while no review approved them; a review is needed
        again."""
        rules.check_rebuildable(self.state)
        self._rebuilt(
            figures=figures,
            seal_position=seal_position,
            seal_root=seal_root,
            actor=by.actor,
            authority=by.authority,
        )

    def review(
        self,
        held_on: date,
        members: list[str],
        approved: bool,
        opinion: str | None,
        today: date,
        by: Provenance,
    ) -> None:
        """docs/rules.md D-05, D-06: the finance group's review of the current figures."""
        rules.check_reviewable(self.state)
        names = rules.check_members(members)
        rules.check_review_date(held_on, self.period_end, today)
        self._reviewed(
            held_on=held_on,
            members=names,
            approved=approved,
            opinion=opinion,
            actor=by.actor,
            authority=by.authority,
        )

    def publish(self, published_on: date, today: date, by: Provenance) -> None:
        """docs/rules.md D-07, D-08."""
        rules.check_publishable(self.state, self.held_on, published_on, today)
        self._published(published_on=published_on, actor=by.actor, authority=by.authority)

    # -- events ---------------------------------------------------------------------------

    @event("Rebuilt")
    def _rebuilt(
        self,
        figures: dict[str, Any],
        seal_position: int,
        seal_root: str,
        actor: str,
        authority: str | None,
    ) -> None:
        """The figures built again at a later position of the log; any review is void."""
        self.figures = figures
        self.seal_position = seal_position
        self.seal_root = seal_root
        self.state = DRAFTED
        self.held_on = None
        self.members = []
        self.opinion = None

    @event("Reviewed")
    def _reviewed(
        self,
        held_on: date,
        members: list[str],
        approved: bool,
        opinion: str | None,
        actor: str,
        authority: str | None,
    ) -> None:
        """held_on: the day the group met; members: who reviewed (3–5 names); approved: whether
        the figures may be published; opinion: what the group said, if anything."""
        self.held_on = held_on
        self.members = list(members)
        self.opinion = opinion
        self.state = REVIEWED if approved else REJECTED

    @event("Published")
    def _published(self, published_on: date, actor: str, authority: str | None) -> None:
        """published_on: the day it was posted for the villagers."""
        self.published_on = published_on
        self.state = PUBLISHED
