"""Who pays for a meal: the most favourable category, the delivery supplement, the caps."""

from __future__ import annotations

from typing import Any

import pytest

from domain.meals.policy_keys import (
    DEFAULT_MEAL_PRICES,
    DEFAULT_MEAL_SUBSIDIES,
    parse_amounts_by_slot,
    parse_meal_subsidies,
)
from domain.meals.rules import MealPolicy
from domain.policy.errors import PolicyValueInvalid
from qianwan.bootstrap import policy_keys

POLICY_KEYS = policy_keys()  # as the bootstrap registers them

TOP_UP = {"breakfast_yuan": "0.50", "lunch_yuan": "1.00", "dinner_yuan": "1.00"}


@pytest.fixture
def policy() -> MealPolicy:
    return MealPolicy.from_values(
        parse_meal_subsidies(DEFAULT_MEAL_SUBSIDIES),
        parse_amounts_by_slot(TOP_UP),
        parse_amounts_by_slot(DEFAULT_MEAL_PRICES),
    )


def test_an_assisted_elder_gets_the_assisted_rate(policy: MealPolicy) -> None:
    split = policy.split(["dibao"], "lunch", False, 1200)
    assert split is not None
    assert (split.category, split.government_fen, split.collective_fen, split.elder_fen) == (
        "dibao",
        200,
        100,
        900,
    )


def test_the_most_favourable_category_applies_and_categories_do_not_stack(
    policy: MealPolicy,
) -> None:
    split = policy.split(["age_80", "care_dependent", "living_alone"], "breakfast", False, 400)
    assert split is not None
    assert (split.category, split.government_fen) == ("care_dependent", 100)


def test_a_tie_goes_to_the_category_listed_first(policy: MealPolicy) -> None:
    split = policy.split(["dibao", "tekun"], "dinner", False, 1000)
    assert split is not None and split.category == "tekun"


def test_delivery_adds_the_supplement_of_the_category_that_has_one(policy: MealPolicy) -> None:
    assisted = policy.split(["dibao", "age_90"], "dinner", True, 1000)
    aged = policy.split(["age_90"], "dinner", True, 1000)
    assert assisted is not None and aged is not None
    assert (assisted.category, assisted.government_fen) == ("dibao", 500)
    assert (aged.category, aged.government_fen) == ("age_90", 100)


def test_the_standard_price_applies_when_the_record_has_none(policy: MealPolicy) -> None:
    split = policy.split(["age_75"], "lunch", False, None)
    assert split is not None and split.price_fen == 1200


def test_subsidies_never_exceed_the_price_and_the_elder_never_pays_less_than_zero(
    policy: MealPolicy,
) -> None:
    split = policy.split(["dibao"], "dinner", True, 550)
    assert split is not None
    assert (split.government_fen, split.collective_fen, split.elder_fen) == (500, 50, 0)
    split = policy.split(["dibao"], "dinner", True, 300)
    assert split is not None
    assert (split.government_fen, split.collective_fen, split.elder_fen) == (300, 0, 0)


def test_a_category_the_table_does_not_list_makes_nobody_eligible(policy: MealPolicy) -> None:
    assert policy.split(["age_60", "living_alone"], "lunch", False, 1200) is None
    assert policy.split([], "lunch", False, 1200) is None


@pytest.mark.parametrize(
    "value",
    [
        [],
        [{"category": "nobody", "breakfast_yuan": "1", "lunch_yuan": "1", "dinner_yuan": "1"}],
        [{"category": "dibao", "breakfast_yuan": "1", "lunch_yuan": "1", "dinner_yuan": "1"}],
        [
            {
                "category": "dibao",
                "breakfast_yuan": 1.5,
                "lunch_yuan": "1",
                "dinner_yuan": "1",
                "delivery_yuan": "0",
            }
        ],
        DEFAULT_MEAL_SUBSIDIES + DEFAULT_MEAL_SUBSIDIES[:1],
    ],
)
def test_malformed_subsidy_tables_are_refused(value: Any) -> None:
    with pytest.raises(PolicyValueInvalid):
        POLICY_KEYS["meals.subsidy_yuan"].parse(value)


@pytest.mark.parametrize(
    "value",
    [
        {"breakfast_yuan": "1", "lunch_yuan": "1"},
        {"breakfast_yuan": "1", "lunch_yuan": "1", "dinner_yuan": "1", "supper_yuan": "1"},
        {"breakfast_yuan": "-1", "lunch_yuan": "1", "dinner_yuan": "1"},
        {"breakfast_yuan": "1.001", "lunch_yuan": "1", "dinner_yuan": "1"},
        "12",
    ],
)
def test_malformed_amounts_by_slot_are_refused(value: Any) -> None:
    for key in ("meals.collective_top_up_yuan", "meals.standard_price_yuan"):
        with pytest.raises(PolicyValueInvalid):
            POLICY_KEYS[key].parse(value)


def test_the_demo_defaults_parse_to_themselves() -> None:
    assert parse_meal_subsidies(DEFAULT_MEAL_SUBSIDIES) == DEFAULT_MEAL_SUBSIDIES
    assert parse_amounts_by_slot(DEFAULT_MEAL_PRICES) == DEFAULT_MEAL_PRICES
