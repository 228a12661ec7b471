"""Value types shared by every context: codes, money in yuan to the fen, provenance, ids."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from uuid import UUID, SafeUUID

from domain.shared.errors import (
    ActorMissing,
    AmountExceedsMaximum,
    AmountNotInFen,
    AmountNotPositive,
    DistrictCodeInvalid,
    DomainError,
    InvalidInput,
    TownCodeInvalid,
    VillageCodeInvalid,
)

DistrictCode = str  # 6 digits, e.g. "320117" (Lishui District, Nanjing)
TownCode = str  # 9 digits: district + town
VillageCode = str  # 12 digits: district + town + village
AccountCode = str  # first-level account of the chart in force, e.g. "112"
Jurisdiction = str  # "CN", a district, town or village code: the place a policy applies to

NATIONAL: Jurisdiction = "CN"
FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Under a trillion yuan: any sum of amounts stays far inside the 64-bit fen columns of the
# projections, where one out-of-range amount would stop every projection for good.
AMOUNT_YUAN_MAX = Decimal("999999999999.99")
ACTOR_LENGTH_MAX = 200  # as the projections store them (projections/ledger/tables.py)
AUTHORITY_LENGTH_MAX = 300

# Every deterministic id in the registry is uuid5 in this namespace; changing it orphans data.
ID_NAMESPACE = UUID("6f1c1a52-55a5-4d0e-9a43-7a1b8a2f0c31")

_DIGITS = re.compile(r"[0-9]+")  # ASCII only: \d also matches full-width and other digits


_NAMESPACE_BYTES = ID_NAMESPACE.bytes
# uuid5's version and variant bits, set as uuid.UUID(bytes=…, version=5) sets them
_CLEAR_BITS = ~((0xC000 << 48) | (0xF000 << 64))
_SET_BITS = (0x8000 << 48) | (5 << 76)


def deterministic_id(kind: str, *key: str) -> UUID:
    """The id of the one aggregate of ``kind`` with this natural key (uniqueness by id):
    ``uuid5(ID_NAMESPACE, "kind/key…")``, computed without ``uuid.UUID``'s argument checks (a
    batch of meals derives one per meal; a test compares it with ``uuid5``)."""
    name = "/".join((kind, *key)).encode("utf-8")
    digest = hashlib.sha1(_NAMESPACE_BYTES + name, usedforsecurity=False).digest()
    found = object.__new__(UUID)
    object.__setattr__(found, "int", int.from_bytes(digest[:16], "big") & _CLEAR_BITS | _SET_BITS)
    object.__setattr__(found, "is_safe", SafeUUID.unknown)
    return found


# The refusal of a malformed place code, by the number of digits the code must have.
CODE_INVALID: dict[int, type[DomainError]] = {
    6: DistrictCodeInvalid,
    9: TownCodeInvalid,
    12: VillageCodeInvalid,
}


def check_code(code: str, digits: int, what: str, field: str = "code") -> str:
    """The code without surrounding blanks; refused unless it is ``digits`` ASCII digits."""
    code = code.strip() if isinstance(code, str) else code
    if not isinstance(code, str) or len(code) != digits or not _DIGITS.fullmatch(code):
        refusal = CODE_INVALID.get(digits, InvalidInput)
        raise refusal(f"{what} code must be {digits} digits, got {code!r}", field=field)
    return code


def check_village_code(code: str) -> VillageCode:
    return check_code(code, 12, "village")


PLACE_CODE_DIGITS = (6, 9, 12)  # a district, a town, a village


def check_place_code(code: str, field: str = "place") -> str:
    """A district's, town's or village's code: 6 or 9 digits name a district or a town, any
    other input is checked as a village's 12 (its error says so)."""
    stripped = code.strip() if isinstance(code, str) else code
    digits = len(stripped) if isinstance(stripped, str) and len(stripped) in (6, 9) else 12
    return check_code(code, digits, "place", field=field)


def town_of(village: VillageCode) -> TownCode:
    return village[:9]


def district_of(code: str) -> DistrictCode:
    return code[:6]


def jurisdiction_chain(code: str) -> tuple[Jurisdiction, ...]:
    """Most specific first: village → town → district → national."""
    chain: list[str] = []
    for length in (12, 9, 6):
        if len(code) >= length:
            chain.append(code[:length])
    chain.append(NATIONAL)
    return tuple(chain)


