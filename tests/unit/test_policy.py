"""Policies as data: the value in force for a place on a day, and its history."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.assets.policy_keys import ASSET_KEYS, DEFAULT_RESOURCE_KINDS
from domain.books.policy_keys import BOOKS_KEYS
from domain.disclosure.policy_keys import DISCLOSURE_KEYS
from domain.land.policy_keys import LAND_KEYS
from domain.meals.policy_keys import MEAL_KEYS
from domain.policy.errors import PolicyKeyUnknown
from domain.policy.model import PolicySetting
from qianwan.bootstrap import policy_keys
from tests.conftest import Memory
from tests.support import (
    ADMIN,
    DISTRICT,
    OTHER_VILLAGE,
    TOWN,
    VILLAGE,
    refused,
    resolution,
)

THRESHOLD = "assets.public_bidding_threshold_yuan"
KINDS = "assets.resource_kinds"


def threshold(memory: Memory, place: str, on: date) -> str:
    return str(memory.policies.in_force(THRESHOLD, place, on).value)


def set_threshold(memory: Memory, jurisdiction: str, on: date, value: str) -> None:
    memory.policies.set_policy(THRESHOLD, jurisdiction, on, value, "溧水区文件", ADMIN)


def test_a_village_finds_the_national_list_of_resource_kinds(memory: Memory) -> None:
    policy = memory.policies.in_force(KINDS, VILLAGE, date(2024, 6, 1))
    assert (policy.jurisdiction, policy.effective_from, policy.source) == (
        "CN",
        date(2024, 1, 1),
        "docs/rules.md P-03",
    )
    assert [k["code"] for k in policy.value] == [k["code"] for k in DEFAULT_RESOURCE_KINDS]


def test_the_value_in_force_depends_on_the_date(memory: Memory) -> None:
    set_threshold(memory, DISTRICT, date(2025, 1, 1), "80000")

    assert threshold(memory, VILLAGE, date(2024, 12, 31)) == "50000.00"
    assert threshold(memory, VILLAGE, date(2025, 1, 1)) == "80000.00"
    assert threshold(memory, VILLAGE, date(2030, 1, 1)) == "80000.00"


def test_the_most_specific_jurisdiction_in_force_wins(memory: Memory) -> None:
    set_threshold(memory, TOWN, date(2024, 1, 1), "20000")
    set_threshold(memory, VILLAGE, date(2024, 6, 1), "10000")

    assert threshold(memory, VILLAGE, date(2024, 5, 31)) == "20000.00"  # village's not yet
    assert threshold(memory, VILLAGE, date(2024, 6, 1)) == "10000.00"
    assert threshold(memory, OTHER_VILLAGE, date(2024, 6, 1)) == "20000.00"
    assert threshold(memory, DISTRICT, date(2024, 6, 1)) == "50000.00"
    assert memory.policies.in_force(THRESHOLD, VILLAGE, date(2024, 6, 1)).jurisdiction == VILLAGE


def test_a_revision_on_the_same_date_supersedes_and_keeps_the_history(memory: Memory) -> None:
    set_threshold(memory, DISTRICT, date(2024, 1, 1), "60000")

    assert threshold(memory, VILLAGE, date(2024, 1, 1)) == "60000.00"
    setting_id = PolicySetting.create_id(THRESHOLD, DISTRICT)
    events = [type(e).__qualname__ for e in memory.store.events.get(setting_id)]
    assert events == ["PolicySetting.Adopted", "PolicySetting.Revised"]
    setting: PolicySetting = memory.store.repository.get(setting_id)
    assert [v.value for v in setting.versions] == ["50000.00", "60000.00"]


def test_setting_the_same_value_again_records_nothing(memory: Memory) -> None:
    before = memory.store.last_notification_id()

    setting_id = memory.policies.set_policy(
        THRESHOLD, DISTRICT, date(2024, 1, 1), "50000.00", "another source", ADMIN
    )

    assert setting_id == PolicySetting.create_id(THRESHOLD, DISTRICT)
    assert memory.store.last_notification_id() == before


def test_retrying_an_earlier_version_after_a_later_one_records_nothing(memory: Memory) -> None:
    set_threshold(memory, DISTRICT, date(2025, 1, 1), "80000")
    before = memory.store.last_notification_id()

    set_threshold(memory, DISTRICT, date(2024, 1, 1), "50000")
    set_threshold(memory, DISTRICT, date(2025, 1, 1), "80000")

    assert memory.store.last_notification_id() == before
    assert threshold(memory, VILLAGE, date(2025, 1, 1)) == "80000.00"


def test_nothing_is_in_force_before_the_first_effective_date(memory: Memory) -> None:
    with refused(memory.store, "policy_not_in_force"):
        memory.policies.in_force(THRESHOLD, VILLAGE, date(2023, 12, 31))


def test_an_unknown_policy_is_refused_and_nothing_recorded(memory: Memory) -> None:
    with refused(memory.store, "policy_key_unknown"):
        memory.policies.set_policy("assets.villa_quota", "CN", date(2024, 1, 1), "1", "x", ADMIN)
    with refused(memory.store, "policy_key_unknown"):
        memory.policies.in_force("assets.villa_quota", VILLAGE, date(2024, 1, 1))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (THRESHOLD, "abc"),
        (THRESHOLD, "-1"),
        (THRESHOLD, "1.001"),
        (THRESHOLD, "1e30"),
        (KINDS, []),
        (KINDS, "idle_farmhouse"),
        (KINDS, [{"code": "idle_farmhouse"}]),
        (KINDS, [DEFAULT_RESOURCE_KINDS[0], DEFAULT_RESOURCE_KINDS[0]]),
        (KINDS, [{**DEFAULT_RESOURCE_KINDS[0], "book_account": "501"}]),
    ],
    ids=repr,
)
def test_a_value_of_the_wrong_shape_is_refused_and_nothing_recorded(
    memory: Memory, key: str, value: Any
) -> None:
    with refused(memory.store, "policy_value_invalid"):
        memory.policies.set_policy(key, DISTRICT, date(2024, 1, 1), value, "x", ADMIN)


@pytest.mark.parametrize("jurisdiction", ["32011", "3201171", "CHINA", "cn", "３２０１１７", ""])
def test_a_jurisdiction_that_is_not_cn_or_a_place_code_is_refused(
    memory: Memory, jurisdiction: str
) -> None:
    with refused(memory.store, "jurisdiction_invalid"):
        memory.policies.set_policy(THRESHOLD, jurisdiction, date(2024, 1, 1), "1", "x", ADMIN)


def test_a_policy_needs_its_source(memory: Memory) -> None:
    with refused(memory.store, "invalid_input"):
        memory.policies.set_policy(THRESHOLD, DISTRICT, date(2025, 1, 1), "1", "  ", ADMIN)


def test_a_kind_struck_off_the_list_can_no_longer_be_registered_from_that_day(
    memory: Memory,
) -> None:
    without_farmhouses = [k for k in DEFAULT_RESOURCE_KINDS if k["code"] != "idle_farmhouse"]
    memory.policies.set_policy(KINDS, DISTRICT, date(2024, 7, 1), without_farmhouses, "x", ADMIN)

    def register(code: str, on: date) -> object:
        return memory.assets.register_asset(
            VILLAGE, code, "闲置农房", "idle_farmhouse", "90", "2组", on, ADMIN
        )

    register("NF-1", date(2024, 6, 30))
    with refused(memory.store, "resource_kind_not_allowed"):
        register("NF-2", date(2024, 7, 1))


def test_the_sale_ban_of_a_registered_homestead_survives_a_change_of_the_list(
    memory: Memory,
) -> None:
    asset_id = memory.assets.register_asset(
        VILLAGE, "ZJD-1", "闲置宅基地", "idle_homestead", "180", "3组", date(2024, 1, 10), ADMIN
    )
    memory.assets.confirm_rights(asset_id, "宅基地证-1", date(2024, 2, 1), ADMIN)
    sellable = [{**k, "sale_forbidden": False} for k in DEFAULT_RESOURCE_KINDS]
    memory.policies.set_policy(KINDS, "CN", date(2024, 2, 15), sellable, "a mistake", ADMIN)

    with refused(memory.store, "resource_kind_may_not_be_sold"):
        memory.assets.approve_revitalization(asset_id, "disposal", resolution(), ADMIN)


def test_the_bootstrap_registers_every_contexts_policy_keys_once() -> None:
    keys = policy_keys()
    every = (*ASSET_KEYS, *LAND_KEYS, *MEAL_KEYS, *BOOKS_KEYS, *DISCLOSURE_KEYS)
    assert list(keys) == [key.name for key in every]
    contexts = ("assets", "land", "calendar", "meals", "books", "disclosure")
    assert all(name.partition(".")[0] in contexts for name in keys)
    with pytest.raises(AssertionError):
        keys.register(ASSET_KEYS[0])
    with pytest.raises(PolicyKeyUnknown):
        keys.known("assets.unknown")
