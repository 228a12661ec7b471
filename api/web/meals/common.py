"""What the meal-assistance pages share: the roles that see them, the month a page is about
(``?month=2024-07``, by default the registry's current month), and rows out of connections."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from typing import Any

from api.web.pages import PageError, Web
from domain.access.roles import Role

READERS = frozenset({Role.ACCOUNTANT, Role.AUDITOR, Role.PLATFORM})
WRITERS = frozenset({Role.ACCOUNTANT})
PAGE = 100  # rows a page shows (the API's largest page)
ERRORS = "errors { code field message }"  # what every mutation of the pages asks back
POINT_NAME = """
query MealPointName($id: ID!) { mealPoint(id: $id) { id name villageCode village { name } } }
"""
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def today(web: Web) -> date:
    """Today in the registry's time zone."""
    return web.registry.clock.today()


def month_of(web: Web) -> str:
    """The month the page is about: ``?month=`` or the current month."""
    wanted = web.request.query_params.get("month")
    if wanted is None or wanted == "":
        return today(web).strftime("%Y-%m")
    found = _MONTH.fullmatch(wanted)
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1800:
        raise PageError(400, "invalid_input", "月份应写成“年-月”，如 2024-07。")
    return wanted


def month_range(month: str) -> tuple[str, str]:
    """The first and last day of ``YYYY-MM`` as ISO text."""
    year, number = int(month[:4]), int(month[5:7])
    last = monthrange(year, number)[1]
    return date(year, number, 1).isoformat(), date(year, number, last).isoformat()


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def nodes(connection: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The nodes of a connection, in order."""
    if not connection:
        return []
    return [edge["node"] for edge in connection.get("edges") or [] if edge and edge.get("node")]


def found(data: dict[str, Any] | None, key: str, missing: str) -> dict[str, Any]:
    """The object a page is about, or a 404 page with the code ``missing``."""
    value = (data or {}).get(key)
    if not isinstance(value, dict):
        raise PageError(404, missing)
    return value


async def point_of(web: Web) -> dict[str, Any]:
    """The meal point named by the path (``{point_id}``): its id, name and village."""
    variables = {"id": web.request.path_params["point_id"]}
    return found(await web.query(POINT_NAME, variables), "mealPoint", "meal_point_not_found")
