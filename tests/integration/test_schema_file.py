"""schema.graphql at the repository root is the printed schema: clients and reviewers read it,
so it must never drift from the code."""

from __future__ import annotations

from pathlib import Path

from api.schema import REGENERATE, sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_the_committed_schema_file_matches_the_code() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    assert committed == sdl(), (
        f"{SCHEMA_FILE.name} differs from the schema in api/; regenerate it with `{REGENERATE}` "
        "and commit it"
    )
