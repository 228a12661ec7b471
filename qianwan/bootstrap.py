"""Wiring, in one place: the event store, the applications, the projections and their runner.

Nothing is wired at import time; every entry point (CLI, server, tests) calls ``bootstrap()``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from functools import partial

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from domain.access.application import AccessApplication
from domain.access.users_application import UsersApplication
from domain.access.verified import TokenVerifier
from domain.assets.application import AssetApplication
from domain.assets.policy_keys import ASSET_KEYS
from domain.audit.authenticity import EventAuthenticity
from domain.audit.errors import DatabaseIsAReplay
from domain.audit.store import CheckpointStore
from domain.books.application import BooksApplication
from domain.books.policy_keys import BOOKS_KEYS
from domain.disclosure.application import DisclosureApplication
from domain.disclosure.policy_keys import DISCLOSURE_KEYS
from domain.land.application import LandApplication
from domain.land.policy_keys import LAND_KEYS
from domain.meals.application import MealsApplication
from domain.meals.policy_keys import MEAL_KEYS
from domain.policy.application import PolicyApplication
from domain.policy.keys import PolicyKeys
from domain.reference.application import ReferenceApplication
from domain.shared.clock import Clock
from domain.shared.eventstore import EventStore
from domain.shared.keystore import SqlKeyStore
from projections.access import AccessProjection
from projections.assets import AssetRegisterProjection
from projections.books import BooksProjection
from projections.db import make_engine, schema_lock
from projections.disclosure import DisclosureProjection
from projections.disclosure_building import ProjectedFigures
from projections.feed import FeedProjection
from projections.land.projection import LandProjection
from projections.ledger.projection import LedgerProjection
from projections.meals.projection import MealsProjection
from projections.meals.queries import ProjectedCandidates
from projections.parallel import ParallelFold, default_processes
from projections.places import PlacesProjection
from projections.projection import Projection
from projections.runner import ProjectionRunner
from projections.seal import SealProjection
from projections.users import WebUsersProjection
from qianwan.keys import EventKeys, event_keys
from qianwan.settings import Settings

REPLAY_MARKER_TABLE = "replay_info"  # in every file `qianwan replay` writes (projections/replay.py)


def policy_keys() -> PolicyKeys:
    """Every policy key the registry knows: each context declares its own, in its
    ``policy_keys.py`` (docs/rules.md P-02), and they are registered here, nowhere else."""
    return PolicyKeys(*ASSET_KEYS, *LAND_KEYS, *MEAL_KEYS, *BOOKS_KEYS, *DISCLOSURE_KEYS)


def all_projections(authenticity: EventAuthenticity) -> list[Projection]:
    """Every read model, in the order a batch applies them. ``authenticity``: how the seal
    checks the events' signatures before it seals them."""
    return [
        PlacesProjection(),
        AssetRegisterProjection(),
        LandProjection(),
        MealsProjection(),
        BooksProjection(),
        LedgerProjection(),
        DisclosureProjection(),  # disclosures (村务公开) and their schedule's versions
        SealProjection(authenticity),  # the audit seal over the raw log (docs/audit.md)
        AccessProjection(),  # API tokens by hash, reads of personal data (api/auth)
        WebUsersProjection(),  # web users, for listing (never authority)
        FeedProjection(),  # the change feed's places (api/feed)
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
    checkpoints: CheckpointStore  # signed checkpoints of the audit seal (docs/audit.md)
    access: AccessApplication  # API tokens and the log of personal data read (api/auth)
    clock: Clock  # today and now in the registry's time zone (QIANWAN_TIME_ZONE)
    # Returns once the projections show notification N: what every save waits for, and what a
    # command that answers from facts another request recorded waits for (api/idempotency.py).
    await_projections: Callable[[int], None]
    event_keys: EventKeys  # this process's event signer and the event keys it trusts
    authenticity: EventAuthenticity  # checks stored events against their signatures
    tokens: TokenVerifier  # API tokens as the signed log states them (authentication)
    books: BooksApplication  # vouchers and the closing of periods (docs/books.md)
    users: UsersApplication  # web users, sign-in and sessions (docs/rules.md W-)
    disclosure: DisclosureApplication  # 村务公开 (docs/disclosure.md)

    def close(self) -> None:
        self.store.close()
        self.engine.dispose()


INLINE, WORKER = "inline", "worker"  # who folds the projections (docs/scaling.md)
WORKER_WAIT_SECONDS = 5.0  # how long a command waits for the worker before folding itself


def bootstrap(
    settings: Settings | None = None,
    *,
    read_your_writes: bool = True,
    folding: str = INLINE,
    worker_wait_seconds: float = WORKER_WAIT_SECONDS,
    clock: Clock | None = None,
) -> Registry:
    """Open the store and the projections. With ``read_your_writes`` a command returns only once
    the projections show its events: ``folding="inline"`` folds them in this process before it
    returns; ``folding="worker"`` waits until a projection worker (``qianwan project --follow``)
    has folded them, and folds them itself if the worker is not there within
    ``worker_wait_seconds`` (the position lock keeps that exactly-once). ``clock``: the
    registry's clock, by default the settings' (a test may inject one)."""
    if folding not in (INLINE, WORKER):
        raise ValueError(f"folding must be {INLINE!r} or {WORKER!r}, got {folding!r}")
    settings = settings or Settings.from_env()
    refuse_replay_file(settings)
    signing = event_keys(settings)
    clock = clock or settings.clock()
    engine = make_engine(settings)
    keys = SqlKeyStore(engine, settings.personal_data_secret)  # outside the log: erasable
    checkpoints = CheckpointStore(engine)  # never dropped by a rebuild
    with schema_lock(engine, settings):  # one process at a time creates schema and tables
        store = EventStore(env=settings.eventsourcing_env(), signer=signing.signer)
        authenticity = EventAuthenticity(store, signing.trusted)
        runner = ProjectionRunner(
            store, engine, all_projections(authenticity), settings.projection_batch_size
        )
        runner.create_tables()
        keys.create_table()
        checkpoints.create_table()
    processes = settings.fold_processes or default_processes()
    if processes > 1:
        runner.parallel = ParallelFold(runner, partial(share_runner, settings), processes)
    await_projections: Callable[[int], None] = not_awaited
    if read_your_writes and folding == WORKER:

        def wait_for_worker(last: int) -> None:
            runner.wait_for_worker(last, worker_wait_seconds)

        await_projections = wait_for_worker
    elif read_your_writes:
        await_projections = runner.wait_for
    if read_your_writes:
        store.add_save_listener(await_projections)
    places = ReferenceApplication(store)
    policies = PolicyApplication(store, policy_keys())
    assets = AssetApplication(store, places, policies)
    land = LandApplication(store, places, policies)
    candidates = ProjectedCandidates(runner, engine)
    meals = MealsApplication(store, places, policies, keys, candidates, clock.today, clock.zone)
    access = AccessApplication(store, places, clock.today)
    users = UsersApplication(store, access.village_code, authenticity, clock)
    return Registry(
        settings,
        store,
        engine,
        runner,
        places,
        policies,
        assets,
        land,
        meals,
        checkpoints,
        access,
        clock=clock,
        await_projections=await_projections,
        event_keys=signing,
        authenticity=authenticity,
        tokens=TokenVerifier(store, authenticity),
        books=BooksApplication(store, places, policies, clock.today),
        users=users,
        disclosure=DisclosureApplication(
            store, places, policies, ProjectedFigures(runner, engine), clock.today
        ),
    )


def share_runner(
    settings: Settings, names: tuple[str, ...]
) -> tuple[ProjectionRunner, Callable[[], None]]:
    """A runner of the projections named, in a process that folds a share of them
    (projections/parallel.py), and what closes it. The tables exist already."""
    signing = event_keys(settings)
    engine = make_engine(settings)
    store = EventStore(env=settings.eventsourcing_env(), signer=signing.signer)
    authenticity = EventAuthenticity(store, signing.trusted)
    every = ProjectionRunner(
        store, engine, all_projections(authenticity), settings.projection_batch_size
    )

    def close() -> None:
        store.close()
        engine.dispose()

    return every.share(names), close


def not_awaited(notification_id: int) -> None:
    """Without read-your-writes nobody waits for the projections (a bulk load, a worker)."""


def database_exists(settings: Settings) -> bool:
    """Does the database hold a registry already (its event table)? Creates nothing."""
    if not settings.is_postgres:  # something there that is no database fails to open instead
        return settings.sqlite_path.exists()
    engine = create_engine(settings.sqlalchemy_url())
    try:
        with engine.connect() as conn:
            found = conn.scalar(
                text("SELECT to_regclass(:name)"),
                {"name": f'"{settings.postgres_schema}".{EventStore.name}_events'},
            )
    finally:
        engine.dispose()
    return found is not None


def refuse_replay_file(settings: Settings) -> None:
    """A file `qianwan replay` wrote holds projections only: opening it as a registry would
    find no events and answer every question with "not registered"."""
    if settings.is_postgres or not settings.sqlite_path.is_file():
        return
    uri = f"{settings.sqlite_path.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (REPLAY_MARKER_TABLE,),
            ).fetchone()
    except sqlite3.Error:
        return  # not for us to judge here: opening it properly reports what is wrong
    if found:
        raise DatabaseIsAReplay(
            f"{settings.sqlite_path} is a replay made by `qianwan replay`: projections only, no "
            'event log. Read its tables with SQL (docs/audit.md, "Replay"), or replay again '
            "from the live database"
        )
