"""What the books pages share: the village picker (the villages the user may read, from the
API), the dates they default to (the registry's clock), and balances as accountants read them:
an amount and its side, 借 or 贷, or 平 when nothing is left."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.responses import Response

from api.auth.middleware import FORBIDDEN
from api.web.forms import Choice
from api.web.graphql import Answer
from api.web.pages import PageError, Web
from api.web.xlsx import Column, xlsx_response

VILLAGES = """
query BooksVillages { villages(first: 100) { edges { node { code name } } } }
"""
MAX_PARAM = 40


def forbidden_is_403(answer: Answer) -> None:
    """A command's scope or role refusal is the page's 403, as a query's is (``Web.query``)."""
    if any(e.code == FORBIDDEN for e in answer.errors):
        raise PageError(403, FORBIDDEN)


def param(web: Web, name: str, default: str = "") -> str:
    """A query parameter as typed (cut short: the API refuses what is wrong with it)."""
    value = web.request.query_params.get(name, "").strip()
    return value[:MAX_PARAM] if value else default


def wants_xlsx(web: Web) -> bool:
    return web.request.query_params.get("format") == "xlsx"


async def village_choices(web: Web) -> list[Choice]:
    data = await web.query(VILLAGES)
    nodes = [e["node"] for e in data["villages"]["edges"] if e and e.get("node")]
    return [Choice(n["code"], f"{n['name']}（{n['code']}）") for n in nodes]


async def village_of(web: Web) -> tuple[str, list[Choice]]:
    """The village asked for (``?village=``), else the first the user may read. One outside
    the user's villages is passed on as asked: the API refuses it (``forbidden``)."""
    choices = await village_choices(web)
    asked = param(web, "village")
    if asked:
        return asked, choices
    return (choices[0].value if choices else ""), choices


def village_name(code: str, choices: list[Choice]) -> str:
    for c in choices:
        if c.value == code:
            return c.label
    return code


def today(web: Web) -> date:
    return web.registry.clock.today()


def year_start(day_text: str, fallback: date) -> str:
    """The first of January of the year of ``day_text`` (a date as typed), else of fallback."""
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        day = fallback
    return day.replace(month=1, day=1).isoformat()


def amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def side(balance: Any) -> str:
    """借 (a debit balance), 贷 (a credit balance) or 平 (nothing left)."""
    value = amount(balance)
    return "借" if value > 0 else "贷" if value < 0 else "平"


def magnitude(balance: Any) -> Decimal:
    return abs(amount(balance))


def as_int(text: str) -> int | str:
    """A typed number as the API's Int takes it; other text goes as typed, for the API to
    refuse beside the field (a GraphQL Int is never given a string silently)."""
    return int(text) if text.isdigit() and len(text) < 6 else text


def blank_zero(value: Any) -> Any:
    """An amount for a voucher's sheet: the side a line is not on stays blank, as printed."""
    return None if amount(value) == 0 else value


def lines_xlsx(filename: str, summary: str, lines: list[dict[str, Any]]) -> Response:
    """A voucher's or entry's lines as a sheet: 摘要, 科目, 往来, 借方, 贷方."""
    rows = [
        [summary if n == 0 else "", f"{line['accountCode']} {line['accountName'] or ''}".strip(),
         line["counterparty"] or "", blank_zero(line["debit"]), blank_zero(line["credit"])]
        for n, line in enumerate(lines)
    ]  # fmt: skip
    columns = [
        Column("摘要", width=30), Column("科目", width=22), Column("往来单位/个人", width=20),
        Column("借方金额", "money", 16), Column("贷方金额", "money", 16),
    ]  # fmt: skip
    return xlsx_response(filename, "记账凭证", columns, rows)
