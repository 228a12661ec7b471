"""An event a projection cannot fold (here: text PostgreSQL cannot hold, recorded before the
boundary refused it) halts that projection visibly, and only it: the command that recorded it
is answered as recorded, later commands work, the other read models go on, and /healthz,
`qianwan check` and the log say what stopped where."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
import pytest

from api.app import create_app
from domain.meals.model.meal import Meal
from projections.checks import PROJECTIONS_FOLDING, check_projections_folding
from projections.meals.projection import MealsProjection
from projections.projection import Source
from qianwan.bootstrap import Registry
from tests.support import (
    ACCOUNTANT,
    OPERATOR,
    VILLAGE,
    enrol_elder,
    meal,
    meals_registry,
    refused,
    register_building,
    register_canteen,
)


def get(app: Any, path: str) -> httpx.Response:
    async def exchange() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://q.test") as client:
            return await client.get(path)

    return asyncio.run(exchange())


def test_a_nul_that_reached_the_log_halts_only_what_cannot_hold_it(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if not seeded.settings.is_postgres:
        pytest.skip("SQLite's text columns hold NUL: nothing to halt there")
    # As if recorded before the registry refused such text at its boundary and in the store.
    monkeypatch.setattr("domain.shared.mapper.check_values", lambda *_, **__: None, raising=False)
    monkeypatch.setattr("domain.shared.text.check_values", lambda *_, **__: None, raising=False)
    register_building(seeded.assets, "ZC-OK1")
    nul_event = seeded.store.last_notification_id() + 1

    poisoned = seeded.assets.register_asset(  # answered as recorded: it is
        VILLAGE,
        "ZC-NUL",
        "村部\x00旧楼",
        "collective_building",
        "320.5",
        "乌村桥村12号",
        date(2024, 1, 10),
        ACCOUNTANT,
    )
    assert seeded.assets.get(poisoned).name == "村部\x00旧楼"

    halted = seeded.runner.halted(fresh=True)
    assert halted, "PostgreSQL cannot store NUL in text: some projection must halt"
    assert {h.notification_id for h in halted.values()} == {nul_event}
    assert "HALTED at notification" in caplog.text
    later = register_building(seeded.assets, "ZC-OK2")  # later commands still work
    assert seeded.assets.get(later).name
    positions = seeded.runner.positions()
    last = seeded.store.last_notification_id()
    for name, position in positions.items():
        assert position == (nul_event - 1 if name in halted else last), name

    health = get(create_app(seeded), "/healthz")
    assert health.status_code == 503
    assert health.json()["status"] == "degraded"
    assert set(health.json()["haltedProjections"]) == set(halted)
    assert {v.check for v in check_projections_folding(halted)} == {PROJECTIONS_FOLDING}


def test_a_command_that_decides_from_a_halted_read_model_is_refused(
    seeded: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    meals = meals_registry(seeded)
    point = register_canteen(meals)
    elder = enrol_elder(meals, "张桂英", sequence="123")
    meals.record_meals(point, "b1", [meal("r1", elder, "2024-05-02 11:30")], OPERATOR)
    original = MealsProjection.handlers[Meal.Recorded]  # type: ignore[attr-defined]

    def failing(conn: Any, event: Any, source: Source) -> None:
        raise RuntimeError("a bug in the meal register")

    monkeypatch.setitem(MealsProjection.handlers, Meal.Recorded, failing)  # type: ignore[attr-defined]
    meals.record_meals(point, "b2", [meal("r2", elder, "2024-05-03 11:30")], OPERATOR)
    assert "meals" in seeded.runner.halted(fresh=True)

    with refused(seeded.store, "read_model_halted"):
        meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)

    monkeypatch.setitem(MealsProjection.handlers, Meal.Recorded, original)  # type: ignore[attr-defined]
    assert seeded.runner.resume(["meals"]) == ["meals"]
    seeded.runner.catch_up()
    assert meals.draft_settlement(point, "2024-05", date(2024, 6, 3), ACCOUNTANT)
