"""Spreading an amount of whole fen over the days it covers, exactly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Spread:
    """``amount_fen`` spread over the days ``start..end``: each day gets ``amount // days`` fen
    and the first ``amount % days`` days one fen more. Any sub-range then sums exactly, so the
    portions of years (and the part after a termination) always add back to the whole."""

    amount_fen: int
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def fen_between(self, a: date, b: date) -> int:
        a, b = max(a, self.start), min(b, self.end)
        if b < a:
            return 0
        base, extra = divmod(self.amount_fen, self.days)
        first, last = (a - self.start).days, (b - self.start).days
        extra_days = max(0, min(last, extra - 1) - first + 1)
        return base * (last - first + 1) + extra_days

    def by_year(self, a: date | None = None) -> dict[int, int]:
        a = a or self.start
        return {
            year: self.fen_between(max(a, date(year, 1, 1)), date(year, 12, 31))
            for year in range(max(a, self.start).year, self.end.year + 1)
        }
