"""The demo district: 溧水区 with its 8 towns and streets, 32 villages, the policies the assets
need, and a few dozen revitalized assets carried through their lifecycle (invented demo data);
the land policies and parcels entering the market come from scripts/demo_land.py, elderly
meal assistance (meal points, elders, three months of meals, settlements) from demo_meals.py,
and a few ordinary vouchers per village with 2025 closed into 2026 from demo_books.py.

Everything is recorded through the applications, never by writing tables, so the demo obeys
every domain rule a real village would. Loading is idempotent and resumable: places and policies
are created once by natural key, and each asset resumes after the last step it has recorded
(every step of ``lishui_assets.json`` records exactly one event, so an asset at version ``v``
has done its registration and ``v - 1`` steps).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from tqdm import tqdm

from domain.assets.application import AssetApplication, ContractInput, InstallmentInput
from domain.assets.errors import AssetNotFound
from domain.assets.policy_keys import DEFAULT_RESOURCE_KINDS
from domain.reference.application import TownInput, VillageInput
from domain.shared.errors import DomainError
from domain.shared.values import NATIONAL, Provenance
from qianwan.bootstrap import Registry
from scripts.demo_books import books_demo_loaded, load_books_demo, planned_books_events
from scripts.demo_disclosure import (
    disclosure_demo_loaded,
    load_disclosure_demo,
    planned_disclosure_events,
)
from scripts.demo_land import land_demo_loaded, load_land_demo, planned_land_events, read_land
from scripts.demo_meals import load_meals_demo, meals_demo_loaded, planned_meal_events

DEMO_DATA = Path(__file__).parent / "demo_data"
PLACES_FILE = DEMO_DATA / "lishui_places.json"
ASSETS_FILE = DEMO_DATA / "lishui_assets.json"

POLICIES_EFFECTIVE_FROM = date(2024, 1, 1)
BIDDING_THRESHOLD_YUAN = "50000"
ADMIN = Provenance("admin:320117", "溧水区农村集体资产演示数据（demo）")

# The AssetApplication methods a step may name; every one records exactly one event.
STEP_METHODS = frozenset(
    {
        "confirm_rights",
        "appraise",
        "approve_revitalization",
        "record_rejection",
        "list_for_bidding",
        "sign_contract",
        "renew_contract",
        "terminate_contract",
        "invoice_rent",
        "receive_rent",
        "mark_in_arrears",
        "dispose",
    }
)
_DATE_KEYS = frozenset({"as_of", "covers_from", "covers_to"})
_NOT_ARGUMENTS = frozenset({"do", "authority"})


@dataclass(frozen=True)
class DemoSummary:
    villages: int  # villages in the demo district
    assets: int  # demo assets
    events: int  # events recorded by this load (0 when the demo was loaded before)
    seconds: float


def read_places() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    return data


def read_assets() -> list[dict[str, Any]]:
    assets: list[dict[str, Any]] = json.loads(ASSETS_FILE.read_text(encoding="utf-8"))["assets"]
    return assets


def planned_events(places: dict[str, Any], assets: list[dict[str, Any]]) -> int:
    """How many events the whole demo records into an empty store."""
    towns = places["towns"]
    villages = sum(len(t["villages"]) for t in towns)
    policies = 2
    return 1 + len(towns) + villages + policies + sum(1 + len(a["steps"]) for a in assets)


def all_planned_events() -> int:
    """How many events the whole demo (places, assets, land, meals, books) records into an empty
    store."""
    places = read_places()
    return (
        planned_events(places, read_assets())
        + planned_land_events(read_land())
        + planned_meal_events()
        + planned_books_events(places)
        + planned_disclosure_events(places)
    )


def load_demo(registry: Registry, progress: bool = True) -> DemoSummary:
    """Record the demo district; what is recorded already is skipped. Returns the counts."""
    started = time.perf_counter()
    before = registry.store.last_notification_id()
    places, assets = read_places(), read_assets()
    with tqdm(
        total=planned_events(places, assets),
        desc="demo district",
        unit="fact",
        file=sys.stderr,
        disable=not progress,
    ) as bar:
        load_places(registry, places, bar)
        load_policies(registry, bar)
        for asset in assets:
            load_asset(registry.assets, asset, bar)
    load_land_demo(registry, progress)  # the land policies and the demo parcels (入市)
    load_meals_demo(registry, progress)  # meal points, elders, meals, settlements (助餐)
    load_books_demo(registry, places, progress)  # vouchers, 2025 closed (凭证与结账)
    load_disclosure_demo(registry, places, progress)  # published disclosures (村务公开)
    registry.runner.catch_up()  # when the registry was bootstrapped without read-your-writes
    return DemoSummary(
        villages=sum(len(t["villages"]) for t in places["towns"]),
        assets=len(assets),
        events=registry.store.last_notification_id() - before,
        seconds=time.perf_counter() - started,
    )


def demo_loaded(registry: Registry) -> bool:
    """True when every demo asset and parcel has recorded all of its steps, every demo meal
    point has its last settlement, and every village has closed 2025."""
    assets_done = all(
        asset_version(registry.assets, a) == 1 + len(a["steps"]) for a in read_assets()
    )
    return (
        assets_done
        and land_demo_loaded(registry)
        and meals_demo_loaded(registry)
        and books_demo_loaded(registry, read_places())
        and disclosure_demo_loaded(registry, read_places())
    )


def load_places(registry: Registry, places: dict[str, Any], bar: tqdm[Any]) -> None:
    d = places["district"]
    registry.places.register_district(d["code"], d["name"], d["city"], d["province"], ADMIN)
    towns = places["towns"]
    registry.places.register_towns(
        d["code"],
        [
            TownInput(
                t["code"], t["name"], t["kind"], t["name_invented"], t["code_invented"], t["source"]
            )
            for t in towns
        ],
        ADMIN,
    )
    bar.update(1 + len(towns))
    for t in towns:
        villages = [
            VillageInput(
                v["code"],
                v["name"],
                v["collective_name"],
                v["name_invented"],
                v["code_invented"],
                v["source"],
            )
            for v in t["villages"]
        ]
        registry.places.register_villages(t["code"], villages, ADMIN)
        bar.update(len(villages))


def load_policies(registry: Registry, bar: tqdm[Any]) -> None:
    registry.policies.set_policy(
        "assets.resource_kinds",
        NATIONAL,
        POLICIES_EFFECTIVE_FROM,
        DEFAULT_RESOURCE_KINDS,
        "demo: the registry's default list (the official 'four types' list was not found)",
        ADMIN,
    )
    registry.policies.set_policy(
        "assets.public_bidding_threshold_yuan",
        "320117",
        POLICIES_EFFECTIVE_FROM,
        BIDDING_THRESHOLD_YUAN,
        "演示值 demo value: Lishui's real public-bidding threshold was not confirmed",
        ADMIN,
    )
    bar.update(2)


def asset_version(assets: AssetApplication, asset: dict[str, Any]) -> int:
    """The asset's version, 0 when it is not registered yet."""
    try:
        return assets.get(assets.id_of(asset["village_code"], asset["asset_code"])).version
    except AssetNotFound:
        return 0


