"""How the API reads the Date, DateTime and Decimal values a client sends.

graphene's own scalars take any year Python can hold (0001–9999, where an offset or the day
before overflows), read a time without an offset as a naive datetime that later code took for
UTC, and pass NaN, Infinity and exponents of a billion on to the commands. ``bind_scalars`` gives
the schema's three scalars the registry's reading instead, so every argument of these types,
nested ones included, follows the same rules:

- Date: YYYY-MM-DD from 1800-01-01 to 2999-12-31 (domain/shared/clock.py);
- DateTime: ISO 8601; without an offset it is in the registry's time zone (QIANWAN_TIME_ZONE,
  Asia/Shanghai by default), never the server's; years 1800 to 2999;
- Decimal: a finite number written as a string (or a JSON integer), at most
  ``DECIMAL_INTEGER_DIGITS_MAX`` digits before the point and ``DECIMAL_PLACES_MAX`` after; what
  it stands for (money to the fen, an area, a share) is the command's to check.

A refused value is a GraphQL error with its code in ``extensions.code`` (``date_invalid``,
``date_out_of_range``, ``time_invalid``, ``time_out_of_range``, ``decimal_invalid``,
``decimal_out_of_range``), given before anything runs: nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import graphene
from graphql import (
    FloatValueNode,
    GraphQLError,
    GraphQLScalarType,
    IntValueNode,
    StringValueNode,
    Undefined,
    ValueNode,
)

from domain.shared.clock import Clock, business_date, read_date
from domain.shared.errors import DateInvalid, DomainError, TimeInvalid

DECIMAL_INTEGER_DIGITS_MAX = 15  # far beyond any amount (AMOUNT_YUAN_MAX < 10^12) or area
DECIMAL_PLACES_MAX = 6  # money has 2, areas, shares and rates 4
DECIMAL_TEXT_MAX_CHARS = 64
DECIMAL_LIMIT = Decimal(10) ** DECIMAL_INTEGER_DIGITS_MAX
DECIMAL_STEP = Decimal(10) ** -DECIMAL_PLACES_MAX

DESCRIPTIONS = {
    "Date": "A date, YYYY-MM-DD (ISO 8601), from 1800-01-01 to 2999-12-31.",
    "DateTime": "A time, ISO 8601: `2024-08-20T07:30:00+08:00`, `2024-08-19T23:30:00Z`, or "
    "without an offset (`2024-08-20T07:30`) in the registry's time zone (Asia/Shanghai unless "
    "QIANWAN_TIME_ZONE says otherwise), never the server's. Years 1800 to 2999. Times in "
    "answers carry their offset (recorded times are UTC).",
    "Decimal": 'A decimal number written as a string, e.g. `"12.34"` (a JSON integer is '
    f"accepted too): finite, at most {DECIMAL_INTEGER_DIGITS_MAX} digits before the point and "
    f"{DECIMAL_PLACES_MAX} after. Money is yuan with at most two decimals (fen).",
}


class DecimalInvalid(DomainError):
    """A Decimal is a finite number written as a string, e.g. "12.34": not NaN, not Infinity,
    not a JSON number with a fraction (it has passed through binary floating point)."""

    code = "decimal_invalid"


class DecimalOutOfRange(DomainError):
    """A Decimal has at most 15 digits before the point and 6 after it."""

    code = "decimal_out_of_range"


def read_decimal(value: Any) -> Decimal:
    """A Decimal argument, or the refusal with its code."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise DecimalInvalid(f'send a decimal as a string such as "12.34", not {value!r}')
    if isinstance(value, str) and len(value) > DECIMAL_TEXT_MAX_CHARS:
        raise DecimalOutOfRange(f"a decimal of {len(value)} characters is too long")
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise DecimalInvalid(f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise DecimalInvalid(f"{value!r} is not a finite number")
    # Compare before any arithmetic: quantize or abs() of 1E+999999999 raise, comparisons don't.
    if not -DECIMAL_LIMIT < number < DECIMAL_LIMIT or number != number.quantize(DECIMAL_STEP):
        raise DecimalOutOfRange(
            f"{value!r} has more than {DECIMAL_INTEGER_DIGITS_MAX} digits before the point or "
            f"{DECIMAL_PLACES_MAX} after it"
        )
    return number


def read_date_value(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return business_date(value, "date")
    if not isinstance(value, str):
        raise DateInvalid(f"a date is a string YYYY-MM-DD, not {value!r}")
    return read_date(value, "date")


def time_reader(clock: Clock) -> Callable[[Any], datetime]:
    def read_time_value(value: Any) -> datetime:
        if isinstance(value, datetime):
            return clock.aware(value, "time")
        if not isinstance(value, str):
            raise TimeInvalid(f"a time is an ISO 8601 string, not {value!r}")
        return clock.read_time(value, "time")

    return read_time_value


def refused(error: DomainError, node: ValueNode | None = None) -> GraphQLError:
    """The refusal as graphql-core passes it on: its code survives both the coercion of
    variables (which wraps it) and validation of literals (which reports it as it is)."""
    return GraphQLError(error.message, node, extensions={"code": error.code})


def parse_value_with(reader: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse_value(value: Any) -> Any:
        try:
            return reader(value)
        except DomainError as error:
            raise refused(error) from None

    return parse_value


def parse_literal_with(reader: Callable[[Any], Any]) -> Callable[..., Any]:
    def parse_literal(node: ValueNode, _variables: Any = None) -> Any:
        if isinstance(node, StringValueNode):
            value: Any = node.value
        elif isinstance(node, IntValueNode):
            value = int(node.value)
        elif isinstance(node, FloatValueNode):
            value = float(node.value)  # refused by the readers, with their code
        else:
            return Undefined  # graphql-core's own message: a list or object where a scalar goes
        try:
            return reader(value)
        except DomainError as error:
            raise refused(error, node) from None

    return parse_literal


def bind_scalars(schema: graphene.Schema, clock: Clock) -> graphene.Schema:
    """Give the schema's Date, DateTime and Decimal the registry's reading of input (above);
    DateTime reads times without an offset in ``clock``'s zone."""
    readers: dict[str, Callable[[Any], Any]] = {
        "Date": read_date_value,
        "DateTime": time_reader(clock),
        "Decimal": read_decimal,
    }
    for name, reader in readers.items():
        scalar = schema.graphql_schema.type_map.get(name)
        assert isinstance(scalar, GraphQLScalarType), f"the schema has no {name} scalar"
        scalar.parse_value = parse_value_with(reader)  # type: ignore[method-assign,assignment]
        scalar.parse_literal = parse_literal_with(reader)  # type: ignore[method-assign]
        scalar.description = DESCRIPTIONS[name]
    return schema
