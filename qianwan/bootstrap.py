"""Wiring, in one place: the event store, the applications, the projections and their runner.

Nothing is wired at import time; every entry point (CLI, server, tests) calls ``bootstrap()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from domain.assets.application import AssetApplication
from domain.land.application import LandApplication
from domain.meals.application import MealsApplication
from domain.policy.application import PolicyApplication
from domain.reference.application import ReferenceApplication
from domain.shared.eventstore import EventStore
from domain.shared.keystore import SqlKeyStore
from projections.assets import AssetRegisterProjection
from projections.db import make_engine, schema_lock
from projections.land.projection import LandProjection
from projections.ledger.projection import LedgerProjection
from projections.meals.projection import MealsProjection
from projections.meals.queries import ProjectedCandidates
from projections.places import PlacesProjection
from projections.runner import Projection, ProjectionRunner
from qianwan.settings import Settings


def all_projections() -> list[Projection]:
    """Every read model, in the order a batch applies them."""
    return [
        PlacesProjection(),
        AssetRegisterProjection(),
        LandProjection(),
        MealsProjection(),
        LedgerProjection(),
    ]


@dataclass
class Registry:
    """The running registry: write through the applications, read through the engine."""

    settings: Settings
    store: EventStore
    engine: Engine
    runner: ProjectionRunner
    places: ReferenceApplication
    policies: PolicyApplication
    assets: AssetApplication
    land: LandApplication
    meals: MealsApplication

    def close(self) -> None:
        self.store.close()
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, read_your_writes: bool = True) -> Registry:
    """Open the store and the projections. With ``read_your_writes`` every save brings the
    projections up to the saved events before the command returns."""
    settings = settings or Settings.from_env()
    engine = make_engine(settings)
    keys = SqlKeyStore(engine, settings.personal_data_secret)  # outside the log: erasable
    with schema_lock(engine, settings):  # one process at a time creates schema and tables
        store = EventStore(env=settings.eventsourcing_env())
        runner = ProjectionRunner(store, engine, all_projections(), settings.projection_batch_size)
        runner.create_tables()
        keys.create_table()
    if read_your_writes:
        store.add_save_listener(runner.wait_for)
    places = ReferenceApplication(store)
    policies = PolicyApplication(store)
    assets = AssetApplication(store, places, policies)
    land = LandApplication(store, places, policies)
    candidates = ProjectedCandidates(runner, engine)
    meals = MealsApplication(store, places, policies, keys, candidates)
    return Registry(settings, store, engine, runner, places, policies, assets, land, meals)
