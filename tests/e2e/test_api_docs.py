"""docs/api.md cannot drift from the code: its generated tables are what the code says now, and
every GraphQL example in it and in the README (```graphql blocks, the query of each curl body, the
queries of the Python example) runs, with the platform's token, on the demo district."""

from __future__ import annotations

import json
import re

import pytest

from scripts.api_docs import API_DOC, REGENERATE, with_sections
from tests.e2e.conftest import Api

README = API_DOC.parents[1] / "README.md"
EXAMPLE = re.compile(r"```graphql\n(.*?)```", re.DOTALL)
CURL_BODY = re.compile(r"-d '(\{.*?\})'")
PYTHON_QUERY = re.compile(r'"""(query.*?)"""', re.DOTALL)


def examples() -> list[str]:
    found: list[str] = []
    for path in (API_DOC, README):
        text = path.read_text(encoding="utf-8")
        found += EXAMPLE.findall(text)
        found += [json.loads(body)["query"] for body in CURL_BODY.findall(text)]
        found += PYTHON_QUERY.findall(text)
    return found


def test_the_generated_tables_match_the_code() -> None:
    text = API_DOC.read_text(encoding="utf-8")
    assert with_sections(text) == text, f"regenerate docs/api.md with `{REGENERATE}`"


def test_the_document_has_examples() -> None:
    assert len(examples()) >= 6


@pytest.mark.parametrize("n", range(len(examples())))
def test_every_example_runs_as_the_platform(demo_api: Api, n: int) -> None:
    data = demo_api.data(examples()[n])
    assert data and all(value is not None for value in data.values())
