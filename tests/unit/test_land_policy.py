"""The policies of land entering the market and the working-day calendar: their parsers refuse
malformed values (nothing recorded), the defaults parse, and values are found by place and date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.land.policy_keys import (
    DEFAULT_PUBLIC_HOLIDAYS,
    DEFAULT_TERM_YEARS_MAX,
    DEMO_LISHUI_ADJUSTMENT_FUND,
    LAND_POLICY_DEFAULTS,
)
from domain.meals.policy_keys import DEFAULT_MEAL_PRICES
from qianwan.bootstrap import policy_keys
from tests.conftest import Memory
from tests.support import ADMIN, DISTRICT, VILLAGE, refused, seed_land_policies

POLICY_KEYS = policy_keys()  # as the bootstrap registers them

FUND = DEMO_LISHUI_ADJUSTMENT_FUND
BAD_VALUES = [
    pytest.param("land.adjustment_fund", {**FUND, "rate": "0.19"}, id="a rate below 20%"),
    pytest.param("land.adjustment_fund", {**FUND, "rate": "0.51"}, id="a rate above 50%"),
    pytest.param("land.adjustment_fund", {**FUND, "rate": 0.3}, id="a rate as a float"),
    pytest.param("land.adjustment_fund", {**FUND, "rate": "0.30001"}, id="a rate of 5 decimals"),
    pytest.param("land.adjustment_fund", {**FUND, "rate": "thirty"}, id="a rate not a number"),
    pytest.param("land.adjustment_fund", {**FUND, "rate": "1E+999999999"}, id="a rate of 10^1e9"),
    pytest.param("land.adjustment_fund", {**FUND, "rate": "1E-999999999"}, id="a rate of 1e-1e9"),
    pytest.param(
        "land.adjustment_fund",
        {**FUND, "rate_by_use": {"commercial": "-1E+999999999"}},
        id="a rate for a use of −10^1e9",
    ),
    pytest.param("land.adjustment_fund", {**FUND, "base": "net_profit"}, id="an unknown base"),
    pytest.param(
        "land.adjustment_fund",
        {**FUND, "rate_by_use": {"commercial": "0.55"}},
        id="a rate for a use above 50%",
    ),
    pytest.param(
        "land.adjustment_fund",
        {**FUND, "rate_by_use": {"homestead": "0.30"}},
        id="a rate for a use that never enters the market",
    ),
    pytest.param("land.adjustment_fund", "0.30", id="a rate without its base"),
    pytest.param(
        "land.term_years_max",
        {k: v for k, v in DEFAULT_TERM_YEARS_MAX.items() if k != "tourism"},
        id="term maxima without tourism",
    ),
    pytest.param(
        "land.term_years_max", {**DEFAULT_TERM_YEARS_MAX, "commercial": 71}, id="a term of 71"
    ),
    pytest.param(
        "land.term_years_max", {**DEFAULT_TERM_YEARS_MAX, "commercial": "40"}, id="years as text"
    ),
    pytest.param(
        "land.term_years_max", {**DEFAULT_TERM_YEARS_MAX, "villa": 70}, id="an unknown use"
    ),
    pytest.param("land.private_agreement_uses", ["homestead"], id="agreement for homesteads"),
    pytest.param(
        "land.private_agreement_uses", ["infrastructure", "infrastructure"], id="a use twice"
    ),
    pytest.param("land.private_agreement_uses", "infrastructure", id="a use not in a list"),
    pytest.param("land.filing_period_working_days_min", 0, id="a filing period of no days"),
    pytest.param("land.filing_period_working_days_min", "10", id="a filing period as text"),
    pytest.param(
        "calendar.public_holidays",
        {"holidays": [], "working_weekends": ["2024-10-08"]},
        id="a Tuesday as a working weekend",
    ),
    pytest.param(
        "calendar.public_holidays",
        {"holidays": ["2024-02-18"], "working_weekends": ["2024-02-18"]},
        id="a day both holiday and working day",
    ),
    pytest.param("calendar.public_holidays", {"holidays": ["2024-13-01"]}, id="not a date"),
    pytest.param("calendar.public_holidays", {"holidays": ["0001-01-01"]}, id="year 1"),
    pytest.param("calendar.public_holidays", {"holidays": ["9999-12-31"]}, id="year 9999"),
    pytest.param(
        "meals.standard_price_yuan",
        {**DEFAULT_MEAL_PRICES, "lunch_yuan": "1E+999999999"},
        id="a price of 10^1e9",
    ),
    pytest.param("assets.public_bidding_threshold_yuan", "-1E+999999999", id="a threshold −10^1e9"),
    pytest.param(
        "calendar.public_holidays", {"holidays": ["2024-10-01", "2024-10-01"]}, id="a day twice"
    ),
]


@pytest.mark.parametrize(("key", "value"), BAD_VALUES)
def test_a_malformed_policy_value_is_refused_and_nothing_recorded(
    memory: Memory, key: str, value: Any
) -> None:
    with refused(memory.store, "policy_value_invalid"):
        memory.policies.set_policy(key, DISTRICT, date(2024, 1, 1), value, "test", ADMIN)


@pytest.mark.parametrize("rate", ["0.20", "0.5", "0.3333"])
def test_rates_from_20_to_50_percent_are_accepted(memory: Memory, rate: str) -> None:
    memory.policies.set_policy(
        "land.adjustment_fund", DISTRICT, date(2024, 1, 1), {**FUND, "rate": rate}, "t", ADMIN
    )
    value = memory.policies.in_force("land.adjustment_fund", VILLAGE, date(2024, 6, 1)).value
    assert value["rate"] == rate


def test_every_default_parses_to_itself_and_adopting_them_twice_records_nothing(
    memory: Memory,
) -> None:
    for key, _, _, value, _ in LAND_POLICY_DEFAULTS:
        assert POLICY_KEYS[key].parse(value) == value
    seed_land_policies(memory.policies)
    before = memory.store.last_notification_id()
    seed_land_policies(memory.policies)
    assert memory.store.last_notification_id() == before


def test_the_defaults_are_national_except_the_demo_adjustment_fund(memory: Memory) -> None:
    seed_land_policies(memory.policies)
    found = {
        key: memory.policies.in_force(key, VILLAGE, date(2024, 6, 1)).jurisdiction
        for key, *_ in LAND_POLICY_DEFAULTS
    }
    assert found == {
        "land.term_years_max": "CN",
        "land.private_agreement_uses": "CN",
        "land.filing_period_working_days_min": "CN",
        "calendar.public_holidays": "CN",
        "land.adjustment_fund": DISTRICT,
    }
    with refused(memory.store, "policy_not_in_force"):
        memory.policies.in_force("land.adjustment_fund", "320118001001", date(2024, 6, 1))


def test_the_holiday_calendar_lists_2024_and_2025() -> None:
    holidays = DEFAULT_PUBLIC_HOLIDAYS["holidays"]
    assert "2024-10-07" in holidays and "2025-10-08" in holidays
    assert len(DEFAULT_PUBLIC_HOLIDAYS["working_weekends"]) == 13
