"""What a disclosure's figures are built by: the read models, read at one position of the log
(projections/disclosure_building.py). The domain knows only this shape; the bootstrap wires the
builder in, so the aggregate stays pure and the figures are recorded as plain JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from domain.disclosure.periods import Period


@dataclass(frozen=True)
class BuiltFigures:
    """figures: JSON-able, money as strings of yuan. seal_position: the notification id every
    read model stood at; seal_root: the seal's root over the log up to it (hex)."""

    figures: dict[str, Any]
    seal_position: int
    seal_root: str


class FigureSource(Protocol):
    def __call__(self, village_code: str, period: Period) -> BuiltFigures:
        """The figures of the village for the period, or ``projections_behind``."""
        ...
