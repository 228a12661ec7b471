"""Resident ID numbers (居民身份证号码, GB 11643-1999) checked before anything is sealed
(docs/rules.md M-01).

18 characters: a 6-digit area code, an 8-digit birth date (YYYYMMDD), a 3-digit sequence (odd
for men, even for women) and a check character computed by ISO 7064 MOD 11-2 over the first 17
digits ('X' stands for 10). The number is personal data: it is never logged, never put in an
error message, and never stored in clear (see domain/shared/keystore.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.meals.errors import (
    BirthDateDisagreesWithIdNumber,
    IdNumberBirthDateInvalid,
    IdNumberCheckCharacterWrong,
    IdNumberMalformed,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11
CHECK_CHARACTERS = "10X98765432"  # index: weighted sum mod 11
# First two digits: the province-level division (GB/T 2260), 11 Beijing … 82 Macao.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82"}
)
OLDEST_BIRTH_YEAR = 1890


def check_character(first_17_digits: str) -> str:
    total = sum(int(d) * w for d, w in zip(first_17_digits, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


@dataclass(frozen=True)
class ResidentId:
    """A checked ID number. ``number`` is normalised (upper-case X, no spaces)."""

    number: str
    area_code: str
    birth_date: date
    sequence: str

    @property
    def masked(self) -> str:
        return mask(self.number)


def mask(number: str) -> str:
    """For recognising a record without reading the number: 3201**********123X."""
    return number[:4] + "*" * 10 + number[-4:]


def normalised(raw: str | None) -> str:
    """An ID number as the registry holds and looks it up: no spaces, upper-case X."""
    return (raw or "").strip().replace(" ", "").upper()


def birth_date_in(number: str) -> date:
    """The birth date inside an ID number (characters 7–14); ValueError when it is no date."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def parse_id_number(raw: str, today: date, birth_date: date | None = None) -> ResidentId:
    """Check an ID number; ``birth_date``, when given, must agree with the one inside it."""
    number = normalised(raw)
    field = "id_number"
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise IdNumberMalformed(
            "an ID number has 18 characters: 17 digits and a digit or X", field=field
        )
    if number[:2] not in PROVINCE_CODES:
        raise IdNumberMalformed("the ID number's area code names no province", field=field)
    if check_character(number[:17]) != number[17]:
        raise IdNumberCheckCharacterWrong(
            "the ID number's check character does not match (ISO 7064 MOD 11-2); a digit was "
            "probably mistyped",
            field=field,
        )
    try:
        born = birth_date_in(number)
    except ValueError:
        raise IdNumberBirthDateInvalid(
            "characters 7–14 of the ID number are not a date", field=field
        ) from None
    if born.year < OLDEST_BIRTH_YEAR or born > today:
        raise IdNumberBirthDateInvalid(
            "the birth date inside the ID number is not a plausible past date", field=field
        )
    if birth_date is not None and birth_date != born:
        raise BirthDateDisagreesWithIdNumber(
            "the birth date given differs from the one inside the ID number", field="birth_date"
        )
    return ResidentId(number, number[:6], born, number[14:17])