def yuan(value: Decimal | str | int, field: str = "amount_yuan") -> Decimal:
    """Parse money: yuan with at most two decimals, returned quantized to the fen."""
    if isinstance(value, float):  # floats are refused: money never passes through binary floats
        raise AmountNotInFen(f"{field} must be a decimal string, not a float", field=field)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise AmountNotInFen(f"{field} is not a number: {value!r}", field=field) from None
    if not amount.is_finite():
        raise AmountNotInFen(f"{field} must be finite", field=field)
    # Compared, not abs(): arithmetic rounds to the context and overflows on 1E+999999999.
    if not -AMOUNT_YUAN_MAX <= amount <= AMOUNT_YUAN_MAX:
        raise AmountExceedsMaximum(
            f"{field} is beyond {AMOUNT_YUAN_MAX} yuan: {value}", field=field
        )
    if amount != amount.quantize(FEN, rounding=ROUND_HALF_UP):
        raise AmountNotInFen(f"{field} has more than two decimals: {value}", field=field)
    return amount.quantize(FEN)


def positive_yuan(value: Decimal | str | int, field: str = "amount_yuan") -> Decimal:
    amount = yuan(value, field)
    if amount <= 0:
        raise AmountNotPositive(f"{field} must be greater than zero, got {amount}", field=field)
    return amount


def non_negative_yuan(value: Decimal | str | int, field: str = "amount_yuan") -> Decimal:
    amount = yuan(value, field)
    if amount < 0:
        raise AmountNotPositive(f"{field} must not be negative, got {amount}", field=field)
    return amount


def to_fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    """Fen to yuan with exactly two places: 1234 → 12.34, 0 → 0.00 (a shift of the exponent,
    exact for any integer up to 28 digits, and a third of the cost of dividing and quantizing:
    the read models convert every amount they answer with)."""
    return Decimal(int(fen)).scaleb(-2)


def choice(value: str, allowed: tuple[str, ...] | frozenset[str], field: str) -> str:
    if value not in allowed:
        raise InvalidInput(
            f"{field} must be one of {', '.join(sorted(allowed))}; got {value!r}", field=field
        )
    return value


def required_text(value: str | None, field: str, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{field} is required", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters", field=field)
    return text


PAYMENT_CHANNELS = ("bank", "cash")  # how money moves: 银行存款 (102) or 库存现金 (101)
AREA_M2_DECIMALS_MAX = 4  # a tenth of a square decimetre: finer than any survey


def area_m2(value: Decimal | str, maximum: Decimal, field: str = "area_m2") -> Decimal:
    """An area in square metres: a finite number above zero, at most ``maximum``, with at most
    four decimals. The one rule for every context that records an area."""
    try:
        area = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"{field} must be a number, got {value!r}", field=field) from None
    if not area.is_finite() or area <= 0:
        raise InvalidInput(f"{field} must be positive, got {value}", field=field)
    if area > maximum or int(area.as_tuple().exponent) < -AREA_M2_DECIMALS_MAX:
        raise InvalidInput(
            f"{field} must be at most {maximum} with at most {AREA_M2_DECIMALS_MAX} decimals, "
            f"got {value}",
            field=field,
        )
    return area


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_range(start: date, end: date, field: str = "end_on") -> None:
    if end < start:
        raise InvalidInput(f"{field} {end} is before the start {start}", field=field)


@dataclass(frozen=True)
class Provenance:
    """Who recorded a fact and on what authority.

    actor: the signed-in person or system (e.g. ``accountant:320117107201``); never empty.
    authority: the resolution or document the fact rests on (e.g. ``村民代表会议决议〔2024〕3号``),
        when one applies.
    """

    actor: str
    authority: str | None = None

    def __post_init__(self) -> None:
        if not self.actor or not self.actor.strip():
            raise ActorMissing("every recorded fact needs an actor", field="actor")
        if len(self.actor) > ACTOR_LENGTH_MAX:
            raise InvalidInput(f"actor is longer than {ACTOR_LENGTH_MAX} characters", field="actor")
        if self.authority is not None and len(self.authority) > AUTHORITY_LENGTH_MAX:
            raise InvalidInput(
                f"authority is longer than {AUTHORITY_LENGTH_MAX} characters", field="authority"
            )
