"""``qianwan settle PLACE MONTH`` on both storages: one line per meal point, a retry that
records nothing, and every refusal ``error: [code] message`` with exit 2 and nothing recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from scripts.cli import main
from tests.conftest import settings_env
from tests.support import (
    OPERATOR,
    OTHER_VILLAGE,
    TOWN,
    enrol_elder,
    meal,
    meals_registry,
    register_canteen,
    seed_places,
)

MAY = [date(2024, 5, 1) + timedelta(n) for n in range(31)]


@pytest.fixture
def town(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    """A canteen served in May and one that served nothing, in the test town."""
    settings_env(settings, monkeypatch)
    registry = bootstrap(settings)
    seed_places(registry.places, registry.policies)
    meals = meals_registry(registry)
    point = register_canteen(meals)
    register_canteen(meals, "ST-09", village=OTHER_VILLAGE)
    elder = enrol_elder(meals)
    for day in MAY:
        record = meal(f"{day}", elder, f"{day} 11:30")
        assert meals.record_meals(point, f"{day}", [record], OPERATOR).refused_count == 0
    yield registry
    registry.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_town_is_settled_in_one_command_and_a_retry_records_nothing(
    town: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "settle", TOWN, "2024-05", "--on", "2024-06-03")
    assert (code, err) == (0, ""), err
    first, second, summary = out.splitlines()
    assert first.startswith("drafted") and "31 meals, 0 clawbacks" in first
    assert second.startswith("refused") and "[settlement_has_no_meals]" in second
    assert summary == "1 drafted, 1 refused"
    before = town.store.last_notification_id()

    code, out, _ = run(capsys, "settle", TOWN, "2024-05", "--on", "2024-06-03", "--json")

    assert code == 0
    assert [(o["status"], o["meals"]) for o in json.loads(out)] == [
        ("unchanged", 31),
        ("refused", 0),
    ]
    assert town.store.last_notification_id() == before


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("2024-05", "--on", "2024-05-31"), "settlement_month_not_ended"),
        (("2024-13", "--on", "2024-06-03"), "invalid_input"),
        (("2024-05", "--on", "2024-06-03", "--place", "320117108"), "meal_point_not_found"),
    ],
)
def test_a_refusal_is_one_line_and_records_nothing(
    town: Registry, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], code: str
) -> None:
    place = TOWN
    if "--place" in argv:
        place, argv = argv[-1], argv[:-2]
    before = town.store.last_notification_id()

    exit_code, out, err = run(capsys, "settle", place, *argv)

    assert (exit_code, out) == (2, "")
    assert err.startswith(f"error: [{code}] ") and err.count("\n") == 1, err
    assert town.store.last_notification_id() == before
