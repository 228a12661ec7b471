"""Reads a context's messages written one to a line, ``code=消息``.

Written so (not as a dict literal) because a Chinese sentence is as wide as two English ones: a
line with no blank in it is never too long for the linter, and a message needs no blank.
"""

from __future__ import annotations

import re

LINE = re.compile(r"(?P<code>[A-Za-z][A-Za-z0-9_]*)=(?P<message>\S+)")


def table(text: str) -> dict[str, str]:
    """``code=消息`` lines as a dict; blank lines are skipped, anything else is a bug here."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        matched = LINE.fullmatch(line.strip())
        if matched is None:
            raise ValueError(f"not a `code=消息` line: {line!r}")
        code = matched["code"]
        if code in found:
            raise ValueError(f"{code} has two messages")
        found[code] = matched["message"]
    return found
