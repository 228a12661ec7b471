"""The one rule for text the registry accepts, wherever it comes from (GraphQL, the command line,
a spreadsheet, the demo loader): no character that cannot be stored, shown or printed safely.

Refused, with the code ``text_contains_forbidden_character``:
- NUL and the other C0 control characters except tab, line feed and carriage return
  (PostgreSQL ``text`` cannot hold NUL at all: an event would store as JSON and then stop every
  projection that copies it into a column), DEL and the C1 controls U+0080–U+009F;
- lone surrogates U+D800–U+DFFF (not characters: no UTF-8 encoder writes them);
- the noncharacters U+FFFE and U+FFFF;
- the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which can
  make a name or an amount read differently on screen than it is stored ("Trojan source").

Chinese, every other script, emoji and ordinary punctuation are text like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from domain.shared.errors import TextContainsForbiddenCharacter

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufffe\uffff\ud800-\udfff]"
)
MAX_DEPTH = 64  # of nested lists and objects walked; deeper values are refused elsewhere


def describe(char: str) -> str:
    point = ord(char)
    if 0xD800 <= point <= 0xDFFF:
        kind = "a lone surrogate"
    elif point < 0x20 or 0x7F <= point <= 0x9F:
        kind = "a control character"
    elif point in (0xFFFE, 0xFFFF):
        kind = "a noncharacter"
    else:
        kind = "a bidirectional control"
    return f"U+{point:04X} ({kind})"


def forbidden_in(text: str) -> tuple[int, str] | None:
    """(position, character) of the first forbidden character, or None."""
    found = FORBIDDEN.search(text)
    return None if found is None else (found.start(), found.group())


def check_text(text: str, field: str | None = None) -> str:
    """``text`` unchanged, or TextContainsForbiddenCharacter."""
    found = forbidden_in(text)
    if found is not None:
        position, char = found
        name = f"`{field}`" if field else "the text"
        raise TextContainsForbiddenCharacter(
            f"{name} contains {describe(char)} at position {position}: remove it and send it again",
            field=field,
        )
    return text


def strings_in(value: Any, path: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    """(path, string) of every string in a JSON-like value, mapping keys included."""
    if isinstance(value, str):
        yield path, value
    elif depth >= MAX_DEPTH:
        return
    elif isinstance(value, Mapping):
        for key, member in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                yield inner, key
            yield from strings_in(member, inner, depth + 1)
    elif isinstance(value, (list, tuple)):
        for n, member in enumerate(value):
            yield from strings_in(member, f"{path}[{n}]", depth + 1)


def check_values(value: Any, path: str = "") -> None:
    """Every string in ``value`` (see ``strings_in``) passes ``check_text``."""
    for where, text in strings_in(value, path):
        check_text(text, where or None)
