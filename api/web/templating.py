"""The pages' Jinja2 environment: autoescaped templates from api/web/templates, and the filters
that show values as accountants read them (money with thousands separators to the fen, dates,
vocabulary labels, Chinese messages for error codes)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import jinja2
import jinja2.runtime

from api.web.paths import STATIC_PREFIX, TEMPLATES_DIR
from domain.shared.clock import default_zone


def yuan(value: Any, blank_zero: bool = False) -> str:
    """``"1234.5"`` → ``"1,234.50"``; None and "" → ""; negatives keep their sign."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if blank_zero and amount == 0:
        return ""
    return f"{amount.quantize(Decimal('0.01')):,}"


@jinja2.pass_context
def zh_date(context: jinja2.runtime.Context, value: Any) -> str:
    """An ISO date as 2025-03-01; a datetime as 2025-03-01 08:30 in the registry's time zone
    (the page's ``zone``, Asia/Shanghai unless QIANWAN_TIME_ZONE says otherwise): a moment with
    an offset (an event's recording time, in UTC) is converted, one without is local already."""
    if value is None or value == "":
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    moment = value
    if not isinstance(moment, datetime):
        text = str(value)
        if "T" not in text:
            return text
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            day, _, clock = text.partition("T")
            return f"{day} {clock[:5]}"
    if moment.tzinfo is not None:
        zone = context.get("zone") or default_zone()
        moment = moment.astimezone(zone)
    return moment.strftime("%Y-%m-%d %H:%M")


def message(code: str, english: str | None = None) -> str:
    from api.web.messages import message_zh

    return message_zh(code, english)


def label(value: Any, kind: str) -> str:
    """``{{ value|label("MealSlot") }}``: the Chinese name of an enum value (the piped value
    comes first: a filter receives it as its first argument)."""
    from api.web.labels import label as vocabulary_label

    return vocabulary_label(kind, str(value)) if value is not None else ""


_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")


def period_zh(value: Any) -> str:
    """``{{ d.period|period_zh }}``: 2026-03 → 2026年3月; 2026-Q1 → 2026年第一季度; anything
    else as it is."""
    if value is None or value == "":
        return ""
    period = str(value)
    month = _MONTH.fullmatch(period)
    if month and 1 <= int(month.group(2)) <= 12:
        return f"{month.group(1)}年{int(month.group(2))}月"
    quarter = _QUARTER.fullmatch(period)
    if quarter:
        return f"{quarter.group(1)}年第{'一二三四'[int(quarter.group(2)) - 1]}季度"
    return period


def side_zh(value: Any) -> str:
    """``{{ line.side|side_zh }}``: an income-statement line's side as 收入 or 支出."""
    side = str(value or "").lower()
    return "收入" if side in ("income", "credit") else "支出" if side else ""


def build_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        yuan=yuan,
        zh_date=zh_date,
        message=message,
        label=label,
        period_zh=period_zh,
        side_zh=side_zh,
    )
    env.globals.update(static=STATIC_PREFIX)
    return env


ENVIRONMENT = build_environment()


def render_page(template: str, context: dict[str, Any]) -> str:
    return ENVIRONMENT.get_template(template).render(**context)
