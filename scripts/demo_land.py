"""The demo district's land entering the market (入市): the land policies, and a handful of
parcels of several villages carried to different stages (invented demo data,
``demo_data/lishui_land.json``).

Everything is recorded through the applications. Loading is idempotent and resumable exactly as
for the assets (scripts/demo.py): policies are set once (a second identical setting records
nothing), each parcel is created once by its village and parcel code, and resumes after the last
step it has recorded (every step records exactly one event, so a parcel at version ``v`` has
done its registration and ``v - 1`` steps).

A refused step is never run. One demo parcel's entry plan was voted down (fewer than two thirds
of all representatives): the domain records no event for a failed vote, so that parcel stays at
``plan_drafted`` and the meeting is kept in the data file under ``refused``, for people and for
the test that checks the registry would refuse it (tests/integration/test_demo.py).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from tqdm import tqdm

from domain.land.application import LandApplication
from domain.land.errors import ParcelNotFound
from domain.land.inputs import EntryPlanInput
from domain.land.policy_keys import LAND_POLICY_DEFAULTS
from domain.shared.errors import DomainError
from domain.shared.values import Provenance
from qianwan.bootstrap import Registry

LAND_FILE = Path(__file__).parent / "demo_data" / "lishui_land.json"
ADMIN = Provenance("admin:320117", "溧水区集体经营性建设用地入市演示数据（demo）")

# The LandApplication methods a step may name; every one records exactly one event.
STEP_METHODS = frozenset(
    {
        "issue_planning_conditions",
        "draft_entry_plan",
        "approve_entry_plan",
        "file_entry_plan",
        "list_parcel",
        "award",
        "sign_contract",
        "receive_installment",
        "assess_levy",
        "pay_levy",
        "register_use_right",
        "propose_distribution",
        "approve_distribution",
        "disclose_distribution",
        "pay_members",
    }
)
_NOT_ARGUMENTS = frozenset({"do", "authority", "story"})


@dataclass(frozen=True)
class LandDemoCounts:
    parcels: int  # demo parcels
    policies: int  # land policies the demo adopts
    events: int  # events recorded by this load (0 when it was loaded before)


def read_land() -> list[dict[str, Any]]:
    parcels: list[dict[str, Any]] = json.loads(LAND_FILE.read_text(encoding="utf-8"))["parcels"]
    return parcels


def planned_land_events(parcels: list[dict[str, Any]]) -> int:
    """How many events the land demo records into a store holding only the places."""
    return len(LAND_POLICY_DEFAULTS) + sum(1 + len(p["steps"]) for p in parcels)


def load_land_demo(registry: Registry, progress: bool = True) -> LandDemoCounts:
    """Adopt the land policies and record the demo parcels; what is recorded already is skipped.
    Needs the demo district's places."""
    before = registry.store.last_notification_id()
    parcels = read_land()
    with tqdm(
        total=planned_land_events(parcels),
        desc="demo land",
        unit="fact",
        file=sys.stderr,
        disable=not progress,
    ) as bar:
        for key, jurisdiction, effective_from, value, source in LAND_POLICY_DEFAULTS:
            registry.policies.set_policy(key, jurisdiction, effective_from, value, source, ADMIN)
            bar.update(1)
        for parcel in parcels:
            load_parcel(registry.land, parcel, bar)
    return LandDemoCounts(
        parcels=len(parcels),
        policies=len(LAND_POLICY_DEFAULTS),
        events=registry.store.last_notification_id() - before,
    )


def land_demo_loaded(registry: Registry) -> bool:
    """True when every demo parcel has recorded all of its steps."""
    return all(parcel_version(registry.land, p) == 1 + len(p["steps"]) for p in read_land())


def parcel_version(land: LandApplication, parcel: dict[str, Any]) -> int:
    """The parcel's version, 0 when it is not registered yet."""
    try:
        return land.get(land.id_of(parcel["village_code"], parcel["parcel_code"])).version
    except ParcelNotFound:
        return 0


def load_parcel(land: LandApplication, parcel: dict[str, Any], bar: tqdm[Any]) -> None:
    by = Provenance(f"accountant:{parcel['village_code']}", parcel["authority"])
    done = parcel_version(land, parcel)
    parcel_id = land.register_parcel(
        parcel["village_code"],
        parcel["parcel_code"],
        parcel["area_m2"],
        parcel["location"],
        parcel["planned_use"],
        parcel["land_class"],
        parcel["certificate_no"],
        date.fromisoformat(parcel["registered_on"]),
        by,
    )
    steps: list[dict[str, Any]] = parcel["steps"]
    recorded_steps = min(max(done - 1, 0), len(steps))
    bar.update(1 + recorded_steps)
    for n, step in enumerate(steps[recorded_steps:], start=recorded_steps + 1):
        try:
            run_step(land, parcel_id, step, Provenance(by.actor, step["authority"]))
        except DomainError as error:
            where = f"{parcel['village_code']}/{parcel['parcel_code']}"
            error.add_note(f"demo parcel {where}, step {n} ({step['do']})")
            raise
        bar.update(1)


def run_step(land: LandApplication, parcel_id: UUID, step: dict[str, Any], by: Provenance) -> None:
    """One step of the data file: ``do`` names the method, the other keys are its arguments."""
    method = step["do"]
    if method not in STEP_METHODS:
        raise ValueError(f"unknown demo land step {method!r}")
    args: dict[str, Any] = {k: decode(k, v) for k, v in step.items() if k not in _NOT_ARGUMENTS}
    if method == "draft_entry_plan":
        land.draft_entry_plan(parcel_id, EntryPlanInput(**args["plan"]), by)
    else:
        getattr(land, method)(parcel_id, by=by, **args)


def decode(key: str, value: Any) -> Any:
    """JSON to arguments: ISO strings under ``*_on`` keys become dates, also inside objects."""
    if isinstance(value, dict):
        return {k: decode(k, v) for k, v in value.items()}
    if isinstance(value, str) and key.endswith("_on"):
        return date.fromisoformat(value)
    return value
