"""Chinese messages for error codes (placeholder until the catalogue lands)."""

from __future__ import annotations


def message_zh(code: str, english: str | None = None) -> str:
    return f"操作未完成（代码：{code}）"
