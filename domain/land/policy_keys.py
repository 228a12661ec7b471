"""Policies of land entering the market (入市), and the working-day calendar its periods are
counted on: the keys, their parsers and the defaults a fresh installation adopts.

Each parser refuses a malformed value with ``policy_value_invalid`` and returns the JSON shape
stored in the policy's events: rates as decimal strings, dates as ISO strings, lists of codes.
Registered by the bootstrap (qianwan/bootstrap.py). The rules: docs/rules.md P-05 to P-09.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.land.vocabulary import LEVY_BASES, OPERATING_USES, PLANNED_USES
from domain.policy.errors import PolicyValueInvalid
from domain.policy.keys import PolicyKey
from domain.shared.clock import business_date, read_date
from domain.shared.errors import DomainError

# 土地增值收益调节金 (财税〔2016〕41号): 20%–50% of the value-added income.
ADJUSTMENT_FUND_RATE_MIN = Decimal("0.20")
ADJUSTMENT_FUND_RATE_MAX = Decimal("0.50")
TERM_YEARS_CEILING = 70  # the longest state-land grant (residential); no use may exceed it
FILING_PERIOD_WORKING_DAYS_CEILING = 60
MAX_CALENDAR_DAYS = 2000  # a cap on each list of holidays or working weekends


def parse_rate(raw: Any, field: str) -> str:
    if isinstance(raw, (float, bool)):
        raise PolicyValueInvalid(f"{field}: a decimal string such as '0.30' is needed")
    try:
        rate = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise PolicyValueInvalid(f"{field}: {raw!r} is not a number") from None
    if not rate.is_finite():
        raise PolicyValueInvalid(f"{field}: {raw!r} is not a finite number")
    # The range first: quantize raises on an exponent such as 1E+999999999, comparing doesn't.
    if not ADJUSTMENT_FUND_RATE_MIN <= rate <= ADJUSTMENT_FUND_RATE_MAX:
        raise PolicyValueInvalid(
            f"{field}: {rate} is outside {ADJUSTMENT_FUND_RATE_MIN}–{ADJUSTMENT_FUND_RATE_MAX} "
            "(财税〔2016〕41号: 20%–50%)"
        )
    if rate != rate.quantize(Decimal("0.0001")):
        raise PolicyValueInvalid(f"{field}: at most four decimals, got {raw!r}")
    return str(rate)


def parse_adjustment_fund(raw: Any) -> dict[str, Any]:
    """{"base": "gross_price" | "value_added_income", "rate": "0.30",
    "rate_by_use": {"commercial": "0.40", …}} — rate_by_use is optional, per operating use."""
    if not isinstance(raw, dict):
        raise PolicyValueInvalid("adjustment fund: an object with base and rate is needed")
    base = raw.get("base")
    if base not in LEVY_BASES:
        raise PolicyValueInvalid(f"adjustment fund: base must be one of {', '.join(LEVY_BASES)}")
    by_use = raw.get("rate_by_use") or {}
    if not isinstance(by_use, dict):
        raise PolicyValueInvalid("adjustment fund: rate_by_use must map uses to rates")
    unknown = sorted(set(by_use) - set(OPERATING_USES))
    if unknown:
        raise PolicyValueInvalid(f"adjustment fund: {', '.join(unknown)} are not operating uses")
    return {
        "base": base,
        "rate": parse_rate(raw.get("rate"), "adjustment fund rate"),
        "rate_by_use": {
            use: parse_rate(rate, f"adjustment fund rate for {use}")
            for use, rate in sorted(by_use.items())
        },
    }


def parse_term_years_max(raw: Any) -> dict[str, int]:
    """{planned use: years}: every operating use needs a maximum; at most 70 years."""
    if not isinstance(raw, dict):
        raise PolicyValueInvalid("term maxima: an object mapping planned uses to years")
    unknown = sorted(set(raw) - set(PLANNED_USES))
    if unknown:
        raise PolicyValueInvalid(f"term maxima: unknown planned uses {', '.join(unknown)}")
    missing = [use for use in OPERATING_USES if use not in raw]
    if missing:
        raise PolicyValueInvalid(f"term maxima: no maximum for {', '.join(missing)}")
    result: dict[str, int] = {}
    for use, years in sorted(raw.items()):
        if isinstance(years, bool) or not isinstance(years, int):
            raise PolicyValueInvalid(f"term maxima: {use} needs whole years, got {years!r}")
        if not 1 <= years <= TERM_YEARS_CEILING:
            raise PolicyValueInvalid(f"term maxima: {use} {years} is outside 1–70 years")
        result[use] = years
    return result


def parse_private_agreement_uses(raw: Any) -> list[str]:
    """The planned uses that may go by private agreement (协议); all others need a tender,
    auction or listing. May be empty."""
    if not isinstance(raw, list):
        raise PolicyValueInvalid("private agreement uses: a list of planned uses is needed")
    for use in raw:
        if use not in OPERATING_USES:
            raise PolicyValueInvalid(f"private agreement uses: {use!r} is not an operating use")
    if len(set(raw)) != len(raw):
        raise PolicyValueInvalid("private agreement uses: a use appears twice")
    return [str(use) for use in raw]


def parse_working_days(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise PolicyValueInvalid(f"working days: a whole number is needed, got {raw!r}")
    if not 1 <= raw <= FILING_PERIOD_WORKING_DAYS_CEILING:
        raise PolicyValueInvalid(f"working days: {raw} is outside 1–60")
    return raw


def _dates(raw: Any, field: str) -> list[date]:
    if not isinstance(raw, list) or len(raw) > MAX_CALENDAR_DAYS:
        raise PolicyValueInvalid(f"public holidays: {field} must be a list of dates")
    days: list[date] = []
    for item in raw:
        try:
            days.append(business_date(item) if isinstance(item, date) else read_date(str(item)))
        except DomainError as error:
            raise PolicyValueInvalid(f"public holidays: {error.message}") from None
    if len(set(days)) != len(days):
        raise PolicyValueInvalid(f"public holidays: a day appears twice in {field}")
    return sorted(days)


def parse_public_holidays(raw: Any) -> dict[str, list[str]]:
    """{"holidays": [dates that are not working days], "working_weekends": [Saturdays and
    Sundays that are working days (调休)]}. A revision lists every year still needed."""
    if not isinstance(raw, dict):
        raise PolicyValueInvalid("public holidays: an object with holidays and working_weekends")
    holidays = _dates(raw.get("holidays"), "holidays")
    weekends = _dates(raw.get("working_weekends", []), "working_weekends")
    if any(day.weekday() < 5 for day in weekends):
        raise PolicyValueInvalid("public holidays: a working weekend must be a Saturday or Sunday")
    if set(holidays) & set(weekends):
        raise PolicyValueInvalid("public holidays: a day is both a holiday and a working day")
    return {
        "holidays": [d.isoformat() for d in holidays],
        "working_weekends": [d.isoformat() for d in weekends],
    }


LAND_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey(
        "land.adjustment_fund",
        "The land value-added income adjustment fund (土地增值收益调节金) a collective pays "
        "on land entering the market: its base (gross price or value-added income) and rate "
        "(20%–50%, optionally per planned use) (财税〔2016〕41号; docs/rules.md P-05).",
        parse_adjustment_fund,
    ),
    PolicyKey(
        "land.term_years_max",
        "The longest term land of each planned use may enter the market for: that of "
        "state-owned land of the same use (docs/rules.md P-06).",
        parse_term_years_max,
    ),
    PolicyKey(
        "land.private_agreement_uses",
        "The planned uses that may enter the market by private agreement (协议); all others "
        "need a tender, auction or listing (local rule: docs/rules.md P-07).",
        parse_private_agreement_uses,
    ),
    PolicyKey(
        "land.filing_period_working_days_min",
        "How many working days the entry plan must have been filed with the county or "
        "district government before the land is listed (docs/rules.md P-08).",
        parse_working_days,
    ),
    PolicyKey(
        "calendar.public_holidays",
        "Public holidays that are not working days, and the weekends that are (调休): the "
        "calendar working-day periods are counted on (docs/rules.md P-09).",
        parse_public_holidays,
    ),
)


# -- defaults the demo and a fresh installation adopt -----------------------------------------

# 城镇国有土地使用权出让和转让暂行条例 (国务院令第55号) art. 12, applied to collective land by
# the implementing regulations of the Land Administration Law (2021).
DEFAULT_TERM_YEARS_MAX: dict[str, int] = {
    "residential": 70,
    "industrial": 50,
    "warehousing": 50,
    "education_science_culture_health_sports": 50,
    "commercial": 40,
    "tourism": 40,
    "entertainment": 40,
    "comprehensive": 50,
    "other_operating": 50,
    "infrastructure": 50,
    "public_welfare": 50,
}
# Local rule seen (docs/rules.md P-07): industrial, commercial, tourism and entertainment land by
# tender, auction or listing; private agreement only for infrastructure and public welfare.
DEFAULT_PRIVATE_AGREEMENT_USES: list[str] = ["infrastructure", "public_welfare"]
DEFAULT_FILING_PERIOD_WORKING_DAYS_MIN = 10  # implementing regulations 2021 (not re-verified)


def _span(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(n).isoformat() for n in range(start.toordinal(), end.toordinal() + 1)]


# 国办发明电〔2023〕7号 (2024) and 国办发明电〔2024〕12号 (2025).
DEFAULT_PUBLIC_HOLIDAYS: dict[str, list[str]] = {
    "holidays": [
        "2024-01-01",
        *_span("2024-02-10", "2024-02-17"),
        *_span("2024-04-04", "2024-04-06"),
        *_span("2024-05-01", "2024-05-05"),
        "2024-06-10",
        *_span("2024-09-15", "2024-09-17"),
        *_span("2024-10-01", "2024-10-07"),
        "2025-01-01",
        *_span("2025-01-28", "2025-02-04"),
        *_span("2025-04-04", "2025-04-06"),
        *_span("2025-05-01", "2025-05-05"),
        *_span("2025-05-31", "2025-06-02"),
        *_span("2025-10-01", "2025-10-08"),
    ],
    "working_weekends": [
        "2024-02-04",
        "2024-02-18",
        "2024-04-07",
        "2024-04-28",
        "2024-05-11",
        "2024-09-14",
        "2024-09-29",
        "2024-10-12",
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
    ],
}
# A DEMO value for Lishui (320117): the district's actual rate and base were not found. The
# 2016 interim measures allow 20%–50% of the value-added income; the demo takes 20%, and 40%
# for commercial, tourism and entertainment land.
DEMO_LISHUI_ADJUSTMENT_FUND: dict[str, Any] = {
    "base": "value_added_income",
    "rate": "0.20",
    "rate_by_use": {"commercial": "0.40", "tourism": "0.40", "entertainment": "0.40"},
}

# (key, jurisdiction, effective from, value, source) for the demo and the tests to adopt.
LAND_POLICY_DEFAULTS: tuple[tuple[str, str, date, Any, str], ...] = (
    ("land.term_years_max", "CN", date(2024, 1, 1), DEFAULT_TERM_YEARS_MAX, "国务院令第55号"),
    (
        "land.private_agreement_uses",
        "CN",
        date(2024, 1, 1),
        DEFAULT_PRIVATE_AGREEMENT_USES,
        "local rule seen (docs/rules.md P-07)",
    ),
    (
        "land.filing_period_working_days_min",
        "CN",
        date(2024, 1, 1),
        DEFAULT_FILING_PERIOD_WORKING_DAYS_MIN,
        "土地管理法实施条例 (2021)",
    ),
    (
        "calendar.public_holidays",
        "CN",
        date(2024, 1, 1),
        DEFAULT_PUBLIC_HOLIDAYS,
        "国办发明电〔2023〕7号, 国办发明电〔2024〕12号",
    ),
    (
        "land.adjustment_fund",
        "320117",
        date(2024, 1, 1),
        DEMO_LISHUI_ADJUSTMENT_FUND,
        "DEMO value (财税〔2016〕41号 range); Lishui's actual rate not found",
    ),
)
