"""The rules of disclosures (村务公开) on the in-memory store, with figures given: each refusal
has its code and records nothing (docs/rules.md D-01 … D-08)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.auth.permissions import EVERYONE, READ_PLACES, READ_PUBLISHED, READ_RECORDS
from api.auth.public import PUBLIC_PRINCIPAL
from domain.access.application import AccessApplication
from domain.access.roles import ROLES, Role
from domain.disclosure.application import DisclosureApplication
from domain.disclosure.figures import BuiltFigures
from domain.disclosure.model import Disclosure
from domain.disclosure.periods import Period, parse_period, period_containing
from domain.disclosure.policy_keys import parse_schedule
from domain.policy.errors import PolicyValueInvalid
from tests.conftest import Memory
from tests.support import ACCOUNTANT, ADMIN, OTHER_VILLAGE, VILLAGE, refused

TODAY = date(2026, 5, 10)
MEMBERS = ["王一", "李二", "张三"]


class Figures:
    """A figure source that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, village_code: str, period: Period) -> BuiltFigures:
        self.calls += 1
        return BuiltFigures({"built": self.calls, "period": period.text}, 7, "ab" * 32)


@pytest.fixture
def app(memory: Memory) -> DisclosureApplication:
    return DisclosureApplication(
        memory.store, memory.places, memory.policies, Figures(), lambda: TODAY
    )


def approved(app: DisclosureApplication, period: str = "2026-03") -> UUID:
    made = app.draft(VILLAGE, period, None, None, ACCOUNTANT)
    app.review(made, date(2026, 4, 3), MEMBERS, True, "同意", ACCOUNTANT)
    return made


