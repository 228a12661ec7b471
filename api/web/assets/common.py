"""What the asset pages share: the user's villages and the resource kinds in force as choices,
an asset read by id, and typed text turned into GraphQL values without judging it (the API
refuses what is wrong, with its code and the argument it concerns)."""

from __future__ import annotations

import re
from typing import Any

from api.web.forms import Choice, text_or_none
from api.web.labels import label
from api.web.pages import PageError, Web, status_of

VILLAGES = """
query WebVillages { villages(first: 100) { edges { node { code name } } } }
"""

KINDS = """
query WebResourceKinds($place: String!, $on: Date!) {
  policyInForce(key: "assets.resource_kinds", placeCode: $place, on: $on) { value }
}
"""

ASSET_HEAD = """
query WebAssetHead($id: ID!) {
  asset(id: $id) {
    id villageCode assetCode name kind status currentContractNo outstanding
    village { name }
  }
}
"""

_DIGITS = re.compile(r"[+-]?[0-9]{1,9}")


async def village_choices(web: Web) -> list[Choice]:
    data = await web.query(VILLAGES)
    nodes = [e["node"] for e in data["villages"]["edges"] if e and e.get("node")]
    return [Choice(n["code"], f"{n['name']}（{n['code']}）") for n in nodes]


async def kind_choices(web: Web, place: str | None) -> list[Choice]:
    """The resource kinds in force today for ``place`` (a village), by their Chinese names."""
    if not place:
        return []
    on = web.registry.clock.today().isoformat()
    answer = await web.graphql(KINDS, {"place": place, "on": on})
    found = (answer.data or {}).get("policyInForce") if not answer.errors else None
    kinds = found.get("value") if isinstance(found, dict) else None
    if not isinstance(kinds, list):
        return []
    return [
        Choice(str(k["code"]), str(k.get("name_zh") or k["code"]))
        for k in kinds
        if isinstance(k, dict) and "code" in k
    ]


def kind_names(kinds: list[Choice]) -> dict[str, str]:
    return {k.value: k.label for k in kinds}


async def read_asset(web: Web, document: str, asset_id: str) -> dict[str, Any]:
    """The asset of ``document``'s answer, or an error page: 403 when the API refuses it (an id
    outside the user's villages, which the API does not tell from an unknown one), 404 when
    there is none."""
    answer = await web.graphql(document, {"id": asset_id})
    if answer.errors:
        code = answer.errors[0].code
        raise PageError(status_of(code, answer.status), code)
    found = (answer.data or {}).get("asset")
    if not found:
        raise PageError(404, "asset_not_found")
    return dict(found)


async def asset_head(web: Web, asset_id: str) -> dict[str, Any]:
    """The asset a form is about (its name, code, village and status)."""
    return await read_asset(web, ASSET_HEAD, asset_id)


def int_or_text(value: str | None) -> int | str | None:
    """A count as GraphQL's Int takes it; anything else is sent as typed for the API to refuse."""
    text = text_or_none(value)
    if text is None:
        return None
    return int(text) if _DIGITS.fullmatch(text) else text


def schedule_lines(value: str | None) -> list[dict[str, str | None]]:
    """A rent schedule typed one installment a line: due day, amount, first and last day
    covered, separated by spaces or commas. Parts are passed on as typed; a missing one is
    null, which the API refuses naming the line (``contract.rentSchedule[1].coversTo``)."""
    rows: list[dict[str, str | None]] = []
    for line in (value or "").splitlines():
        parts = [p for p in re.split(r"[\s,，、]+", line.strip()) if p]
        if not parts:
            continue
        parts += [""] * (4 - len(parts))
        due, amount, start, end = (text_or_none(p) for p in parts[:4])
        if len(parts) > 4:
            end = text_or_none(" ".join(parts[3:]))
        rows.append({"dueOn": due, "amount": amount, "coversFrom": start, "coversTo": end})
    return rows


def vocabulary(kind: str, values: tuple[str, ...] | list[str]) -> list[Choice]:
    return [Choice(v, label(kind, v)) for v in values]


def checked(value: str) -> bool:
    return value in ("on", "true", "1")
