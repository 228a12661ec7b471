"""Commands on disclosures (村务公开): drafted from the read models, rebuilt, reviewed by the
democratic finance group, published. Each command validates its input, looks up what its rules
read (today, the schedule in force, the period's other editions), lets the rules and the
aggregate check, then saves: either everything is recorded or nothing is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from domain.disclosure import rules
from domain.disclosure.errors import DisclosureNotFound
from domain.disclosure.figures import FigureSource
from domain.disclosure.model import Disclosure
from domain.disclosure.periods import Period, parse_period
from domain.disclosure.policy_keys import DEFAULT_SCHEDULE, SCHEDULE_KEY, Schedule
from domain.disclosure.vocabulary import EDITIONS_MAX, OPINION_LENGTH_MAX, REASON_LENGTH_MAX
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared.clock import Clock, business_date
from domain.shared.commands import get_or_none, get_or_refuse, translating_conflicts
from domain.shared.errors import InvalidInput, PolicyNotInForce
from domain.shared.eventstore import EventStore
from domain.shared.text import check_text
from domain.shared.values import Provenance, required_text


def optional_text(value: str | None, field: str, maximum: int) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check_text(required_text(value, field, maximum), field)


def is_yes_or_no(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{field} must be true or false", field=field)
    return value


class DisclosureApplication:
    """Disclosures of every village. ``figures``: builds a village's figures for a period from
    the read models (projections/disclosure_building.py). ``today``: the registry's business
    date."""

    def __init__(
        self,
        store: EventStore,
        places: ReferenceApplication,
        policies: PolicyApplication,
        figures: FigureSource,
        today: Callable[[], date] | None = None,
    ) -> None:
        self.store = store
        self.places = places
        self.policies = policies
        self.figures = figures
        self.today = today or Clock().today

    # -- reading ----------------------------------------------------------------------------

    def disclosure(self, disclosure_id: UUID) -> Disclosure:
        """The disclosure, or ``disclosure_not_found``."""
        return get_or_refuse(self.store, disclosure_id, Disclosure, DisclosureNotFound, "id")

    def editions(self, village_code: str, period: str) -> list[Disclosure]:
        """Every edition of the village's disclosure of the period, the first first."""
        found: list[Disclosure] = []
        for edition in range(1, EDITIONS_MAX + 1):
            one = get_or_none(
                self.store, Disclosure.create_id(village_code, period, edition), Disclosure
            )
            if one is None:
                break
            found.append(one)
        return found

    def schedule(self, village_code: str, on: date) -> Schedule:
        """The schedule in force for the village on ``on`` (docs/rules.md D-02); the default
        (monthly, 10 days) where no value was ever set for the place."""
        try:
            found = self.policies.in_force(SCHEDULE_KEY, village_code, on)
        except PolicyNotInForce:
            return Schedule(DEFAULT_SCHEDULE["frequency"], DEFAULT_SCHEDULE["due_days"])
        value = found.value
        return Schedule(value["frequency"], value["due_days"], found.effective_from)

    # -- commands ---------------------------------------------------------------------------

    def draft(
        self,
        village_code: str,
        period: str,
        corrects: UUID | None,
        reason: str | None,
        by: Provenance,
    ) -> UUID:
        """Draft the village's disclosure of an ended period, its figures built from the read
        models (docs/rules.md D-01 … D-04, D-09)."""
        village = self.places.village(village_code)
        parsed: Period = parse_period(period)
        reason = optional_text(reason, "reason", REASON_LENGTH_MAX)
        if corrects is None and reason is not None:
            raise InvalidInput("a reason is given only with a correction", field="reason")
        rules.check_period_ended(parsed, self.today())
        rules.check_period_scheduled(parsed, self.schedule(village.code, parsed.end).period_kind)
        editions = self.editions(village.code, parsed.text)
        latest = editions[-1] if editions else None
        rules.check_edition(
            latest.state if latest else None, latest.id if latest else None, corrects, reason
        )
        edition = len(editions) + 1
        if edition > EDITIONS_MAX:
            raise InvalidInput(f"at most {EDITIONS_MAX} editions of a period", field="corrects")
        built = self.figures(village.code, parsed)
        disclosure = Disclosure(
            village_code=village.code,
            period=parsed.text,
            period_start=parsed.start,
            period_end=parsed.end,
            edition=edition,
            corrects=corrects,
            reason=reason,
            figures=built.figures,
            seal_position=built.seal_position,
            seal_root=built.seal_root,
            actor=by.actor,
            authority=by.authority,
        )
        with translating_conflicts():
            self.store.save(disclosure)
        return disclosure.id

    def rebuild(self, disclosure_id: UUID, by: Provenance) -> None:
        """Build the figures again from the read models as they stand (docs/rules.md D-06)."""
        disclosure = self.disclosure(disclosure_id)
        rules.check_rebuildable(disclosure.state)
        period = parse_period(disclosure.period)
        built = self.figures(disclosure.village_code, period)
        disclosure.rebuild(built.figures, built.seal_position, built.seal_root, by)
        with translating_conflicts():
            self.store.save(disclosure)

    def review(
        self,
        disclosure_id: UUID,
        held_on: date,
        members: list[str],
        approved: bool,
        opinion: str | None,
        by: Provenance,
    ) -> None:
        """Record the finance group's review of the current figures (docs/rules.md D-05)."""
        disclosure = self.disclosure(disclosure_id)
        held_on = business_date(held_on, "held_on")
        disclosure.review(
            held_on,
            members,
            is_yes_or_no(approved, "approved"),
            optional_text(opinion, "opinion", OPINION_LENGTH_MAX),
            self.today(),
            by,
        )
        with translating_conflicts():
            self.store.save(disclosure)

    def publish(self, disclosure_id: UUID, published_on: date, by: Provenance) -> None:
        """Publish the approved figures for the villagers (docs/rules.md D-07, D-08)."""
        disclosure = self.disclosure(disclosure_id)
        published_on = business_date(published_on, "published_on")
        disclosure.publish(published_on, self.today(), by)
        with translating_conflicts():
            self.store.save(disclosure)