def test_the_id_is_of_village_period_and_edition(app: DisclosureApplication) -> None:
    made = app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    assert made == Disclosure.create_id(VILLAGE, "2026-03", 1)
    found = app.disclosure(made)
    assert (found.period_start, found.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert (found.seal_position, found.figures["built"]) == (7, 1)


@pytest.mark.parametrize(
    ("period", "code"),
    [
        ("2026-05", "disclosure_period_not_ended"),
        ("2026-Q2", "disclosure_period_not_ended"),
        ("2027-01", "disclosure_period_not_ended"),
        ("2026-13", "disclosure_period_invalid"),
        ("2026-Q5", "disclosure_period_invalid"),
        ("2026-3", "disclosure_period_invalid"),
        ("2999-12", "disclosure_period_invalid"),
        ("", "disclosure_period_invalid"),
        ("2026-01", None),
    ],
)
def test_only_an_ended_month_or_quarter(
    app: DisclosureApplication, period: str, code: str | None
) -> None:
    if code is None:
        app.draft(VILLAGE, period, None, None, ACCOUNTANT)
        return
    with refused(app.store, code):
        app.draft(VILLAGE, period, None, None, ACCOUNTANT)


def test_the_kind_of_period_follows_the_schedule_in_force(
    app: DisclosureApplication, memory: Memory
) -> None:
    with refused(app.store, "disclosure_period_not_scheduled"):
        app.draft(VILLAGE, "2026-Q1", None, None, ACCOUNTANT)
    schedule = {"frequency": "quarterly", "due_days": 15}
    memory.policies.set_policy(
        "disclosure.schedule", VILLAGE, date(2026, 1, 1), schedule, "决议", ADMIN
    )
    with refused(app.store, "disclosure_period_not_scheduled"):
        app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    app.draft(VILLAGE, "2026-Q1", None, None, ACCOUNTANT)
    assert app.schedule(VILLAGE, date(2026, 3, 31)).due_days == 15
    assert app.schedule(OTHER_VILLAGE, date(2026, 3, 31)).frequency == "monthly"


@pytest.mark.parametrize(
    "value",
    [None, [], {"frequency": "weekly", "due_days": 10}, {"frequency": "monthly", "due_days": -1},
     {"frequency": "monthly", "due_days": True}, {"frequency": "monthly", "due_days": 91},
     {"frequency": "monthly"}],
)  # fmt: skip
def test_a_malformed_schedule_is_refused(value: Any) -> None:
    with pytest.raises(PolicyValueInvalid):
        parse_schedule(value)


def test_an_unknown_village_is_refused(app: DisclosureApplication) -> None:
    with refused(app.store, "village_not_registered"):
        app.draft("320117107999", "2026-03", None, None, ACCOUNTANT)
    with refused(app.store, "village_code_invalid"):
        app.draft("x", "2026-03", None, None, ACCOUNTANT)


def test_one_open_disclosure_and_corrections_of_the_published_one(
    app: DisclosureApplication,
) -> None:
    first = app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    with refused(app.store, "disclosure_open_exists"):
        app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    with refused(app.store, "disclosure_open_exists"):
        app.draft(VILLAGE, "2026-03", first, "改", ACCOUNTANT)
    app.review(first, date(2026, 4, 3), MEMBERS, True, None, ACCOUNTANT)
    app.publish(first, date(2026, 4, 4), ACCOUNTANT)
    with refused(app.store, "disclosure_published_exists"):
        app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    with refused(app.store, "disclosure_correction_reason_missing"):
        app.draft(VILLAGE, "2026-03", first, "  ", ACCOUNTANT)
    with refused(app.store, "disclosure_correction_invalid"):
        app.draft(VILLAGE, "2026-03", uuid4(), "改", ACCOUNTANT)
    with refused(app.store, "invalid_input"):
        app.draft(VILLAGE, "2026-02", None, "无更正的原因", ACCOUNTANT)
    with refused(app.store, "text_contains_forbidden_character"):
        app.draft(VILLAGE, "2026-03", first, "改\x00", ACCOUNTANT)
    second = app.draft(VILLAGE, "2026-03", first, "漏记", ACCOUNTANT)
    found = app.disclosure(second)
    assert (found.edition, found.corrects, found.reason) == (2, first, "漏记")
    assert [d.edition for d in app.editions(VILLAGE, "2026-03")] == [1, 2]
    app.review(second, date(2026, 4, 5), MEMBERS, True, None, ACCOUNTANT)
    app.publish(second, date(2026, 4, 5), ACCOUNTANT)
    with refused(app.store, "disclosure_correction_invalid"):  # no longer the latest one
        app.draft(VILLAGE, "2026-03", first, "再改", ACCOUNTANT)
    app.draft(VILLAGE, "2026-03", second, "再改", ACCOUNTANT)


@pytest.mark.parametrize(
    ("members", "held_on", "code"),
    [
        (["王一", "李二"], date(2026, 4, 3), "disclosure_review_members_invalid"),
        (list("一二三四五六"), date(2026, 4, 3), "disclosure_review_members_invalid"),
        (["王一", "王一", "李二"], date(2026, 4, 3), "disclosure_review_members_invalid"),
        (["王一", " ", "李二"], date(2026, 4, 3), "disclosure_review_members_invalid"),
        (["王一", "李二", "x" * 51], date(2026, 4, 3), "disclosure_review_members_invalid"),
        ("王一李二张三", date(2026, 4, 3), "disclosure_review_members_invalid"),
        (["王一", "李二", "张\x00三"], date(2026, 4, 3), "text_contains_forbidden_character"),
        (MEMBERS, date(2026, 3, 30), "disclosure_review_date_invalid"),
        (MEMBERS, date(2026, 5, 11), "disclosure_review_date_invalid"),
        (MEMBERS, date(1, 1, 1), "date_out_of_range"),
    ],
)  # fmt: skip
def test_a_review_names_three_to_five_members_after_the_period(
    app: DisclosureApplication, members: Any, held_on: date, code: str
) -> None:
    made = app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    with refused(app.store, code):
        app.review(made, held_on, members, True, None, ACCOUNTANT)


def test_publish_only_after_an_approving_review_then_fixed(app: DisclosureApplication) -> None:
    made = app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    with refused(app.store, "disclosure_not_approved"):
        app.publish(made, date(2026, 4, 5), ACCOUNTANT)
    app.review(made, date(2026, 4, 3), MEMBERS, False, "再核", ACCOUNTANT)
    assert app.disclosure(made).state == "rejected"
    with refused(app.store, "disclosure_not_approved"):
        app.publish(made, date(2026, 4, 5), ACCOUNTANT)
    app.review(made, date(2026, 4, 4), MEMBERS, True, None, ACCOUNTANT)
    with refused(app.store, "disclosure_approved"):
        app.rebuild(made, ACCOUNTANT)
    with refused(app.store, "disclosure_approved"):
        app.review(made, date(2026, 4, 4), MEMBERS, True, None, ACCOUNTANT)
    with refused(app.store, "disclosure_publish_date_invalid"):
        app.publish(made, date(2026, 4, 3), ACCOUNTANT)
    with refused(app.store, "disclosure_publish_date_invalid"):
        app.publish(made, date(2026, 5, 11), ACCOUNTANT)
    app.publish(made, date(2026, 4, 5), ACCOUNTANT)
    commands: tuple[Callable[[], None], ...] = (
        lambda: app.publish(made, date(2026, 4, 6), ACCOUNTANT),
        lambda: app.review(made, date(2026, 4, 6), MEMBERS, True, None, ACCOUNTANT),
        lambda: app.rebuild(made, ACCOUNTANT),
    )
    for command in commands:
        with refused(app.store, "disclosure_published"):
            command()


def test_a_rebuild_voids_the_review(app: DisclosureApplication) -> None:
    made = app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    app.review(made, date(2026, 4, 3), MEMBERS, False, "再核", ACCOUNTANT)
    app.rebuild(made, ACCOUNTANT)
    found = app.disclosure(made)
    assert (found.state, found.held_on, found.members, found.figures["built"]) == (
        "drafted", None, [], 2,
    )  # fmt: skip
    with refused(app.store, "disclosure_not_approved"):
        app.publish(made, date(2026, 4, 5), ACCOUNTANT)


def test_unknown_ids_and_hostile_values(app: DisclosureApplication) -> None:
    commands: tuple[Callable[[], None], ...] = (
        lambda: app.rebuild(uuid4(), ACCOUNTANT),
        lambda: app.publish(uuid4(), date(2026, 4, 5), ACCOUNTANT),
        lambda: app.review(uuid4(), date(2026, 4, 5), MEMBERS, True, None, ACCOUNTANT),
    )
    for command in commands:
        with refused(app.store, "disclosure_not_found"):
            command()
    made = app.draft(VILLAGE, "2026-03", None, None, ACCOUNTANT)
    with refused(app.store, "invalid_input"):
        app.review(made, date(2026, 4, 3), MEMBERS, "yes", None, ACCOUNTANT)  # type: ignore[arg-type]
    with refused(app.store, "invalid_input"):
        app.review(made, date(2026, 4, 3), MEMBERS, True, "x" * 1001, ACCOUNTANT)


def test_periods_and_their_days() -> None:
    assert parse_period("2024-02").end == date(2024, 2, 29)
    assert parse_period("2026-Q4").start == date(2026, 10, 1)
    assert parse_period("2026-Q4").end == date(2026, 12, 31)
    assert parse_period("2026-Q4").next().text == "2027-Q1"
    assert period_containing(date(2026, 8, 31), "quarter").text == "2026-Q3"
    assert parse_period("1800-01").start == date(1800, 1, 1)


def test_no_token_carries_the_public_role(memory: Memory) -> None:
    access = AccessApplication(memory.store, memory.places, today=lambda: TODAY)
    for villages in ([], [VILLAGE]):
        with refused(memory.store, "role_not_assignable"):
            access.issue_token("public", villages, "匿名", ADMIN)
    assert "public" not in ROLES and Role.PUBLIC not in EVERYONE
    assert READ_PUBLISHED.roles == frozenset(Role) and Role.PUBLIC in READ_PLACES.roles
    assert not READ_RECORDS.allows_role(Role.PUBLIC)
    assert PUBLIC_PRINCIPAL.role is Role.PUBLIC and not PUBLIC_PRINCIPAL.scoped
