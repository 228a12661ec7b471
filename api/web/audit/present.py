"""How the auditor's pages show what GraphQL returns: recorded times in the registry's zone,
an event's or an aggregate's fields as rows of a table, values of any JSON shape as text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from api.auth.middleware import FORBIDDEN
from api.web.audit.names import attribute_name
from api.web.labels import label
from api.web.pages import PageError

MAX_VALUE_CHARS = 2_000  # a value longer than this is cut on the page (the xlsx keeps it whole)


def refused_scope(codes: list[str]) -> None:
    """A form's refusals that name no field of it but the user's scope: the page is refused."""
    if FORBIDDEN in codes:
        raise PageError(403, FORBIDDEN)


def local_time(value: Any, zone: tzinfo) -> str:
    """A recorded time (ISO 8601 with its offset) in the registry's zone: 2025-03-01 08:30:05."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def as_text(value: Any, limit: int | None = MAX_VALUE_CHARS) -> str:
    """A JSON value as a person reads it: text as it is, numbers and flags plainly, lists and
    objects as compact JSON (Chinese kept)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        text = value
    elif isinstance(value, (int, float)):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if limit is not None and len(text) > limit:
        return text[:limit] + "…"
    return text


@dataclass(frozen=True)
class StateRow:
    key: str
    label: str
    then: str
    now: str | None  # None: no comparison asked for

    @property
    def changed(self) -> bool:
        return self.now is not None and self.now != self.then


def state_rows(
    then: Mapping[str, Any],
    now: Mapping[str, Any] | None = None,
    kinds: Mapping[str, str] | None = None,
) -> list[StateRow]:
    """The attributes of an aggregate as rows, and beside them (when given) its attributes now.
    ``kinds``: the GraphQL enum naming an attribute's values (``{"status": "AssetStatus"}``)."""
    keys = list(then) + [k for k in (now or {}) if k not in then]

    def shown(key: str, value: Any) -> str:
        kind = (kinds or {}).get(key)
        return label(kind, value) if kind and isinstance(value, str) else as_text(value)

    return [
        StateRow(
            key,
            attribute_name(key),
            shown(key, then.get(key)),
            None if now is None else shown(key, now.get(key)),
        )
        for key in keys
    ]


def payload_rows(payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(attribute_name(k), as_text(v)) for k, v in payload.items()]
