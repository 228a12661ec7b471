"""Shared value types: money in yuan to the fen, place codes, ids, provenance."""

from __future__ import annotations

import copy
import pickle
from datetime import date
from decimal import Decimal
from typing import Any, cast
from uuid import uuid5

import pytest

from domain.shared.errors import DomainError
from domain.shared.values import (
    AMOUNT_YUAN_MAX,
    ID_NAMESPACE,
    Provenance,
    check_village_code,
    choice,
    date_range,
    deterministic_id,
    district_of,
    from_fen,
    jurisdiction_chain,
    non_negative_yuan,
    positive_yuan,
    required_text,
    to_fen,
    town_of,
    yuan,
)


def code_of(error: pytest.ExceptionInfo[DomainError]) -> str:
    return error.value.code


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12", "12.00"),
        ("12.5", "12.50"),
        ("12.34", "12.34"),
        ("0.01", "0.01"),
        ("1.000", "1.00"),
        ("1E+2", "100.00"),
        (" 7.10 ", "7.10"),
        ("-3.20", "-3.20"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_yuan_accepts_decimal_strings_to_the_fen_and_quantizes_them(text: str, amount: str) -> None:
    parsed = yuan(text)
    assert parsed == Decimal(amount)
    assert parsed.as_tuple().exponent == -2


def test_yuan_accepts_integers_and_decimals() -> None:
    assert yuan(30000) == Decimal("30000.00")
    assert yuan(Decimal("0.1")) == Decimal("0.10")


@pytest.mark.parametrize("value", [0.1, 12.5, 1.0, float("nan")])
def test_yuan_refuses_floats_even_when_they_look_exact(value: float) -> None:
    with pytest.raises(DomainError) as error:
        yuan(cast(Any, value))
    assert code_of(error) == "amount_not_in_fen"


@pytest.mark.parametrize("text", ["0.001", "12.345", "1e-3", "0.005", "100.999"])
def test_yuan_refuses_three_decimals(text: str) -> None:
    with pytest.raises(DomainError) as error:
        yuan(text, "rent_yuan")
    assert code_of(error) == "amount_not_in_fen"
    assert error.value.field == "rent_yuan"


@pytest.mark.parametrize("value", ["", "abc", "12,50", "¥12", "NaN", "Infinity", "-inf", None])
def test_yuan_refuses_what_is_not_a_finite_number(value: Any) -> None:
    with pytest.raises(DomainError) as error:
        yuan(value)
    assert code_of(error) == "amount_not_in_fen"


@pytest.mark.parametrize(
    "text",
    ["1000000000000", "1e17", "1e30", "-1e30", "9" * 40, "1E+999999999", "-1E+999999999"],
)
def test_yuan_refuses_amounts_beyond_the_largest_the_books_can_hold(text: str) -> None:
    with pytest.raises(DomainError) as error:
        yuan(text, "rent_yuan")
    assert code_of(error) == "amount_exceeds_maximum"
    assert error.value.field == "rent_yuan"
    assert Decimal(text).copy_abs() > AMOUNT_YUAN_MAX


@pytest.mark.parametrize(
    "value", ["1e-999999999", "-1E-999999999", "0.0000000000000000000000000001"]
)
def test_yuan_refuses_amounts_with_an_exponent_far_below_the_fen(value: str) -> None:
    with pytest.raises(DomainError) as error:
        yuan(value)
    assert code_of(error) == "amount_not_in_fen"


@pytest.mark.parametrize("value", ["sNaN", "-sNaN", Decimal("sNaN"), Decimal("-Infinity")])
def test_yuan_refuses_signalling_nan_and_infinities(value: Any) -> None:
    with pytest.raises(DomainError) as error:
        yuan(value)
    assert code_of(error) == "amount_not_in_fen"


def test_positive_yuan_refuses_zero_and_negatives() -> None:
    assert positive_yuan("0.01") == Decimal("0.01")
    for text in ("0", "-0.01", "-0.00"):
        with pytest.raises(DomainError) as error:
            positive_yuan(text)
        assert code_of(error) == "amount_not_positive"


def test_non_negative_yuan_accepts_zero_and_refuses_negatives() -> None:
    assert non_negative_yuan("0") == Decimal("0.00")
    with pytest.raises(DomainError) as error:
        non_negative_yuan("-0.01")
    assert code_of(error) == "amount_not_positive"


def test_fen_and_yuan_convert_exactly_both_ways() -> None:
    for text in ("0.01", "0.10", "12.34", "999999999999.99", "-5.05"):
        amount = yuan(text)
        assert from_fen(to_fen(amount)) == amount
    assert to_fen(Decimal("12.34")) == 1234
    assert from_fen(1) == Decimal("0.01")


def test_a_village_code_is_twelve_ascii_digits() -> None:
    assert check_village_code(" 320117107206 ") == "320117107206"
    for bad in ("32011710720", "3201171072060", "32011710720X", "", "３２０１１７１０７２０６"):
        with pytest.raises(DomainError) as error:
            check_village_code(bad)
        assert code_of(error) == "village_code_invalid"


def test_a_place_code_names_its_town_district_and_jurisdictions() -> None:
    assert town_of("320117107206") == "320117107"
    assert district_of("320117107206") == "320117"
    assert jurisdiction_chain("320117107206") == ("320117107206", "320117107", "320117", "CN")
    assert jurisdiction_chain("320117") == ("320117", "CN")


def test_a_deterministic_id_depends_on_the_kind_and_the_whole_key() -> None:
    assert deterministic_id("asset", "320117107206", "ZC-1") == deterministic_id(
        "asset", "320117107206", "ZC-1"
    )
    assert deterministic_id("asset", "320117107206", "ZC-1") != deterministic_id(
        "asset", "320117107291", "ZC-1"
    )
    assert deterministic_id("asset", "v", "k") != deterministic_id("policy", "v", "k")


def test_provenance_needs_an_actor_of_a_storable_length() -> None:
    assert Provenance("accountant:1").authority is None
    for blank in ("", "   "):
        with pytest.raises(DomainError) as error:
            Provenance(blank)
        assert code_of(error) == "actor_missing"
    Provenance("a" * 200, "b" * 300)
    for actor, authority in (("a" * 201, None), ("a", "b" * 301)):
        with pytest.raises(DomainError) as error:
            Provenance(actor, authority)
        assert code_of(error) == "invalid_input"


def test_required_text_is_trimmed_and_bounded() -> None:
    assert required_text("  村部旧楼 ", "name") == "村部旧楼"
    assert required_text("x" * 10, "name", 10) == "x" * 10
    for bad in (None, "", "  ", "x" * 11):
        with pytest.raises(DomainError) as error:
            required_text(bad, "name", 10)
        assert code_of(error) == "invalid_input"
        assert error.value.field == "name"


def test_choice_and_date_range_refuse_as_invalid_input() -> None:
    assert choice("bank", ("bank", "cash"), "channel") == "bank"
    with pytest.raises(DomainError) as error:
        choice("wechat", ("bank", "cash"), "channel")
    assert code_of(error) == "invalid_input"
    date_range(date(2024, 1, 1), date(2024, 1, 1))
    with pytest.raises(DomainError) as error:
        date_range(date(2024, 1, 2), date(2024, 1, 1))
    assert code_of(error) == "invalid_input"


def test_from_fen_is_the_division_by_a_hundred_to_the_fen() -> None:
    """The exponent shift gives what dividing and quantizing gave: value, places and sign."""
    for fen in [0, 1, -1, 5, 10, 99, 100, -100, 123456, -987654321, 10**15 + 7, -(10**20)]:
        found, expected = from_fen(fen), (Decimal(fen) / 100).quantize(Decimal("0.01"))
        assert found == expected and str(found) == str(expected), fen
        assert found.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "key",
    [
        ("meal", "0b3c6a9e-3f1d-4b7a-9c2e-5d8f1a2b3c4d", "2024-05-02", "lunch"),
        ("meal-batch", "长者食堂", "B-1"),
        ("policy", ""),
        ("x",),
    ],
)
def test_a_deterministic_id_is_uuid5_of_the_kind_and_key_in_the_registrys_namespace(
    key: tuple[str, ...],
) -> None:
    expected = uuid5(ID_NAMESPACE, "/".join(key))
    found = deterministic_id(*key)
    assert (found, found.int, str(found), found.version, hash(found)) == (
        expected,
        expected.int,
        str(expected),
        5,
        hash(expected),
    )
    assert pickle.loads(pickle.dumps(found)) == expected and copy.deepcopy(found) == expected
