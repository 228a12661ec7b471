"""Verifying a disclosure (村务公开) against the log (docs/disclosure.md, docs/rules.md D-09):
the log is replayed up to the disclosure's ``seal_position`` into a scratch database, its
figures are built again there by the very code that built them (``figures_of``), and compared
with the recorded ones; and the recorded root is compared with the live seal's root at that
size. Reads the live database only."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from domain.disclosure.periods import parse_period
from domain.shared.eventstore import EventStore
from projections.db import make_engine
from projections.disclosure_figures import figures_of
from projections.projection import Projection
from projections.runner import ProjectionRunner
from projections.seal import StoredTree
from qianwan.settings import PROJECTION_BATCH_SIZE, Settings

SEAL_SIZE = "seal_size"  # the figures' key of the seal's tree size (not a figure itself)


@dataclass
class Verification:
    """root_matches: the recorded root is the live seal's root over the first ``seal_size``
    events, the last of which is ``seal_position``. differences: figure by figure (path,
    recorded, replayed)."""

    disclosure_id: str
    seal_position: int
    seal_size: int
    root_matches: bool
    replayed_to: int
    differences: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.root_matches and not self.differences


def differences(recorded: Any, replayed: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Where two JSON values differ, by path (``leases[0].received``)."""
    if isinstance(recorded, dict) and isinstance(replayed, dict):
        found: list[tuple[str, Any, Any]] = []
        for key in sorted(set(recorded) | set(replayed)):
            where = f"{path}.{key}" if path else str(key)
            found += differences(recorded.get(key), replayed.get(key), where)
        return found
    if isinstance(recorded, list) and isinstance(replayed, list):
        if len(recorded) != len(replayed):
            return [(f"{path} (rows)", len(recorded), len(replayed))]
        return [
            d
            for n, (a, b) in enumerate(zip(recorded, replayed, strict=True))
            for d in differences(a, b, f"{path}[{n}]")
        ]
    return [] if recorded == replayed else [(path, recorded, replayed)]


def seal_root(engine: Engine, size: int, position: int) -> str | None:
    """The live seal's root over its first ``size`` leaves, when the last of them is the event
    ``position``; None when the seal does not hold that (shorter, or another event there)."""
    with engine.connect() as conn:
        tree = StoredTree(conn)
        if size < 0 or tree.size() < size:
            return None
        if size and tree.leaves_from(size - 1, 1)[0].notification_id != position:
            return None
        return tree.root(size).hex()


def verify(
    store: EventStore,
    live: Engine,
    projections: Sequence[Projection],
    row: dict[str, Any],
    batch_size: int = PROJECTION_BATCH_SIZE,
) -> Verification:
    """Verify the disclosure ``row`` (projections/disclosure_queries.py) against the log.
    ``projections``: fresh instances of the read models the figures come from."""
    recorded = dict(row["figures"])
    size = int(recorded.pop(SEAL_SIZE, 0))
    position = int(row["seal_position"])
    root = seal_root(live, size, position)
    with tempfile.TemporaryDirectory(prefix="qianwan-verify-") as scratch:
        url = f"sqlite:///{(Path(scratch) / 'replay.sqlite3').resolve()}"
        engine = make_engine(Settings(database_url=url))
        try:
            runner = ProjectionRunner(store, engine, projections, batch_size)
            runner.create_tables()
            runner.catch_up(until=position)
            reached = min(runner.positions().values(), default=0)
            with engine.connect() as conn:
                replayed = figures_of(conn, row["village_code"], parse_period(row["period"]))
        finally:
            engine.dispose()
    return Verification(
        str(row["id"]),
        position,
        size,
        root is not None and root == row["seal_root"],
        reached,
        differences(recorded, replayed),
    )
