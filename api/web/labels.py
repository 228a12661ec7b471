"""Chinese labels of vocabulary values (placeholder until the catalogue lands)."""

from __future__ import annotations


def label(kind: str, value: str) -> str:
    return value
