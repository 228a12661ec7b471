"""Resident ID numbers (GB 11643): structure, check character, birth date."""

from __future__ import annotations

from datetime import date

import pytest

from domain.meals.idcard import check_character, mask, parse_id_number
from domain.shared.errors import DomainError
from tests.support import make_id_number

TODAY = date(2024, 8, 20)


def code_of(raw: str, birth_date: date | None = None) -> str:
    with pytest.raises(DomainError) as info:
        parse_id_number(raw, TODAY, birth_date)
    return info.value.code


def test_the_standard_sample_number_has_check_character_x() -> None:
    assert check_character("11010519491231002") == "X"
    resident = parse_id_number("11010519491231002x", TODAY)
    assert resident.number == "11010519491231002X"
    assert resident.birth_date == date(1949, 12, 31)
    assert resident.area_code == "110105"
    assert resident.sequence == "002"


def test_a_number_built_by_the_test_helper_parses_back() -> None:
    number = make_id_number(date(1940, 2, 29), "457")
    assert parse_id_number(number, TODAY).birth_date == date(1940, 2, 29)


@pytest.mark.parametrize(
    "raw",
    ["", "1101051949123100", "11010519491231002XX", "1101051949123100AX", "99010519491231002X"],
)
def test_malformed_numbers_are_refused(raw: str) -> None:
    assert code_of(raw) == "id_number_malformed"


def test_one_mistyped_digit_breaks_the_check_character() -> None:
    number = make_id_number()
    mistyped = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]
    assert code_of(mistyped) == "id_number_check_character_wrong"


def test_an_impossible_birth_date_is_refused() -> None:
    first = "32011719440231123"  # 31 February
    assert code_of(first + check_character(first)) == "id_number_birth_date_invalid"


def test_a_future_birth_date_is_refused() -> None:
    assert code_of(make_id_number(date(2030, 1, 1))) == "id_number_birth_date_invalid"


def test_the_birth_date_given_must_agree_with_the_number() -> None:
    number = make_id_number(date(1944, 5, 6))
    assert parse_id_number(number, TODAY, date(1944, 5, 6)).birth_date == date(1944, 5, 6)
    assert code_of(number, date(1944, 6, 5)) == "birth_date_disagrees_with_id_number"


def test_errors_never_repeat_the_number() -> None:
    number = make_id_number()
    bad = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(DomainError) as info:
        parse_id_number(bad, TODAY)
    assert bad not in str(info.value)


def test_masking_hides_the_birth_date_and_most_digits() -> None:
    number = make_id_number(date(1944, 5, 6), "123")
    shown = mask(number)
    assert shown.startswith("3201") and shown.endswith(number[-4:])
    assert "19440506" not in shown and len(shown) == 18
