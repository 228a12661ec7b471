"""Building a disclosure's figures (docs/rules.md D-09): the read models caught up, then read in
ONE database transaction in which every read model and the audit seal stand at one position of
the log; the figures themselves are ``figures_of`` (projections/disclosure_figures.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, select
from sqlalchemy.engine import Engine

from domain.disclosure.errors import ProjectionsBehind
from domain.disclosure.figures import BuiltFigures
from domain.disclosure.periods import Period
from projections.db import positions
from projections.disclosure_figures import figures_of
from projections.runner import ProjectionRunner
from projections.seal import StoredTree


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees one state of the database throughout: REPEATABLE READ on
    PostgreSQL; on SQLite an explicit BEGIN (the driver would not open one for reads)."""
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ"}
        with engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def built_at_one_position(
    conn: Connection, names: list[str], village_code: str, period: Period
) -> BuiltFigures:
    """The figures with the position every projection in ``names`` stands at and the seal's
    root there; ``projections_behind`` when they stand at different positions (docs/rules.md
    D-09)."""
    found: dict[str, int] = {
        str(name): int(position)
        for name, position in conn.execute(select(positions.c.name, positions.c.position))
    }
    stands = {int(found.get(name, 0)) for name in names}
    tree = StoredTree(conn)
    size = tree.size()
    last = tree.leaves_from(size - 1, 1)[0].notification_id if size else 0
    if len(stands) != 1 or last not in stands:
        raise ProjectionsBehind(
            "the read models stand at different positions of the log: send it again",
            field=None,
        )
    figures = figures_of(conn, village_code, period)
    figures["seal_size"] = size
    return BuiltFigures(figures, last, tree.root(size).hex())


class ProjectedFigures:
    """The figure source the disclosure application is given (domain/disclosure/figures.py):
    catches the read models up, then reads them in one transaction."""

    def __init__(self, runner: ProjectionRunner, engine: Engine) -> None:
        self.runner = runner
        self.engine = engine

    def __call__(self, village_code: str, period: Period) -> BuiltFigures:
        self.runner.catch_up()
        names = [p.name for p in self.runner.projections]
        self.runner.require_folding(*names)
        with snapshot(self.engine) as conn:
            return built_at_one_position(conn, names, village_code, period)
