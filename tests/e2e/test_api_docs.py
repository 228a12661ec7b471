"""docs/api.md cannot drift from the code: its generated tables are what the code says now, and
every GraphQL example in it runs, with the platform's token, on the demo district."""

from __future__ import annotations

import re

import pytest

from scripts.api_docs import API_DOC, REGENERATE, with_sections
from tests.e2e.conftest import Api

EXAMPLE = re.compile(r"```graphql\n(.*?)```", re.DOTALL)


def examples() -> list[str]:
    return EXAMPLE.findall(API_DOC.read_text(encoding="utf-8"))


def test_the_generated_tables_match_the_code() -> None:
    text = API_DOC.read_text(encoding="utf-8")
    assert with_sections(text) == text, f"regenerate docs/api.md with `{REGENERATE}`"


def test_the_document_has_examples() -> None:
    assert len(examples()) >= 6


@pytest.mark.parametrize("n", range(len(examples())))
def test_every_example_runs_as_the_platform(demo_api: Api, n: int) -> None:
    data = demo_api.data(examples()[n])
    assert data and all(value is not None for value in data.values())
