"""How much the audit seal costs when appending: events per second saved through the event store
with read-your-writes folding (as the registry runs), with the seal projection and without it,
on a throw-away SQLite file and a throw-away PostgreSQL schema.

    qianwan bench-seal --events 2000 --per-save 1
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.domain import event
from sqlalchemy import create_engine, text

from domain.audit.authenticity import EventAuthenticity
from domain.audit.signing import EventSigner, TrustedEventKeys
from domain.shared.aggregate import QianwanAggregate
from domain.shared.eventstore import EventStore
from projections.db import make_engine, schema_lock
from projections.runner import ProjectionRunner
from projections.seal import SealProjection
from qianwan.bootstrap import all_projections
from qianwan.settings import Settings


class BenchNote(QianwanAggregate):
    """A one-event aggregate: what the benchmark appends."""

    @event("Noted")
    def __init__(self, text: str, actor: str, authority: str | None) -> None:
        """text: anything, about the size of a small real event."""
        self.text = text


@contextmanager
def database(storage: str, postgres_url: str) -> Iterator[Settings]:
    if storage == "sqlite":
        with tempfile.TemporaryDirectory(prefix="qianwan-bench-") as directory:
            yield Settings(database_url=f"sqlite:///{Path(directory) / 'bench.sqlite3'}")
        return
    schema = f"bench_{uuid4().hex[:12]}"
    try:
        yield Settings(database_url=f"{postgres_url}?schema={schema}")
    finally:
        engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def events_per_second(settings: Settings, sealed: bool, events: int, per_save: int) -> float:
    engine = make_engine(settings)
    signer = EventSigner(Ed25519PrivateKey.generate())  # a throw-away key: events are signed
    with schema_lock(engine, settings):
        store = EventStore(env=settings.eventsourcing_env(), signer=signer)
    authenticity = EventAuthenticity(store, TrustedEventKeys([signer.public_key]))
    projections = [
        p for p in all_projections(authenticity) if sealed or not isinstance(p, SealProjection)
    ]
    runner = ProjectionRunner(store, engine, projections)
    runner.create_tables()
    store.add_save_listener(runner.wait_for)
    padding = "收" * 200
    try:
        started = time.perf_counter()
        for n in range(events // per_save):
            notes = [BenchNote(f"{n}-{k} {padding}", "bench", None) for k in range(per_save)]
            store.save(*notes)
        elapsed = time.perf_counter() - started
    finally:
        store.close()
        engine.dispose()
    return (events // per_save * per_save) / elapsed


def run(events: int, per_save: int, storage: str, postgres_url: str) -> None:
    storages = ("sqlite", "postgres") if storage == "both" else (storage,)
    print(f"{events} events, {per_save} per save, every projection folded after each save")
    print(f"{'storage':10} {'seal off':>12} {'seal on':>12} {'on / off':>9}")
    for name in storages:
        rates = {}
        for sealed in (False, True):
            with database(name, postgres_url) as settings:
                rates[sealed] = events_per_second(settings, sealed, events, per_save)
        ratio = rates[True] / rates[False]
        print(f"{name:10} {rates[False]:>9.0f} /s {rates[True]:>9.0f} /s {ratio:>9.2f}")
