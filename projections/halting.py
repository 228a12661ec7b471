"""Halting: a projection that cannot fold an event stops there, visibly, and the others go on.

When an event is one a projection cannot fold (a bug, or data it cannot store), the runner finds
the exact event and **halts** that projection there: a row in ``projection_halts``, an ERROR in
the log; ``/healthz`` and ``qianwan check`` report it. One bad event does not stop every read
model, nor every command waiting for them. A halted projection stays at the position before the
event until an operator resumes it (``qianwan project --resume NAME`` after fixing the cause) or
rebuilds. An event refused by a projection that guards the log (the seal: its signature fails)
is folded by no projection at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.engine import Engine

from domain.shared.errors import ReadModelHalted
from projections.db import halts
from projections.projection import Projection, ProjectionFailed

HALTS_FRESH_SECONDS = 1.0  # how long ``Halts.current()`` may answer from what it read last
MAX_HALT_ERROR_CHARS = 2000  # of the error kept in projection_halts (the log has the traceback)

log = logging.getLogger("qianwan.projections")


@dataclass(frozen=True)
class Halt:
    """A projection stopped at an event it cannot fold: it stays at ``notification_id - 1``."""

    projection: str
    notification_id: int
    error: str
    halted_at: datetime


class Halts:
    """The halts of a runner's projections, as ``projection_halts`` holds them."""

    def __init__(
        self, engine: Engine, projections: Sequence[Projection], everyone: Sequence[str] = ()
    ) -> None:
        """``everyone``: the names of every projection, when these are a share of them (folded
        in processes of their own): a refusal by a guard of the log halts them all."""
        self.engine = engine
        self.projections = projections
        self._names = {p.name for p in projections}
        self.everyone = tuple(everyone) or tuple(p.name for p in projections)
        self._cached: tuple[float, dict[str, Halt]] | None = None  # (read at, halts)

    def forget(self) -> None:
        """The table changed here: the next ``current()`` reads it again."""
        self._cached = None

    def current(self, fresh: bool = False) -> dict[str, Halt]:
        """The halted projections by name, read at most HALTS_FRESH_SECONDS ago (``fresh``:
        read now). Another process (a projection worker) may have halted one."""
        cached = self._cached
        if not fresh and cached is not None and time.monotonic() - cached[0] < HALTS_FRESH_SECONDS:
            return cached[1]
        with self.engine.connect() as conn:
            found = self.read(conn)
        self._cached = (time.monotonic(), found)
        return found

    def read(self, conn: Connection) -> dict[str, Halt]:
        return {
            row.name: Halt(
                row.name,
                int(row.notification_id),
                row.error,
                row.halted_at if row.halted_at.tzinfo else row.halted_at.replace(tzinfo=UTC),
            )
            for row in conn.execute(select(halts))
            if row.name in self._names
        }

    def require_folding(self, *names: str) -> None:
        """For a command that reads projections to decide: refuse while any of ``names`` is
        halted, since what it shows may lack events it never folded."""
        halted = self.current(fresh=True)
        stopped = sorted(n for n in names if n in halted)
        if stopped:
            where = ", ".join(f"{n} (at notification {halted[n].notification_id})" for n in stopped)
            raise ReadModelHalted(
                f"the read model this needs is halted: {where}; nothing was recorded. An "
                "operator must fix the cause and resume it (qianwan project --resume)"
            )

    def resume(self, names: Iterable[str] | None = None) -> list[str]:
        """Let halted projections fold again (after the cause is fixed), from where they
        stopped; returns the names resumed. Default: every halted projection."""
        with self.engine.begin() as conn:
            halted = self.read(conn)
            chosen = list(halted) if names is None else [n for n in names if n in halted]
            if chosen:
                conn.execute(delete(halts).where(halts.c.name.in_(chosen)))
        self._cached = None
        for name in chosen:
            log.warning(
                "projection %s resumed at notification %s", name, halted[name].notification_id
            )
        return chosen

    def halt(self, failed: ProjectionFailed) -> None:
        """Record that ``failed.projection`` cannot fold ``failed.notification_id``; if it
        guards the log (the event itself is refused), that no projection may fold it."""
        error = f"{type(failed.cause).__name__}: {failed.cause}"[:MAX_HALT_ERROR_CHARS]
        names = [failed.projection]
        if any(p.guards_the_log for p in self.projections if p.name == failed.projection):
            with self.engine.connect() as conn:
                already = set(conn.scalars(select(halts.c.name)))
            names += [n for n in self.everyone if n not in {*already, *names}]
            error = f"{error} (refused by {failed.projection}: no read model folds it)"
        with self.engine.begin() as conn:
            conn.execute(delete(halts).where(halts.c.name.in_(names)))
            conn.execute(
                insert(halts),
                [
                    {
                        "name": name,
                        "notification_id": failed.notification_id,
                        "error": error[:MAX_HALT_ERROR_CHARS],
                        "halted_at": datetime.now(UTC),
                    }
                    for name in names
                ],
            )
        self._cached = None
        log.error(
            "projection %s HALTED at notification %s: it cannot fold that event; the other "
            "projections go on. Fix the cause, then `qianwan project --resume %s`.",
            failed.projection,
            failed.notification_id,
            failed.projection,
            exc_info=failed.cause,
        )
