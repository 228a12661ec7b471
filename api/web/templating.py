"""The pages' Jinja2 environment: autoescaped templates from api/web/templates, and the filters
that show values as accountants read them (money with thousands separators to the fen, dates,
vocabulary labels, Chinese messages for error codes)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import jinja2

from api.web.paths import STATIC_PREFIX, TEMPLATES_DIR


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


def zh_date(value: Any) -> str:
    """An ISO date or datetime as 2025-03-01 or 2025-03-01 08:30 (already local time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if "T" in text:
        day, _, clock = text.partition("T")
        return f"{day} {clock[:5]}"
    return text


def message(code: str, english: str | None = None) -> str:
    from api.web.messages import message_zh

    return message_zh(code, english)


def label(value: Any, kind: str) -> str:
    """``{{ value|label("MealSlot") }}``: the Chinese name of an enum value (the piped value
    comes first: a filter receives it as its first argument)."""
    from api.web.labels import label as vocabulary_label

    return vocabulary_label(kind, str(value)) if value is not None else ""


def build_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(yuan=yuan, zh_date=zh_date, message=message, label=label)
    env.globals.update(static=STATIC_PREFIX)
    return env


ENVIRONMENT = build_environment()


def render_page(template: str, context: dict[str, Any]) -> str:
    return ENVIRONMENT.get_template(template).render(**context)
