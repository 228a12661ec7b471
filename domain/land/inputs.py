"""What the land commands accept and how they read it: the entry plan as submitted, a share,
a positive whole number. Each parser refuses a malformed value with ``invalid_input``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from domain.shared.errors import InvalidInput


@dataclass(frozen=True)
class EntryPlanInput:
    """way: grant | lease | capital_contribution. listing_method: tender | auction | listing |
    agreement. retained_share: a decimal string 0–1, e.g. "0.30" kept by the collective."""

    way: str
    listing_method: str
    reserve_price_yuan: Decimal | str
    term_years: int
    retained_share: Decimal | str
    drafted_on: date


def parse_share(value: Decimal | str, field: str = "retained_share") -> Decimal:
    if isinstance(value, float):
        raise InvalidInput(f"{field} must be a decimal string, not a float", field=field)
    try:
        share = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(f"{field} is not a number: {value!r}", field=field) from None
    if not share.is_finite() or not 0 <= share <= 1 or share != share.quantize(Decimal("1e-4")):
        raise InvalidInput(f"{field} must be 0–1 with at most four decimals", field=field)
    return share


def parse_positive_int(value: int, field: str, maximum: int | None = None) -> int:
    whole = isinstance(value, int) and not isinstance(value, bool)
    if not whole or value < 1 or (maximum is not None and value > maximum):
        upto = f"1–{maximum}" if maximum is not None else "of at least 1"
        raise InvalidInput(f"{field} must be a whole number {upto}", field=field)
    return value