def load_asset(assets: AssetApplication, asset: dict[str, Any], bar: tqdm[Any]) -> None:
    by = Provenance(f"accountant:{asset['village_code']}", asset["authority"])
    done = asset_version(assets, asset)
    asset_id = assets.register_asset(
        asset["village_code"],
        asset["asset_code"],
        asset["name"],
        asset["kind"],
        asset["area_m2"],
        asset["location"],
        date.fromisoformat(asset["registered_on"]),
        by,
        book_value_yuan=asset["book_value_yuan"],
    )
    steps: list[dict[str, Any]] = asset["steps"]
    recorded_steps = min(max(done - 1, 0), len(steps))
    bar.update(1 + recorded_steps)
    for n, step in enumerate(steps[recorded_steps:], start=recorded_steps + 1):
        try:
            run_step(assets, asset_id, step, Provenance(by.actor, step["authority"]))
        except DomainError as error:
            where = f"{asset['village_code']}/{asset['asset_code']}"
            error.add_note(f"demo asset {where}, step {n} ({step['do']})")
            raise
        bar.update(1)


def run_step(
    assets: AssetApplication, asset_id: UUID, step: dict[str, Any], by: Provenance
) -> None:
    """One step of the data file: ``do`` names the method, the other keys are its arguments."""
    method = step["do"]
    if method not in STEP_METHODS:
        raise ValueError(f"unknown demo step {method!r}")
    args: dict[str, Any] = {k: decode(k, v) for k, v in step.items() if k not in _NOT_ARGUMENTS}
    if method == "sign_contract":
        schedule = [InstallmentInput(**i) for i in args.pop("rent_schedule")]
        assets.sign_contract(asset_id, ContractInput(rent_schedule=schedule, **args), by)
    elif method == "renew_contract":
        extra = [InstallmentInput(**i) for i in args.pop("additional_schedule")]
        assets.renew_contract(asset_id, additional_schedule=extra, by=by, **args)
    else:
        getattr(assets, method)(asset_id, by=by, **args)


def decode(key: str, value: Any) -> Any:
    """JSON to arguments: ISO strings under date keys (``*_on``, ``as_of``, …) become dates."""
    if isinstance(value, dict):
        return {k: decode(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(key, v) for v in value]
    if isinstance(value, str) and (key.endswith("_on") or key in _DATE_KEYS):
        return date.fromisoformat(value)
    return value
