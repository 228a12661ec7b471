"""Chinese messages for every error code the registry answers with (issue 14): what is wrong and
what to do, for a village accountant who reads Chinese. One module per part of the registry;
``message_zh`` is the one look-up. tests/unit/test_messages.py fails when a code has no message
here, or a message's code no longer exists."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from api.web.messages import (
    api,
    assets,
    books,
    disclosure,
    land,
    meals,
    operations,
    shared,
    uploads,
    web,
)

CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,79}")
UNKNOWN = "操作未完成（代码：{code}）"
UNKNOWN_UNSHOWABLE = "操作未完成。"


def merged(*parts: Mapping[str, str]) -> Mapping[str, str]:
    found: dict[str, str] = {}
    for part in parts:
        twice = found.keys() & part.keys()
        if twice:
            raise ValueError(f"codes with two messages: {sorted(twice)}")
        found |= part
    return MappingProxyType(found)


MESSAGES: Mapping[str, str] = merged(
    shared.MESSAGES,
    api.MESSAGES,
    assets.MESSAGES,
    land.MESSAGES,
    meals.MESSAGES,
    books.MESSAGES,
    disclosure.MESSAGES,
    operations.MESSAGES,
    web.MESSAGES,
    uploads.MESSAGES,
)


def message_zh(code: str, english: str | None = None) -> str:
    """The Chinese message of ``code``. An unknown code gives a generic sentence naming the code
    (when it looks like one), never the English: ``english`` is accepted so a caller can hand
    over what it has, and is deliberately not shown."""
    del english  # the English message is for the API's callers, not for the workbench
    found = MESSAGES.get(code) if isinstance(code, str) else None
    if found is not None:
        return found
    if isinstance(code, str) and CODE.fullmatch(code):
        return UNKNOWN.format(code=code)
    return UNKNOWN_UNSHOWABLE
